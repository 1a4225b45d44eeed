"""Broken docs: every problem is `path:line: error: message`, exit 2, OUTPUT untouched."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import fields_doc, run_cli

GOOD = {"shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")])}
HEADER = "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n"


def model(title: str, *rows: str, section: str = "## Fields") -> str:
    return f"# {title}\n\n\n{section}\n\n{HEADER}" + "".join(row + "\n" for row in rows)


def row(name: str, type_cell: str = "*str*", marker: str = ":heavy_check_mark:") -> str:
    return f"| `{name}` | {type_cell} | {marker} | N/A |"


def write(specs: Path, docs: dict[str, str | bytes]) -> Path:
    for relative, content in docs.items():
        path = specs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
    return specs


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def generate(specs: Path, out: Path, *flags: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main,
        ["generate", "--specs", str(specs), "--output", str(out), "--package", "pets", *flags],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def output(tmp_path: Path) -> tuple[Path, dict[str, tuple[bytes, int]]]:
    """An OUTPUT generated from good docs, and its snapshot."""
    out = tmp_path / "out"
    code, lines = generate(write(tmp_path / "good", dict(GOOD)), out)
    assert code == 0, lines
    return out, snapshot(out)


def assert_reported(
    tmp_path: Path,
    output: tuple[Path, dict[str, tuple[bytes, int]]],
    docs: dict[str, str | bytes],
    where: str,
    *words: str,
) -> list[str]:
    """Generate GOOD plus `docs` into the prepared OUTPUT: exit 2, an error at `where`
    whose message has every one of `words`, and OUTPUT exactly as it was."""
    out, before = output
    specs = tmp_path / "specs"
    write(specs, {**GOOD, **docs})
    code, lines = generate(specs, out)
    assert code == 2, lines
    errors = [line for line in lines if line.startswith(f"{where}: error: ")]
    assert errors, lines
    assert any(all(word in line for word in words) for line in errors), errors
    assert lines[-1].endswith("nothing was written"), lines
    assert snapshot(out) == before
    return lines


Output = tuple[Path, dict[str, tuple[bytes, int]]]


def test_missing_title(tmp_path: Path, output: Output) -> None:
    doc = "Just a description.\n\n## Fields\n\n" + HEADER + row("a") + "\n"
    assert_reported(tmp_path, output, {"shared/x.md": doc}, "shared/x.md:1", "missing", "# ")


def test_title_that_is_not_a_class_name(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": model("1Bad-Name", row("a"))}
    assert_reported(tmp_path, output, docs, "shared/x.md:1", "'1Bad-Name'", "not a valid class")


# `Optional`, `Field` and the like are class names that work (tests/test_real_trees.py), and
# so are builtins (tests/test_builtin_titles.py); these would hide what the generated code
# itself needs.
@pytest.mark.parametrize(
    "title",
    [
        "ClassVar",
        "__getattr__",
        "TYPE_CHECKING",
        "_0",
        "_RuntimeResponse",
        "_typing_Any",
        "_builtins_list",
        "_enum_StrEnum",
        "_linking",
    ],
)
def test_title_that_would_shadow_generated_names(
    tmp_path: Path, output: Output, title: str
) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": model(title, row("a"))}
    assert_reported(tmp_path, output, docs, "shared/x.md:1", repr(title), "rename the title")


def test_missing_section(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": "# X\n\nOnly a description.\n"}
    assert_reported(tmp_path, output, docs, "shared/x.md:1", "no `## Fields`", "section")


def test_a_misspelt_section_is_suggested(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": model("X", row("a"), section="## Feilds")}
    assert_reported(
        tmp_path,
        output,
        docs,
        "shared/x.md:1",
        "no `## Fields`",
        "`## Feilds` on line 4",
        "`## Fields`?",
    )


@pytest.mark.parametrize(
    "header, missing",
    [
        ("| Name | Kind |\n| --- | --- |\n", "Field, Type, Required"),
        ("| Field | Type | Description |\n| --- | --- | --- |\n", "Required"),
    ],
)
def test_fields_table_without_the_columns(
    tmp_path: Path, output: Output, header: str, missing: str
) -> None:
    doc = f"# X\n\n## Fields\n\n{header}| `a` | *str* | N/A |\n"
    assert_reported(tmp_path, output, {"shared/x.md": doc}, "shared/x.md:5", "lacks", missing)


def test_rows_with_the_wrong_number_of_cells(tmp_path: Path, output: Output) -> None:
    doc = model("X", row("a") + " extra |", "| `b` | *str* |")
    lines = assert_reported(
        tmp_path, output, {"shared/x.md": doc}, "shared/x.md:8", "row has 5 cells", "header has 4"
    )
    assert any(line.startswith("shared/x.md:9: error: row has 2 cells") for line in lines)


def test_enum_row_with_the_wrong_number_of_cells(tmp_path: Path, output: Output) -> None:
    doc = "# Colour\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `RED` | red | x |\n"
    assert_reported(tmp_path, output, {"shared/c.md": doc}, "shared/c.md:7", "3 cells")


def test_unknown_required_marker(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": model("X", row("a", marker="yes"))}
    assert_reported(
        tmp_path,
        output,
        docs,
        "shared/x.md:8",
        "unknown Required marker 'yes'",
        ":heavy_check_mark:",
    )


@pytest.mark.parametrize(
    "cell, words",
    [
        ("*strr*", ("unknown type 'strr'", "did you mean 'str'", "any JSON value")),
        ("*Optinal[int]*", ("unknown type 'Optinal[...]'", "did you mean 'Optional'")),
        ("*foo.Bar*", ("unknown type 'foo.Bar'", "any JSON value")),
        # The link names a doc that documents Pet, not Pett.
        ("[shared.Pett](pet.md)", ("link text names 'Pett'",)),
    ],
)
def test_a_type_the_tree_does_not_have_is_a_warning(
    tmp_path: Path, output: Output, cell: str, words: tuple[str, ...]
) -> None:
    """The docs lose the type, not the class: a warning (an error with --strict) that
    suggests the closest name."""
    out, before = output
    specs = write(tmp_path / "specs", {**GOOD, "shared/x.md": model("X", row("a", cell))})
    code, lines = generate(specs, out, "--strict")
    assert code == 2 and any(
        line.startswith("shared/x.md:8: error: ") and all(w in line for w in words)
        for line in lines
    ), lines
    assert snapshot(out) == before
    code, lines = generate(specs, out)
    assert code == 0 and any(
        line.startswith("shared/x.md:8: warning: ") and all(w in line for w in words)
        for line in lines
    ), lines


def test_unreadable_type_cell(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {
        "shared/x.md": model(
            "X",
            row("a", 'Literal["bad \\q escape"]'),
            row("b", "Literal[nan]"),
            row("c", "List[str"),
            row("d", 'Literal["\\ud800"]'),
        )
    }
    lines = assert_reported(tmp_path, output, docs, "shared/x.md:8", "field `a`", "Literal")
    assert any(line.startswith("shared/x.md:9: error: field `b`") for line in lines)
    assert any(line.startswith("shared/x.md:10: error: field `c`") for line in lines)
    assert any(line.startswith("shared/x.md:11: error: field `d`") for line in lines)


def test_link_to_a_page_that_is_not_a_model_doc(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {
        "shared/x.md": model("X", row("a", "[shared.Toy](../sdks/toy/README.md)")),
        "sdks/toy/README.md": "# Toy\n\nAn SDK page.\n",
    }
    assert_reported(
        tmp_path, output, docs, "shared/x.md:8", "sdks/toy/README.md", "not a model doc"
    )


@pytest.mark.parametrize("link", ["../../outside/toy.md", "/etc/passwd", "../../../../toy.md"])
def test_link_that_leaves_the_specs(tmp_path: Path, output: Output, link: str) -> None:
    # A valid doc outside the specs must not be used: links never leave the specs root.
    write(tmp_path, {"outside/toy.md": model("Toy", row("a"))})
    docs: dict[str, str | bytes] = {"shared/x.md": model("X", row("a", f"[shared.Toy]({link})"))}
    assert_reported(tmp_path, output, docs, "shared/x.md:8", repr(link), "leaves the specs")


def test_symlink_to_a_file_outside_the_specs_is_not_read(tmp_path: Path, output: Output) -> None:
    outside = write(tmp_path / "outside", {"toy.md": model("Toy", row("a"))})
    specs = tmp_path / "specs"
    write(specs, GOOD)
    (specs / "shared" / "toy.md").symlink_to(outside / "toy.md")
    os.mkfifo(outside / "fifo")
    (specs / "shared" / "fifo.md").symlink_to(outside / "fifo")
    lines = assert_reported(
        tmp_path, output, {}, "shared/toy.md:1", "outside the specs", "not read"
    )
    assert any(line.startswith("shared/fifo.md:1: error: symbolic link") for line in lines)


def test_symlink_to_a_directory_outside_the_specs_is_not_followed(
    tmp_path: Path, output: Output
) -> None:
    outside = write(tmp_path / "outside", {"toy.md": model("Toy", row("a"))})
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "more").symlink_to(outside)
    assert_reported(tmp_path, output, {}, "more:1", "outside the specs", "not followed")


def test_symlink_inside_the_specs_is_read(tmp_path: Path) -> None:
    specs = write(tmp_path / "specs", {**GOOD, "docs/toy.md": model("Toy", row("a"))})
    (specs / "shared" / "toy.md").symlink_to(specs / "docs" / "toy.md")
    code, lines = generate(specs, tmp_path / "out")
    assert code == 0, lines
    assert (tmp_path / "out" / "pets" / "shared" / "toy.py").is_file()


def test_fifo_is_refused_without_waiting(tmp_path: Path, output: Output) -> None:
    os.makedirs(tmp_path / "specs" / "shared")
    os.mkfifo(tmp_path / "specs" / "shared" / "pipe.md")
    assert_reported(tmp_path, output, {}, "shared/pipe.md:1", "not a regular file")


def test_duplicate_class_names_both_files(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {
        "a/shared/pet.md": model("Pet", row("a")),
        "b/shared/pet.md": model("Pet", row("b")),
    }
    assert_reported(
        tmp_path, output, docs, "shared/pet.md:1", "'Pet'", "a/shared/pet.md", "'shared'"
    )


def test_error_body_class_clash(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {
        "errors/boom.md": model("Boom", row("message")),
        "errors/boomdata.md": model("BoomData", row("detail")),
    }
    assert_reported(tmp_path, output, docs, "errors/boomdata.md:1", "'BoomData'", "errors/boom.md")


def test_duplicate_field(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": model("X", row("a"), row("b"), row("a"))}
    assert_reported(tmp_path, output, docs, "shared/x.md:10", "duplicate field `a`", "line 8")


def test_enum_members_that_collide_after_sanitising(tmp_path: Path, output: Output) -> None:
    doc = "# Colour\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `A-B` | x |\n| `A_B` | y |\n"
    assert_reported(
        tmp_path, output, {"shared/c.md": doc}, "shared/c.md:8", "`A_B`", "line 7", "'A_B'"
    )


def test_non_utf8_bytes(tmp_path: Path, output: Output) -> None:
    docs: dict[str, str | bytes] = {"shared/x.md": b"# X\n\nCaf\xe9 au lait.\n"}
    assert_reported(tmp_path, output, docs, "shared/x.md:3", "not valid UTF-8", "0xe9")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_non_utf8_file_name(tmp_path: Path, output: Output) -> None:
    shared = tmp_path / "specs" / "shared"
    shared.mkdir(parents=True)
    with open(os.path.join(os.fsencode(shared), b"caf\xe9.md"), "wb") as handle:
        handle.write(model("Cafe", row("a")).encode())
    assert_reported(tmp_path, output, {}, "'shared/caf\\\\xe9.md':1", "file name", "UTF-8")


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty_file(tmp_path: Path, output: Output, content: bytes) -> None:
    assert_reported(tmp_path, output, {"shared/x.md": content}, "shared/x.md:1", "empty file")


@pytest.mark.parametrize("folder", ["_runtime", "__pycache__", "my-models", "class"])
def test_folder_that_cannot_be_a_namespace(tmp_path: Path, output: Output, folder: str) -> None:
    docs: dict[str, str | bytes] = {f"{folder}/x.md": model("X", row("a"))}
    assert_reported(tmp_path, output, docs, f"{folder}/x.md:1", f"folder name {folder!r}")


def test_every_problem_in_one_run_without_a_traceback(tmp_path: Path) -> None:
    """A real process: all errors of all files, sorted, exit 2, no traceback."""
    docs: dict[str, str | bytes] = {
        "shared/a.md": "no title\n",
        "shared/b.md": model("B", row("a", marker="maybe"), row("a"), row("c", "List[*str*")),
        "shared/c.md": b"\xff\xfe",
        "shared/d.md": b"",
        "shared/e.md": model("E", row("x", "[shared.Z](../../../z.md)")),
        "shared/f.md": model("1F", row("a")),
    }
    specs = write(tmp_path / "specs", {**GOOD, **docs})
    out = tmp_path / "out"
    result = run_cli("generate", "--specs", str(specs), "--output", str(out), "--package", "p")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        "shared/a.md:1",
        "shared/b.md:8",
        "shared/b.md:10",
        "shared/c.md:1",
        "shared/d.md:1",
        "shared/e.md:8",
        "shared/f.md:1",
    ], errors
    assert not out.exists()
