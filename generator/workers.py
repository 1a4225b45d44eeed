"""Spread a batch function over a process pool when there is enough work to pay for it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

T = TypeVar("T")
R = TypeVar("R")

# A batch holds at least this much work (bytes of input), so per-task overhead stays small,
# and at most MAX_BATCH, so the last batches finish close together.
MIN_BATCH = 16_000
MAX_BATCH = 512_000
BATCHES_PER_JOB = 8


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def plan_batches(sizes: Sequence[int], jobs: int) -> list[list[int]]:
    """Item indices grouped into batches, largest items first (longest-processing-time order)."""
    order = sorted(range(len(sizes)), key=lambda index: (-sizes[index], index))
    target = min(max(sum(sizes) // max(1, jobs * BATCHES_PER_JOB), MIN_BATCH), MAX_BATCH)
    batches: list[list[int]] = []
    current: list[int] = []
    filled = 0
    for index in order:
        current.append(index)
        filled += sizes[index]
        if filled >= target:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def _context() -> BaseContext:
    import multiprocessing

    # Forked workers inherit the modules the parent has imported (black, markdown-it), so
    # they start working at once; elsewhere the platform default is used.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def map_batches(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    sizes: Sequence[int],
    jobs: int,
    threshold: int,
) -> list[R]:
    """`function(items)`, run in `jobs` worker processes once `sum(sizes) >= threshold`.

    `function` must be a module-level function (it is sent to the workers by name) that
    returns one result per item; results come back in the order of `items`.
    """
    if jobs <= 1 or len(items) < 2 or sum(sizes) < threshold:
        return function(list(items))
    from concurrent.futures import ProcessPoolExecutor  # only a run with much work pays for it

    batches = plan_batches(sizes, jobs)
    results: list[R | None] = [None] * len(items)
    workers = min(jobs, len(batches))
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = [pool.submit(function, [items[index] for index in batch]) for batch in batches]
        for batch, future in zip(batches, futures, strict=True):
            for index, result in zip(batch, future.result(), strict=True):
                results[index] = result
    return cast("list[R]", results)  # every index belongs to exactly one batch
