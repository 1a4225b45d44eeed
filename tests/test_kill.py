"""Runs killed with SIGKILL at random moments, many times: no process of a killed run
survives, and the next run always leaves the complete output of the docs, saying when it
finished what a killed run had begun."""

from __future__ import annotations

import os
import random
import shutil
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

# The loop stops at whichever comes first.
KILLS = 30
SECONDS = 80


def docs(version: int, count: int = 400) -> dict[str, str]:
    """A tree whose every doc changes from one version to the next: each run rewrites all."""
    return {
        f"models/shared/m{index}.md": fields_doc(
            f"M{index}",
            [(f"field_{n}", "*str*", True, f"Field {n} of {index}, v{version}.") for n in range(6)],
        )
        for index in range(count)
    }


def command(specs: Path, out: Path, formatter: str) -> list[str]:
    arguments = ["--specs", str(specs), "--output", str(out), "--package", "big"]
    return [sys.executable, "-m", "generator", "generate", *arguments, "--formatter", formatter]


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def timed(arguments: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(arguments, check=True, cwd=ROOT, timeout=300, capture_output=True)
    return time.monotonic() - started


def test_runs_killed_at_random_moments_are_finished_by_the_next(tmp_path: Path) -> None:
    seed = int(os.environ.get("KILL_SEED", "0")) or random.randrange(1, 1 << 30)
    chance = random.Random(seed)
    trees = {version: write_docs(tmp_path / f"v{version}", docs(version)) for version in (0, 1)}
    expected = {}
    for version, specs in trees.items():
        timed(command(specs, tmp_path / f"reference{version}", "none"))
        expected[version] = snapshot(tmp_path / f"reference{version}")
    out = tmp_path / "out"
    shutil.copytree(tmp_path / "reference0", out)
    # How long the runs killed take: a warm run with no formatter (most of it writing), and a
    # cold one with black's pool of workers.
    scratch = tmp_path / "scratch"
    timed(command(trees[0], scratch, "none"))
    kinds = {
        "warm": ([], timed(command(trees[1], scratch, "none"))),
        "cold": (["--formatter", "black", "--no-cache", "--jobs", "2"], 0.0),
    }
    kinds["cold"] = (
        kinds["cold"][0],
        timed([*command(trees[0], scratch, "none"), *kinds["cold"][0]]),
    )
    deadline = time.monotonic() + SECONDS
    kills = recovered = 0
    current = 0
    while kills < KILLS and time.monotonic() < deadline:
        target = 1 - current
        flags, duration = kinds["cold" if kills % 4 == 3 else "warm"]
        run = subprocess.Popen(
            [*command(trees[target], out, "none"), *flags],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if kills % 4 == 1:
            # Right after the run stages its files, or commits them: the narrow windows.
            mark = out / chance.choice([".docs2models-staging", ".docs2models-journal.json"])
            until = time.monotonic() + 2 * duration
            while not mark.exists() and run.poll() is None and time.monotonic() < until:
                time.sleep(0.0005)
            time.sleep(chance.uniform(0, 0.01))
        else:
            time.sleep(chance.uniform(0.05, 1.0) * duration)
        family = descendants(run.pid)
        os.kill(run.pid, signal.SIGKILL)
        run.communicate(timeout=60)
        kills += run.returncode == -signal.SIGKILL
        gone_by = time.monotonic() + 10
        while any(alive(pid) for pid in family) and time.monotonic() < gone_by:
            time.sleep(0.05)
        survivors = [pid for pid in family if alive(pid)]
        assert not survivors, f"processes of a killed run survive: {survivors} (seed {seed})"
        interrupted = (out / ".docs2models-journal.json").exists()
        finish = subprocess.run(
            command(trees[target], out, "none"), capture_output=True, text=True, cwd=ROOT
        )
        assert finish.returncode == 0, f"seed {seed}: {finish.stderr}"
        assert "Traceback" not in finish.stderr
        if interrupted:
            recovered += 1
            assert "recovered an interrupted run" in finish.stderr, (seed, finish.stderr)
        assert snapshot(out) == expected[target], f"seed {seed}: the output is not complete"
        current = target
    assert kills >= 10, f"only {kills} runs were killed in {SECONDS} s (seed {seed})"
    print(f"{kills} runs killed, {recovered} after their commit (seed {seed})")
