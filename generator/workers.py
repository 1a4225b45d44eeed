"""Spread a batch function over a process pool when there is enough work to pay for it."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from concurrent.futures import Executor
    from multiprocessing.context import BaseContext

T = TypeVar("T")
R = TypeVar("R")

# prctl(2): the signal a process gets when its parent ends.
_PR_SET_PDEATHSIG = 1
# A batch holds at least this much work (bytes of input), so per-task overhead stays small,
# and at most MAX_BATCH, so the last batches finish close together.
MIN_BATCH = 16_000
MAX_BATCH = 512_000
BATCHES_PER_JOB = 8


class Runner(Protocol):
    """Where a stage's batch function runs: given the items and their sizes, it returns
    `function(items)`, computed here or in worker processes. The pipeline decides."""

    def __call__(
        self, function: Callable[[list[T]], list[R]], items: Sequence[T], sizes: Sequence[int]
    ) -> list[R]: ...


def in_process(
    function: Callable[[list[T]], list[R]], items: Sequence[T], sizes: Sequence[int]
) -> list[R]:
    """The runner without processes."""
    return function(list(items))


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
    import threading

    # Forked workers inherit the modules the parent has imported (black, markdown-it), so
    # they start working at once. Forking while other threads run (`watch`) can copy a lock
    # one of them holds, and the child waits on it forever: then a fresh server forks them.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


def _ready() -> None:
    """A task that makes the pool start a worker now."""


def _worker_start(warm_up: Callable[[], None] | None, parent: int) -> None:
    """How every worker starts: it leaves Ctrl-C to the parent, which stops the run, and it
    ends when its parent ends, even if the parent was killed. `parent`: the process that
    made the pool, where it forked the worker itself (else 0: a fork server did, which ends
    with that process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent and os.getppid() != parent:  # the parent ended before this worker got here
        os._exit(0)
    if warm_up is not None:
        warm_up()


@contextmanager
def _pool(workers: int, warm_up: Callable[[], None] | None = None) -> Iterator[Executor]:
    """A process pool whose queued work is dropped, not waited for, when the run stops."""
    from concurrent.futures import ProcessPoolExecutor

    context = _context()
    parent = os.getpid() if context.get_start_method() == "fork" else 0
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=partial(_worker_start, warm_up, parent)
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


@contextmanager
def warm_pool(workers: int, warm_up: Callable[[], None]) -> Iterator[Executor | None]:
    """`workers` processes started now, each running `warm_up` (say, importing black)
    while the caller goes on with other work; None when `workers` is 0."""
    if workers < 1:
        yield None
        return
    with _pool(workers, warm_up) as pool:
        for _ in range(workers):
            pool.submit(_ready)
        yield pool


def map_batches(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    sizes: Sequence[int],
    jobs: int,
    threshold: int,
    pool: Executor | None = None,
) -> list[R]:
    """`function(items)`, run in `jobs` worker processes once `sum(sizes) >= threshold`,
    or in `pool` (already started: any amount of work goes there).

    `function` must be a module-level function (it is sent to the workers by name) that
    returns one result per item; results come back in the order of `items`.
    """
    if not items:
        return []
    if pool is not None:
        return _map(pool, function, items, plan_batches(sizes, jobs))
    if jobs <= 1 or len(items) < 2 or sum(sizes) < threshold:
        return function(list(items))
    batches = plan_batches(sizes, jobs)
    with _pool(min(jobs, len(batches))) as started:
        return _map(started, function, items, batches)


def _map(
    pool: Executor,
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    batches: list[list[int]],
) -> list[R]:
    results: list[R | None] = [None] * len(items)
    futures = [pool.submit(function, [items[index] for index in batch]) for batch in batches]
    for batch, future in zip(batches, futures, strict=True):
        for index, result in zip(batch, future.result(), strict=True):
            results[index] = result
    return cast("list[R]", results)  # every index belongs to exactly one batch
