"""The results of one kind of work in the last run into an OUTPUT, kept in one cache entry.

A run that changes one doc still looks up every other doc's parse, every module's render
and format: thousands of small entries, each a file to open and, for parsed docs, a
pickle to load. A pack holds the last run's results of one kind in a single entry, read
with one open and one load; the per-result entries stay behind it for what the pack lacks.
It is rewritten only when it has drifted (a tenth of a run's lookups missed it, or as
many of its results went unused), so a run that changes a few docs does not pay for
writing it.
"""

from __future__ import annotations

import pickle
from typing import Generic, TypeVar

from generator.cache import Store, digest

R = TypeVar("R")

PACK_KIND_SUFFIX = "-pack"
# Lookups a pack may miss, or results of it that may go unused, before it is rewritten.
MIN_DRIFT = 16


def open_pack(store: Store | None, kind: str, scope: str | None) -> Pack[R] | None:
    """The pack of `kind` in `scope`, or None without a store or a scope."""
    return Pack(store, kind, scope) if store is not None and scope else None


def pack_scope(output: str) -> str:
    """Packs are per OUTPUT: runs into different outputs do not overwrite each other's."""
    return digest("pack", output)


class Pack(Generic[R]):
    """Results by key, as the last run into this scope had them."""

    def __init__(self, store: Store, kind: str, scope: str) -> None:
        self.store = store
        self.kind = kind + PACK_KIND_SUFFIX
        self.scope = scope
        self.loaded = self._load()
        self.used: dict[str, R] = {}
        self.hits = 0

    def _load(self) -> dict[str, R]:
        payload = self.store.get(self.kind, self.scope)
        if payload is None:
            return {}
        try:
            # Entries are checksummed files in the user's own cache directory.
            loaded = pickle.loads(payload)
        except Exception:  # a damaged pack is an empty one
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def get(self, key: str) -> R | None:
        value = self.loaded.get(key)
        if value is not None:
            self.hits += 1
            self.used[key] = value
        return value

    def add(self, key: str, value: R) -> None:
        """A result found elsewhere or computed in this run."""
        self.used[key] = value

    def save(self) -> None:
        """Write this run's results as the pack, if the loaded one has drifted from them."""
        allowed = max(MIN_DRIFT, len(self.used) // 10)
        missed = len(self.used) - self.hits
        unused = len(self.loaded) - self.hits
        if missed > allowed or unused > allowed:
            payload = pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL)
            self.store.put(self.kind, self.scope, payload)
