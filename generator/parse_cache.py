"""Parsed docs reused across runs (keyed by each doc's bytes) and parsed in parallel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.cache import Store, cached_map, digest
from generator.docjson import decode_parsed, encode_parsed
from generator.parse.tree import DocSource, ParsedDoc, parse_sources
from generator.snapshot import generator_fingerprint
from generator.workers import map_batches

if TYPE_CHECKING:
    from concurrent.futures import Executor

# Bytes of docs below which a process pool costs more than it saves: workers send every
# parsed doc back pickled, which takes a good part of what parsing it took.
POOL_THRESHOLD = 16_000_000


def cached_parser(
    store: Store | None, jobs: int, pool: Executor | None = None
) -> Callable[[list[DocSource]], list[ParsedDoc]]:
    """A `parse_tree` parser that takes unchanged docs from `store` and spreads the rest
    over worker processes (those of `pool`, if already started) when they are many."""

    def parse(sources: list[DocSource]) -> list[ParsedDoc]:
        keys = None
        if store is not None:
            fingerprint = generator_fingerprint()  # the parser's code: a new version re-parses
            keys = [digest(fingerprint, s.relative, s.namespace, s.data) for s in sources]

        def compute(todo: list[DocSource]) -> list[ParsedDoc]:
            sizes = [len(source.data) for source in todo]
            started = pool if sum(sizes) >= POOL_THRESHOLD else None
            return map_batches(parse_sources, todo, sizes, jobs, POOL_THRESHOLD, started)

        return cached_map(store, "parse", sources, keys, compute, encode_parsed, decode_parsed)

    return parse
