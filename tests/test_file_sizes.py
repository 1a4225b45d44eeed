"""No file is read whole whatever its size. An input (a doc, the settings, the overrides) or
a bookkeeping file of OUTPUT (the manifest, the journal) larger than any file docs2models
reads is `path: error: ...` (exit 2, OUTPUT as it was); a file at a generated path that
large is not what a run wrote, and `--check` says that it differs without reading it.

The CLI runs with its address space capped below the size of the files planted here (as
`ulimit -v` caps it), so that reading one whole ends in MemoryError rather than filling the
machine's memory; the files are sparse and take no room on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, fields_doc, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/extra/toy.md": fields_doc("Toy", [("kind", "*str*", True, "")]),
}
MANIFEST = ".docs2models-manifest.json"
JOURNAL = ".docs2models-journal.json"
PET = "zoo/shared/pet.py"
HUGE = 4 * 1024**3
# In KiB, as `ulimit -v` takes it: room for a run, not for a file of HUGE bytes.
MEMORY_CAP_KIB = 3_000_000
TOO_LARGE = f"is {HUGE} bytes, over the limit of 16 MB"
# Every way a run reads what it is given: with the no-op shortcut and without, writing and not.
RUNS = [(), ("--check",), ("--no-cache",), ("--check", "--no-cache")]


def run(*arguments: str) -> tuple[int, str, str]:
    """The CLI, in a process whose memory is capped: exit code, stdout, stderr."""
    capped = ["sh", "-c", f'ulimit -v {MEMORY_CAP_KIB} && exec "$0" "$@"']
    result = subprocess.run(
        [*capped, sys.executable, "-m", "generator", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def generate(specs: Path, out: Path, *flags: str) -> tuple[int, str, str]:
    return run("generate", "--specs", str(specs), "--output", str(out), "--package", "zoo", *flags)


def state(root: Path) -> dict[str, object]:
    """What is under `root`, its large files by size and time (never read)."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        status = path.lstat()
        key = str(path.relative_to(root))
        if path.is_file() and status.st_size <= 1024 * 1024:
            found[key] = (status.st_mode, path.read_bytes())
        else:
            found[key] = (status.st_mode, status.st_size, status.st_mtime_ns)
    return found


def plant_huge(path: Path) -> None:
    """A file of HUGE bytes at `path`, sparse: no byte of it is on disk."""
    path.unlink(missing_ok=True)
    path.touch()
    os.truncate(path, HUGE)


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    """Specs and the OUTPUT generated from them, the cache holding that run."""
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    code, _, errors = generate(specs, out)
    assert code == 0, errors
    return specs, out


def refused_every_way(specs: Path, out: Path, expected: str, *flags: str) -> None:
    """Every kind of run stops with `expected` (exit 2) and leaves OUTPUT as it was."""
    before = state(out)
    for extra in RUNS:
        code, _, errors = generate(specs, out, *flags, *extra)
        assert code == 2, (extra, errors)
        assert expected in errors, (extra, errors)
        assert state(out) == before, extra


def test_a_huge_doc_is_an_error_at_its_path(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    plant_huge(specs / "models" / "shared" / "huge.md")
    refused_every_way(specs, out, f"huge.md:1: error: the doc {TOO_LARGE}")


def test_a_huge_overrides_file_is_an_error(generated: tuple[Path, Path], tmp_path: Path) -> None:
    specs, out = generated
    overrides = tmp_path / "overrides.toml"
    plant_huge(overrides)
    expected = f"{overrides}: error: the overrides file {TOO_LARGE}"
    refused_every_way(specs, out, expected, "--overrides", str(overrides))


def test_a_huge_settings_file_is_an_error(generated: tuple[Path, Path], tmp_path: Path) -> None:
    specs, out = generated
    settings = tmp_path / "settings.toml"
    plant_huge(settings)
    expected = f"{settings}: error: the settings file {TOO_LARGE}"
    refused_every_way(specs, out, expected, "--config", str(settings))


def test_a_huge_manifest_is_an_error_that_names_it(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    plant_huge(out / MANIFEST)
    refused_every_way(specs, out, f"{out / MANIFEST}: error: the manifest {TOO_LARGE}")


def test_a_huge_journal_is_refused_unread(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    plant_huge(out / JOURNAL)
    expected = f"{out / JOURNAL}: error: {JOURNAL} was not written by docs2models on this machine"
    refused_every_way(specs, out, f"{expected} (it {TOO_LARGE})")


def test_check_says_a_huge_generated_file_differs_without_reading_it(
    generated: tuple[Path, Path],
) -> None:
    specs, out = generated
    plant_huge(out / PET)
    before = state(out)
    for extra in ([], ["--no-cache"]):
        code, diff, errors = generate(specs, out, "--check", *extra)
        assert code == 1, errors
        assert diff == (
            f"Files a/{PET} and b/{PET} differ (a/{PET} is {HUGE} bytes, larger than any file "
            "docs2models writes: not shown)\n"
        )
        assert state(out) == before
    code, _, errors = generate(specs, out)
    assert code == 0, errors
    assert (out / PET).stat().st_size < 10_000
    assert generate(specs, out, "--check")[0] == 0


def test_a_huge_file_of_yours_at_a_generated_path_is_refused(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    write_docs(
        specs.parent, {"models/shared/cat.md": fields_doc("Cat", [("x", "*str*", True, "")])}
    )
    plant_huge(out / "zoo" / "shared" / "cat.py")
    expected = (
        f"{out / 'zoo/shared/cat.py'}: error: zoo/shared/cat.py was not written by docs2models; "
        "move it or delete it"
    )
    refused_every_way(specs, out, expected)


def test_a_huge_file_no_longer_generated_is_left_in_place(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    (specs / "models" / "extra" / "toy.md").unlink()
    toy = out / "zoo" / "extra" / "toy.py"
    plant_huge(toy)
    code, diff, errors = generate(specs, out, "--check", "--no-cache")
    assert code == 1, errors
    assert len(diff) < 10_000, diff[:2000]
    code, _, errors = generate(specs, out)
    assert code == 0, errors
    assert f"{toy}: warning: changed since docs2models wrote it; left in place" in errors
    assert toy.stat().st_size == HUGE
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert "zoo/extra/toy.py" not in manifest["files"]
