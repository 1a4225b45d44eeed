"""`docs2models watch`: regenerate whenever the docs, templates or overrides change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from generator.config import Config
from generator.diagnostics import InvalidDocsError

DEBOUNCE_MS = 300


class WatchUnavailableError(RuntimeError):
    """The optional `watchfiles` package is not installed."""


def watched_paths(config: Config) -> list[Path]:
    paths = [config.specs]
    if config.templates is not None:
        paths.append(config.templates)
    if config.overrides is not None:
        paths.append(config.overrides)
    return [path for path in paths if path.exists()]


def watch(
    config: Config,
    regenerate: Callable[[Config], str],
    report: Callable[[str], None],
    stop: threading.Event | None = None,
) -> None:
    """Regenerate once, then after every debounced batch of changes until `stop` is set.

    Errors in the docs are reported and the watcher keeps running.
    """
    try:
        from watchfiles import watch as watch_changes
    except ImportError:
        raise WatchUnavailableError(
            "watch needs the watchfiles package: pip install 'docs2models[watch]'"
        ) from None

    def run_once() -> None:
        try:
            report(regenerate(config))
        except InvalidDocsError as exc:
            for diagnostic in exc.diagnostics:
                report(str(diagnostic))
            report(f"docs2models: {exc}; waiting for changes")

    run_once()
    for _ in watch_changes(
        *watched_paths(config), debounce=DEBOUNCE_MS, stop_event=stop, raise_interrupt=False
    ):
        run_once()
