"""Parsed docs reused across runs (keyed by each doc's bytes) and parsed in parallel."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.cache import Store, cached_map, digest
from generator.forking import map_in_two
from generator.packs import Pack, open_pack
from generator.parse.tree import DocSource, ParsedDoc, parse_sources
from generator.snapshot import generator_fingerprint
from generator.workers import map_batches

if TYPE_CHECKING:
    from concurrent.futures import Executor

# Bytes of docs below which a process pool costs more than it saves: workers send every
# parsed doc back pickled, which takes a good part of what parsing it took.
POOL_THRESHOLD = 16_000_000
# Below the pool's threshold, from this many bytes of docs a forked child parses half.
FORK_THRESHOLD = 500_000


def cached_parser(
    store: Store | None, jobs: int, pool: Executor | None = None, scope: str | None = None
) -> Callable[[list[DocSource]], list[ParsedDoc]]:
    """A `parse_tree` parser that takes unchanged docs from `store` (through the pack of
    `scope`, if given) and spreads the rest over worker processes (those of `pool`, if
    already started) when they are many."""

    def parse(sources: list[DocSource]) -> list[ParsedDoc]:
        keys = None
        if store is not None:
            fingerprint = generator_fingerprint()  # the parser's code: a new version re-parses
            keys = [digest(fingerprint, s.relative, s.namespace, s.data) for s in sources]

        def compute(todo: list[DocSource]) -> list[ParsedDoc]:
            sizes = [len(source.data) for source in todo]
            if pool is None and jobs > 1 and FORK_THRESHOLD <= sum(sizes) < POOL_THRESHOLD:
                return map_in_two(parse_sources, todo, sizes)
            started = pool if sum(sizes) >= POOL_THRESHOLD else None
            return map_batches(parse_sources, todo, sizes, jobs, POOL_THRESHOLD, started)

        pack: Pack[ParsedDoc] | None = open_pack(store, "parse", scope)
        return cached_map(store, "parse", sources, keys, compute, _encode, _decode, pack)

    return parse


def _encode(parsed: ParsedDoc) -> bytes:
    return pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(payload: bytes) -> ParsedDoc:
    # Entries are checksummed files in the user's own cache directory.
    doc, found = pickle.loads(payload)
    return doc, found
