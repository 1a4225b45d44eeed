"""`docs2models diff`: the changes between two doc trees' resolved schemas, each kind and
each breaking rule (docs/diff.md) on small trees, the formats, --fail-on, errors, --base."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import fields_doc, run_cli, write_docs

Docs = dict[str, str]


def enum_doc(name: str, values: list[str]) -> str:
    rows = [f"| `{value.upper()}` | {value} |" for value in values]
    return "\n".join([f"# {name}", "", "## Values", "", "| Name | Value |", "| --- | --- |", *rows])


def union_doc(name: str, variants: list[str]) -> str:
    lines = [f"# {name}", "", "", "## Supported Types", ""]
    for variant in variants:
        lines += [f"### `{variant}`", "", "```python", f"value: {variant} = /* values here */"]
        lines += ["```", ""]
    return "\n".join(lines)


def example_doc(name: str, rows: list[tuple[str, str, bool, str]]) -> str:
    """A model doc whose table has an Example column: (field, type cell, required, example)."""
    lines = [f"# {name}", "", "## Fields", ""]
    lines += [
        "| Field | Type | Required | Description | Example |",
        "| --- | --- | --- | --- | --- |",
    ]
    for field, type_cell, required, example in rows:
        marker = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        lines.append(f"| `{field}` | {type_cell} | {marker} | N/A | {example} |")
    return "\n".join(lines)


def diff(
    root: Path, old: Docs, new: Docs, *flags: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """`docs2models diff OLD NEW --format json` on two trees written under `root`."""
    old_specs = write_docs(root / "old", old)
    new_specs = write_docs(root / "new", new)
    result = run_cli("diff", str(old_specs), str(new_specs), "--format", "json", *flags)
    changes = json.loads(result.stdout)["changes"] if result.returncode in (0, 1) else []
    return result, changes


def find(changes: list[dict[str, Any]], kind: str, cls: str, **identity: str) -> dict[str, Any]:
    found = [
        change
        for change in changes
        if change["kind"] == kind
        and change.get("class") == cls
        and all(change.get(key) == value for key, value in identity.items())
    ]
    assert len(found) == 1, f"{kind} {cls} {identity}: {found} in {changes}"
    return found[0]


def pet(rows: list[tuple[str, str, bool, str]]) -> str:
    return fields_doc("Pet", rows)


SPECIES = "[models.Species](../models/species.md)"
HOME = "[Optional[models.Home]](../models/home.md)"
ANIMAL = ("animal", "[models.Animal](../models/animal.md)", True, "")

# No operations: every class may be read or built, so every rule that can break, does.
OLD: Docs = {
    "models/pet.md": pet(
        [
            ("name", "*str*", True, "The name."),
            ("age", "*Optional[int]*", False, ""),
            ("tag", "*str*", True, ""),
            ("color", "*str*", True, ""),
            ("nick", "*Optional[str]*", False, ""),
            ("owner", "*str*", True, ""),
            ("species", SPECIES, True, ""),
        ]
    ),
    "models/species.md": enum_doc("Species", ["dog", "cat", "bird"]),
    "models/animal.md": union_doc("Animal", ["models.Pet", "str"]),
    "models/gone.md": fields_doc("Gone", [("id", "*int*", True, "")]),
    "models/shape.md": fields_doc("Shape", [("sides", "*int*", True, "")]),
    "models/home.md": fields_doc("Home", [("zip_code", "*str*", True, "")]),
    "models/visit.md": example_doc("Visit", [("home", HOME, False, ""), ANIMAL]),
    "models/note.md": fields_doc(
        "Note", [("text", "*str*", True, "The text."), ("lang", "*str*", False, "")], "A note."
    ),
}
NEW: Docs = {
    "models/pet.md": pet(
        [
            ("name", "*str*", True, "The name."),
            ("age", "*Optional[int]*", False, ""),
            ("color", "*int*", True, ""),
            ("nick", "*str*", True, ""),
            ("owner", "*Nullable[str]*", True, ""),
            ("species", SPECIES, True, ""),
            ("weight", "*Optional[float]*", False, ""),
            ("chip", "*str*", True, ""),
        ]
    ),
    "models/species.md": enum_doc("Species", ["dog", "cat", "fish"]),
    "models/animal.md": union_doc("Animal", ["models.Pet", "int"]),
    "models/dog.md": fields_doc("Dog", [("id", "*int*", True, "")]),
    "models/shape.md": enum_doc("Shape", ["circle", "square"]),
    "models/home.md": fields_doc("Home", [("zip_code", "*str*", True, "")]),
    "models/visit.md": example_doc("Visit", [("home", HOME, False, '{"zipCode": "1"}'), ANIMAL]),
    # Moved to another file of its folder, rows reordered, descriptions rewritten.
    "models/zz_note.md": fields_doc(
        "Note", [("lang", "*str*", False, ""), ("text", "*str*", True, "What it says.")], "Notes."
    ),
}


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    result, changes = diff(tmp_path_factory.mktemp("kinds"), OLD, NEW)
    assert result.returncode == 0, result.stderr
    return changes


# (kind, class, identity, breaking): every class-level kind, each with what a class that code
# may both read and build makes of it.
CLASS_CHANGES = [
    ("class-added", "models.Dog", {}, False),
    ("class-removed", "models.Gone", {}, True),
    ("kind-changed", "models.Shape", {}, True),
    ("field-added", "models.Pet", {"field": "weight"}, False),
    ("field-added", "models.Pet", {"field": "chip"}, True),
    ("field-removed", "models.Pet", {"field": "tag"}, True),
    ("type-changed", "models.Pet", {"field": "color"}, True),
    ("required-changed", "models.Pet", {"field": "nick"}, True),
    ("nullable-changed", "models.Pet", {"field": "owner"}, True),
    ("nullable-changed", "models.Pet", {"field": "nick"}, True),
    ("wire-name-changed", "models.Home", {"field": "zip_code"}, True),
    ("member-added", "models.Species", {"member": "fish"}, False),
    ("member-removed", "models.Species", {"member": "bird"}, True),
    ("variant-added", "models.Animal", {"variant": "int"}, False),
    ("variant-removed", "models.Animal", {"variant": "str"}, True),
]


@pytest.mark.parametrize(("kind", "cls", "identity", "breaking"), CLASS_CHANGES)
def test_each_kind_of_class_change(
    kinds: list[dict[str, Any]], kind: str, cls: str, identity: dict[str, str], breaking: bool
) -> None:
    assert find(kinds, kind, cls, **identity)["breaking"] is breaking


def test_nothing_else_changed(kinds: list[dict[str, Any]]) -> None:
    """A doc moved to another file, its rows reordered and its descriptions rewritten is no
    change; neither is a field whose doc did not change."""
    assert len(kinds) == len(CLASS_CHANGES), kinds
    assert not [change for change in kinds if change["class"] == "models.Note"]


def test_records_carry_the_format_of_the_history_pairs(kinds: list[dict[str, Any]]) -> None:
    color = find(kinds, "type-changed", "models.Pet", field="color")
    assert (color["old"], color["new"]) == ("str", "int")
    assert color["message"] == "models.Pet.color: type str -> int"
    assert find(kinds, "field-added", "models.Pet", field="chip")["new"] == {"required": True}
    nick = find(kinds, "required-changed", "models.Pet", field="nick")
    assert (nick["old"], nick["new"]) == (False, True)
    assert find(kinds, "kind-changed", "models.Shape")["new"] == "enum"
    assert set(find(kinds, "class-added", "models.Dog")) == {"kind", "class", "breaking", "message"}
    keys = [
        (c["class"], c["kind"], c.get("field") or c.get("member") or c.get("variant") or "")
        for c in kinds
    ]
    assert keys == sorted(keys)


def test_include_docs_lists_descriptions(tmp_path: Path) -> None:
    result, changes = diff(tmp_path, OLD, NEW, "--include-docs")
    assert result.returncode == 0, result.stderr
    described = {
        (c["class"], c.get("field", "")) for c in changes if c["kind"] == "description-changed"
    }
    assert described == {("models.Note", ""), ("models.Note", "text"), ("models.Visit", "home")}
    assert not any(c["breaking"] for c in changes if c["kind"] == "description-changed")


def test_attribute_that_gains_an_underscore_is_the_same_field(tmp_path: Path) -> None:
    """A field named like a class its model now refers to is generated as `name_`: a type
    change of the field, not a field removed and another added."""
    old = {"models/box.md": fields_doc("Box", [("Item", "*str*", True, "")])}
    new = {
        "models/box.md": fields_doc(
            "Box", [("Item", "[models.Item](../models/item.md)", True, "")]
        ),
        "models/item.md": fields_doc("Item", [("id", "*int*", True, "")]),
    }
    result, changes = diff(tmp_path, old, new)
    assert result.returncode == 0, result.stderr
    assert [c["kind"] for c in changes] == ["type-changed", "class-added"]


def test_docs_at_the_top_of_folders_of_other_names(tmp_path: Path) -> None:
    """Docs at the top of a specs folder take its name as namespace: `old` and `new` are one."""
    owner = fields_doc("Owner", [("pet", "[Pet](pet.md)", True, "")])
    old = {"pet.md": fields_doc("Pet", [("id", "*int*", True, "")]), "owner.md": owner}
    new = {**old, "pet.md": fields_doc("Pet", [("id", "*str*", True, "")])}
    old_specs = write_docs(tmp_path / "a", old).rename(tmp_path / "old")
    new_specs = write_docs(tmp_path / "b", new).rename(tmp_path / "new")
    result = run_cli("diff", str(old_specs), str(new_specs), "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [(c["kind"], c["class"]) for c in changes] == [("type-changed", "new.Pet")]


def test_identical_trees_have_no_changes(tmp_path: Path) -> None:
    result, changes = diff(tmp_path, OLD, OLD, "--fail-on", "any")
    assert (result.returncode, changes) == (0, [])
    assert "no changes" in result.stderr


def test_unions_spelled_out_are_compared_where_they_are_used(tmp_path: Path) -> None:
    """A union doc that no type names (each field writes `Union[...]` and links to it) is no
    class of its own: a new variant is a type change of the fields that spell it out."""
    link = "[Union[models.Cat, models.Dog{}]](../models/pets.md)"
    cat, dog, fox = (
        fields_doc(name, [("id", "*int*", True, "")]) for name in ("Cat", "Dog", "Fox")
    )
    old = {
        "models/owner.md": fields_doc("Owner", [("pet", link.format(""), True, "")]),
        "models/pets.md": union_doc("Pets", ["models.Cat", "models.Dog"]),
        "models/cat.md": cat,
        "models/dog.md": dog,
    }
    new = {
        **old,
        "models/owner.md": fields_doc("Owner", [("pet", link.format(", models.Fox"), True, "")]),
        "models/pets.md": union_doc("Pets", ["models.Cat", "models.Dog", "models.Fox"]),
        "models/fox.md": fox,
        "models/more.md": union_doc("More", ["models.Cat", "str"]),
    }
    result, changes = diff(tmp_path, old, new)
    assert result.returncode == 0, result.stderr
    assert [(c["kind"], c["class"]) for c in changes] == [
        ("class-added", "models.Fox"),
        ("type-changed", "models.Owner"),
    ]


def test_unions_no_type_uses_are_classes_where_the_docs_name_their_unions(
    tmp_path: Path,
) -> None:
    """Where fields name their unions (`[models.Pets](pets.md)`, as v2 SDKs do), a union doc
    that nothing uses is still a class the package exports: code may import it."""
    old = {
        "models/owner.md": fields_doc("Owner", [("pet", "[models.Pets](pets.md)", True, "")]),
        "models/pets.md": union_doc("Pets", ["int", "str"]),
        "models/key.md": union_doc("Key", ["int", "str"]),
        "models/gone.md": union_doc("Gone", ["int", "str"]),
    }
    new = {
        **{path: doc for path, doc in old.items() if path != "models/gone.md"},
        "models/key.md": union_doc("Key", ["int", "str", "bool"]),
        "models/more.md": union_doc("More", ["int", "bool"]),
    }
    result, changes = diff(tmp_path, old, new)
    assert result.returncode == 0, result.stderr
    assert [(c["kind"], c["class"], c.get("variant")) for c in changes] == [
        ("class-removed", "models.Gone", None),
        ("variant-added", "models.Key", "bool"),
        ("class-added", "models.More", None),
    ]


def test_fail_on(tmp_path: Path) -> None:
    only_added = {**OLD, "models/dog.md": NEW["models/dog.md"]}
    assert diff(tmp_path / "a", OLD, NEW, "--fail-on", "breaking")[0].returncode == 1
    assert diff(tmp_path / "b", OLD, only_added, "--fail-on", "breaking")[0].returncode == 0
    assert diff(tmp_path / "c", OLD, only_added, "--fail-on", "any")[0].returncode == 1
    assert diff(tmp_path / "d", OLD, NEW)[0].returncode == 0


def run_format(root: Path, old: Docs, new: Docs, output_format: str) -> str:
    old_specs, new_specs = write_docs(root / "old", old), write_docs(root / "new", new)
    result = run_cli("diff", str(old_specs), str(new_specs), "--format", output_format)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_text_lists_breaking_changes_first(tmp_path: Path) -> None:
    lines = run_format(tmp_path, OLD, NEW, "text").splitlines()
    assert len(lines) == len(CLASS_CHANGES)
    assert "class-removed: models.Gone removed (breaking)" in lines
    assert "class-added: models.Dog added" in lines
    marks = [line.endswith("(breaking)") for line in lines]
    assert marks == sorted(marks, reverse=True)


def test_markdown_is_a_pull_request_body(tmp_path: Path) -> None:
    text = run_format(tmp_path, OLD, NEW, "markdown")
    assert text.startswith("## API changes: 11 breaking change(s), 4 other change(s)\n")
    assert text.index("### Breaking changes") < text.index("### Other changes")
    assert "- classes removed: `models.Gone`\n" in text
    assert (
        "- `models.Pet`: `chip` added (required); `color`: `str` -> `int`; "
        "`nick`: not nullable now, required now; `owner`: nullable now; `tag` removed\n"
    ) in text
    assert "- `models.Species`: member removed: `bird`\n" in text


def test_markdown_stays_short_for_hundreds_of_changes(tmp_path: Path) -> None:
    """A line for all the classes a namespace gains, a line for each class's changes."""
    rows = [(f"field_{n}", "*str*", False, "") for n in range(200)]
    new = dict(OLD)
    new.update({f"models/new{n}.md": fields_doc(f"New{n}", rows[:1]) for n in range(200)})
    new["models/gone.md"] = fields_doc("Gone", [("id", "*int*", True, ""), *rows])
    text = run_format(tmp_path, OLD, new, "markdown")
    assert "400 other change(s)" in text
    assert len(text.splitlines()) < 15


