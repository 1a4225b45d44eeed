"""Runs that overlap or die: OUTPUT is always one run's complete result, never a mix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.write.files import (
    JOURNAL,
    LOCK,
    STAGING,
    output_lock,
    recover,
    write_output,
)
from generator.write.journal import Journal
from generator.write.manifest import MANIFEST, manifest_text
from tests.conftest import ROOT, fields_doc, write_docs

BOOKKEEPING = (LOCK, JOURNAL, STAGING)


def specs_with(tmp_path: Path, name: str, extra: str, count: int = 60) -> Path:
    docs = {
        f"models/shared/m{i}.md": fields_doc(
            f"M{i}",
            [("id", "*str*", True, f"Id of {i}."), (extra, "*Optional[int]*", False, "")],
        )
        for i in range(count)
    }
    return write_docs(tmp_path / name, docs)


def state(out: Path) -> dict[str, bytes]:
    """Every file of OUTPUT by relative path (the run's own bookkeeping files excluded)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] not in BOOKKEEPING
    }


def start(specs: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    args = ["generate", "--specs", str(specs), "--output", str(out), "--package", "pets"]
    with open(log, "wb") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", *args], stderr=handle, stdout=handle, cwd=ROOT
        )


def finish(process: subprocess.Popen[bytes], log: Path) -> None:
    assert process.wait(timeout=300) == 0, log.read_text()


def test_two_generates_at_once_leave_one_complete_result(tmp_path: Path) -> None:
    specs_a = specs_with(tmp_path, "a", "age")
    specs_b = specs_with(tmp_path, "b", "weight")
    expected = []
    for specs in (specs_a, specs_b):
        reference = tmp_path / f"ref-{specs.parent.name}"
        process = start(specs, reference, tmp_path / "ref.log")
        finish(process, tmp_path / "ref.log")
        expected.append(state(reference))
    out = tmp_path / "out"
    for round_ in range(3):
        first = start(specs_a, out, tmp_path / "a.log")
        second = start(specs_b, out, tmp_path / "b.log")
        finish(first, tmp_path / "a.log")
        finish(second, tmp_path / "b.log")
        result = state(out)
        assert result in expected, f"round {round_}: OUTPUT is not one run's result"
        assert not any((out / name).exists() for name in BOOKKEEPING)


def test_a_second_run_waits_for_the_lock(tmp_path: Path) -> None:
    specs = specs_with(tmp_path, "a", "age", count=3)
    out = tmp_path / "out"
    log = tmp_path / "run.log"
    with output_lock(out):
        process = start(specs, out, log)
        deadline = time.monotonic() + 120
        while "waiting for another run" not in log.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()
            time.sleep(0.05)
        assert "waiting for another run" in log.read_text()
        assert process.poll() is None
        assert not (out / "pets").exists()
    finish(process, log)
    assert (out / "pets" / "shared" / "m0.py").is_file()
    assert not (out / LOCK).exists()


OLD = {
    "pets/__init__.py": "old init\n",
    "pets/a.py": "a version 1\n",
    "pets/same.py": "unchanged\n",
    "pets/endpoints.py": "removed\n",
    "pets/sub/gone.py": "removed with its folder\n",
}
NEW = {
    "pets/__init__.py": "new init\n",
    "pets/a.py": "a version 2\n",
    "pets/same.py": "unchanged\n",
    "pets/new/b.py": "b\n",
}
# Runs write_output(NEW) and dies (no cleanup, like SIGKILL) at the STOP-th file operation.
KILLER = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    import generator.write.files as write

    out, files, stop = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
    count = 0

    def step():
        global count
        count += 1
        if count == stop:
            os._exit(9)

    def counted(function):
        def wrapper(*args, **kwargs):
            step()
            return function(*args, **kwargs)
        return wrapper

    os.replace = counted(os.replace)
    os.unlink = counted(os.unlink)
    write.open = counted(open)
    write.write_output(out, files)
    """)


def expect(files: dict[str, str]) -> dict[str, bytes]:
    manifest = manifest_text(files)
    result = {relative: text.encode() for relative, text in files.items()}
    result[MANIFEST] = manifest.encode()
    result["pets/mine.py"] = b"user file\n"
    return dict(sorted(result.items()))


def test_a_run_killed_at_any_point_leaves_the_old_or_the_new_output(tmp_path: Path) -> None:
    stop, finished = 1, False
    while not finished:
        assert stop < 100, "the write never finished"
        out = tmp_path / f"out{stop}"
        write_output(out, OLD)
        (out / "pets" / "mine.py").write_text("user file\n")
        os.utime(out / "pets" / "same.py", ns=(10**9, 10**9))
        run = subprocess.run(
            [sys.executable, "-c", KILLER, str(out), json.dumps(NEW), str(stop)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode in (0, 9), run.stderr
        finished = run.returncode == 0
        committed = (out / JOURNAL).exists()
        left = state(out)
        if not committed:
            # Killed before the commit (every file as it was) or after the run was complete.
            assert left in (expect(OLD), expect(NEW)), f"stop {stop}"
        recover(out)  # what the next run does first
        assert state(out) == (expect(NEW) if committed else left), f"stop {stop}"
        assert not any((out / name).exists() for name in (JOURNAL, STAGING))
        assert (out / "pets" / "same.py").stat().st_mtime_ns == 10**9
        write_output(out, NEW)
        assert state(out) == expect(NEW)
        stop += 1
    assert stop > 10  # the kill points covered staging, commit, moves and removals


def test_a_new_folder_is_moved_whole_and_merged_if_it_appeared_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_output(out, {"pets/a.py": "a\n"})
    new = {"pets/a.py": "a\n", "pets/new/deep/b.py": "b\n", "pets/new/c.py": "c\n"}
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "recover", lambda self: 0)  # dies right after its commit
        write_output(out, new)
    moves = json.loads((out / JOURNAL).read_text())["moves"]
    assert [target for _, target in moves] == ["pets/new", MANIFEST]
    (out / "pets" / "new").mkdir()
    (out / "pets" / "new" / "mine.py").write_text("user file\n")
    recover(out)  # what the next run does first
    assert (out / "pets" / "new" / "deep" / "b.py").read_text() == "b\n"
    assert (out / "pets" / "new" / "c.py").read_text() == "c\n"
    assert (out / "pets" / "new" / "mine.py").read_text() == "user file\n"
    assert not any((out / name).exists() for name in (JOURNAL, STAGING))
