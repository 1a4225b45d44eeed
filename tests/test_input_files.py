"""Every input is a regular file that can be read, or the run stops with `path: error: ...`
(exit 2, OUTPUT as it was): a named pipe or a device is never opened (it could block the
run), an unreadable folder or file is never skipped. The no-op shortcut says "unchanged"
only where a fresh run would do the same."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT, fields_doc, write_docs
from tests.test_filesystem_failures import UNPRIVILEGED, needs_modes, tree

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "")]),
}
NOT_A_FILE = "is not a regular file but a named pipe (not opened: it could block the run)"


def run(*arguments: str, cwd: Path = ROOT, restricted: bool = False) -> tuple[int, str]:
    """The CLI in a process of its own, which a named pipe it opened would block: the
    timeout fails the test then."""
    command = [sys.executable, "-m", "generator", *arguments]
    result = subprocess.run(
        [*(UNPRIVILEGED if restricted else []), *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def generate(specs: Path, out: Path, *flags: str, restricted: bool = False) -> tuple[int, str]:
    arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "zoo"]
    return run(*arguments, *flags, restricted=restricted)


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    assert generate(specs, out, "--no-cache")[0] == 0
    return specs, out


def refused(specs: Path, out: Path, expected: str, *flags: str) -> None:
    """`generate` and `generate --check`, with the cache and without, stop with `expected`
    and leave OUTPUT as it was."""
    before = tree(out)
    for extra in ([], ["--check"], ["--no-cache"], ["--check", "--no-cache"]):
        code, errors = generate(specs, out, *flags, *extra)
        assert code == 2, errors
        assert expected in errors, errors
        assert tree(out) == before


def test_a_named_pipe_as_the_overrides_file_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    specs, out = generated
    pipe = tmp_path / "overrides.toml"
    os.mkfifo(pipe)
    refused(specs, out, f"{pipe}: error: the overrides file {NOT_A_FILE}", "--overrides", str(pipe))


def test_a_named_pipe_as_the_settings_file_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    specs, out = generated
    pipe = tmp_path / "settings.toml"
    os.mkfifo(pipe)
    refused(specs, out, f"{pipe}: error: the settings file {NOT_A_FILE}", "--config", str(pipe))


def test_a_named_pipe_as_pyproject_is_an_error(generated: tuple[Path, Path]) -> None:
    specs, _ = generated
    os.mkfifo(specs.parent / "pyproject.toml")
    code, errors = run("lint", "--specs", "specs", cwd=specs.parent)
    assert code == 2, errors
    assert errors.startswith(f"pyproject.toml: error: the settings file {NOT_A_FILE}"), errors


def test_a_named_pipe_among_the_docs_is_an_error(generated: tuple[Path, Path]) -> None:
    specs, out = generated
    os.mkfifo(specs / "models" / "shared" / "toy.md")
    refused(specs, out, f"models/shared/toy.md:1: error: the doc {NOT_A_FILE}")


def test_a_named_pipe_among_the_templates_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    specs, out = generated
    templates = tmp_path / "templates"
    templates.mkdir()
    os.mkfifo(templates / "model.py.jinja")
    expected = f"{templates / 'model.py.jinja'}: error: the template {NOT_A_FILE}"
    refused(specs, out, expected, "--templates", str(templates))


@pytest.mark.parametrize("holding", [[], ["notes.txt"]], ids=["empty", "holding a file"])
def test_a_folder_in_place_of_a_template_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, holding: list[str]
) -> None:
    """Not a folder of templates to look into: the built-in template must not stand in."""
    specs, out = generated
    templates = tmp_path / "templates"
    (templates / "model.py.jinja").mkdir(parents=True)
    for name in holding:
        (templates / "model.py.jinja" / name).write_text("x\n", encoding="utf-8")
    expected = f"{templates / 'model.py.jinja'}: error: the template is a folder, not a file"
    refused(specs, out, expected, "--templates", str(templates))


# --- unreadable inputs: as a user without root's capabilities, and simulated in-process


@needs_modes
@pytest.mark.parametrize(
    ("unreadable", "expected"),
    [
        ("specs/models/errors", "models/errors: error: cannot read the folder (permission denied)"),
        ("specs/models/errors/notfound.md", "cannot read the doc (permission denied)"),
        ("overrides.toml", "cannot read the overrides file (permission denied)"),
        ("templates/model.py.jinja", "cannot read the template (permission denied)"),
        ("templates", "cannot read the folder (permission denied)"),
    ],
)
def test_an_unreadable_input_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, unreadable: str, expected: str
) -> None:
    specs, out = generated
    (tmp_path / "overrides.toml").write_text("", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "model.py.jinja").write_text(
        (ROOT / "templates" / "model.py.jinja").read_text(encoding="utf-8"), encoding="utf-8"
    )
    flags = ["--overrides", str(tmp_path / "overrides.toml")]
    flags += ["--templates", str(tmp_path / "templates")]
    assert generate(specs, out, *flags)[0] == 0  # stamped: the shortcut must not hide it
    before = tree(out)
    path = tmp_path / unreadable
    mode = path.stat().st_mode
    path.chmod(0)
    try:
        for extra in ([], ["--check"]):
            code, errors = generate(specs, out, *flags, *extra, restricted=True)
            assert code == 2, errors
            assert expected in errors, errors
            assert tree(out) == before
    finally:
        path.chmod(mode)


@pytest.fixture
def unlistable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Folders (full paths) that cannot be listed, as a user without the right to would
    find them: whoever runs the tests, root included."""
    refused_paths: list[str] = []
    listing = os.scandir

    def scandir(path: Any = ".") -> Any:
        if not isinstance(path, int) and os.fspath(path) in refused_paths:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield refused_paths


