"""`docs2models watch`: regenerate whenever an input changes: a doc, a template, the
overrides file or the settings file, wherever each lives."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.config import Config
from generator.incremental import stopping
from generator.incremental.cache import default_cache_dir
from generator.write.files import written_by_a_run
from generator.write.journal import state_dir
from generator.write.snapshot import DOC_SUFFIX

if TYPE_CHECKING:
    from watchfiles import Change

DEBOUNCE_MS = 300
# How often the watcher looks whether a watched path was deleted, made or replaced.
CHECK_MS = 500
WAITING = "docs2models: waiting for changes"


class WatchUnavailableError(RuntimeError):
    """The optional `watchfiles` package is not installed."""


@dataclass(frozen=True)
class SettingsFile:
    """The settings file, an input like the docs: `read` gives the settings as the file and
    the flags make them now, or None when they cannot be used (having said why)."""

    path: Path
    read: Callable[[], Config | None]


def _input_files(config: Config, settings: SettingsFile | None) -> list[Path]:
    """The inputs that are one file each, the overrides and the settings file, as the watch
    names them (their folder resolved: a link is watched where it is)."""
    files = [config.overrides] if config.overrides is not None else []
    if settings is not None:
        files.append(settings.path)
    return [file.parent.resolve() / file.name for file in files]


def _input_folders(config: Config) -> list[Path]:
    folders = [config.specs] if config.templates is None else [config.specs, config.templates]
    return [folder.resolve() for folder in folders]


def watched_paths(config: Config, settings: SettingsFile | None = None) -> list[Path]:
    """What to watch, of what exists: the specs and templates folders, the overrides and
    settings files. A file is watched itself, not its folder (the project's root, perhaps,
    or OUTPUT): an editor saves it by renaming a new file over it, which changes the watched
    path's identity (see `_identity`)."""
    folders = [folder for folder in _input_folders(config) if folder.is_dir()]
    return folders + [file for file in _input_files(config, settings) if file.is_file()]


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def input_filter(
    config: Config, settings: SettingsFile | None = None
) -> Callable[[object, str], bool]:
    """Whether a changed path (as the watch names it) is an input of a run: a doc (or a folder
    of the specs, made, moved or deleted with its docs), a template, the overrides or the
    settings file, wherever it lives. What a run writes itself (in OUTPUT, the cache, the
    journal's key, and the file the watch's own output goes to) is none, even inside a watched
    folder: else every run would start the next."""
    files = set(_input_files(config, settings))
    specs = config.specs.resolve()
    templates = config.templates.resolve() if config.templates is not None else None
    output = config.output.resolve()
    own = [
        *(output / name for name in written_by_a_run(config.package)),
        (config.cache_dir or default_cache_dir()).resolve(),
        state_dir().resolve(),
    ]
    own_output = _own_output()

    def relevant(_: object, path: str) -> bool:
        changed = Path(path)
        if changed in files:
            return True
        if any(_under(changed, folder) for folder in own) or _file_identity(changed) in own_output:
            return False
        if templates is not None and _under(changed, templates):
            return True
        return _under(changed, specs) and (changed.suffix == DOC_SUFFIX or not changed.is_file())

    return relevant


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def _own_output() -> set[tuple[int, int]]:
    """The files this process's stdout and stderr write to, where they are files."""
    found: set[tuple[int, int]] = set()
    for descriptor in (1, 2):
        try:
            status = os.fstat(descriptor)
        except OSError:
            continue
        if stat.S_ISREG(status.st_mode):
            found.add((status.st_dev, status.st_ino))
    return found


def _run_once(config: Config, run: Callable[[Config], bool], report: Callable[[str], None]) -> None:
    """One run, which says what it did or why it failed; after a failure the watch goes on."""
    try:
        succeeded = run(config)
    except Exception as exc:  # a failure no input explains: the next change may not hit it
        report(f"docs2models: error: the run failed ({type(exc).__name__}: {exc})")
        succeeded = False
    if not succeeded:
        report(WAITING)


def _settings_now(
    config: Config, settings: SettingsFile | None, report: Callable[[str], None]
) -> Config | None:
    """The settings as they are now; None when they cannot be used (said, with WAITING)."""
    if settings is None:
        return config
    fresh = settings.read()
    if fresh is None:
        report(WAITING)
    return fresh


def _identity(paths: list[Path]) -> list[tuple[int, int] | None]:
    """What each watched path is: a folder deleted and made again, or a file an editor saved
    by renaming a new one over it, is another one."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            status = path.stat()
            found.append((status.st_dev, status.st_ino))
        except OSError:
            found.append(None)
    return found


def unwatchable(paths: Iterable[Path | None]) -> list[str]:
    """`path: error: ...` for each of `paths` the watch cannot take: watchfiles names paths as
    UTF-8 text, which a name of other bytes (a Linux file system holds any) is not."""
    problems = []
    for path in filter(None, paths):
        try:
            os.fspath(path).encode("utf-8")
        except UnicodeEncodeError:
            problems.append(
                f"{path}: error: watch cannot follow a path whose name is not UTF-8 text "
                "(rename it; generate reads it)"
            )
    return problems


def _watchfiles() -> Callable[..., Iterator[set[tuple[Change, str]]]]:
    """watchfiles' `watch`: an optional package."""
    try:
        from watchfiles import watch as watch_changes
    except ImportError:
        raise WatchUnavailableError(
            "watch needs the watchfiles package: pip install 'docs2models[watch]'"
        ) from None
    return watch_changes


def watch(
    config: Config,
    run: Callable[[Config], bool],
    report: Callable[[str], None],
    stop: threading.Event | None = None,
    settings: SettingsFile | None = None,
) -> None:
    """Run once, then after every debounced batch of changes to the inputs, until `stop` is
    set, or Ctrl-C or SIGTERM (Stopped).

    `run` makes a run and says what it did, or why it failed (False), as `generate` says it;
    the watch goes on after a failure. `settings` are read again before each run. A watched
    path that is deleted, made again or replaced is watched as it is then.
    """
    watch_changes = _watchfiles()
    stopped = stop or threading.Event()
    # A run waits until the watch is on (its first yield), so that what is written meanwhile
    # is seen by the run or by the watch: the first run, and one after a path was replaced.
    pending = True
    while not stopped.is_set():
        paths = watched_paths(config, settings)
        if not paths:  # nothing to watch yet: look again now and then
            if pending and (fresh := _settings_now(config, settings, report)) is not None:
                config = fresh
                _run_once(config, run, report)  # says that the specs folder is missing
            stopped.wait(CHECK_MS / 1000)
            pending = bool(watched_paths(config, settings))
            continue
        identity = _identity(paths)
        try:
            for changes in watch_changes(
                *paths,
                watch_filter=input_filter(config, settings),
                debounce=DEBOUNCE_MS,
                stop_event=stopped,
                raise_interrupt=True,
                yield_on_timeout=True,
                rust_timeout=CHECK_MS,
            ):
                if _identity(paths) != identity or watched_paths(config, settings) != paths:
                    pending = True
                    break  # a watched path was deleted, made or replaced: watch it as it is
                if not (changes or pending):
                    continue
                pending = False
                if (fresh := _settings_now(config, settings, report)) is None:
                    continue
                config = fresh
                if watched_paths(config, settings) != paths:
                    pending = True
                    break  # the settings name other inputs: watch them, then run
                _run_once(config, run, report)
            else:
                return  # stopped
        except KeyboardInterrupt:
            # watchfiles catches whatever a signal's handler raised and raises this
            # instead: say which signal it was (SIGTERM exits as SIGTERM).
            stopping.raise_if_requested()
            raise
