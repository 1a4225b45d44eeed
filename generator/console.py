"""What the commands print: problems as `path:line: severity: message`, each on one line
whatever the paths in it hold (see `printable`), a run's outcome and its progress. `generate`
and `watch` say the same of a run through these."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from generator.config import ConfigError, SettingsError
from generator.model.diagnostics import Diagnostic, InvalidDocsError, Severity
from generator.model.printable import printable
from generator.render.format import FormatterError
from generator.timing import STAGES, listening
from generator.write.files import INTERRUPTED, UNTOUCHED
from generator.write.safepaths import WriteError

if TYPE_CHECKING:
    from generator.pipeline import Analysis
    from generator.write.files import WriteResult

EXIT_DIFFERS = 1
EXIT_INVALID = 2
SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}

Failure = InvalidDocsError | ConfigError | SettingsError | FormatterError | WriteError
FAILURES = (InvalidDocsError, ConfigError, SettingsError, FormatterError, WriteError)


def _colour() -> bool | None:
    """None lets click colour a terminal only; NO_COLOR (https://no-color.org) turns it off."""
    return False if os.environ.get("NO_COLOR") else None


def _quiet() -> bool:
    return bool(click.get_current_context().meta.get("quiet"))


def say(message: str, err: bool = True) -> None:
    """An informational line, silenced by -q: one line, whatever the paths in it hold."""
    if not _quiet():
        click.echo(printable(message), err=err)


def say_diagnostic(diagnostic: Diagnostic, err: bool = True) -> None:
    if diagnostic.severity is Severity.WARNING and _quiet():
        return
    word = click.style(
        diagnostic.severity.value, fg=SEVERITY_COLOURS[diagnostic.severity], bold=True
    )
    click.echo(diagnostic.line(word), err=err, color=_colour())


@contextmanager
def progress() -> Iterator[None]:
    """A progress bar over the stages, on a terminal only (click hides it elsewhere)."""
    if _quiet() or not sys.stderr.isatty():
        yield
        return
    with click.progressbar(length=len(STAGES), label="docs2models", file=sys.stderr) as bar:

        def advance(name: str) -> None:
            bar.label = f"docs2models: {name}"
            bar.update(1)

        with listening(advance):
            yield


def fail(exc: Failure, writes: bool = False) -> None:
    """Report why a command cannot go on, and exit 2; `writes`: the command writes OUTPUT."""
    say_failure(exc, writes)
    sys.exit(EXIT_INVALID)


def say_failure(exc: Failure, writes: bool) -> None:
    """Why a command cannot go on: each problem on its own line, then what became of it."""
    if isinstance(exc, ConfigError):
        for problem in exc.problems:
            click.echo(printable(problem), err=True)
    elif isinstance(exc, WriteError):
        click.echo(str(exc), err=True)
        click.echo(INTERRUPTED if exc.interrupted else UNTOUCHED, err=True)
    elif isinstance(exc, SettingsError | FormatterError):
        for problem in getattr(exc, "problems", ()):
            click.echo(printable(problem), err=True)
        # A formatter's own report spans lines on purpose; settings name paths, one line.
        summary = str(exc) if isinstance(exc, FormatterError) else printable(str(exc))
        click.echo(f"docs2models: error: {summary}", err=True)
    else:
        for diagnostic in exc.diagnostics:
            say_diagnostic(diagnostic)
        click.echo(f"docs2models: {exc}{'; nothing was written' if writes else ''}", err=True)


def say_generated(analysis: Analysis, result: WriteResult) -> None:
    """What a run that wrote OUTPUT says: warnings, then what it wrote."""
    for diagnostic in analysis.diagnostics:
        say_diagnostic(diagnostic)
    if result.recovered:
        say(f"docs2models: recovered an interrupted run: {result.recovered} file(s) or folder(s)")
    for warning in result.warnings:
        say(warning)
    say(
        f"docs2models: {len(analysis.schema.classes)} classes; {len(result.written)} file(s) written, "
        f"{result.unchanged} unchanged, {len(result.removed)} removed"
    )
