"""The body of `docs2models diff`: a run from settings to the changes, formatted."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generator.config import Config, SettingsError
from generator.diff.changes import Change
from generator.diff.formats import as_json, as_markdown, as_text, summary
from generator.diff.namespaces import top_namespace_as
from generator.diff.options import DiffRequest
from generator.diff.schemas import diff_schemas
from generator.diff.sides import Side, base_sides, tree_sides
from generator.model.diagnostics import Diagnostic, InvalidDocsError, Severity
from generator.model.docs import DocLocation
from generator.model.parsed import DocSource, ParsedDoc
from generator.model.schema import Schema

Parser = Callable[[list[DocSource]], list[ParsedDoc]]
FORMATS: dict[str, Callable[[list[Change]], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}
EXIT_FOUND = 1


@dataclass(frozen=True)
class DiffResult:
    output: str
    summary: str
    exit_code: int


def run_diff(config: Config, request: DiffRequest) -> DiffResult:
    """Both sides parsed and resolved with the same settings, then compared; raises
    InvalidDocsError with every problem of both sides, each path named with its side."""
    with tempfile.TemporaryDirectory(prefix="docs2models-diff-") as checkout:
        if request.base is not None:
            sides = base_sides(config, request.base, Path(checkout))
        else:
            sides = tree_sides(config, *request.trees)
        (old, old_warnings), (new, new_warnings) = _analysed(sides)
    tops = [side.config.specs.resolve().name for side in sides]
    changes = diff_schemas(top_namespace_as(old, *tops), new, request.include_docs)
    found = any(change.breaking for change in changes) if request.fail_on == "breaking" else False
    if request.fail_on == "any":
        found = bool(changes)
    said = summary(changes)
    if old_warnings or new_warnings:
        said += (
            f" (the docs have warnings: {old_warnings} old, {new_warnings} new; "
            "`docs2models lint` shows them)"
        )
    return DiffResult(FORMATS[request.output_format](changes), said, EXIT_FOUND if found else 0)


def _analysed(sides: tuple[Side, Side]) -> list[tuple[Schema, int]]:
    """Each side's schema and number of warnings; the problems of both sides at once."""
    shared = _SharedDocs()
    outcomes = [_analysis(side, shared) for side in sides]
    problems = [
        _named(side, diagnostic)
        for side, (_, diagnostics) in zip(sides, outcomes, strict=True)
        for diagnostic in diagnostics
    ]
    if any(schema is None for schema, _ in outcomes):
        raise InvalidDocsError(problems)
    return [
        (schema, sum(d.severity is Severity.WARNING for d in diagnostics))
        for schema, diagnostics in outcomes
        if schema is not None
    ]


class _SharedDocs:
    """The docs parsed for one side, by path, namespace and bytes: the other side's copy of
    an unchanged doc is not parsed (or read from the cache) again."""

    def __init__(self) -> None:
        self.parsed: dict[DocSource, ParsedDoc] = {}

    def wrap(self, parse: Parser) -> Parser:
        def reusing(sources: list[DocSource]) -> list[ParsedDoc]:
            todo = [source for source in sources if source not in self.parsed]
            self.parsed.update(zip(todo, parse(todo), strict=True))
            return [self.parsed[source] for source in sources]

        return reusing


def _analysis(side: Side, shared: _SharedDocs) -> tuple[Schema | None, list[Diagnostic]]:
    """A side's schema (None when its docs have errors) and its diagnostics."""
    from generator.pipeline import analyse

    try:
        analysis = analyse(side.config, wrap_parser=shared.wrap)
    except InvalidDocsError as exc:
        return None, exc.diagnostics
    except SettingsError as exc:  # no docs at all: said of the folder the user named
        said = str(exc).replace(str(side.config.specs), side.shown)
        raise SettingsError(f"{side.label}: {said}") from None
    return analysis.schema, analysis.diagnostics


def _named(side: Side, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic at `old: <folder>/<path>:<line>` (or `new: ...`)."""
    path = side.where(diagnostic.location.path)
    return replace(
        diagnostic, location=DocLocation(path, diagnostic.location.line, side=side.label)
    )
