"""Where a stage's batch work runs: the stages take a `Runner` and never start processes;
the pipeline hands them one backed by the worker pool (`generator.incremental.workers`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


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
