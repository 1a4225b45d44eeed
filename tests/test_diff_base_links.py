"""`diff --base REV` reads links committed in the specs folder as the working tree's reader
does: a link inside the specs is the doc it leads to, one leading out is an error of the
old side, never read and never passed over in silence."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import fields_doc, run_cli
from tests.test_diff import git

PET = fields_doc("Pet", [("name", "*str*", True, "The name.")])
TOY = fields_doc("Toy", [("size", "*int*", False, "The size.")])


def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "docs" / "models").mkdir(parents=True)
    (repo / "docs" / "models" / "toy.md").write_text(TOY, encoding="utf-8")
    git(repo, "init", "-q")
    return repo


def commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "docs")


def diff_base(repo: Path) -> tuple[int, str, list[dict[str, str]]]:
    result = run_cli("diff", "--base", "HEAD", "--specs", "docs", "--format", "json", cwd=repo)
    changes = json.loads(result.stdout)["changes"] if result.returncode in (0, 1) else []
    return result.returncode, result.stderr, changes


def test_a_link_inside_the_specs_is_the_doc_it_leads_to(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    # A doc kept under another name, and a folder of docs linked by a second name.
    (repo / "docs" / "sources").mkdir()
    (repo / "docs" / "sources" / "pet.txt").write_text(PET, encoding="utf-8")
    (repo / "docs" / "models" / "pet.md").symlink_to("../sources/pet.txt")
    (repo / "docs" / "alias").symlink_to("models")
    commit(repo)
    returncode, stderr, changes = diff_base(repo)
    assert returncode == 0, stderr
    assert changes == []


def test_a_link_inside_the_specs_changed_in_the_working_tree(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    (repo / "docs" / "sources").mkdir()
    (repo / "docs" / "sources" / "pet.txt").write_text(PET, encoding="utf-8")
    (repo / "docs" / "models" / "pet.md").symlink_to("../sources/pet.txt")
    commit(repo)
    (repo / "docs" / "models" / "pet.md").unlink()
    returncode, stderr, changes = diff_base(repo)
    assert returncode == 0, stderr
    assert [(c["kind"], c["class"]) for c in changes] == [("class-removed", "models.Pet")]


@pytest.mark.parametrize(
    ("link", "target", "message"),
    [
        ("models/pet.md", "../../elsewhere/pet.md", "to a file outside the specs directory"),
        ("models/pet.md", "/etc/passwd", "to a file outside the specs directory"),
        ("vendor", "../elsewhere", "to a directory outside the specs directory"),
    ],
    ids=["file-in-the-repository", "absolute-file", "folder"],
)
def test_a_link_out_of_the_specs_is_an_error_of_the_old_side(
    tmp_path: Path, link: str, target: str, message: str
) -> None:
    repo = repository(tmp_path)
    (repo / "elsewhere").mkdir()
    (repo / "elsewhere" / "pet.md").write_text(PET, encoding="utf-8")
    (repo / "docs" / link).symlink_to(target)
    commit(repo)
    os.unlink(repo / "docs" / link)  # the working tree has no link: only the old side errs
    returncode, stderr, changes = diff_base(repo)
    assert returncode == 2, stderr
    assert f"old: docs/{link}:1: error: symbolic link {message}" in stderr
    assert "Traceback" not in stderr
    assert changes == []
