"""The command line of `docs2models diff`: its arguments and options, and the request they
make (light: every command loads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

FORMAT_NAMES = ("text", "markdown", "json")


def diff_options(function: Any) -> Any:
    """The arguments and options `diff` adds to the settings flags."""
    decorators = [
        click.argument("trees", nargs=-1, metavar="[OLD NEW]", type=click.Path(path_type=Path)),
        click.option(
            "--base",
            metavar="REV",
            help="Compare the specs directory at this git revision with the working tree.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMAT_NAMES),
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
