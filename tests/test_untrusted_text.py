"""TOML and JSON read from files the tool does not own are parsed with a bound on their
nesting: too deep, an integer longer than Python converts, or a syntax error is one clean
`path: error: ...` (exit 2, OUTPUT as it was); in the cache it is a miss; in a doc's JSON
example it is a warning at the example's line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Config
from generator.incremental import stamp
from generator.incremental.cache import Store, digest
from generator.incremental.docjson import decode_parsed, encode_parsed
from generator.incremental.fingerprint import generator_fingerprint
from generator.model.docs import MAX_TYPE_DEPTH as TYPE_DEPTH
from generator.model.parsed import DocSource
from generator.parse.tree import parse_sources
from tests.conftest import ROOT, fields_doc, write_docs
from tests.test_filesystem_failures import tree

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "")]),
}

# Each nests thousands of levels deep, or holds an integer longer than Python converts.
HOSTILE_TOML = {
    "deep arrays": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    "deep inline tables": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
    "deep dotted keys": ".".join(["a"] * 5000) + " = 1\n",
    "deep table header": "[" + ".".join(["a"] * 5000) + "]\n",
    "a 5000-digit integer": "x = " + "9" * 5000 + "\n",
    # Python reads these bases without its digit limit, and fails only when it writes them.
    "a 5000-digit hex integer": "x = 0x" + "f" * 5000 + "\n",
    "a 5000-digit octal integer": "x = 0o" + "7" * 5000 + "\n",
    "a 15000-digit binary integer": "x = 0b" + "1" * 15000 + "\n",
}
HOSTILE_JSON = {
    "deep arrays": "[" * 200_000 + "]" * 200_000,
    "deep objects": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "a 5000-digit integer": '{"files": {}, "n": ' + "9" * 5000 + "}",
}
REASONS = {
    "deep": "nested deeper than 64 levels",
    "digit": "an integer of more than 4300 decimal digits",
}


def _reason(case: str) -> str:
    return REASONS["digit"] if "digit" in case else REASONS["deep"]


def run(*arguments: str, cwd: Path = ROOT) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "generator", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def generate(specs: Path, out: Path, *flags: str) -> tuple[int, str]:
    return run("generate", "--specs", str(specs), "--output", str(out), "--package", "zoo", *flags)


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    assert generate(specs, out, "--no-cache")[0] == 0
    return specs, out


@pytest.mark.parametrize("case", HOSTILE_TOML)
def test_a_hostile_settings_file_is_an_error(tmp_path: Path, case: str) -> None:
    specs = write_docs(tmp_path, DOCS)
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[tool.docs2models]\nspecs = "specs"\npackage = "zoo"\n\n[tool.other]\n'
        + HOSTILE_TOML[case],
        encoding="utf-8",
    )
    code, errors = run("generate", "--config", str(settings), "--output", str(tmp_path / "out"))
    assert code == 2, errors
    assert errors.startswith(f"{settings}: error: "), errors
    assert _reason(case) in errors, errors
    assert not (tmp_path / "out").exists()
    assert specs.is_dir()


def test_a_hostile_pyproject_is_an_error(tmp_path: Path) -> None:
    write_docs(tmp_path, DOCS)
    (tmp_path / "pyproject.toml").write_text(HOSTILE_TOML["deep arrays"], encoding="utf-8")
    code, errors = run("lint", "--specs", "specs", cwd=tmp_path)
    assert code == 2, errors
    assert errors.startswith("pyproject.toml: error: "), errors


@pytest.mark.parametrize("base", ["0x" + "f" * 5000, "0o" + "7" * 5000, "0b" + "1" * 15000])
def test_a_long_integer_in_any_base_where_a_number_is_read_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, base: str
) -> None:
    """Read where a setting takes a number (`jobs`, an override's `default`), it would reach
    the messages and the generated code, which cannot write it."""
    specs, out = generated
    before = tree(out)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[tool.docs2models]\npackage = "zoo"\njobs = {base}\n', encoding="utf-8")
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(f'["shared.Pet.name"]\ndefault = {base}\n', encoding="utf-8")
    for flags, file in (
        (["--config", str(settings)], settings),
        (["--overrides", str(overrides), "--no-cache"], overrides),
    ):
        code, errors = generate(specs, out, "-v", *flags)
        assert code == 2, errors
        assert f"{file}: error: " in errors, errors
        assert REASONS["digit"] in errors, errors
        assert tree(out) == before


@pytest.mark.parametrize("case", HOSTILE_TOML)
def test_a_hostile_overrides_file_is_an_error(
    generated: tuple[Path, Path], tmp_path: Path, case: str
) -> None:
    specs, out = generated
    before = tree(out)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('["shared.Pet"]\nerror = true\n' + HOSTILE_TOML[case], encoding="utf-8")
    for check in ([], ["--check"]):
        code, errors = generate(specs, out, "--overrides", str(overrides), *check)
        assert code == 2, errors
        assert f"{overrides}: error: " in errors, errors
        assert _reason(case) in errors, errors
        assert tree(out) == before


def test_overrides_that_are_not_toml_are_an_error_at_their_line(
    generated: tuple[Path, Path], tmp_path: Path
) -> None:
    specs, out = generated
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('["shared.Pet"]\nerror = true\nopen = \n', encoding="utf-8")
    code, errors = generate(specs, out, "--overrides", str(overrides))
    assert code == 2, errors
    assert f"{overrides}:3: error: the overrides file is not valid TOML: " in errors, errors


@pytest.mark.parametrize("case", [*HOSTILE_JSON, "not JSON"])
def test_a_hostile_manifest_in_output_is_an_error(generated: tuple[Path, Path], case: str) -> None:
    specs, out = generated
    manifest = out / ".docs2models-manifest.json"
    manifest.write_text(HOSTILE_JSON.get(case, '{"files": {\n<<<<<<< HEAD\n'), encoding="utf-8")
    (specs / "models" / "shared" / "pet.md").write_text(
        fields_doc("Pet", [("name", "*str*", True, "Changed.")]), encoding="utf-8"
    )
    before = tree(out)
    for check in ([], ["--check"]):
        code, errors = generate(specs, out, *check)
        assert code == 2, errors
        assert re.search(rf"^{re.escape(str(manifest))}(:\d+)?: error: the manifest ", errors, re.M)
        if case != "not JSON":
            assert _reason(case) in errors, errors
        assert tree(out) == before


@pytest.mark.parametrize("case", HOSTILE_JSON)
def test_a_hostile_journal_in_output_is_refused(generated: tuple[Path, Path], case: str) -> None:
    specs, out = generated
    journal = out / ".docs2models-journal.json"
    journal.write_text(HOSTILE_JSON[case], encoding="utf-8")
    before = tree(out)
    code, errors = generate(specs, out)
    assert code == 2, errors
    assert f"{journal}: error: .docs2models-journal.json was not written by docs2models" in errors
    assert _reason(case) in errors, errors
    assert tree(out) == before


def test_hostile_cache_entries_are_misses(tmp_path: Path) -> None:
    """Planted in the cache with valid checksums, a deep stamp and deep parsed docs are
    recomputed: the run is the run a cold cache gives."""
    specs = write_docs(tmp_path, DOCS)
    out, cache = tmp_path / "out", tmp_path / "cache"
    flags = ("--cache-dir", str(cache), "--jobs", "1")
    assert generate(specs, out, *flags)[0] == 0
    expected = tree(out)
    config = Config(specs=specs, output=out, package="zoo", cache_dir=cache, jobs=1)
    store = Store(cache)
    deep = HOSTILE_JSON["deep arrays"].encode()
    store.put(stamp.KIND, stamp._stamp_key(config), deep)
    fingerprint = generator_fingerprint()
    for relative, namespace in (("shared/pet.md", "shared"), ("errors/notfound.md", "errors")):
        data = (specs / "models" / relative).read_bytes()
        key = digest(fingerprint, f"models/{relative}", namespace, data)
        store.put("parse", key, deep)
    (out / "zoo" / "shared" / "pet.py").unlink()
    code, errors = generate(specs, out, *flags)
    assert code == 0, errors
    assert tree(out) == expected


def test_the_deepest_type_a_doc_may_have_round_trips_through_the_parse_cache() -> None:
    """A utility page's embedded model whose Type nests as deep as a type cell may: its
    parsed form nests deepest of all that the parse cache holds, and is read back."""
    cell = "str"
    for _ in range(TYPE_DEPTH):
        cell = f"Dict[str, {cell}]"
    rows = "| Name | Type | Description |\n| --- | --- | --- |\n"
    page = (
        "# Page\n\n"
        + rows
        + "| `a` | *str* | x |\n\n## Deep\n\n### Fields\n\n"
        + rows
        + f"| `b` | *{cell}* | x |\n"
    )
    parsed = parse_sources([DocSource("utils/page.md", "utils", page.encode())])[0]
    assert parsed[0] is not None and parsed[0].embedded, parsed[1].sorted()
    doc, found = decode_parsed(encode_parsed(parsed))
    assert doc == parsed[0] and found.sorted() == parsed[1].sorted()


def _node_doc(example: str) -> str:
    """A recursive model whose `child_node` row has a JSON example cell."""
    return "\n".join(
        [
            "# Node",
            "",
            "## Fields",
            "",
            "| Field | Type | Required | Description | Example |",
            "| --- | --- | --- | --- | --- |",
            "| `name` | *str* | :heavy_check_mark: | N/A | x |",
            "| `child_node` | [shared.Node](../../models/shared/node.md) | :heavy_minus_sign: | N/A "
            f"| {example} |",
        ]
    )


def _nested(levels: int) -> str:
    """A JSON object `levels` deep, each level the `childNode` of the one above."""
    return '{"name": "x", "childNode": ' * (levels - 1) + '{"name": "x"}' + "}" * (levels - 1)


@pytest.mark.parametrize("levels", [101, 600, 5000])
def test_a_json_example_too_deep_is_a_warning_at_its_line(tmp_path: Path, levels: int) -> None:
    specs = write_docs(tmp_path, {"models/shared/node.md": _node_doc(_nested(levels))})
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 0, errors
    assert (
        "models/shared/node.md:8: warning: the JSON example is nested deeper than 100 levels "
        "of arrays and objects: not read for the keys it shows"
    ) in errors, errors


def test_a_json_example_as_deep_as_a_payload_may_be_is_read(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/shared/node.md": _node_doc(_nested(100))})
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 0, errors
    assert "warning" not in errors, errors
    module = (tmp_path / "out" / "zoo" / "shared" / "node.py").read_text(encoding="utf-8")
    assert "childNode" in module


def test_a_json_body_on_an_sdk_page_too_deep_is_a_warning_at_its_line(tmp_path: Path) -> None:
    body = _nested(300)
    page = f"# Nodes\n\n## create\n\n```json\n{body}\n```\n"
    specs = write_docs(
        tmp_path,
        {"models/shared/node.md": _node_doc('{"name": "x"}'), "sdks/nodes/README.md": page},
    )
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 0, errors
    assert "sdks/nodes/README.md:5: warning: the JSON example is nested deeper than" in errors


def test_an_enum_value_that_nests_deeply_is_its_text(tmp_path: Path) -> None:
    """A bullet's code span is read as JSON for its string or integer; any other value,
    however deep, is the span's text, as `[1]` is."""
    literal = "[" * 3000 + "]" * 3000
    doc = f"# Shape\n\n## Values\n\n- `{literal}`\n- `[1]`\n"
    specs = write_docs(tmp_path, {"models/shared/shape.md": doc})
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 0, errors
    module = (tmp_path / "out" / "zoo" / "shared" / "shape.py").read_text(encoding="utf-8")
    assert '"[1]"' in module and '"' + "[" * 3000 in module


def test_examples_are_read_as_deep_as_a_generated_package_reads_payloads() -> None:
    from generator.resolve.wire_names import EXAMPLE_DEPTH
    from generator.runtime.errors import MAX_DEPTH

    assert EXAMPLE_DEPTH == MAX_DEPTH


def _deep_list(levels: int) -> str:
    return "".join(f"{'  ' * level}- x\n" for level in range(levels))


@pytest.mark.parametrize("kind", ["union", "model"])
def test_lists_nested_deeper_than_markdown_reads_are_an_error_at_their_line(
    tmp_path: Path, kind: str
) -> None:
    """markdown-it reads blocks nested 20 deep and skips the rest of the doc: the variants
    or fields after them would be lost without a word."""
    variant = "### `{}`\n\n```python\nvalue: {} = /* values here */\n```\n\n"
    docs = {
        "union": "# U\n\n## Supported Types\n\n"
        + variant.format("str", "str")
        + _deep_list(12)
        + "\n"
        + variant.format("int", "int"),
        "model": "# M\n\nA description.\n\n"
        + _deep_list(12)
        + "\n"
        + fields_doc("M", [("name", "*str*", True, "")]).split("\n", 2)[2],
    }
    specs = write_docs(tmp_path, {"models/shared/doc.md": docs[kind]})
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 2, errors
    line = docs[kind].splitlines().index("- x") + 1 + 9  # the tenth list, in nine others
    assert f"models/shared/doc.md:{line}: error: lists or quotes nested deeper than" in errors
    assert "## Fields" not in errors, errors
    shallow = {"models/shared/doc.md": docs[kind].replace(_deep_list(12), _deep_list(8))}
    code, errors = generate(write_docs(tmp_path / "shallow", shallow), tmp_path / "o", "--no-cache")
    assert code == 0, errors


@pytest.mark.parametrize("form", ["table", "bullets"])
def test_an_integer_too_long_for_an_integer_enum_is_a_warning(tmp_path: Path, form: str) -> None:
    """Every value an integer, one longer than an integer enum holds: the enum's values are
    strings, which the API's integers do not match; that is said, at the value's line."""
    huge = "1" * 5000
    docs = {
        "table": "# Level\n\n## Values\n\n| Name | Value |\n| --- | --- |\n"
        f"| `ONE` | 1 |\n| `HUGE` | {huge} |\n",
        "bullets": f"# Level\n\n## Values\n\n- `1`\n- `{huge}`\n",
    }
    specs = write_docs(tmp_path, {"models/shared/level.md": docs[form]})
    code, errors = generate(specs, tmp_path / "out", "--no-cache")
    assert code == 0, errors
    line = 8 if form == "table" else 6
    assert f"models/shared/level.md:{line}: warning: enum value 11111111" in errors, errors
    assert "its values are strings" in errors, errors
