"""What OUTPUT claims is checked before it is believed: a manifest's hash that is no sha256
proves nothing, and a run that finds its inputs unchanged, or `--check`, refuses an OUTPUT
that a full run refuses, with the same message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import fields_doc, run_cli, write_docs

PACKAGE = "zoo"
PET = f"{PACKAGE}/shared/pet.py"
MANIFEST = ".docs2models-manifest.json"
USERS_TEXT = "# my own pet, not generated\n"


def _generate(tmp_path: Path, *flags: str) -> tuple[int, str]:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(
            tmp_path,
            {"models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "Its name.")])},
        )
    result = run_cli(
        "generate",
        *("--specs", str(specs), "--output", str(tmp_path / "out"), "--package", PACKAGE),
        *("--cache-dir", str(tmp_path / "cache")),
        *flags,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return result.returncode, output


def _tree(root: Path) -> dict[str, bytes | str]:
    """Every entry below root: a file's bytes, where a link leads."""
    return {
        str(path.relative_to(root)): (
            f"-> {path.readlink()}" if path.is_symlink() else path.read_bytes()
        )
        for path in sorted(root.rglob("*"))
        if path.is_symlink() or path.is_file()
    }


@pytest.mark.parametrize("flags", [(), ("--check",), ("--check", "--no-cache")])
@pytest.mark.parametrize(
    "claimed", ["", "x", "deadbeef", "0" * 63, "Z" * 64, "A" * 64, "0" * 65, "g" * 64, None]
)
def test_a_manifest_hash_that_is_no_sha256_does_not_make_a_users_file_generated(
    tmp_path: Path, claimed: str | None, flags: tuple[str, ...]
) -> None:
    """None: the manifest does not list the file. `--check` refuses as a run does."""
    assert _generate(tmp_path)[0] == 0
    out = tmp_path / "out"
    (out / PET).write_text(USERS_TEXT, encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert PET in manifest["files"]
    if claimed is None:
        del manifest["files"][PET]
    else:
        manifest["files"][PET] = claimed
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    code, output = _generate(tmp_path, *flags)
    assert code == 2, output
    assert f"{out / PET}: error: {PET} was not written by docs2models" in output, output
    assert (out / PET).read_text(encoding="utf-8") == USERS_TEXT


@pytest.mark.parametrize(
    "listed",
    [
        f"{PACKAGE}/x\0.py",
        f"{PACKAGE}/\ud800.py",
        f"{PACKAGE}/{'a' * 300}.py",
        f"{PET}/",
        f"{PACKAGE}//shared/pet.py",
        f"./{PET}",
    ],
    ids=["NUL", "lone surrogate", "name too long", "trailing slash", "empty part", "dot part"],
)
def test_a_manifest_entry_no_file_can_have_is_not_believed(tmp_path: Path, listed: str) -> None:
    assert _generate(tmp_path)[0] == 0
    out = tmp_path / "out"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][listed] = "0" * 64
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for flags in (("--check",), ("--check", "--no-cache")):
        code, output = _generate(tmp_path, *flags)
        assert code in (0, 1) and ": error: " not in output, output
    code, output = _generate(tmp_path)
    assert code == 0, output
    assert listed not in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


def _plant_journal(out: Path) -> None:
    journal = {"run": "x", "moves": [], "remove": ["a.py"]}
    (out / ".docs2models-journal.json").write_text(json.dumps(journal), encoding="utf-8")


def _plant_pyproject(out: Path) -> None:
    (out / "pyproject.toml").write_text('[project]\nname = "mine"\n', encoding="utf-8")


def _plant_a_folder_as_the_lock(out: Path) -> None:
    (out / ".docs2models.lock").mkdir()


def _plant_a_folder_as_the_manifest(out: Path) -> None:
    (out / MANIFEST).unlink()
    (out / MANIFEST).mkdir()


def _plant_a_file_as_the_staging_folder(out: Path) -> None:
    (out / ".docs2models-staging").write_text("x\n", encoding="utf-8")


def _plant_a_staging_folder(out: Path) -> None:
    (out / ".docs2models-staging").mkdir()
    (out / ".docs2models-staging" / "notes.md").write_text("mine\n", encoding="utf-8")


def _link_back_a_moved_folder(out: Path) -> None:
    """A generated folder moved away and linked back: its files keep their stat."""
    moved = out.parent / "moved-shared"
    (out / PACKAGE / "shared").rename(moved)
    (out / PACKAGE / "shared").symlink_to(moved, target_is_directory=True)


def _link_back_a_moved_file(out: Path) -> None:
    moved = out.parent / "moved-pet.py"
    (out / PET).rename(moved)
    (out / PET).symlink_to(moved)


@pytest.mark.parametrize(
    "plant",
    [
        _plant_journal,
        _plant_pyproject,
        _plant_a_folder_as_the_lock,
        _plant_a_folder_as_the_manifest,
        _plant_a_file_as_the_staging_folder,
        _plant_a_staging_folder,
        _link_back_a_moved_folder,
        _link_back_a_moved_file,
    ],
)
@pytest.mark.parametrize(
    "flags", [(), ("--check",), ("--check", "--no-cache")], ids=["shortcut", "check", "no-cache"]
)
def test_a_run_that_finds_nothing_to_do_refuses_what_a_full_run_refuses(
    tmp_path: Path, plant: Callable[[Path], None], flags: tuple[str, ...]
) -> None:
    assert _generate(tmp_path)[0] == 0
    out = tmp_path / "out"
    plant(out)
    before = _tree(out)
    code, full = _generate(tmp_path, "--no-cache")
    assert code == 2, full
    refusals = [line for line in full.splitlines() if ": error: " in line]
    assert refusals, full
    code, output = _generate(tmp_path, *flags)
    assert code == 2, output
    assert "unchanged" not in output and "up to date" not in output, output
    assert all(line in output.splitlines() for line in refusals), (refusals, output)
    assert _tree(out) == before


def test_a_bookkeeping_path_of_the_wrong_kind_is_named_with_what_to_do(tmp_path: Path) -> None:
    assert _generate(tmp_path)[0] == 0
    out = tmp_path / "out"
    _plant_a_folder_as_the_lock(out)
    _plant_a_file_as_the_staging_folder(out)
    code, output = _generate(tmp_path, "--no-cache")
    assert code == 2, output
    for name, found in ((".docs2models.lock", "a folder"), (".docs2models-staging", "a file")):
        assert f"{out / name}: error: {name} is {found} where docs2models keeps " in output
    assert output.count("remove it and run again") == 2, output


def test_an_interrupted_run_is_finished_not_reported_as_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.write.files import write_output
    from generator.write.journal import Journal

    assert _generate(tmp_path)[0] == 0
    out = tmp_path / "out"
    files = {
        str(path.relative_to(out)): path.read_text(encoding="utf-8") for path in out.rglob("*.py")
    }
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "recover", lambda self: 0)  # killed right after its commit
        write_output(out, files)  # the same files: only the manifest is staged
    assert (out / ".docs2models-journal.json").exists()
    code, output = _generate(tmp_path)
    assert code == 0, output
    assert "recovered an interrupted run" in output and "(inputs unchanged)" not in output
    assert not (out / ".docs2models-journal.json").exists()
