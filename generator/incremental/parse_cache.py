"""Parsed docs reused across runs (keyed by each doc's bytes); the rest parsed where the
pipeline's runner says."""

from __future__ import annotations

from collections.abc import Callable

from generator.incremental.cache import Store, cached_map, digest
from generator.incremental.docjson import decode_parsed, encode_parsed
from generator.incremental.snapshot import generator_fingerprint
from generator.incremental.workers import Runner, in_process
from generator.parse.tree import DocSource, ParsedDoc, parse_sources


def cached_parser(
    store: Store | None, run: Runner = in_process
) -> Callable[[list[DocSource]], list[ParsedDoc]]:
    """A `parse_tree` parser that takes unchanged docs from `store` and has `run` parse
    the rest."""

    def parse(sources: list[DocSource]) -> list[ParsedDoc]:
        keys = None
        if store is not None:
            fingerprint = generator_fingerprint()  # the parser's code: a new version re-parses
            keys = [digest(fingerprint, s.relative, s.namespace, s.data) for s in sources]

        def compute(todo: list[DocSource]) -> list[ParsedDoc]:
            return run(parse_sources, todo, [len(source.data) for source in todo])

        return cached_map(store, "parse", sources, keys, compute, encode_parsed, decode_parsed)

    return parse
