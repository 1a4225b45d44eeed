"""The `docs2models` command line."""

from __future__ import annotations

import gc
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.config import SETTINGS, Config, ConfigError, Setting, SettingsError, read_config
from generator.console import (
    EXIT_DIFFERS,
    EXIT_INVALID,
    FAILURES,
    fail,
    progress,
    say,
    say_diagnostic,
    say_failure,
    say_generated,
)
from generator.diff.options import diff_options
from generator.incremental import stopping
from generator.incremental.cache import take_notices
from generator.incremental.stamp import RunStamp, unchanged
from generator.incremental.workers import WorkerDied
from generator.model.diagnostics import InvalidDocsError, Severity
from generator.model.printable import printable
from generator.resolve.report import report_lines
from generator.timing import stage, take, take_notes
from generator.write.preconditions import output_problems, refuse_unsafe_output

# The pipeline is imported by the commands that run it: `generate` with nothing to do
# stops at `unchanged` without loading it.

# Allocations between two collections of the youngest objects (Python's default: 700).
# A run after a small edit allocates fewer (about 80 000 on 1 200 docs), so it never pauses
# to collect; a cold run collects as often in total time, in fewer, larger steps.
GC_FIRST_GENERATION = 200_000


def _setting_option(setting: Setting) -> Any:
    """The flag of a setting of `Config`, from its type, default and help."""
    flag = setting.option
    if setting.kind is bool:
        if setting.flag:  # a flag that turns a setting that defaults to true off
            return click.option(
                flag, setting.name, flag_value=False, default=None, help=setting.help
            )
        # Both ways, so that a flag can undo what the settings file turned on.
        both = f"{flag}/--no-{flag.removeprefix('--')}"
        return click.option(both, setting.name, default=None, help=setting.help)
    kind: Any = None
    if setting.path:
        # Whether it is a file or a folder is checked where it is used, said as every other
        # unusable setting is (`path: error: ...`), not as a usage error.
        kind = click.Path(path_type=Path, readable=False)
    elif setting.is_enum:
        kind = click.Choice([member.value for member in setting.kind])  # type: ignore[attr-defined]
    elif setting.kind is int:
        kind = click.IntRange(min=0)
    return click.option(flag, setting.name, type=kind, help=setting.help)


