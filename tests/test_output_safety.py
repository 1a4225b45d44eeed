"""OUTPUT is sacred: the writer never writes or deletes through a symlink, never replaces or
deletes a file it did not write, trusts no journal it did not write, and expands `~`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_docs, fields_doc, run_cli, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/shared/owner.md": fields_doc(
        "Owner", [("pet", "[shared.Pet](../../models/shared/pet.md)", False, "")]
    ),
}


def _generate(tmp_path: Path, out: Path, *flags: str, cwd: Path | None = None) -> tuple[int, str]:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(tmp_path, DOCS)
    result = run_cli(
        "generate",
        *("--specs", str(specs), "--output", str(out), "--package", "zoo", "--no-cache"),
        *flags,
        cwd=cwd,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _list_in_manifest(out: Path, relative: str) -> None:
    """Edit the manifest as a pull could: `relative` listed as generated, with some hash."""
    manifest = json.loads((out / ".docs2models-manifest.json").read_text(encoding="utf-8"))
    manifest["files"][relative] = "0" * 64
    (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_manifest_entry_through_a_symlink_deletes_nothing_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_text("precious\n", encoding="utf-8")
    (out / "zoo" / "lnk").symlink_to(outside, target_is_directory=True)
    _list_in_manifest(out, "zoo/lnk/victim.py")
    code, errors = _generate(tmp_path, out)
    assert (outside / "victim.py").read_text(encoding="utf-8") == "precious\n"
    assert (
        code == 2 and "zoo/lnk is a symlink; refusing to read or write through it" in errors
    ), errors


def test_a_generated_folder_replaced_by_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    users = tmp_path / "users-folder"
    users.mkdir()
    (users / "pet.py").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(out / "zoo" / "shared")
    (out / "zoo" / "shared").symlink_to(users, target_is_directory=True)
    before = _tree(out)
    code, errors = _generate(tmp_path, out)
    assert (users / "pet.py").read_text(encoding="utf-8") == "mine\n"
    assert code == 2 and "zoo/shared is a symlink; refusing to read or write through it" in errors
    assert _tree(out) == before


def test_every_symlink_in_output_is_named_in_one_run(tmp_path: Path) -> None:
    """Links to files and to folders, at generated paths: all said at once, each once, by
    `generate` and by `--check`, as every problem of a run is."""
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "zoo" / "shared" / "pet.py").unlink()
    (out / "zoo" / "shared" / "pet.py").symlink_to("/etc/hostname")
    (out / "zoo" / "shared" / "owner.py").unlink()
    (out / "zoo" / "shared" / "owner.py").symlink_to("/etc/hostname")
    (out / "zoo" / "_runtime").rename(outside / "_runtime")
    (out / "zoo" / "_runtime").symlink_to(outside / "_runtime", target_is_directory=True)
    for flags in [(), ("--check",)]:
        code, errors = _generate(tmp_path, out, *flags)
        assert code == 2, errors
        for relative in ("zoo/shared/pet.py", "zoo/shared/owner.py", "zoo/_runtime"):
            said = f"{relative} is a symlink; refusing to read or write through it"
            assert errors.count(said) == 1, (said, errors)


def test_a_planted_journal_is_refused_not_replayed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    staging = out / ".docs2models-staging"
    staging.mkdir()
    (staging / "0.tmp").write_text("import os  # planted\n", encoding="utf-8")
    journal = {"moves": [["0.tmp", "zoo/planted.py"]], "remove": ["zoo/shared/pet.py"]}
    (out / ".docs2models-journal.json").write_text(json.dumps(journal), encoding="utf-8")
    code, errors = _generate(tmp_path, out)
    assert code == 2 and ".docs2models-journal.json was not written by docs2models" in errors
    assert not (out / "zoo" / "planted.py").exists()
    assert (out / "zoo" / "shared" / "pet.py").exists()


@pytest.mark.parametrize("left", [{}, {"owner.json.part": '{"run": "'}])
def test_a_staging_folder_a_run_was_killed_making_is_removed(
    tmp_path: Path, left: dict[str, str]
) -> None:
    """Killed as it made its staging folder, a run leaves it empty, or with its proof
    written part way (never an owner.json that is not whole): the next run removes it."""
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    staging = out / ".docs2models-staging"
    staging.mkdir()
    for name, text in left.items():
        (staging / name).write_text(text, encoding="utf-8")
    code, errors = _generate(tmp_path, out)
    assert code == 0, errors
    assert not staging.exists()


def test_a_staging_folder_that_came_with_output_is_refused_not_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    staging = out / ".docs2models-staging"
    (staging / "0.dir").mkdir(parents=True)
    (staging / "0.dir" / "notes.md").write_text("mine\n", encoding="utf-8")
    (staging / "owner.json").write_text('{"run": "x", "mac": "0"}', encoding="utf-8")
    for flags in [(), ("--check",)]:
        code, errors = _generate(tmp_path, out, *flags)
        assert code == 2, errors
        assert ".docs2models-staging was not made by docs2models on this machine" in errors
        assert "remove it and run again" in errors
        assert (staging / "0.dir" / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_a_lock_file_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "created-outside"
    (out / ".docs2models.lock").symlink_to(target)
    code, errors = _generate(tmp_path, out)
    assert not target.exists()
    assert code == 2 and ".docs2models.lock is a symlink" in errors, errors


def test_a_users_file_at_a_generated_path_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "zoo").mkdir(parents=True)
    (out / "zoo" / "__init__.py").write_text("# my own package\n", encoding="utf-8")
    code, errors = _generate(tmp_path, out)
    assert (out / "zoo" / "__init__.py").read_text(encoding="utf-8") == "# my own package\n"
    assert code == 2
    assert "zoo/__init__.py was not written by docs2models; move it or delete it" in errors


def test_a_file_edited_since_it_was_generated_is_not_deleted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    owner = out / "zoo" / "shared" / "owner.py"
    owner.write_text(owner.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    (tmp_path / "specs" / "models" / "shared" / "owner.md").unlink()
    code, errors = _generate(tmp_path, out)
    assert code == 0
    assert owner.read_text(encoding="utf-8").endswith("# my note\n")
    assert "zoo/shared/owner.py: warning: changed since docs2models wrote it" in errors


def test_a_manifest_edited_to_list_a_users_file_deletes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    mine = out / "zoo" / "shared" / "notes.py"  # where a run could write a module
    mine.write_text("# notes\n", encoding="utf-8")
    _list_in_manifest(out, "zoo/shared/notes.py")
    code, _ = _generate(tmp_path, out)
    assert code == 0 and mine.read_text(encoding="utf-8") == "# notes\n"


@pytest.mark.parametrize("output", ["~/gen", "~/gen/../gen2"])
def test_a_tilde_in_output_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    code, errors = _generate(tmp_path, Path(output), cwd=work)
    assert code == 0, errors
    assert not (work / "~").exists()
    written = home / Path(output).relative_to("~")
    assert (written / "zoo" / "__init__.py").is_file()
    assert os.path.normpath(written)  # the run wrote under HOME, not under the cwd


def test_a_run_killed_after_its_commit_is_finished_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.write.files import write_output
    from generator.write.journal import Journal

    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    files = {
        str(p.relative_to(out)): p.read_text(encoding="utf-8")
        for p in out.rglob("*.py")
        if p.is_file()
    }
    files["zoo/shared/pet.py"] += "# an interrupted run's text\n"
    with monkeypatch.context() as patched:
        patched.setattr(Journal, "recover", lambda self: 0)  # killed right after the commit
        write_output(out, files)
    assert (out / ".docs2models-journal.json").exists()
    code, errors = _generate(tmp_path, out)
    assert code == 0 and "recovered an interrupted run: " in errors, errors
    assert not (out / ".docs2models-journal.json").exists()
    assert "interrupted" not in (out / "zoo" / "shared" / "pet.py").read_text(encoding="utf-8")


# Sends the run `SIGNUMBER` as it applies its committed journal (its second `recover`: the
# first finishes what an earlier run left).
STOP_AFTER_COMMIT = """
import os, signal, sys
from generator.write.journal import Journal
from generator.cli import run
recover, calls = Journal.recover, []
def stopped_after_commit(self):
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGNUMBER)
    return recover(self)
