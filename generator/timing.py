"""Per-stage wall times of a run, printed by `-v`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_records: list[tuple[str, float]] = []


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        _records.append((name, time.perf_counter() - start))


def take() -> list[tuple[str, float]]:
    """The stages timed since the last call, in order; clears them."""
    records = list(_records)
    _records.clear()
    return records
