"""Parsed docs reused across runs (keyed by each doc's bytes); the rest parsed where the
pipeline's runner says, by the parser the pipeline hands in."""

from __future__ import annotations

from collections.abc import Callable

from generator.incremental import fingerprint
from generator.incremental.cache import Store, cached_map, digest
from generator.incremental.docjson import decode_parsed, encode_parsed
from generator.model.parsed import DocSource, ParsedDoc
from generator.model.runner import Runner, in_process

Parser = Callable[[list[DocSource]], list[ParsedDoc]]


def cached_parser(store: Store | None, parse_each: Parser, run: Runner = in_process) -> Parser:
    """A `parse_tree` parser that takes unchanged docs from `store` and has `run` parse
    the rest with `parse_each` (a module-level function, so that workers can run it)."""

    def parse(sources: list[DocSource]) -> list[ParsedDoc]:
        keys = None
        if store is not None:
            # The parser's code: a new version re-parses.
            code = fingerprint.generator_fingerprint()
            keys = [digest(code, s.relative, s.namespace, s.data) for s in sources]

        def compute(todo: list[DocSource]) -> list[ParsedDoc]:
            return run(parse_each, todo, [len(source.data) for source in todo])

        return cached_map(store, "parse", sources, keys, compute, encode_parsed, decode_parsed)

    return parse
