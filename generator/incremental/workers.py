"""Spread a batch function over worker processes when there is enough work to pay for it.

The workers are this process's own children, forked from its main thread, so that they die
with it (see `stopping`): no fork server or resource tracker stands between them and no
thread of a pool runs beside the forks.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from generator.incremental import stopping

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")

# A batch holds at least this much work (bytes of input), so per-task overhead stays small,
# and at most MAX_BATCH, so the last batches finish close together.
MIN_BATCH = 16_000
MAX_BATCH = 512_000
BATCHES_PER_JOB = 8
# What a worker says once it has warmed up and waits for work.
_READY = "ready"


class WorkerDied(Exception):
    """A worker process ended while the run needed it (the system's out-of-memory killer,
    say): nothing it was given came back."""

    def __init__(self, doing: str, exitcode: int | None) -> None:
        if exitcode is not None and exitcode < 0:
            name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else ""
            how = f"killed by signal {-exitcode}{f', {name}' if name else ''}"
            if -exitcode == signal.SIGKILL:
                how += ", perhaps by the system for want of memory"
        else:
            how = f"it exited with status {exitcode}"
        super().__init__(
            f"a {doing} process died ({how}); nothing was written: run again "
            "(with fewer --jobs if memory is short)"
        )
        self.exitcode = exitcode


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int) -> int:
    """The processes a run uses for `--jobs requested` (0: one per usable CPU): never more
    than the CPUs, which would only add processes that wait for one."""
    cpus = usable_cpus()
    return min(requested, cpus) if requested else cpus


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


def _context() -> BaseContext | None:
    """How workers start; None: not at all, the work stays in this process."""
    import multiprocessing
    import threading

    if "fork" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()  # Windows: spawn, whose children start afresh
    # Forked workers inherit the modules this process has imported (black, markdown-it), so
    # they start working at once. Forking while another thread runs (a caller's) could copy
    # a lock that thread holds, for the child to wait on forever.
    if threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")


def _serve(
    connection: Connection,
    inherited: list[int],
    warm_up: Callable[[], None] | None,
    parent: int,
    mask: stopping.SignalMask | None,
) -> None:
    """A worker: warm up, then run each (function, items) it is sent and send back the
    results (or the exception), until its parent ends it or is gone."""
    stopping.become_worker(parent, mask)
    for descriptor in inherited:  # the parent's ends: without them, its end gives EOF
        with suppress(OSError):
            os.close(descriptor)
    if warm_up is not None:
        with suppress(Exception):  # the work that needs it fails the same way, and says so
            warm_up()
    with suppress(OSError, EOFError):  # the parent is gone: so is the work
        connection.send(_READY)
        while True:
            function, items = connection.recv()
            try:
                reply: tuple[bool, Any] = (True, function(items))
            except Exception as failure:
                reply = (False, _portable(failure))
            connection.send(reply)
    # Not multiprocessing's exit, which flushes the output buffers copied from the parent
    # at the fork: what the parent had yet to print would be printed twice.
    os._exit(0)


def _portable(failure: Exception) -> Exception:
    """`failure`, or where it cannot be pickled, its traceback in a RuntimeError."""
    import pickle
    import traceback

    try:
        pickle.dumps(failure)
    except Exception:
        return RuntimeError("".join(traceback.format_exception(failure)))
    return failure


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    ready: bool = False
    batch: list[int] | None = None  # what it is working on


@dataclass(eq=False)
class Pool:
    """Worker processes forked from this process, which run batches of a stage's work."""

    context: BaseContext
    warm_up: Callable[[], None] | None = None
    workers: list[_Worker] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.workers)

    def grow(self, size: int) -> None:
        """Start workers until there are `size`, or as many as the system allows (at a
        process limit fork fails: the work is the same with fewer). SIGINT and SIGTERM wait
        meanwhile, so that every worker started is known, and knows to end with this process."""
        forked = self.context.get_start_method() == "fork"
        with stopping.held() as mask:
            while len(self.workers) < size:
                ours, theirs = self.context.Pipe()
                # A forked child holds copies of every pipe end this process has open.
                inherited = [w.connection.fileno() for w in self.workers] + [ours.fileno()]
                process = cast("Any", self.context).Process(
                    target=_serve,
                    args=(theirs, inherited if forked else [], self.warm_up, os.getpid(), mask),
                    daemon=True,
                )
                try:
                    process.start()
                except OSError:
                    ours.close()
                    theirs.close()
                    return
                theirs.close()
                self.workers.append(_Worker(process, ours))

    def map(
        self,
        function: Callable[[list[T]], list[R]],
        items: Sequence[T],
        batches: list[list[int]],
        doing: str,
    ) -> list[R]:
        """`function` over each batch of `items` (indices), in the workers, as each is
        ready; results in the order of `items`. Raises WorkerDied, or what `function` raised."""
        from multiprocessing.connection import wait

        results: list[R | None] = [None] * len(items)
        todo = list(reversed(batches))  # popped from the end: largest first
        while todo or any(worker.batch is not None for worker in self.workers):
            for worker in self.workers:
                if worker.ready and worker.batch is None and todo:
                    worker.batch = todo.pop()
                    try:
                        worker.connection.send((function, [items[i] for i in worker.batch]))
                    except OSError:
                        raise self._died(worker, doing) from None
            waiting = [w for w in self.workers if not w.ready or w.batch is not None]
            by_object: dict[Any, _Worker] = {}
            for worker in waiting:
                by_object[worker.connection] = by_object[worker.process.sentinel] = worker
            for ready in wait(list(by_object)):
                worker = by_object[ready]
                # A sentinel is ready when its worker has ended: what it sent before comes
                # first, then its connection gives EOF.
                if ready is not worker.connection and not worker.connection.poll():
                    raise self._died(worker, doing)
                self._receive(worker, results, doing)
        return cast("list[R]", results)  # every index belongs to exactly one batch

    def _receive(self, worker: _Worker, results: list[Any], doing: str) -> None:
        try:
            message = worker.connection.recv()
        except (EOFError, OSError):
            raise self._died(worker, doing) from None
        if message == _READY:
            worker.ready = True
            return
        succeeded, value = message
        if not succeeded:
            raise value
        for index, result in zip(cast("list[int]", worker.batch), value, strict=True):
            results[index] = result
        worker.batch = None

    @staticmethod
    def _died(worker: _Worker, doing: str) -> WorkerDied:
        worker.process.join(timeout=5)
        return WorkerDied(doing, worker.process.exitcode)

    def close(self) -> None:
        """End every worker at once: whatever they were doing is no longer wanted."""
        for worker in self.workers:
            with suppress(OSError):
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()
        self.workers.clear()


