"""Every file-system failure is `path: error: ...` with exit 2, OUTPUT as it was and no journal
left to block the next run; what the file system allows but the package did not expect
(a `__pycache__` file, a very long title, a link loop in the specs) never gives a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, fields_doc, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/extra/toy.md": fields_doc("Toy", [("kind", "*str*", True, "")]),
}
CHANGED_PET = fields_doc("Pet", [("name", "*str*", True, "Changed.")])
# Run by root, the CLI would ignore file modes: it runs without the capabilities that let it.
_OVERRIDES = "-dac_override,-dac_read_search,-fowner"
UNPRIVILEGED = (
    ["setpriv", "--bounding-set", _OVERRIDES, "--inh-caps", _OVERRIDES]
    if hasattr(os, "geteuid") and os.geteuid() == 0
    else []
)
needs_modes = pytest.mark.skipif(
    bool(UNPRIVILEGED) and shutil.which("setpriv") is None,
    reason="run as root without setpriv: file modes cannot be made to apply",
)


def generate(specs: Path, out: Path, *flags: str, restricted: bool = False) -> tuple[int, str]:
    command = [sys.executable, "-m", "generator", "generate", "--specs", str(specs)]
    command += ["--output", str(out), "--package", "zoo", "--no-cache", *flags]
    result = subprocess.run(
        [*(UNPRIVILEGED if restricted else []), *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def tree(root: Path) -> dict[str, bytes | str]:
    """Every path under root: a file's bytes, or what else it is."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            found[key] = f"link to {os.readlink(path)}"
        elif path.is_dir():
            found[key] = "folder"
        elif not path.is_file():
            found[key] = "special file"  # read, a named pipe would wait for a writer
        else:
            found[key] = path.read_bytes()
    return found


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    assert generate(specs, out)[0] == 0
    return specs, out


def assert_refused(code: int, errors: str, expected: str, out: Path, before: object) -> None:
    assert code == 2, errors
    assert expected in errors, errors
    assert "docs2models: OUTPUT was left as it was" in errors, errors
    assert tree(out) == before
    assert not (out / ".docs2models-journal.json").exists()
    assert not (out / ".docs2models-staging").exists()


