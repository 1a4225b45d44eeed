"""`docs2models watch`: regenerate whenever the docs, templates or overrides change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from generator.config import Config, ConfigError, SettingsError
from generator.incremental import stopping
from generator.incremental.cache import default_cache_dir
from generator.incremental.workers import WorkerDied
from generator.model.diagnostics import InvalidDocsError
from generator.render.format import FormatterError
from generator.write.journal import state_dir
from generator.write.safepaths import WriteError

DEBOUNCE_MS = 300
# How often the watcher looks whether a watched folder was deleted or replaced.
CHECK_MS = 500


class WatchUnavailableError(RuntimeError):
    """The optional `watchfiles` package is not installed."""


def watched_paths(config: Config) -> list[Path]:
    """The folders to watch: the specs, the templates, and the overrides file's folder (an
    editor saves a file by renaming a new one over it, which a watch on the file misses)."""
    paths = [config.specs]
    if config.templates is not None:
        paths.append(config.templates)
    if config.overrides is not None:
        paths.append(config.overrides.parent)
    return [path for path in paths if path.is_dir()]


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def input_filter(config: Config) -> Callable[[object, str], bool]:
    """Whether a changed path (under a watched folder, resolved) is an input of a run: a
    doc, a template or the overrides file. What a run writes itself (OUTPUT, the cache, the
    journal's key) is none, even inside a watched folder: else every run would start the
    next."""
    inputs = [config.specs.resolve()]
    if config.templates is not None:
        inputs.append(config.templates.resolve())
    overrides = None
    if config.overrides is not None:
        overrides = config.overrides.parent.resolve() / config.overrides.name
    own = [
        config.output.expanduser().resolve(),
        (config.cache_dir or default_cache_dir()).expanduser().resolve(),
        state_dir().resolve(),
    ]

    def relevant(_: object, path: str) -> bool:
        changed = Path(path)
        if any(_under(changed, folder) for folder in own):
            return False
        return changed == overrides or any(_under(changed, folder) for folder in inputs)

    return relevant


def _run_reporting_failures(
    config: Config, regenerate: Callable[[Config], str], report: Callable[[str], None]
) -> None:
    """One run; whatever makes it fail is reported, and the watch goes on."""
    try:
        report(regenerate(config))
    except InvalidDocsError as exc:
        for diagnostic in exc.diagnostics:
            report(str(diagnostic))
        report(f"docs2models: {exc}; waiting for changes")
    except WriteError as exc:
        report(f"{exc}\ndocs2models: nothing was written; waiting for changes")
    except (ConfigError, SettingsError, FormatterError, WorkerDied, OSError) as exc:
        report(f"docs2models: error: {exc}; waiting for changes")
    except Exception as exc:  # a failure no input explains: the next change may not hit it
        report(
            f"docs2models: error: the run failed ({type(exc).__name__}: {exc}); "
            "waiting for changes"
        )


def _identity(paths: list[Path]) -> list[tuple[int, int] | None]:
    """What each watched folder is: a folder deleted and made again is another one."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            status = path.stat()
            found.append((status.st_dev, status.st_ino))
        except OSError:
            found.append(None)
    return found


def watch(
    config: Config,
    regenerate: Callable[[Config], str],
    report: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Regenerate once, then after every debounced batch of changes to the inputs until
    `stop` is set, or Ctrl-C or SIGTERM (Stopped).

    Whatever makes a run fail is reported and the watcher keeps running; a watched folder
    that is deleted is watched again once it exists again.
    """
    try:
        from watchfiles import watch as watch_changes
    except ImportError:
        raise WatchUnavailableError(
            "watch needs the watchfiles package: pip install 'docs2models[watch]'"
        ) from None

    def run_once() -> None:
        _run_reporting_failures(config, regenerate, report)

    stopped = stop or threading.Event()
    # A run waits until the watch is on (its first yield), so that what is written meanwhile
    # is seen by the run or by the watch: the first run, and one after a folder was replaced.
    pending = True
    while not stopped.is_set():
        paths = watched_paths(config)
        if config.specs not in paths:  # deleted: wait until it is back
            if pending:
                run_once()  # says that the specs folder is missing
                pending = False
            stopped.wait(CHECK_MS / 1000)
            pending = config.specs.is_dir()
            continue
        identity = _identity(paths)
        try:
            for changes in watch_changes(
                *(path.resolve() for path in paths),
                watch_filter=input_filter(config),
                debounce=DEBOUNCE_MS,
                stop_event=stopped,
                raise_interrupt=True,
                yield_on_timeout=True,
                rust_timeout=CHECK_MS,
            ):
                if _identity(paths) != identity or watched_paths(config) != paths:
                    pending = True
                    break  # a folder was replaced: watch the new one
                if changes or pending:
                    pending = False
                    run_once()
            else:
                return  # stopped
        except KeyboardInterrupt:
            # watchfiles catches whatever a signal's handler raised and raises this
            # instead: say which signal it was (SIGTERM exits as SIGTERM).
            stopping.raise_if_requested()
            raise
