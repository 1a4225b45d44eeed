"""A run stopped from outside: Ctrl-C and SIGTERM end it with 130 and 143 and no traceback,
and no worker process outlives its parent, even one killed with SIGKILL."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest

from tests.conftest import ROOT, alive, descendants, fields_doc, write_docs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]


def _tree(tmp_path: Path, count: int = 1500) -> Path:
    """Docs enough for a cold run to format in a pool of workers, for about a second with 1500."""
    docs = {
        f"models/shared/m{index}.md": fields_doc(
            f"M{index}", [(f"field_{n}", "*str*", True, f"Field {n} of {index}.") for n in range(8)]
        )
        for index in range(count)
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


# A warm run that reformats every module: the worker that imported black while the docs
# were parsed, then the pool it grows into. Killed there, a run used to leave a fork server,
# its workers and a resource tracker running, holding the stderr of whoever started it.


def _rewritten_tree(tmp_path: Path, version: int) -> Path:
    docs = {
        f"models/shared/m{index}.md": fields_doc(
            f"M{index}",
            [(f"field_{n}", "*str*", True, f"Field {n} of {index}, v{version}.") for n in range(8)],
        )
        for index in range(1500)
    }
    return write_docs(tmp_path, docs)


def _warm_arguments(tmp_path: Path, *flags: str) -> list[str]:
    specs, out, cache = tmp_path / "specs", tmp_path / "out", tmp_path / "cache"
    return [
        *(sys.executable, "-m", "generator", "generate", "--specs", str(specs)),
        *("--output", str(out), "--package", "big", "--cache-dir", str(cache), *flags),
    ]


def _session(session: int) -> set[int]:
    """The live processes of a session, from /proc: whatever a run started, re-parented
    or not (none of them starts a session of its own)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _start_formatting(tmp_path: Path, *flags: str) -> subprocess.Popen[str]:
    """A warm run, in a session of its own, once it formats in a pool of two workers."""
    _rewritten_tree(tmp_path, 0)
    first = _warm_arguments(tmp_path, "--jobs", "2")
    subprocess.run(first, check=True, capture_output=True, cwd=ROOT)
    _rewritten_tree(tmp_path, 1)
    run = subprocess.Popen(
        _warm_arguments(tmp_path, "--jobs", "2", *flags),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(descendants(run.pid)) < 2:  # the pool grew: formatting has begun
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the run never formatted in a pool"
        time.sleep(0.01)
    time.sleep(0.5)  # well into formatting (seconds of work), every worker at it
    assert run.poll() is None, "the run ended before it could be stopped while formatting"
    return run


def _kill_session(run: subprocess.Popen[str]) -> None:
    with suppress(ProcessLookupError):
        os.killpg(run.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        run.communicate(timeout=10)


@pytest.mark.parametrize("number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_run_stopped_while_it_formats_leaves_no_process_behind(
    tmp_path: Path, number: int
) -> None:
    run = _start_formatting(tmp_path)
    try:
        os.kill(run.pid, number)
        try:
            _, errors = run.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("stderr stays open: processes of the run hold it") from None
        assert run.returncode in (-number, 128 + number), errors
        assert "Traceback" not in errors, errors
        deadline = time.monotonic() + 5
        while _session(run.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _session(run.pid), "processes of the stopped run are still running"
    finally:
        _kill_session(run)


def test_a_worker_killed_while_it_formats_is_a_clean_error(tmp_path: Path) -> None:
    run = _start_formatting(tmp_path)
    try:
        before = {path: path.read_bytes() for path in (tmp_path / "out").rglob("*.py")}
        leaves = [pid for pid in descendants(run.pid) if not descendants(pid)]
        worker = max(
            pid
            for pid in leaves
            if "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text()
        )
        os.kill(worker, signal.SIGKILL)
        _, errors = run.communicate(timeout=60)
        assert run.returncode == 2, errors
        assert "Traceback" not in errors, errors
        assert "docs2models: error: a formatting process died (killed by signal 9" in errors
        assert {path: path.read_bytes() for path in (tmp_path / "out").rglob("*.py")} == before
    finally:
        _kill_session(run)


def test_jobs_beyond_the_cpus_start_one_worker_per_cpu(tmp_path: Path) -> None:
    cpus = len(os.sched_getaffinity(0))
    specs = _tree(tmp_path)
    arguments = ["--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "big"]
    arguments += ["--no-cache", "-v", "--jobs", "300"]
    run = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        most = 0
        while run.poll() is None:
            most = max(most, len(descendants(run.pid)))
            assert most <= cpus, f"{most} processes on {cpus} CPUs"
            time.sleep(0.01)
        _, errors = run.communicate(timeout=60)
        assert run.returncode == 0, errors
        if cpus > 1:
            assert most == cpus  # the work was large enough for every CPU
        assert f"docs2models: --jobs 300: {cpus} processes, one per CPU" in errors
    finally:
        _kill_session(run)


# A stop signal handled while a finalizer runs: Python ignores the exception the handler
# raises there and goes on, so the run itself never sees it.
STOP_IN_A_FINALIZER = """
import gc, os, signal
import generator.pipeline as pipeline

class Finalized:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGNUMBER)

analyse = pipeline.analyse
def analyse_then_finalize(*args, **kwargs):
    Finalized()
    return analyse(*args, **kwargs)
pipeline.analyse = analyse_then_finalize
"""


@pytest.mark.parametrize(("number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stop_whose_exception_python_ignores_still_ends_with_the_signals_code(
    tmp_path: Path, number: int, code: int
) -> None:
    specs = write_docs(
        tmp_path, {"models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "")])}
    )
    hook = STOP_IN_A_FINALIZER.replace("SIGNUMBER", signal.Signals(number).name)
    arguments = ["--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "zoo"]
    launch = f"{hook}\nimport sys\nfrom generator.cli import run\nsys.argv = ['docs2models', *sys.argv[1:]]\nrun()\n"
    result = subprocess.run(
        [sys.executable, "-c", launch, "generate", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert re.search(
        r"1 classes; [0-9]+ file\(s\) written", result.stderr
    ), result.stderr  # went on
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert f"stopped by {signal.Signals(number).name}" in result.stderr


# The system refuses new processes (fork gives EAGAIN at a process limit) after `STARTS`.
FORK_REFUSED = """
import errno
import multiprocessing.process as process

started = 0
start = process.BaseProcess.start
def start_until_the_limit(self):
    global started
    if started >= STARTS:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
    started += 1
    start(self)
process.BaseProcess.start = start_until_the_limit
"""


@pytest.mark.parametrize("starts", [0, 1])
def test_a_system_that_refuses_processes_gets_the_same_package_from_fewer(
    tmp_path: Path, starts: int
) -> None:
    specs = _tree(tmp_path, 200)
    arguments = ["--specs", str(specs), "--package", "big", "--no-cache", "--formatter", "black"]
    hook = FORK_REFUSED.replace("STARTS", str(starts))
    launch = f"{hook}\nimport sys\nfrom generator.cli import run\nsys.argv = ['docs2models', *sys.argv[1:]]\nrun()\n"
    refused = subprocess.run(
        [
            sys.executable,
            "-c",
            launch,
            "generate",
            *arguments,
            "--output",
            str(tmp_path / "a"),
            "--jobs",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert refused.returncode == 0, refused.stderr
    assert "Traceback" not in refused.stderr
    alone = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            *arguments,
            "--output",
            str(tmp_path / "b"),
            "--jobs",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert alone.returncode == 0, alone.stderr
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def _files(root: Path) -> dict[Path, bytes]:
    return {path.relative_to(root): path.read_bytes() for path in root.rglob("*.py")}