@needs_modes
def test_a_read_only_output_is_an_error_and_stays_as_it_was(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    (specs / "models" / "shared" / "pet.md").write_text(CHANGED_PET, encoding="utf-8")
    before = tree(out)
    out.chmod(0o555)
    try:
        code, errors = generate(specs, out, restricted=True)
    finally:
        out.chmod(0o755)
    assert_refused(
        code, errors, f"{out / '.docs2models.lock'}: error: cannot lock OUTPUT", out, before
    )
    code, errors = generate(specs, out)
    assert code == 0 and "recovered" not in errors, errors


@needs_modes
def test_a_read_only_namespace_folder_stops_the_run_before_anything_moves(
    generated: tuple[Path, Path],
) -> None:
    specs, out = generated
    (specs / "models" / "shared" / "pet.md").write_text(CHANGED_PET, encoding="utf-8")
    (specs / "models" / "extra" / "toy.md").write_text(
        fields_doc("Toy", [("kind", "*str*", True, "Changed too.")]), encoding="utf-8"
    )
    before = tree(out)
    folder = out / "zoo" / "shared"
    folder.chmod(0o555)
    try:
        code, errors = generate(specs, out, restricted=True)
    finally:
        folder.chmod(0o755)
    expected = f"{folder}: error: cannot write in zoo/shared: permission denied"
    assert_refused(code, errors, expected, out, before)
    code, errors = generate(specs, out)
    assert code == 0 and "recovered" not in errors, errors
    assert b"Changed." in (folder / "pet.py").read_bytes()


def test_py_typed_replaced_by_a_folder_is_left_and_named(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    marker = out / "zoo" / "py.typed"
    marker.unlink()
    marker.mkdir()
    (marker / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree(out)
    code, errors = generate(specs, out)
    expected = f"{marker}: error: zoo/py.typed was not written by docs2models; move it or delete it"
    assert_refused(code, errors, expected, out, before)


def test_a_namespace_folder_replaced_by_a_file_is_left_and_named(
    generated: tuple[Path, Path],
) -> None:
    specs, out = generated
    folder = out / "zoo" / "shared"
    shutil.rmtree(folder)
    folder.write_text("mine", encoding="utf-8")
    before = tree(out)
    code, errors = generate(specs, out)
    expected = f"{folder}: error: zoo/shared is a file where docs2models writes a folder"
    assert_refused(code, errors, expected, out, before)


def test_an_output_setting_that_names_a_file_is_an_error(tmp_path: Path) -> None:
    write_docs(tmp_path, DOCS)
    (tmp_path / "afile").write_text("mine", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docs2models]\nspecs = "specs"\noutput = "afile"\npackage = "zoo"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{tmp_path / 'afile'}: error: OUTPUT is a file, not a folder" in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine"


def test_a_pycache_that_is_a_file_is_the_users(generated: tuple[Path, Path]) -> None:
    """Removing a namespace's last module leaves its folder when what remains is not
    Python's byte code."""
    specs, out = generated
    (out / "zoo" / "extra" / "__pycache__").write_text("mine", encoding="utf-8")
    (out / "zoo" / "__pycache__").write_text("mine too", encoding="utf-8")
    (specs / "models" / "extra" / "toy.md").unlink()
    code, errors = generate(specs, out)
    assert code == 0, errors
    assert not (out / "zoo" / "extra" / "toy.py").exists()
    assert (out / "zoo" / "extra" / "__pycache__").read_text(encoding="utf-8") == "mine"
    assert (out / "zoo" / "__pycache__").read_text(encoding="utf-8") == "mine too"


def test_a_ten_thousand_character_title_gets_a_module_the_file_system_takes(
    tmp_path: Path,
) -> None:
    title = "Long" + "x" * 10_000
    specs = write_docs(
        tmp_path, {**DOCS, "models/shared/long.md": fields_doc(title, [("x", "*str*", True, "")])}
    )
    out = tmp_path / "out"
    code, errors = generate(specs, out)
    assert code == 0, errors
    modules = [p.name for p in (out / "zoo" / "shared").glob("long*.py")]
    assert len(modules) == 1 and len(modules[0]) <= 124, modules
    result = subprocess.run(
        [sys.executable, "-c", f"from zoo.shared import {title}; print({title}(x='a').x)"],
        capture_output=True,
        text=True,
        cwd=out,
        timeout=300,
    )
    assert result.stdout.strip() == "a", result.stderr


def test_symlink_loops_in_the_specs_are_errors_at_their_paths(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    folder = specs / "models" / "shared"
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    (folder / "here").symlink_to(".")  # a folder link that leads back: not followed
    code, errors = generate(specs, tmp_path / "out")
    assert code == 2, errors
    for name in ("a.md", "b.md"):
        assert (f"models/shared/{name}:1: error: symbolic link that leads back to itself") in errors
    assert not (tmp_path / "out").exists()


def test_a_run_that_fails_after_its_commit_says_the_next_run_finishes_it(
    generated: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.write.journal
    from generator.cli import main

    specs, out = generated
    (specs / "models" / "shared" / "pet.md").write_text(CHANGED_PET, encoding="utf-8")
    move = generator.write.journal._move

    def failing(source: Path, folder: int, name: str) -> None:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(generator.write.journal, "_move", failing)
    arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "zoo"]
    result = CliRunner().invoke(main, [*arguments, "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "error: Permission denied" in result.output
    assert "the next run finishes it" in result.output
    assert "left as it was" not in result.output
    monkeypatch.setattr(generator.write.journal, "_move", move)
    code, errors = generate(specs, out)
    assert code == 0 and "recovered an interrupted run" in errors, errors
    assert b"Changed." in (out / "zoo" / "shared" / "pet.py").read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
@pytest.mark.parametrize(
    "relative", ["zoo/shared/pet.py", ".docs2models-manifest.json", "zoo/shared/gone.py"]
)
@pytest.mark.parametrize("check", [False, True], ids=["generate", "check"])
def test_a_named_pipe_in_output_is_refused_never_opened(
    generated: tuple[Path, Path], relative: str, check: bool
) -> None:
    specs, out = generated
    if relative == "zoo/shared/gone.py":  # listed in the manifest: a run would remove it
        manifest = json.loads((out / ".docs2models-manifest.json").read_text(encoding="utf-8"))
        manifest["files"][relative] = "0" * 64
        (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / relative).unlink(missing_ok=True)
    os.mkfifo(out / relative)
    before = tree(out)
    command = [sys.executable, "-m", "generator", "generate", "--specs", str(specs)]
    command += ["--output", str(out), "--package", "zoo", "--no-cache"]
    # Opening a named pipe waits for a writer: a run that opens it never ends.
    result = subprocess.run(
        [*command, *(["--check"] if check else [])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"{out / relative}: error: {relative} is a named pipe" in result.stderr
    assert tree(out) == before


@needs_modes
@pytest.mark.parametrize("edited", [False, True], ids=["docs-as-they-were", "a-doc-edited"])
def test_an_unreadable_manifest_is_an_error_that_names_it(tmp_path: Path, edited: bool) -> None:
    """Which files are the tool's is unknown without the manifest: no run may take it for
    missing (every file would be a user's) or write over it."""
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    base = [sys.executable, "-m", "generator", "generate", "--specs", str(specs)]
    base += ["--output", str(out), "--package", "zoo"]
    assert subprocess.run(base, capture_output=True, timeout=60).returncode == 0  # warm cache
    if edited:
        (specs / "models" / "shared" / "pet.md").write_text(CHANGED_PET, encoding="utf-8")
    manifest = out / ".docs2models-manifest.json"
    manifest.chmod(0o000)
    before = tree(out)
    for flags in ([], ["--check"], ["--no-cache"], ["--check", "--no-cache"]):
        result = subprocess.run(
            [*UNPRIVILEGED, *base, *flags], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2, (flags, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        assert (
            f"{manifest}: error: cannot read the manifest (permission denied); it records "
            "which files docs2models wrote" in result.stderr
        ), (flags, result.stderr)
        assert "was not written by docs2models" not in result.stderr, result.stderr
        assert manifest.stat().st_mode & 0o777 == 0, flags
        assert tree(out) == before, flags