def test_errors_of_both_sides_name_their_side(tmp_path: Path) -> None:
    bad = "# Bad\n\n## Fields\n\n| Field | Type | Required | Description |\n| --- |\n"
    old = {**OLD, "models/bad.md": bad}
    new = {**NEW, "models/worse.md": "no title here\n"}
    result, _ = diff(tmp_path, old, new)
    assert result.returncode == 2
    old_specs, new_specs = tmp_path / "old" / "specs", tmp_path / "new" / "specs"
    assert f"old: {old_specs}/models/bad.md:" in result.stderr
    assert f"new: {new_specs}/models/worse.md:1: error:" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [["only-one"], ["a", "b", "--base", "HEAD"], []],
    ids=["one-folder", "folders-and-base", "nothing"],
)
def test_what_to_compare_must_be_said_once(arguments: list[str]) -> None:
    result = run_cli("diff", *arguments)
    assert result.returncode == 2
    assert "OLD NEW" in result.stderr or "OLD and NEW" in result.stderr


def test_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = run_cli("diff", str(tmp_path / "nowhere"), str(write_docs(tmp_path, OLD)))
    assert result.returncode == 2
    assert f"docs2models: error: old: {tmp_path / 'nowhere'} is not a directory" in result.stderr


def test_a_side_without_docs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("diff", str(write_docs(tmp_path, OLD)), str(tmp_path / "empty"))
    assert result.returncode == 2
    assert f"docs2models: error: new: no model docs under {tmp_path / 'empty'}" in result.stderr


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_base_compares_a_revision_with_the_working_tree(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_docs(repo / "old", OLD).rename(repo / "docs")
    (repo / "overrides.toml").write_text('["models.Pet.name"]\nwire_name = "petName"\n')
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "old docs")
    for path in (repo / "docs").rglob("*.md"):
        path.unlink()
    for relative, text in NEW.items():
        (repo / "docs" / relative).write_text(text, encoding="utf-8")
    # Written for the new docs: the old ones, at HEAD, are read with the overrides of HEAD.
    (repo / "overrides.toml").write_text(
        '["models.Pet.name"]\nwire_name = "petName"\n["models.Dog.id"]\nwire_name = "dogId"\n'
    )
    status = git(repo, "status", "--porcelain")
    arguments = ("--specs", "docs", "--overrides", "overrides.toml", "--format", "json")
    result = run_cli("diff", "--base", "HEAD", *arguments, cwd=repo)
    assert result.returncode == 0, result.stderr
    found = {(c["kind"], c["class"]) for c in json.loads(result.stdout)["changes"]}
    assert ("class-added", "models.Dog") in found
    assert ("class-removed", "models.Gone") in found
    assert len(found) == len({(kind, cls) for kind, cls, _, _ in CLASS_CHANGES})
    assert git(repo, "status", "--porcelain") == status  # nothing checked out


def test_base_refuses_outside_a_repository(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, OLD)
    result = run_cli("diff", "--base", "HEAD", "--specs", str(specs), cwd=tmp_path)
    assert result.returncode == 2
    assert "--base needs a git repository" in result.stderr
    assert "is not inside one" in result.stderr


@pytest.mark.parametrize(
    ("revision", "specs", "message"),
    [
        ("no-such-branch", "docs", "--base no-such-branch: no such commit"),
        ("HEAD", "other", "--base HEAD: other holds no docs at that revision"),
    ],
)
def test_base_names_what_the_revision_lacks(
    tmp_path: Path, revision: str, specs: str, message: str
) -> None:
    write_docs(tmp_path, OLD).rename(tmp_path / "docs")
    write_docs(tmp_path / "x", OLD).rename(tmp_path / "other")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "docs")
    git(tmp_path, "commit", "-q", "-m", "docs")
    result = run_cli("diff", "--base", revision, "--specs", specs, cwd=tmp_path)
    assert result.returncode == 2
    assert f"docs2models: error: {message}" in result.stderr
