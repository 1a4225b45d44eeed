"""A run stopped from outside: Ctrl-C and SIGTERM end it with 130 and 143 and no traceback,
and no worker process outlives its parent, even one killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, alive, descendants, fields_doc, write_docs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def _tree(tmp_path: Path) -> Path:
    docs = {
        f"models/shared/m{index}.md": fields_doc(
            f"M{index}", [(f"field_{n}", "*str*", True, f"Field {n} of {index}.") for n in range(8)]
        )
        for index in range(1500)
    }
    return write_docs(tmp_path, docs)


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], set[int]]:
    """A cold run with a pool of two workers, once its workers are running."""
    specs = _tree(tmp_path)
    arguments = ["--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "big"]
    run = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", *arguments, "--no-cache", "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = descendants(run.pid)
        if len(workers) >= 2:
            return run, workers
        assert run.poll() is None, run.communicate()
        time.sleep(0.02)
    raise AssertionError("the pool never started")


def _gone(pids: set[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_run_exits_with_the_signals_code_and_takes_its_workers(
    tmp_path: Path, number: int, code: int
) -> None:
    run, workers = _start(tmp_path)
    run.send_signal(number)
    _, errors = run.communicate(timeout=60)
    assert run.returncode == code, errors
    assert "Traceback" not in errors, errors
    assert f"stopped by {signal.Signals(number).name}" in errors
    assert _gone(workers), "a worker outlived its parent"


def test_no_worker_outlives_a_parent_killed_with_sigkill(tmp_path: Path) -> None:
    run, workers = _start(tmp_path)
    os.kill(run.pid, signal.SIGKILL)
    run.communicate(timeout=60)
    assert _gone(workers), "a worker outlived its parent"
