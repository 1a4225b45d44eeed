"""Share one stage's work with a forked copy of this process, on the second CPU.

A pool's workers get their work and send their results pickled, and start by importing
what they need. A fork already holds everything this process has built (the parsed
schema, the compiled templates), so only the results travel back: for a tree of a few
hundred to a few thousand docs that makes a second CPU worth using where a pool is not.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    # Forking while another thread runs (`watch`) can copy a lock that thread holds.
    return hasattr(os, "fork") and threading.active_count() == 1


def balanced_cut(sizes: Sequence[int]) -> int:
    """The index that splits `sizes` into two runs of about equal total."""
    half, total = sum(sizes) / 2, 0
    for index, size in enumerate(sizes):
        total += size
        if total >= half:
            return index + 1
    return len(sizes)


def map_in_two(
    function: Callable[[list[T]], list[R]], items: Sequence[T], sizes: Sequence[int]
) -> list[R]:
    """`function(items)`, its second half computed at the same time in a forked child.

    `function` returns one result per item and must not depend on which process runs it;
    its results must pickle. Where this platform cannot fork, or the child fails in any
    way, this process computes that half itself, so errors surface as they would serially.
    """
    cut = balanced_cut(sizes)
    if not can_fork() or cut in (0, len(items)):
        return function(list(items))
    tail = list(items[cut:])
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which never returns
        _serve(function, tail, reader, writer)
    os.close(writer)
    stream = os.fdopen(reader, "rb")
    try:
        head = function(list(items[:cut]))
        payload = stream.read()
    finally:
        stream.close()  # a child still writing (this half failed) gets EPIPE and leaves
        os.waitpid(child, 0)
    received = _received(payload, len(tail))
    return head + (received if received is not None else function(tail))


def _received(payload: bytes, expected: int) -> list[Any] | None:
    """The child's results, or None if it failed or died before it finished writing."""
    try:
        done, results = pickle.loads(payload)
    except Exception:
        return None
    if done and isinstance(results, list) and len(results) == expected:
        return results
    return None


def _serve(function: Callable[[list[T]], list[R]], tail: list[T], reader: int, writer: int) -> None:
    """The child's part: compute, send, and leave without running the parent's cleanup."""
    status = 1
    try:
        os.close(reader)
        try:
            payload = pickle.dumps((True, function(tail)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # the parent computes this half again and reports the error
            payload = pickle.dumps((False, None))
        with os.fdopen(writer, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        os._exit(status)