def _options(function: Any) -> Any:
    decorators = [
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path, readable=False),
            help="Read settings from this TOML file instead of ./pyproject.toml.",
        ),
        *(_setting_option(s) for s in SETTINGS if not s.renders),
        click.option("-q", "--quiet", is_flag=True, default=None, help="Print only errors."),
        click.option(
            "-v", "--verbose", is_flag=True, default=None, help="Also print per-stage timings."
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _render_options(function: Any) -> Any:
    """Options of the commands that render code (generate, watch)."""
    for setting in reversed([s for s in SETTINGS if s.renders]):
        function = _setting_option(setting)(function)
    return function


def _config(
    config_file: Path | None,
    *paths: tuple[str, Path],
    reads_specs: bool = True,
    writes: bool = False,
    watched: bool = False,
    **flags: Any,
) -> Config:
    """The settings file and the flags; ConfigError, naming every problem, if a value of the
    settings file is, or a path of them or of `paths` is unusable (`reads_specs`: the specs
    folder and overrides file must be there; `writes`: the templates folder too), or
    (`writes`) the package or OUTPUT cannot be generated, or (`watched`) a path cannot be
    watched."""
    meta = click.get_current_context().meta
    take(), take_notes()  # timings of earlier in-process runs are not this command's
    take_notices()  # nor what their caches had to do without
    meta["quiet"] = bool(flags.pop("quiet", None))
    meta["verbose"] = bool(flags.pop("verbose", None)) and not meta["quiet"]
    base, problems, unusable = read_config(config_file, required=config_file is not None)
    for setting in SETTINGS:
        if setting.is_enum and flags.get(setting.name) is not None:
            flags[setting.name] = setting.kind(flags[setting.name])
    config = base.with_flags(**flags)
    # A setting whose value was unusable is left at its default: nothing to say of that.
    unchecked = unusable - {name for name, value in flags.items() if value is not None}
    problems += config.unusable_paths(
        *paths, reads_specs=reads_specs, renders=writes, unchecked=unchecked
    )
    if writes and unchecked.isdisjoint({"output", "package"}):
        problems += [f"docs2models: error: {problem}" for problem in output_problems(config)]
    if watched:
        from generator.incremental.watch import unwatchable

        settings = [getattr(config, s.name) for s in SETTINGS if s.path]
        problems += unwatchable([config_file, *settings])
    if problems:
        raise ConfigError(*problems)
    return config


def _timings() -> None:
    """With -v: the wall time of each stage that ran, how it ran, why the cache went unused."""
    records, notices = take(), take_notes() + take_notices()
    if click.get_current_context().meta.get("verbose"):
        for name, seconds in records:
            click.echo(f"docs2models: {name:8s} {seconds * 1000:8.1f} ms", err=True)
        for notice in notices:
            click.echo(printable(notice), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docs2models")
def main() -> None:
    """Generate typed Python models and errors from Speakeasy-style Markdown model docs.

    \b
    Examples:
      docs2models generate                       # settings from [tool.docs2models]
      docs2models generate --specs docs --output out --package client
      docs2models generate --check               # exit 1 if out/ is stale
      docs2models generate --target dataclasses  # standard library only
      docs2models lint --specs docs              # path:line: error|warning: message
      docs2models report --specs docs            # what was understood, repairs, skips
      docs2models ir --specs docs > ir.json      # the resolved IR as JSON
      docs2models diff --base origin/main        # what changed since a git revision
      docs2models watch                          # regenerate on every change
    """


@main.command("generate")
@_options
@_render_options
@click.option(
    "--check", is_flag=True, help="Write nothing; print a diff and exit 1 if OUTPUT is stale."
)
def generate_command(config_file: Path | None, check: bool, **flags: Any) -> None:
    """Generate the package from the docs (or check that OUTPUT is up to date)."""
    try:
        config = _config(config_file, writes=True, **flags)
        with stage("inputs"):  # compared with the last run's: nothing to do?
            found = unchanged(config)
            last = found.last if found.unchanged else None
            # The stamp vouches for the last run's files, not for OUTPUT: checked as a run does.
            if last is not None and refuse_unsafe_output(config, last.files):
                last = None  # an interrupted run's journal: a full run finishes it
        if last is not None:
            _report_unchanged(last, config, check)
            _timings()
            return
        from generator.pipeline import check_output, generate

        if check:
            analysis, chunks = check_output(config, found.inputs)
            for diagnostic in analysis.diagnostics:
                say_diagnostic(diagnostic)
            if chunks:
                click.echo("".join(chunks), nl=False)
                click.echo(
                    printable(
                        f"docs2models: {config.output} is out of date; run `docs2models generate`"
                    ),
                    err=True,
                )
                _timings()
                sys.exit(EXIT_DIFFERS)
            say(f"docs2models: {config.output} is up to date")
            _timings()
            return
        with progress():
            analysis, result = generate(config, found.inputs, found.last)
    except FAILURES as exc:
        fail(exc, writes=not check)
        return
    say_generated(analysis, result)
    _timings()


def _report_unchanged(stamp: RunStamp, config: Config, check: bool) -> None:
    """What a run would print when it finds its inputs and OUTPUT as the last run left them."""
    for message in stamp.messages:
        say(message)
    if check:
        say(f"docs2models: {config.output} is up to date")
        return
    say(
        f"docs2models: {stamp.classes} classes; 0 file(s) written, "
        f"{len(stamp.files) - 1} unchanged, 0 removed (inputs unchanged)"
    )


@main.command("lint")
@_options
def lint_command(config_file: Path | None, **flags: Any) -> None:
    """Parse and resolve the docs; print every problem as path:line: severity: message."""
    from generator.pipeline import analyse

    try:
        analysis = analyse(_config(config_file, **flags))
    except (InvalidDocsError, ConfigError, SettingsError) as exc:
        fail(exc)
        return
    for diagnostic in analysis.diagnostics:
        say_diagnostic(diagnostic, err=False)
    warnings = sum(d.severity is Severity.WARNING for d in analysis.diagnostics)
    say(
        f"docs2models: {analysis.docs} docs, {len(analysis.schema.classes)} classes, "
        f"{len(analysis.schema.operations)} operations, {warnings} warning(s)",
        err=False,
    )
    _timings()


@main.command("report")
@_options
def report_command(config_file: Path | None, **flags: Any) -> None:
    """Print what was understood: classes by kind, the decisions taken, repairs applied."""
    from generator.pipeline import analyse

    try:
        schema = analyse(_config(config_file, **flags)).schema
    except (InvalidDocsError, ConfigError, SettingsError) as exc:
        fail(exc)
        return
    for line in report_lines(schema):
        click.echo(line)


@main.command("ir")
@_options
def ir_command(config_file: Path | None, **flags: Any) -> None:
    """Print the resolved IR as JSON (format: docs/ir-schema.md).

    \b
    Example:
      docs2models ir --specs docs > ir.json
    """
    from generator.model.irjson import schema_json
    from generator.pipeline import analyse

    try:
        schema = analyse(_config(config_file, **flags)).schema
    except (InvalidDocsError, ConfigError, SettingsError) as exc:
        fail(exc)
        return
    click.echo(schema_json(schema), nl=False)


@main.command("diff")
@_options
@diff_options
def diff_command(config_file: Path | None, **flags: Any) -> None:
    """Compare two doc trees' models and operations: what changed, and what can break.

    \b
    Examples:
      docs2models diff old/docs new/docs
      docs2models diff --base origin/main --format markdown --fail-on breaking
    """
    from generator.diff.command import run_diff
    from generator.diff.options import DiffRequest

    request = DiffRequest.take(flags)
    try:
        trees = zip(("the old tree", "the new tree"), request.trees, strict=False)
        reads_specs = not request.trees  # else: two trees of its own
        result = run_diff(_config(config_file, *trees, reads_specs=reads_specs, **flags), request)
    except (InvalidDocsError, ConfigError, SettingsError) as exc:
        fail(exc)
        return
    click.echo(result.output, nl=False)
    say(f"docs2models: {result.summary}")
    _timings()
    sys.exit(result.exit_code)


@main.command("watch")
@_options
@_render_options
def watch_command(config_file: Path | None, **flags: Any) -> None:
    """Regenerate OUTPUT whenever the docs, templates, overrides or settings change (Ctrl-C
    stops).

    \b
    Example:
      docs2models watch --specs docs --output out --package client
    """
    from generator.incremental.watch import SettingsFile, WatchUnavailableError, watch

    def read_settings() -> Config | None:
        try:
            return _config(config_file, reads_specs=False, watched=True, **flags)
        except (ConfigError, SettingsError) as exc:
            say_failure(exc, writes=False)
            return None

    def report(message: str) -> None:
        click.echo(printable(message), err=True)

    settings = SettingsFile(config_file or Path("pyproject.toml"), read_settings)
    try:
        config = _config(config_file, reads_specs=False, watched=True, **flags)
        watch(config, _generate_reporting, report, settings=settings)
    except (ConfigError, SettingsError) as exc:
        fail(exc)
    except WatchUnavailableError as exc:
        click.echo(f"docs2models: error: {exc}", err=True)
        sys.exit(EXIT_INVALID)


def _generate_reporting(config: Config) -> bool:
    """One run under `watch`: what `generate` says of it, and whether it succeeded."""
    from generator.pipeline import generate

    try:
        analysis, result = generate(config)
    except FAILURES as exc:
        say_failure(exc, writes=True)
        return False
    except (WorkerDied, OSError) as exc:
        click.echo(printable(f"docs2models: error: {exc}"), err=True)
        return False
    say_generated(analysis, result)
    _timings()
    return True


def run() -> None:
    """The `docs2models` command: `main`, then an exit that skips interpreter teardown.

    Freeing a large run's objects one by one at exit takes longer than many of its stages;
    the operating system reclaims them at once. Everything a run writes is closed by then.
    """
    # A run builds a large heap of records that live to its end, and hardly any cycles:
    # at the default thresholds the cycle collector scans that heap again and again
    # (about a tenth of a cold run). Rarer collections still reclaim what cycles there are.
    gc.set_threshold(GC_FIRST_GENERATION, 20, 20)
    stopping.install()
    try:
        code = stopping.exit_code(main)
    except WorkerDied as died:  # any command that parses or formats in workers
        print(f"docs2models: error: {died}", file=sys.stderr)
        code = EXIT_INVALID
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):  # a reader that went away (`docs2models ir | head`)
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)