def test_an_unlistable_specs_folder_is_an_error_in_process(
    generated: tuple[Path, Path], unlistable: list[str]
) -> None:
    specs, out = generated
    before = tree(out)
    unlistable.append(os.fspath(specs / "models" / "errors"))
    arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "zoo"]
    for extra in ([], ["--check"], ["--no-cache"]):
        result = CliRunner().invoke(main, [*arguments, *extra])
        assert result.exit_code == 2, result.output
        expected = "models/errors: error: cannot read the folder (permission denied)"
        assert expected in result.output, result.output
        assert tree(out) == before


def test_an_unlistable_specs_directory_is_an_error_in_process(
    generated: tuple[Path, Path], unlistable: list[str]
) -> None:
    specs, _ = generated
    unlistable.append(os.fspath(specs))
    arguments = ["lint", "--specs", str(specs)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert (
        f"docs2models: error: cannot read the specs directory {specs} (permission denied)"
        in result.output
    )


# --- the no-op shortcut and links in the specs


def _fresh(specs: Path, out: Path, tmp_path: Path) -> tuple[int, str, dict[str, Any]]:
    """What a run without a cache gives, in a copy of OUTPUT."""
    copy = tmp_path / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(out, copy, symlinks=True)
    code, errors = generate(specs, copy, "--no-cache")
    return code, errors.replace(str(copy), str(out)), tree(copy)


@pytest.mark.parametrize("kind", ["folder", "file"])
def test_a_retargeted_link_in_the_specs_is_read_again(tmp_path: Path, kind: str) -> None:
    specs = write_docs(tmp_path, DOCS)
    outside = write_docs(tmp_path / "elsewhere", DOCS)
    out, cache = tmp_path / "out", tmp_path / "cache"
    inside_target = specs / "models" / "errors"
    if kind == "folder":
        link = specs / "models" / "alias"
        inside, elsewhere = inside_target, outside / "models" / "errors"
    else:
        link = specs / "models" / "shared" / "copy.md"
        (specs / "models" / "copies").mkdir()
        shutil.copy(specs / "models" / "shared" / "pet.md", specs / "models" / "copies" / "p.md")
        inside = specs / "models" / "copies" / "p.md"
        elsewhere = outside / "models" / "shared" / "pet.md"
        (specs / "models" / "shared" / "pet.md").unlink()
    link.symlink_to(inside)
    flags = ("--cache-dir", str(cache))
    code, errors = generate(specs, out, *flags)
    assert code == 0, errors
    assert "(inputs unchanged)" in generate(specs, out, *flags)[1]
    link.unlink()
    link.symlink_to(elsewhere)
    fresh_code, fresh_errors, fresh_tree = _fresh(specs, out, tmp_path)
    assert fresh_code == 2, fresh_errors  # the link leaves the specs
    assert generate(specs, out, *flags) == (fresh_code, fresh_errors)
    code, errors = generate(specs, out, *flags, "--check")
    assert code == fresh_code and "outside the specs directory" in errors, errors
    assert tree(out) == fresh_tree


def test_an_empty_overrides_file_made_unreadable_is_not_unchanged(
    generated: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs, out = generated
    overrides = tmp_path / "overrides.toml"
    overrides.write_text("", encoding="utf-8")
    arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "zoo"]
    arguments += ["--overrides", str(overrides)]
    assert CliRunner().invoke(main, arguments).exit_code == 0
    opening = os.open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) == os.fspath(overrides):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return opening(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "cannot read the overrides file (permission denied)" in result.output


# --- paths no file can have: a name too long, a path too long, a loop of links

PATH_SETTINGS = ["--output", "--specs", "--overrides", "--templates", "--cache-dir"]


def _unusable_path(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A path that every system call refuses, and how the system says why."""
    if kind == "long name":
        return tmp_path / ("n" * 300) / "x", "file name too long"
    if kind == "long path":
        return tmp_path.joinpath(*["d"] * 2100), "file name too long"
    (tmp_path / "loop-a").symlink_to("loop-b")
    (tmp_path / "loop-b").symlink_to("loop-a")
    return tmp_path / "loop-a" / "x", "too many levels of symbolic links"


@pytest.mark.parametrize("kind", ["long name", "long path", "link loop"])
@pytest.mark.parametrize("flag", PATH_SETTINGS)
def test_a_path_setting_no_file_can_have_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, flag: str, kind: str
) -> None:
    specs, out = generated
    before = tree(out)
    path, reason = _unusable_path(tmp_path, kind)
    for command in (["generate"], ["generate", "--check"], ["lint"]):
        arguments = [*command, "--specs", str(specs), "--output", str(out), "--package", "zoo"]
        code, errors = run(*arguments, flag, str(path))
        assert code == 2, errors
        assert f"{path}: error: " in errors and reason in errors, errors
        assert tree(out) == before


@pytest.mark.parametrize("kind", ["long name", "long path"])
@pytest.mark.parametrize("flag", PATH_SETTINGS)
def test_a_path_setting_no_file_can_have_is_an_error_before_its_folder_exists(
    generated: tuple[Path, Path], tmp_path: Path, flag: str, kind: str
) -> None:
    """The system says nothing of a name below a missing folder: it is measured instead,
    before a folder on the way is made."""
    specs, out = generated
    before = tree(out)
    missing = tmp_path / "missing"
    path, reason = _unusable_path(missing, kind)
    for command in (["generate"], ["generate", "--check"], ["lint"]):
        arguments = [*command, "--specs", str(specs), "--output", str(out), "--package", "zoo"]
        code, errors = run(*arguments, flag, str(path))
        assert code == 2, errors
        assert f"{path}: error: " in errors and reason in errors, errors
        assert "choose a shorter path" in errors, errors
        assert tree(out) == before
        assert not missing.exists(), command


@pytest.mark.parametrize("kind", ["long name", "long path", "link loop"])
def test_a_tree_to_compare_that_no_folder_can_be_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    specs, _ = generated
    path, reason = _unusable_path(tmp_path, kind)
    for trees in ((path, specs), (specs, path)):
        code, errors = run("diff", *map(str, trees))
        assert code == 2, errors
        assert f"{path}: error: " in errors and reason in errors, errors


@needs_modes
@pytest.mark.parametrize("flag", PATH_SETTINGS)
def test_a_path_setting_behind_a_folder_that_cannot_be_searched_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, flag: str
) -> None:
    specs, out = generated
    before = tree(out)
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    locked.chmod(0)
    try:
        code, errors = generate(specs, out, flag, str(locked / "inner"), restricted=True)
    finally:
        locked.chmod(0o755)
    assert code == 2, errors
    assert f"{locked / 'inner'}: error: " in errors and "permission denied" in errors, errors
    assert tree(out) == before


def _remove_tree(root: Path) -> None:
    """`shutil.rmtree` without its call per level, which a tree this deep exhausts (pytest
    removes old temporary folders with it)."""
    found, pending = [], [root]
    while pending:
        folder = pending.pop()
        found.append(folder)
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            else:
                os.unlink(entry.path)
    for folder in reversed(found):
        os.rmdir(folder)


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    """A folder for trees deeper than Python recurses, removed after the test."""
    yield tmp_path / "deep"
    for top in (tmp_path / "deep").glob("*"):
        _remove_tree(top)


def test_an_output_and_a_cache_a_thousand_folders_deep_are_made(tmp_path: Path, deep: Path) -> None:
    """Deeper than Python's recursion limit: the folders are made one by one, not by a call
    per level."""
    specs = write_docs(tmp_path, DOCS)
    out = deep.joinpath(*["o"] * 1100)
    cache = deep.joinpath(*["c"] * 1100)
    code, errors = generate(specs, out, "--cache-dir", str(cache))
    assert code == 0, errors
    assert (out / "zoo" / "shared" / "pet.py").is_file()
    assert any(cache.iterdir())


def test_an_output_whose_files_would_be_longer_than_a_path_can_be_is_an_error(
    tmp_path: Path, deep: Path
) -> None:
    specs = write_docs(tmp_path, DOCS)
    depth = (4096 - len(str(deep))) // 2 - 2  # OUTPUT itself fits, its files do not
    out = deep.joinpath(*["o"] * depth)
    code, errors = generate(specs, out, "--no-cache")
    assert code == 2, errors
    assert "file name too long" in errors.lower(), errors


def test_only_the_templates_a_run_uses_are_read(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    """Files in the templates folder no template names, and folders (linked or not) that
    hold none, are never read: neither rendered from nor hashed for the shortcut."""
    specs, out = generated
    unrelated = tmp_path / "unrelated"
    unrelated.mkdir()
    with open(unrelated / "big.bin", "wb") as big:
        big.truncate(50 * 1024 * 1024)
    (unrelated / "junk").write_bytes(b"\xff\xfe not a template {% endif")
    os.mkfifo(unrelated / "pipe")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "anything").symlink_to(unrelated, target_is_directory=True)
    (templates / "notes.txt").write_bytes(b"\xff not a template {%")
    os.mkfifo(templates / "pipe")
    builtin_model = (ROOT / "templates" / "model.py.jinja").read_text(encoding="utf-8")
    (templates / "model.py.jinja").write_text("# custom model\n" + builtin_model, "utf-8")
    for extra in ([], ["--check"], ["--no-cache"]):
        code, errors = generate(specs, out, "--templates", str(templates), *extra)
        assert code == 0, errors
        assert "error" not in errors, errors
    assert (out / "zoo" / "shared" / "pet.py").read_text().startswith("# custom model")
