"""A stage's second half computed in a forked child: same results, whatever the child does."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import parse_cache
from generator.cli import main
from generator.forking import balanced_cut, can_fork, map_in_two
from generator.render import reuse as rendering
from tests.conftest import fields_doc, write_docs

PARENT = os.getpid()
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="this platform cannot fork")


def _tagged(items: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), item * 2) for item in items]


def _fails_in_child(items: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        raise RuntimeError("only in the child")
    return [item * 2 for item in items]


def _dies_in_child(items: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        os._exit(3)
    return [item * 2 for item in items]


def _rejects_seven(items: list[int]) -> list[int]:
    if 7 in items:
        raise ValueError("seven")
    return [item * 2 for item in items]


def test_the_split_balances_sizes() -> None:
    assert balanced_cut([1, 1, 1, 1]) == 2
    assert balanced_cut([10, 1, 1, 1]) == 1
    assert balanced_cut([1, 1, 1, 10]) == 4


@needs_fork
def test_the_second_half_is_computed_in_a_child() -> None:
    results = map_in_two(_tagged, list(range(10)), [1] * 10)
    assert [value for _, value in results] == [item * 2 for item in range(10)]
    assert {pid for pid, _ in results[:5]} == {PARENT}
    assert PARENT not in {pid for pid, _ in results[5:]}


@needs_fork
@pytest.mark.parametrize("function", [_fails_in_child, _dies_in_child])
def test_a_half_the_child_did_not_deliver_is_computed_here(
    function: Callable[[list[int]], list[int]],
) -> None:
    assert map_in_two(function, list(range(10)), [1] * 10) == [i * 2 for i in range(10)]


def test_an_error_of_the_work_itself_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"):
        map_in_two(_rejects_seven, list(range(10)), [1] * 10)


def test_no_fork_while_another_thread_runs() -> None:
    release = threading.Event()
    waiter = threading.Thread(target=release.wait)
    waiter.start()
    try:
        assert not can_fork()
        assert {pid for pid, _ in map_in_two(_tagged, list(range(10)), [1] * 10)} == {PARENT}
    finally:
        release.set()
        waiter.join()


@needs_fork
def test_forked_parsing_and_rendering_give_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = {
        f"models/shared/m{i}.md": fields_doc(
            f"M{i}",
            [
                ("id", "*str*", True, f"Id {i}."),
                ("next", f"[M{(i + 1) % 12}](m{(i + 1) % 12}.md)", False, ""),
            ],
        )
        for i in range(12)
    }
    specs = write_docs(tmp_path, docs)
    monkeypatch.setattr(parse_cache, "FORK_THRESHOLD", 0)
    monkeypatch.setattr(rendering, "FORK_THRESHOLD", 0)
    forks = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "p"]
        result = CliRunner().invoke(main, [*arguments, "--jobs", jobs, "--no-cache"])
        assert result.exit_code == 0, result.output
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
        assert len(forks) == (0 if jobs == "1" else 2)  # parsing, then rendering
    assert trees[0] == trees[1]
