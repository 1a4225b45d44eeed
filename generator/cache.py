"""A content-addressed store for results that are slow to recompute.

Every entry is a file named after the hash of everything that produced it (input text,
tool versions, settings), so an entry can never be stale, only unused. Entries are
written atomically and carry a checksum of their payload; one that does not match it
(truncated, edited, half-written by another tool) is a miss. Deleting the whole
directory is always safe: the next run recomputes what it needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from generator.packs import Pack

CACHE_DIR_NAME = "docs2models"
# Bumped when the layout of entries changes; old layouts are simply never read again.
LAYOUT = "v1"
_CHECKSUM_LENGTH = 64  # hex sha256, then a newline, then the payload

T = TypeVar("T")
R = TypeVar("R")


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/docs2models`, or `~/.cache/docs2models` (the XDG default)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / CACHE_DIR_NAME


def digest(*parts: str | bytes) -> str:
    """The sha256 of `parts`; each part is length-prefixed, so ("ab", "c") != ("a", "bc")."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(b"%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()


class Store:
    """Entries under `root/<layout>/<kind>/<key[:2]>/<key>`; all failures are misses."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._base = os.path.join(os.fspath(root), LAYOUT)  # str paths: many small reads

    def _path(self, kind: str, key: str) -> str:
        return os.path.join(self._base, kind, key[:2], key)

    def get(self, kind: str, key: str) -> bytes | None:
        try:
            with open(self._path(kind, key), "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        checksum, newline = raw[:_CHECKSUM_LENGTH], raw[_CHECKSUM_LENGTH : _CHECKSUM_LENGTH + 1]
        payload = raw[_CHECKSUM_LENGTH + 1 :]
        if newline != b"\n" or hashlib.sha256(payload).hexdigest().encode() != checksum:
            return None
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Write one entry atomically; a cache that cannot be written is only slower."""
        import tempfile

        target = self._path(kind, key)
        directory = os.path.dirname(target)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(checksum + b"\n" + payload)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def cached_map(
    store: Store | None,
    kind: str,
    items: Sequence[T],
    keys: Sequence[str] | None,
    compute: Callable[[list[T]], list[R]],
    encode: Callable[[R], bytes],
    decode: Callable[[bytes], R],
    pack: Pack[R] | None = None,
) -> list[R]:
    """`compute(items)`, taking from `store` what it already holds and storing the rest.

    `compute` receives only the missing items (each distinct key once) in their order.
    An entry that `decode` rejects (any exception) counts as missing. `pack` (of the
    same store) is asked first, and learns every result of this call. Without a store
    there is nothing to look up: `keys` may then be None.
    """
    if store is None or keys is None:
        return compute(list(items))
    results: dict[str, R] = {}
    missing: dict[str, T] = {}
    for item, key in zip(items, keys, strict=True):
        if key in results or key in missing:
            continue
        packed = pack.get(key) if pack is not None else None
        if packed is not None:
            results[key] = packed
            continue
        payload = store.get(kind, key)
        if payload is not None:
            try:
                results[key] = decode(payload)
                if pack is not None:
                    pack.add(key, results[key])
                continue
            except Exception:  # a damaged entry is recomputed, whatever decode raised
                pass
        missing[key] = item
    if missing:
        computed = compute(list(missing.values()))
        for key, value in zip(missing, computed, strict=True):
            results[key] = value
            store.put(kind, key, encode(value))
            if pack is not None:
                pack.add(key, value)
    if pack is not None:
        pack.save()
    return [results[key] for key in keys]


def open_store(enabled: bool, directory: Path | None) -> Store | None:
    """The cache to use: None when caching is off (`--no-cache`)."""
    if not enabled:
        return None
    return Store(directory.expanduser() if directory is not None else default_cache_dir())