@contextmanager
def _started(workers: int, warm_up: Callable[[], None] | None) -> Iterator[Pool | None]:
    """A pool of `workers` processes, ended with the block; None where none can start."""
    context = _context()
    if context is None or workers < 1:
        yield None
        return
    pool = Pool(context, warm_up)
    try:
        pool.grow(workers)
        yield pool if pool.size else None
    finally:
        pool.close()


@contextmanager
def warm_pool(workers: int, warm_up: Callable[[], None]) -> Iterator[Pool | None]:
    """`workers` processes started now, each running `warm_up` (say, importing black)
    while the caller goes on with other work; None when `workers` is 0 (or workers
    cannot start)."""
    with _started(workers, warm_up) as pool:
        yield pool


def map_batches(
    function: Callable[[list[T]], list[R]],
    items: Sequence[T],
    sizes: Sequence[int],
    jobs: int,
    threshold: int,
    pool: Pool | None = None,
    doing: str = "worker",
) -> list[R]:
    """`function(items)`, run in `jobs` worker processes once `sum(sizes) >= threshold`,
    or in `pool` (already started: any amount of work goes there, and it grows to `jobs`
    workers for work over the threshold). `doing` names the work where a worker dies.

    `function` must be a module-level function (it is sent to the workers by name) that
    returns one result per item; results come back in the order of `items`.
    """
    if not items:
        return []
    large = jobs > 1 and len(items) > 1 and sum(sizes) >= threshold
    if pool is not None:
        batches = plan_batches(sizes, jobs)
        if large:
            pool.grow(min(jobs, len(batches)))
        # A pool that could start no worker: the system refuses processes, so run here.
        return pool.map(function, items, batches, doing) if pool.size else function(list(items))
    if not large:
        return function(list(items))
    batches = plan_batches(sizes, jobs)
    with _started(min(jobs, len(batches)), None) as started:
        if started is None:
            return function(list(items))
        return started.map(function, items, batches, doing)
