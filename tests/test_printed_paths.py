"""A path is printed on one line whatever its name holds: a newline, a carriage return, a
terminal escape or another character that is not printable is shown escaped, as Python's
repr shows it, so that a file's name can neither split a problem in two nor forge another.
A path that starts a problem and needs escaping, or holds a backslash or a colon, is quoted
as a Python string literal: it cannot pass for another path or forge a location."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.conftest import fields_doc, run_cli, write_docs

PET = fields_doc("Pet", [("name", "*str*", True, "")])
UNPRINTABLE = ["\n", "\r", "\t", "\x0b", "\x1b", "\x7f", "\x85", "\u2028", "\u202e"]


def _escaped(character: str) -> str:
    return repr(character)[1:-1]


def _lines(text: str) -> list[str]:
    """What a terminal or a log reader would take for lines."""
    return text.splitlines()


@pytest.mark.parametrize("character", UNPRINTABLE, ids=_escaped)
@pytest.mark.parametrize("command", ["lint", "generate"])
def test_a_doc_path_with_a_character_that_is_not_printable_stays_on_one_line(
    tmp_path: Path, character: str, command: str
) -> None:
    toy = fields_doc("Toy", [("name", "*strr*", True, "")])  # a warning at line 8
    folder = f"a{character}specs"
    forged = "x.md:1: error: forged.md"
    specs = write_docs(
        tmp_path,
        {"models/shared/pet.md": PET, f"models/shared/toy{character}.md": toy},
    )
    (specs / "models" / "shared" / folder).mkdir()
    (specs / "models" / "shared" / folder / forged).write_text("# Forged\n", encoding="utf-8")
    flags = ["--output", str(tmp_path / "out"), "--package", "p"] if command == "generate" else []
    result = run_cli(command, "--specs", str(specs), *flags)
    assert result.returncode == 2, result.stderr
    printed = _lines(result.stdout + result.stderr)
    warning = f"{f'models/shared/toy{character}.md'!r}:8: warning: unknown type 'strr'"
    assert any(line.startswith(warning) for line in printed), printed
    error = f"{f'models/shared/{folder}/{forged}'!r}:1: error: "
    assert any(line.startswith(error) for line in printed), printed
    assert all(line.startswith(("'models/shared/", "docs2models: ")) for line in printed), printed
    assert len(printed) == 3, printed


def test_ordinary_names_are_printed_as_they_are(tmp_path: Path) -> None:
    name = "Ünïcode pet's (1) café.md"
    specs = write_docs(tmp_path, {f"models/shared/{name}": "# Pet\n"})
    result = run_cli("lint", "--specs", str(specs))
    assert result.returncode == 2
    assert f"models/shared/{name}:1: error: no `## Fields`" in result.stderr


@pytest.mark.parametrize(
    "name",
    ["x.md:1: error: forged.md", "a\\nb.md", "'quoted'.md", "a\nb.md"],
    ids=["location", "backslash", "quote", "newline"],
)
@pytest.mark.parametrize("command", ["lint", "diff"])
def test_a_name_that_could_forge_a_location_is_quoted(
    tmp_path: Path, name: str, command: str
) -> None:
    specs = write_docs(tmp_path, {"models/pet.md": PET, name: "# Pet\n"})
    if command == "diff":
        result = run_cli("diff", str(specs), str(specs))
        path = f"{specs}/{name}"  # a quote inside a path is no quote that starts it
        where = f"old: {path if name.startswith(chr(39)) else repr(path)}"
    else:
        result = run_cli("lint", "--specs", str(specs))
        where = repr(name)
    assert result.returncode == 2
    assert f"\n{where}:1: error: no `## Fields`" in f"\n{result.stderr}", result.stderr
    assert len(result.stderr.splitlines()) == len(set(result.stderr.splitlines())) > 0


def _generated(tmp_path: Path) -> tuple[Path, list[str]]:
    specs = write_docs(tmp_path, {"models/shared/pet.md": PET})
    out = tmp_path / "out"
    arguments = ["--specs", str(specs), "--output", str(out), "--package", "p", "--no-cache"]
    assert run_cli("generate", *arguments).returncode == 0
    return out, arguments


def _listed_in_manifest(out: Path, relative: str, content: bytes, claimed: bytes) -> None:
    """A file in OUTPUT that the manifest says a run wrote with `claimed` as its content."""
    (out / relative).write_bytes(content)
    manifest = json.loads((out / ".docs2models-manifest.json").read_text(encoding="utf-8"))
    manifest["files"][relative] = hashlib.sha256(claimed).hexdigest()
    (out / ".docs2models-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_file_in_output_left_in_place_is_named_on_one_line(tmp_path: Path) -> None:
    out, arguments = _generated(tmp_path)
    relative = "p/shared/old\nzoo.py: warning: forged"
    _listed_in_manifest(out, relative, b"x = 2\n", claimed=b"x = 1\n")
    (tmp_path / "specs" / "models" / "shared" / "cat.md").write_text(
        fields_doc("Cat", [("name", "*str*", True, "")]), encoding="utf-8"
    )
    result = run_cli("generate", *arguments)
    assert result.returncode == 0, result.stderr
    printed = _lines(result.stderr)
    warning = f"{out}/p/shared/old\\nzoo.py: warning: forged: warning: listed in the manifest"
    assert any(line.startswith(warning) for line in printed), printed
    assert not any(line.startswith("zoo.py") for line in printed), printed


def test_check_forges_no_diff_line_from_a_name_in_the_manifest(tmp_path: Path) -> None:
    """No run writes a name that is not an identifier: one the manifest lists is not removed,
    so `--check` shows it only inside the manifest's own diff, as JSON text."""
    out, arguments = _generated(tmp_path)
    relative = "p/shared/old\n+++ forged.py"
    _listed_in_manifest(out, relative, b"x = 1\n", claimed=b"x = 1\n")
    result = run_cli("generate", *arguments, "--check")
    assert result.returncode == 1, result.stderr
    printed = _lines(result.stdout)
    assert not any(line.startswith("--- a/p/shared/old") for line in printed), printed
    assert "+++ forged.py" not in printed, printed
    assert (out / relative).read_bytes() == b"x = 1\n"


