"""`docs2models diff`: the breaking rules of docs/diff.md, one test each, on a tree whose SDK
page says which classes code reads (what operations return) and which it builds (what they
take); and the changes of operations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diff.types import relation
from generator.model.docs import TypeKind, TypeRef
from generator.parse.typecell import parse_type_cell
from tests.conftest import fields_doc
from tests.test_diff import Docs, diff, example_doc, find

ERRORS_HEADER = ["| Error Type | Status Code | Content Type |", "| --- | --- | --- |"]


def operation(name: str, parameter: str, response: str, errors: list[str]) -> list[str]:
    lines = [f"## {name}", "", f"Does {name}.", "", "### Parameters", ""]
    lines += ["| Parameter | Type | Required | Description |", "| --- | --- | --- | --- |"]
    lines += [f"| `request` | {parameter} | :heavy_check_mark: | The request. |", ""]
    lines += ["### Response", "", f"**{response}**", ""]
    if errors:
        lines += ["### Errors", "", *ERRORS_HEADER, *errors, ""]
    return lines


def sdk_page(operations: list[tuple[str, str, str, list[str]]]) -> str:
    lines = ["# Pets", "(*pets*)", "", "## Overview", "", "### Available Operations", ""]
    lines += [f"* [{name}](#{name}) - Does {name}" for name, *_ in operations] + [""]
    for name, parameter, response, errors in operations:
        lines += operation(name, parameter, response, errors)
    return "\n".join(lines)


REPLY = "[models.Reply](../../models/reply.md)"
NEW_PET = "[models.NewPet](../../models/newpet.md)"
NOT_FOUND = "| errors.NotFound | 404 | application/json |"


def model(name: str, part: str, new: bool) -> str:
    """A model with a field for each rule: as it was (`new` False) and as it became."""
    link = f"[Optional[models.{part}]](../models/{part.lower()}.md)"
    rows = [
        ("widened", "*float*" if new else "*int*", True, ""),
        ("narrowed", "*int*" if new else "*float*", True, ""),
        ("to_required", "*str*" if new else "*Optional[str]*", new, ""),
        ("to_nullable", "*Nullable[str]*" if new else "*str*", True, ""),
        ("from_nullable", "*str*" if new else "*Nullable[str]*", True, ""),
        ("part", link, False, '{"partKey": 1}' if new else ""),
    ]
    if new:
        rows.append(("added", "*str*", True, ""))
    else:
        rows.append(("dropped", "*str*", False, ""))
    return example_doc(name, rows)


def tree(new: bool) -> Docs:
    get_errors = ["| errors.Missing | 404 | application/json |"] if new else [NOT_FOUND]
    operations = [
        ("get_pet", "*int*", REPLY, get_errors),
        ("add_pet", NEW_PET, REPLY, [NOT_FOUND]),
        ("list_pets", "*int*", REPLY if new else f"List[{REPLY}]", []),
        ("feed_pet" if new else "delete_pet", "*int*", REPLY, []),
    ]
    docs = {
        "sdks/pets/README.md": sdk_page(operations),
        "models/reply.md": model("Reply", "ReplyPart", new),
        "models/newpet.md": model("NewPet", "NewPart", new),
        "errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "")]),
    }
    for part in ("ReplyPart", "NewPart"):
        docs[f"models/{part.lower()}.md"] = fields_doc(part, [("part_key", "*int*", True, "")])
    if new:
        docs["errors/missing.md"] = fields_doc("Missing", [("message", "*str*", True, "")])
    return docs


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    # Settings apply to both sides: the one key an example shows is the only one that changes.
    root = tmp_path_factory.mktemp("roles")
    result, found = diff(root, tree(False), tree(True), "--wire-names", "snake")
    assert result.returncode == 0, result.stderr
    assert [c["field"] for c in found if c["kind"] == "wire-name-changed"] == ["part_key"] * 2
    return found


# (rule, kind, field, breaks code that reads the class, breaks code that builds it)
RULES = [
    ("required field added", "field-added", "added", False, True),
    ("field removed", "field-removed", "dropped", True, True),
    ("type widened", "type-changed", "widened", True, False),
    ("type narrowed", "type-changed", "narrowed", False, True),
    ("optional field became required", "required-changed", "to_required", False, True),
    ("field became nullable", "nullable-changed", "to_nullable", True, False),
    ("field no longer nullable", "nullable-changed", "from_nullable", False, True),
]


@pytest.mark.parametrize(("rule", "kind", "field", "read", "built"), RULES)
def test_breaking_rule(
    changes: list[dict[str, Any]], rule: str, kind: str, field: str, read: bool, built: bool
) -> None:
    """`models.Reply` is what operations return (read), `models.NewPet` what one takes (built)."""
    assert find(changes, kind, "models.Reply", field=field)["breaking"] is read, rule
    assert find(changes, kind, "models.NewPet", field=field)["breaking"] is built, rule


def test_wire_name_breaks_only_what_code_builds(changes: list[dict[str, Any]]) -> None:
    """Objects built in Python send the new key; payloads are read under either key."""
    assert not find(changes, "wire-name-changed", "models.ReplyPart", field="part_key")["breaking"]
    assert find(changes, "wire-name-changed", "models.NewPart", field="part_key")["breaking"]


# (kind, operation, class, breaking)
OPERATIONS = [
    ("operation-added", "pets.feed_pet", "", False),
    ("operation-removed", "pets.delete_pet", "", True),
    ("response-changed", "pets.list_pets", "", True),
    ("error-added", "pets.get_pet", "errors.Missing", False),
    ("error-removed", "pets.get_pet", "errors.NotFound", True),
]


@pytest.mark.parametrize(("kind", "name", "cls", "breaking"), OPERATIONS)
def test_each_kind_of_operation_change(
    changes: list[dict[str, Any]], kind: str, name: str, cls: str, breaking: bool
) -> None:
    found = [c for c in changes if c["kind"] == kind and c.get("operation") == name]
    assert len(found) == 1, changes
    assert found[0].get("class", "") == cls
    assert found[0]["breaking"] is breaking


def test_response_change_names_both_types(changes: list[dict[str, Any]]) -> None:
    change = next(c for c in changes if c["kind"] == "response-changed")
    assert (change["old"], change["new"]) == ("list[models.Reply]", "models.Reply")


def test_additions_never_break(changes: list[dict[str, Any]]) -> None:
    added = [c for c in changes if c["kind"].endswith("-added") and c["kind"] != "field-added"]
    assert added and not any(c["breaking"] for c in added)


def test_a_class_no_operation_reaches_may_be_read_or_built(tmp_path: Path) -> None:
    """Without an SDK page every rule that can break code that reads or builds, does."""
    old = {k: v for k, v in tree(False).items() if not k.startswith("sdks/")}
    new = {k: v for k, v in tree(True).items() if not k.startswith("sdks/")}
    result, found = diff(tmp_path, old, new)
    assert result.returncode == 0, result.stderr
    for _, kind, field, _, _ in RULES:
        assert find(found, kind, "models.Reply", field=field)["breaking"], (kind, field)


def _type(text: str) -> TypeRef:
    """A resolved type from a Type cell's text (classes in namespace `models`)."""

    def resolved(node: TypeRef) -> TypeRef:
        if node.kind is TypeKind.REF:
            return TypeRef(TypeKind.REF, node.name, "models")
        args = tuple(resolved(arg) for arg in node.args)
        return TypeRef(node.kind, node.name, node.namespace, args=args, literals=node.literals)

    return resolved(parse_type_cell(text))


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        ("Union[models.Cat, models.Dog]", "Union[models.Dog, models.Cat]", "same"),
        ("Union[models.Cat, models.Dog]", "Union[models.Cat, models.Dog, str]", "wider"),
        ("Union[models.Cat, str]", "models.Cat", "narrower"),
        ("Literal['a']", "str", "wider"),
        ("List[int]", "List[float]", "wider"),
        ("Dict[str, Any]", "Dict[str, int]", "narrower"),
        ("Union[int, float]", "float", "other"),
        ("str", "int", "other"),
        ("models.Cat", "models.Dog", "other"),
    ],
)
def test_how_a_type_relates_to_the_one_it_replaces(old: str, new: str, direction: str) -> None:
    assert relation(_type(old), _type(new)).value == direction
