"""A package's classes load once, whatever threads use them first: classes that refer to each
other in a cycle (imported last, or linked past 24 modules) never load half-way in two threads,
on both targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

THREADS = 8


def cycle_docs(length: int) -> dict[str, str]:
    return {
        f"models/shared/node{i}.md": fields_doc(
            f"Node{i}",
            [
                ("v", "*Optional[int]*", False, ""),
                (
                    "next",
                    f"[Optional[shared.Node{(i + 1) % length}]](node{(i + 1) % length}.md)",
                    False,
                    "",
                ),
            ],
        )
        for i in range(length)
    }


# First use from many threads at once, in fresh processes (a process loads each class once).
FIRST_USE = """
import os, subprocess, sys
CHILD = '''
import threading
import lib.shared as shared
problems = []
start = threading.Barrier({threads})
def work(index):
    try:
        start.wait()
        node = getattr(shared, f"Node{{index % {length}}}").from_dict({{"v": 1, "next": {{"v": 2}}}})
        assert node.next.v == 2
    except BaseException as problem:
        problems.append(repr(problem)[:200])
threads = [threading.Thread(target=work, args=(i,)) for i in range({threads})]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert not problems, problems
for index in range({length}):  # and every class works afterwards
    getattr(shared, f"Node{{index}}").from_dict({{"v": 1}})
'''
failed = []
for _ in range({processes}):
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                            timeout=120, env={{**os.environ, "PYTHONPATH": sys.path[0]}})
    if result.returncode != 0:
        failed.append(result.stderr[-600:])
assert not failed, (len(failed), failed[0])
"""


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
@pytest.mark.parametrize("length, processes", [(3, 12), (30, 3)], ids=["imported", "linked"])
def test_classes_of_a_cycle_used_first_by_many_threads_load_once(
    tmp_path: Path, target: str, length: int, processes: int
) -> None:
    specs = write_docs(tmp_path, cycle_docs(length))
    output = generate_with_cli(specs, tmp_path / "out", "lib", "--target", target)
    code = FIRST_USE.format(threads=THREADS, length=length, processes=processes)
    run_python(code, output)