def test_a_template_path_is_printed_on_one_line(tmp_path: Path) -> None:
    _, arguments = _generated(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    os.mkfifo(templates / "pipe\nforged.jinja")
    # Only templates a run reaches are read: the model template includes the pipe.
    (templates / "model.py.jinja").write_text('{% include "pipe\nforged.jinja" %}\n')
    result = run_cli("generate", *arguments, "--templates", str(templates))
    assert result.returncode == 2, result.stderr
    printed = _lines(result.stderr)
    assert f"{templates}/pipe\\nforged.jinja: error: the template " in "\n".join(printed), printed
    assert not any(line.startswith("forged.jinja") for line in printed), printed


def test_a_refused_setting_names_its_path_on_one_line(tmp_path: Path) -> None:
    specs = write_docs(tmp_path / "a\nb", {"models/shared/pet.md": fields_doc("Pet", [])})
    result = run_cli("generate", "--specs", str(specs), "--output", str(specs / "out"))
    assert result.returncode == 2, result.stderr
    refusal = [line for line in result.stderr.splitlines() if "refusing" in line]
    assert len(refusal) == 1 and "a\\nb" in refusal[0], result.stderr


@pytest.mark.parametrize("character", UNPRINTABLE[1:], ids=_escaped)
def test_check_shows_what_a_file_in_output_holds_escaped(tmp_path: Path, character: str) -> None:
    """A committed file that holds a terminal escape, a carriage return or a bidirectional
    override shows it escaped in the diff: it can neither drive the terminal nor hide or
    forge a line of the log."""
    out, arguments = _generated(tmp_path)
    module = next((out / "p" / "shared").glob("pet.py"))
    module.write_bytes(module.read_bytes() + f"# {character}]0;T\x07X{character}+forged\n".encode())
    result = run_cli("generate", *arguments, "--check")
    assert result.returncode == 1, result.stderr
    assert not any(c in result.stdout for c in [*UNPRINTABLE[1:], "\x07"]), result.stdout
    printed = _lines(result.stdout)
    assert _escaped(character) in result.stdout and "]0;T\\x07X" in result.stdout, printed
    # a line break for Python (a line separator) is a line of the diff, shown as removed
    assert all(line[:1] in "-+ @" and "forged" not in line[:2] for line in printed), printed


def test_file_names_that_are_not_utf8_print_apart_from_each_other_and_from_u_fffd(
    tmp_path: Path,
) -> None:
    specs = write_docs(tmp_path, {"models/shared/pet.md": PET})
    folder = os.fsencode(specs / "models" / "shared")
    for raw in (b"v\xffw.md", b"v\xfew.md"):
        with open(os.path.join(folder, raw), "wb") as handle:
            handle.write(PET.replace("Pet", "Other").encode())
    (specs / "models" / "shared" / "v\ufffdw.md").write_text(
        fields_doc("Third", [("name", "*str*", True, "")]), encoding="utf-8"
    )
    result = run_cli("lint", "--specs", str(specs))
    assert result.returncode == 2, result.stderr
    printed = _lines(result.stderr)
    not_utf8 = [line for line in printed if "file name is not valid UTF-8" in line]
    assert len(not_utf8) == 2 and len({line.split(":")[0] for line in not_utf8}) == 2, printed
    assert not any("\ufffd" in line for line in not_utf8), printed