Journal.recover = stopped_after_commit
sys.argv = ["docs2models", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_run_stopped_after_its_commit_says_the_next_run_finishes_it(
    tmp_path: Path, number: int, code: int
) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    pet = tmp_path / "specs" / "models" / "shared" / "pet.md"
    pet.write_text(pet.read_text(encoding="utf-8").replace("pet's", "cat's"), encoding="utf-8")
    flags = ["--specs", str(tmp_path / "specs"), "--output", str(out), "--package", "zoo"]
    stopper = STOP_AFTER_COMMIT.replace("SIGNUMBER", signal.Signals(number).name)
    result = subprocess.run(
        [sys.executable, "-c", stopper, "generate", *flags, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == code and "Traceback" not in result.stderr, result.stderr
    assert f"stopped by {signal.Signals(number).name}" in result.stderr, result.stderr
    assert "the run stopped part way through OUTPUT; the next run finishes it" in result.stderr
    code, errors = _generate(tmp_path, out)
    assert code == 0 and "recovered an interrupted run: " in errors, errors
    assert "cat's" in (out / "zoo" / "shared" / "pet.py").read_text(encoding="utf-8")


def test_a_folder_moved_away_and_linked_back_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """Moving a folder keeps its files' stat: the files the last run left look untouched
    through the link, which must not spare checking the path to them."""
    out = tmp_path / "out"

    def generate() -> tuple[int, str]:
        result = run_cli(
            "generate",
            *("--specs", str(tmp_path / "specs"), "--output", str(out), "--package", "zoo"),
            *("--cache-dir", str(tmp_path / "cache")),
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result.returncode, result.stderr

    write_docs(tmp_path, DOCS)
    assert generate()[0] == 0
    doc = tmp_path / "specs" / "models" / "shared" / "pet.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert generate()[0] == 0  # read every file: its stamp vouches for them all
    moved = tmp_path / "moved-shared"
    (out / "zoo" / "shared").rename(moved)
    (out / "zoo" / "shared").symlink_to(moved, target_is_directory=True)
    doc.write_text(doc.read_text(encoding="utf-8").replace("pet's", "cat's"), encoding="utf-8")
    before, moved_before = _tree(out), _tree(moved)
    code, errors = generate()
    assert code == 2 and "zoo/shared is a symlink; refusing to read or write through it" in errors
    assert "the next run finishes it" not in errors  # refused before the commit
    assert _tree(out) == before and _tree(moved) == moved_before
    assert not (out / ".docs2models-journal.json").exists()


SECRET = "TOKEN=do-not-print-me\n"


def _check(tmp_path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    result = run_cli(
        "generate",
        *("--specs", str(tmp_path / "specs"), "--output", str(out), "--package", "zoo"),
        *("--no-cache", "--check"),
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _link_the_file(out: Path, secret: Path) -> str:
    (out / "zoo" / "shared" / "pet.py").unlink()
    (out / "zoo" / "shared" / "pet.py").symlink_to(secret)
    return "zoo/shared/pet.py is a symlink"


def _link_the_folder(out: Path, secret: Path) -> str:
    shutil.rmtree(out / "zoo" / "shared")
    (secret.parent / "pet.py").write_text(SECRET, encoding="utf-8")
    (out / "zoo" / "shared").symlink_to(secret.parent, target_is_directory=True)
    return "zoo/shared is a symlink"


def _link_a_manifest_entry(out: Path, secret: Path) -> str:
    (out / "zoo" / "lnk").symlink_to(secret.parent, target_is_directory=True)
    _list_in_manifest(out, f"zoo/lnk/{secret.name}")
    return "zoo/lnk is a symlink"


@pytest.mark.parametrize("plant", [_link_the_file, _link_the_folder, _link_a_manifest_entry])
def test_check_refuses_links_in_output_as_generate_does_and_prints_nothing_behind_them(
    tmp_path: Path, plant: Callable[[Path, Path], str]
) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    expected = plant(out, secret)
    result = _check(tmp_path, out)
    assert result.returncode == 2, result.stderr
    assert f"{expected}; refusing to" in result.stderr, result.stderr
    assert "do-not-print-me" not in result.stdout + result.stderr
    code, errors = _generate(tmp_path, out)
    assert code == 2 and f"{expected}; refusing to" in errors, errors


@pytest.mark.parametrize(
    "listed",
    [["zoo/shared/notes.py"], {"zoo/shared/notes.py": None}, {"zoo/shared/notes.py": 1}],
    ids=["names-only", "null-hash", "number-hash"],
)
def test_a_manifest_entry_without_a_hash_deletes_nothing(tmp_path: Path, listed: object) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    notes = out / "zoo/shared/notes.py"
    notes.write_text("# my notes\n", encoding="utf-8")
    manifest = {"generator": "docs2models", "files": listed}
    (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _check(tmp_path, out)
    assert (
        "--- a/zoo/shared/notes.py" not in result.stdout
    ), result.stdout  # a run would not remove it
    code, errors = _generate(tmp_path, out)
    assert code == 0, errors
    assert notes.read_text(encoding="utf-8") == "# my notes\n"
    if isinstance(listed, list):
        assert (
            "zoo/shared/notes.py: warning: listed in the manifest without its hash" in errors
        ), errors


def test_a_users_file_listed_without_a_hash_at_a_generated_path_is_not_overwritten(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    mine = out / "zoo" / "shared" / "pet.py"
    mine.write_text("# my own pet\n", encoding="utf-8")
    manifest = {"generator": "docs2models", "files": ["zoo/shared/pet.py"]}
    (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, errors = _generate(tmp_path, out)
    assert code == 2, errors
    assert "zoo/shared/pet.py was not written by docs2models; move it or delete it" in errors
    assert mine.read_text(encoding="utf-8") == "# my own pet\n"


def test_a_rejected_journal_says_what_to_do_and_not_that_the_next_run_finishes_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    journal = out / ".docs2models-journal.json"
    journal.write_text(json.dumps({"moves": [], "remove": ["zoo/shared/pet.py"]}), encoding="utf-8")
    for _ in range(2):  # the advice holds on the next run too
        code, errors = _generate(tmp_path, out)
        assert code == 2, errors
        assert "the next run finishes it" not in errors, errors
        assert f"{journal}: error: " in errors and "remove it" in errors, errors
        assert "docs2models: OUTPUT was left as it was" in errors, errors
    journal.unlink()
    assert _generate(tmp_path, out)[0] == 0
    assert (out / "zoo" / "shared" / "pet.py").is_file()


@pytest.mark.parametrize(
    ("folder", "generated", "colliding"),
    [("Models", "zoo/Models", "zoo/models"), ("_Runtime", "zoo/_Runtime", "zoo/_runtime")],
)
@pytest.mark.parametrize("check", [False, True], ids=["generate", "check"])
def test_folders_that_differ_only_in_case_are_refused(
    tmp_path: Path, folder: str, generated: str, colliding: str, check: bool
) -> None:
    """A case-insensitive file system (macOS, Windows) holds both as one folder."""
    docs = {
        "models/pet.md": fields_doc("Pet", [("name", "*str*", True, "")]),
        f"{folder}/cat.md": fields_doc("Cat", [("name", "*str*", True, "")]),
    }
    write_docs(tmp_path, docs)
    out = tmp_path / "out"
    if check:
        result = _check(tmp_path, out)
        code, errors = result.returncode, result.stderr
    else:
        code, errors = _generate(tmp_path, out)
    assert code == 2, errors
    first, second = sorted([generated, colliding])
    assert f"{out / second}: error: {second} and {first} differ only in case" in errors, errors
    assert not out.exists() or not any(out.rglob("*.py"))


def test_check_shows_nothing_of_a_file_that_has_other_names(tmp_path: Path) -> None:
    """A hard link at a generated path may be a name of a file outside OUTPUT: `--check`
    says that it differs, and a generate replaces it, leaving the other file as it was."""
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    pet = out / "zoo" / "shared" / "pet.py"
    generated = pet.read_bytes()
    pet.unlink()
    os.link(secret, pet)
    result = _check(tmp_path, out)
    assert result.returncode == 1, result.stderr
    assert "do-not-print-me" not in result.stdout + result.stderr
    assert "zoo/shared/pet.py differ" in result.stdout, result.stdout
    assert _generate(tmp_path, out)[0] == 0
    assert pet.read_bytes() == generated
    assert secret.read_text(encoding="utf-8") == SECRET


def test_a_hard_link_that_holds_what_a_run_writes_is_replaced_too(tmp_path: Path) -> None:
    """Its other name may be a file outside OUTPUT, which is not to change with it."""
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    pet = out / "zoo" / "shared" / "pet.py"
    outside = tmp_path / "elsewhere.py"
    outside.write_bytes(pet.read_bytes())
    pet.unlink()
    os.link(outside, pet)
    result = _check(tmp_path, out)
    assert result.returncode == 1 and "zoo/shared/pet.py differ" in result.stdout, result.stdout
    assert _generate(tmp_path, out)[0] == 0
    assert pet.stat().st_nlink == 1 and outside.stat().st_nlink == 1
    assert _check(tmp_path, out).returncode == 0


@pytest.mark.parametrize("by_descriptor", [True, False], ids=["posix", "by-path"])
@pytest.mark.parametrize("change", ["edit", "remove"])
def test_a_folder_swapped_for_a_link_after_the_checks_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str, by_descriptor: bool
) -> None:
    """A folder of OUTPUT swapped for a link to another after the run's checks, as it
    applies its journal: nothing is moved into, or removed from, where the link leads
    (also where folders are held by their paths, as on Windows)."""
    from generator.config import Config
    from generator.pipeline import generate
    from generator.write import folders
    from generator.write import journal as journal_module
    from generator.write.safepaths import WriteError

    monkeypatch.setattr(folders, "BY_DESCRIPTOR", by_descriptor)

    write_docs(tmp_path, DOCS)
    config = Config(specs=tmp_path / "specs", output=tmp_path / "out", package="zoo", cache=False)
    generate(config)
    shared = tmp_path / "out" / "zoo" / "shared"
    victim = tmp_path / "victim"
    victim.mkdir()
    for name in ("pet.py", "owner.py", "__init__.py"):
        (victim / name).write_text("USER DATA\n", encoding="utf-8")
    doc = tmp_path / "specs" / "models" / "shared" / "owner.md"
    if change == "edit":
        doc.write_text(doc.read_text(encoding="utf-8").replace("Owner", "Keeper"), encoding="utf-8")
    else:
        doc.unlink()
    replay = journal_module.Journal._replay

    def swapped_first(self: journal_module.Journal, body: dict[str, object]) -> int:
        shared.rename(tmp_path / "moved")
        shared.symlink_to(victim, target_is_directory=True)
        return replay(self, body)

    monkeypatch.setattr(journal_module.Journal, "_replay", swapped_first)
    with pytest.raises(WriteError, match="zoo/shared is a symlink"):
        generate(config)
    assert sorted(p.name for p in victim.iterdir()) == ["__init__.py", "owner.py", "pet.py"]
    assert {p.read_text(encoding="utf-8") for p in victim.iterdir()} == {"USER DATA\n"}


def test_a_manifest_entry_no_run_could_write_deletes_nothing(tmp_path: Path) -> None:
    """A manifest that came with a pull may list any file with its true hash: what no run
    writes (the package's `__init__`, endpoints module and `py.typed`, the modules of its
    namespaces and runtime, a distribution's pyproject.toml) is never taken for generated."""
    out = tmp_path / "out"
    assert _generate(tmp_path, out)[0] == 0
    mine = {
        **{"NOTES.md": "# my notes\n", "zoo/data.txt": "1,2\n", "zoo/shared/x.py.bak": "#\n"},
        **{"zoo/__pycache__/foo.py": "#\n", "zoo/shared/py.typed": "", "zoo/conftest.py": "#\n"},
        **{"zoo/shared/sub/x.py": "#\n", "zoo/shared/__main__.py": "#\n"},
    }
    manifest = json.loads((out / ".docs2models-manifest.json").read_text(encoding="utf-8"))
    for relative, text in mine.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(text, encoding="utf-8")
        manifest["files"][relative] = hashlib.sha256(text.encode()).hexdigest()
    (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _check(tmp_path, out)
    assert "--- a/NOTES.md" not in result.stdout, result.stdout
    code, errors = _generate(tmp_path, out)
    assert code == 0, errors
    for relative, text in mine.items():
        assert (out / relative).read_text(encoding="utf-8") == text
        said = f"{relative}: warning: listed in the manifest, but no run writes such a file"
        assert said in errors, errors


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_every_file_a_run_writes_is_one_a_run_could_write(tmp_path: Path, target: str) -> None:
    """The layout `could_be_written` reads a manifest by is the one runs write: a real tree
    with operations (an endpoints module) and a distribution."""
    from generator.write.manifest import could_be_written

    out = tmp_path / "out"
    code, errors = _generate(
        tmp_path,
        out,
        "--specs",
        str(corpus_docs("kombo-v1")),
        "--target",
        target,
        "--distribution",
        "--formatter",
        "none",
    )
    assert code == 0, errors
    written = json.loads((out / ".docs2models-manifest.json").read_text(encoding="utf-8"))
    assert any(path.endswith("/endpoints.py") for path in written["files"])
    assert [path for path in written["files"] if not could_be_written(path)] == []
