"""A run after an edit reads back from OUTPUT only what it cannot vouch for: files the last
run left, provably untouched since (see `snapshot`), are compared by their recorded hashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, fields_doc, write_docs

DOCS = {
    f"models/shared/{name.lower()}.md": fields_doc(
        name, [("name", "*str*", True, f"The {name}'s name.")]
    )
    for name in ("Pet", "Owner", "Shop", "Toy")
}

# Runs the CLI with an audit hook that records every file under OUTPUT opened for reading.
_WITH_READS_RECORDED = """
import json, os, sys
output, log = sys.argv[1], sys.argv[2]
opened = []

def hook(event, arguments):
    if event == "open" and isinstance(arguments[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(arguments[0]))
        mode = arguments[1] if isinstance(arguments[1], str) else ""
        flags = arguments[2] if isinstance(arguments[2], int) else 0
        writes = any(m in mode for m in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)
        if path.startswith(output + os.sep) and not writes:
            opened.append(os.path.relpath(path, output))

sys.addaudithook(hook)
sys.argv = ["docs2models", *sys.argv[3:]]
from generator import cli
try:
    cli.main()
    code = 0
except SystemExit as stop:
    code = stop.code or 0
with open(log, "w") as handle:
    json.dump(sorted(set(opened)), handle)
sys.exit(code)
"""


def _generate(tmp_path: Path) -> list[str]:
    """`docs2models generate` into tmp_path/out; the OUTPUT files it read."""
    output, log = tmp_path / "out", tmp_path / "reads.json"
    arguments = ["generate", "--specs", str(tmp_path / "specs"), "--output", str(output)]
    arguments += ["--package", "pets", "--cache-dir", str(tmp_path / "cache"), "-q"]
    result = subprocess.run(
        [sys.executable, "-c", _WITH_READS_RECORDED, str(output), str(log), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(log.read_text(encoding="utf-8")))


def _settled(tmp_path: Path) -> None:
    """Past the snapshots' racy window (files changed within it are read again)."""
    time.sleep(0.1)
    os.utime(tmp_path / "specs")  # nothing else moves


def _edit(tmp_path: Path, name: str, description: str) -> None:
    doc = tmp_path / "specs" / "models" / "shared" / f"{name.lower()}.md"
    doc.write_text(fields_doc(name, [("name", "*str*", True, description)]), encoding="utf-8")


def test_a_run_after_a_doc_edit_reads_only_the_files_the_last_run_wrote(tmp_path: Path) -> None:
    write_docs(tmp_path, DOCS)
    _generate(tmp_path)
    _settled(tmp_path)
    _edit(tmp_path, "Pet", "A new description.")
    _generate(tmp_path)  # reads every file: the last run wrote them all
    _settled(tmp_path)
    _edit(tmp_path, "Owner", "Another description.")
    read = _generate(tmp_path)
    # Written after the last snapshot's start, the files of the last run cannot be vouched
    # for by their times: someone may have changed them as they were written.
    assert [path for path in read if path.endswith(".py")] == ["pets/shared/pet.py"]
    owner = tmp_path / "out" / "pets" / "shared" / "owner.py"
    assert "Another description." in owner.read_text(encoding="utf-8")


def test_an_output_file_edited_by_hand_is_read_and_generated_again(tmp_path: Path) -> None:
    write_docs(tmp_path, DOCS)
    _generate(tmp_path)
    toy = tmp_path / "out" / "pets" / "shared" / "toy.py"
    generated = toy.read_text(encoding="utf-8")
    _settled(tmp_path)
    toy.write_text(generated + "# edited by hand\n", encoding="utf-8")
    _settled(tmp_path)
    _edit(tmp_path, "Pet", "A new description.")
    read = _generate(tmp_path)
    assert "pets/shared/toy.py" in read
    assert toy.read_text(encoding="utf-8") == generated


def test_an_output_file_replaced_by_hand_with_the_same_bytes_is_left_as_is(
    tmp_path: Path,
) -> None:
    write_docs(tmp_path, DOCS)
    _generate(tmp_path)
    shop = tmp_path / "out" / "pets" / "shared" / "shop.py"
    generated = shop.read_bytes()
    _settled(tmp_path)
    shop.unlink()
    shop.write_bytes(generated)
    _settled(tmp_path)
    _edit(tmp_path, "Pet", "A new description.")
    read = _generate(tmp_path)
    assert "pets/shared/shop.py" in read  # a new inode: the snapshot cannot vouch
    assert shop.read_bytes() == generated


# `watch` calls the pipeline's generate for each change, without the CLI's no-op check.
_PIPELINE_RUNS = """
import json, os, sys
from pathlib import Path
output, log, tmp = sys.argv[1], sys.argv[2], Path(sys.argv[3])
from generator.config import Config
from generator.pipeline import generate
config = Config(specs=tmp / "specs", output=Path(output), package="pets", cache_dir=tmp / "cache")
generate(config)
opened = []

def hook(event, arguments):
    if event == "open" and isinstance(arguments[0], str) and arguments[0].startswith(output):
        flags = arguments[2] if isinstance(arguments[2], int) else 0
        if not flags & (os.O_WRONLY | os.O_RDWR) and "w" not in str(arguments[1] or ""):
            opened.append(os.path.relpath(arguments[0], output))

for edit in ("Pet", "Owner"):
    doc = tmp / "specs" / "models" / "shared" / f"{edit.lower()}.md"
    doc.write_text(doc.read_text().replace("name.", "name!"))
    if edit == "Owner":
        sys.addaudithook(hook)
    generate(config)
json.dump(sorted(set(opened)), open(log, "w"))
"""


def test_a_generate_without_the_no_op_check_reads_only_what_the_last_run_wrote(
    tmp_path: Path,
) -> None:
    write_docs(tmp_path, DOCS)
    output, log = tmp_path / "out", tmp_path / "reads.json"
    result = subprocess.run(
        [sys.executable, "-c", _PIPELINE_RUNS, str(output), str(log), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    read = json.loads(log.read_text(encoding="utf-8"))
    assert [path for path in read if path.endswith(".py")] == ["pets/shared/pet.py"]
