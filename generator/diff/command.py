"""The body of `docs2models diff`: its options, and a run from settings to printed changes."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from generator.config import Config, SettingsError
from generator.diagnostics import Diagnostic, InvalidDocsError, Severity
from generator.diff import diff_schemas
from generator.diff.changes import Change
from generator.diff.formats import as_json, as_markdown, as_text, summary
from generator.diff.sides import Side, base_sides, tree_sides
from generator.ir import DocLocation
from generator.schema import Schema

FORMATS: dict[str, Callable[[list[Change]], str]] = {
    "text": as_text,
    "markdown": as_markdown,
    "json": as_json,
}
EXIT_FOUND = 1


def diff_options(function: Any) -> Any:
    """The arguments and options `diff` adds to the settings flags."""
    decorators = [
        click.argument("trees", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--base",
            metavar="REV",
            help="Compare the specs directory at this git revision with the working tree.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(list(FORMATS)),
            default="text",
            show_default=True,
            help="text: a line a change; markdown: a pull request's body; json: a change list.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(["none", "breaking", "any"]),
            default="none",
            show_default=True,
            help="Exit 1 when a breaking change (or any change) is found.",
        ),
        click.option(
            "--include-docs",
            is_flag=True,
            help="Also list changed descriptions and examples (never breaking).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@dataclass(frozen=True)
class DiffRequest:
    trees: tuple[Path, ...]
    base: str | None
    output_format: str
    fail_on: str
    include_docs: bool

    @classmethod
    def take(cls, flags: dict[str, Any]) -> DiffRequest:
        """The request, its options removed from `flags` (the rest are settings)."""
        names = ("trees", "base", "output_format", "fail_on", "include_docs")
        request = cls(**{name: flags.pop(name) for name in names})
        if request.base is not None and request.trees:
            raise click.UsageError("give two folders (OLD NEW) or --base REV, not both")
        if request.base is None and len(request.trees) != 2:
            raise click.UsageError(
                "give two folders of docs, OLD and NEW, or --base REV to compare the specs "
                "directory at a git revision with the working tree"
            )
        return request


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
    changes = diff_schemas(old, new, request.include_docs)
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
    outcomes = [_analysis(side) for side in sides]
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


def _analysis(side: Side) -> tuple[Schema | None, list[Diagnostic]]:
    """A side's schema (None when its docs have errors) and its diagnostics."""
    from generator.pipeline import analyse

    try:
        analysis = analyse(side.config)
    except InvalidDocsError as exc:
        return None, exc.diagnostics
    except SettingsError as exc:  # no docs at all: said of the folder the user named
        said = str(exc).replace(str(side.config.specs), side.shown)
        raise SettingsError(f"{side.label}: {said}") from None
    return analysis.schema, analysis.diagnostics


def _named(side: Side, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic at `old: <folder>/<path>:<line>` (or `new: ...`)."""
    path = f"{side.label}: {side.where(diagnostic.location.path)}"
    return replace(diagnostic, location=DocLocation(path, diagnostic.location.line))
