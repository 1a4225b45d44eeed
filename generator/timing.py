"""Per-stage wall times of a run, and notes on how it ran, printed by `-v`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STAGES = ("parse", "resolve", "render", "format", "write")
_records: list[tuple[str, float]] = []
_listeners: list[Callable[[str], None]] = []
_notes: list[str] = []


@contextmanager
def listening(listener: Callable[[str], None]) -> Iterator[None]:
    """Call `listener(stage name)` as each stage starts (the CLI's progress bar)."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


@contextmanager
def stage(name: str) -> Iterator[None]:
    for listener in list(_listeners):
        listener(name)
    start = time.perf_counter()
    try:
        yield
    finally:
        _records.append((name, time.perf_counter() - start))


def note(text: str) -> None:
    """Say, under `-v`, something about how the run went that is not an error."""
    _notes.append(text)


def take() -> list[tuple[str, float]]:
    """The stages timed since the last call, in order; clears them."""
    records = list(_records)
    _records.clear()
    return records


def take_notes() -> list[str]:
    """The notes since the last call; clears them."""
    notes = list(_notes)
    _notes.clear()
    return notes
