"""Every tree Speakeasy writes generates: warnings where the docs are lossy, errors only where no
class can be made, and settings problems said as such. Through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs

PET = fields_doc("Pet", [("name", "*str*", True, "The pet's name.")])


def cli(specs: Path, *args: str, command: str = "generate") -> tuple[int, list[str], list[str]]:
    """(exit code, stdout lines, stderr lines) of a command on `specs`."""
    extra = ["--output", str(specs.parent / "out"), "--package", "zoo", "--no-cache"]
    if command != "generate":
        extra = ["--no-cache"]
    result = run_cli(command, "--specs", str(specs), *extra, *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout.splitlines(), result.stderr.splitlines()


def test_headings_inside_a_description_are_description(tmp_path: Path) -> None:
    doc = fields_doc(
        "Report",
        [("rows", "*int*", True, "")],
        description="A report.\n\n## Overview\n\nWhat it holds.\n\n## Accessing the report\n\nBy id.",
    )
    specs = write_docs(tmp_path, {"models/shared/report.md": doc})
    code, _, errors = cli(specs)
    assert code == 0 and not [line for line in errors if "warning" in line], errors
    text = (tmp_path / "out" / "zoo" / "shared" / "report.py").read_text()
    assert "## Overview" in text and "## Accessing the report" in text and "By id." in text


def test_an_unknown_section_after_the_known_ones_is_a_warning(tmp_path: Path) -> None:
    doc = PET + "\n\n## Notes\n\nMore text.\n"
    specs = write_docs(tmp_path, {"models/shared/pet.md": doc})
    code, _, errors = cli(specs)
    assert code == 0
    assert any("pet.md:10: warning: section `## Notes` is not read" in line for line in errors)
    code, _, errors = cli(specs, "--strict")
    assert code == 2
    assert any("pet.md:10: error: section `## Notes` is not read" in line for line in errors)


MISSING_LINK = fields_doc(
    "Job",
    [
        ("name", "*str*", True, ""),
        ("target", "[Optional[shared.TargetSpec]](../../models/shared/targetspec.md)", False, ""),
    ],
)


def test_a_link_to_a_page_the_tree_lacks_is_a_warning_and_takes_any_value(
    tmp_path: Path,
) -> None:
    specs = write_docs(tmp_path, {"models/shared/job.md": MISSING_LINK})
    code, _, errors = cli(specs)
    assert code == 0, errors
    assert any(
        line.startswith("models/shared/job.md:")
        and ": warning: the linked page models/shared/targetspec.md does not exist" in line
        for line in errors
    ), errors
    run_python(
        """
        from zoo.shared import Job
        job = Job.from_dict({"name": "a", "target": {"any": ["thing"]}})
        assert job.target == {"any": ["thing"]}
        source = open(__import__("zoo.shared.job", fromlist=["x"]).__file__).read()
        assert "`TargetSpec`, whose page is missing" in source
        """,
        tmp_path / "out",
    )
    assert cli(specs, "--strict")[0] == 2


SDK_PAGE = """
# Pets
(*pets*)

## create_pet

### Response

**[operations.CreatePetResponse](../../models/operations/createpetresponse.md)**

### Errors

| Error Type | Status Code | Content Type |
| --- | --- | --- |
| errors.Invalid | 422 | application/json |
"""


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_an_error_class_used_as_a_type_reads_its_body(tmp_path: Path, target: str) -> None:
    docs = {
        "sdks/pets/README.md": SDK_PAGE,
        "models/errors/invalid.md": fields_doc("Invalid", [("detail", "*str*", True, "")]),
        "models/operations/createpetresponse.md": fields_doc(
            "CreatePetResponse",
            [
                (
                    "one_of",
                    "[Optional[operations.CreatePetResponseBody]]"
                    "(../../models/operations/createpetresponsebody.md)",
                    False,
                    "",
                )
            ],
        ),
        "models/operations/createpetresponsebody.md": "# CreatePetResponseBody\n\n"
        "## Supported Types\n\n### `shared.Pet`\n\n"
        "```python\nvalue: shared.Pet = /* values here */\n```\n\n### `errors.Invalid`\n\n"
        "```python\nvalue: errors.Invalid = /* values here */\n```\n",
        "models/shared/pet.md": PET,
    }
    specs = write_docs(tmp_path, docs)
    code, _, errors = cli(specs, "--target", target)
    assert code == 0, errors
    run_python(
        """
        from zoo import ApiError
        from zoo.errors import Invalid
        from zoo.operations import CreatePetResponse
        payload = {"one_of": {"detail": "bad"}}
        response = CreatePetResponse.from_dict(payload)
        # Read as a type, the error holds the body it was sent; it can still be raised.
        assert isinstance(response.one_of, Invalid) and response.one_of.detail == "bad"
        assert response.to_dict() == payload and "bad" in str(response.one_of)
        assert isinstance(response.one_of, ApiError)
        """,
        tmp_path / "out",
    )


def test_settings_problems_are_said_as_settings_problems(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/shared/pet.md": PET})
    code, _, errors = cli(tmp_path / "nowhere")
    assert code == 2
    assert errors[0].startswith("docs2models: error: specs directory ") and "not found" in errors[0]
    assert len(errors) == 1, errors
    for package in ("pydantic", "json", "1x"):
        result = run_cli(
            "generate", "--specs", str(specs), "--output", str(tmp_path / "o"), "--package", package
        )
        assert result.returncode == 2, (package, result.stderr)
        assert result.stderr.startswith("docs2models: error: package name"), result.stderr
        assert not (tmp_path / "o").exists()


def test_lint_and_report_never_speak_of_writing(tmp_path: Path) -> None:
    specs = write_docs(
        tmp_path, {"models/shared/pet.md": fields_doc("Pet", [("a", "List[*str*", True, "")])}
    )
    for command in ("lint", "report"):
        code, _, errors = cli(specs, command=command)
        assert code == 2 and errors[-1] == "docs2models: 1 error(s) in the docs", errors


def test_lint_ends_with_a_summary(tmp_path: Path) -> None:
    specs = write_docs(
        tmp_path, {"models/shared/pet.md": PET, "models/shared/job.md": MISSING_LINK}
    )
    code, out, _ = cli(specs, command="lint")
    assert code == 0
    assert out[-1] == "docs2models: 2 docs, 2 classes, 0 operations, 1 warning(s)", out


def test_check_prints_the_warnings_and_a_no_op_its_timings(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/shared/job.md": MISSING_LINK})
    out = tmp_path / "out"
    assert (
        run_cli(
            "generate", "--specs", str(specs), "--output", str(out), "--package", "zoo"
        ).returncode
        == 0
    )
    check = run_cli(
        "generate", "--check", "--specs", str(specs), "--output", str(out), "--package", "zoo"
    )
    assert check.returncode == 0 and "warning: the linked page" in check.stderr, check.stderr
    again = run_cli(
        "generate", "-v", "--specs", str(specs), "--output", str(out), "--package", "zoo"
    )
    assert "(inputs unchanged)" in again.stderr and " ms" in again.stderr, again.stderr


def test_the_strict_nullability_line_reads_well(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/shared/pet.md": PET})
    _, out, _ = cli(specs, "--nullability", "strict", command="report")
    line = next(line for line in out if line.startswith("nullability:"))
    assert line.startswith(
        "nullability: strict: silent required collections and dates keep the docs' types ("
    ), line


def test_an_enum_without_values_is_an_error(tmp_path: Path) -> None:
    doc = "# Colour\n\n## Values\n\n| Name | Value |\n| --- | --- |\n"
    specs = write_docs(tmp_path, {"models/shared/colour.md": doc})
    code, _, errors = cli(specs)
    assert code == 2
    assert any("colour.md:5: error: the `## Values` table has no rows" in line for line in errors)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("default = inf", "must be a finite number"),
        ("default = nan", "must be a finite number"),
        ('rename = "str"', "would shadow"),
        ('rename = "_MODULES"', "is reserved by the generated namespace modules"),
        ('rename = "TYPE_CHECKING"', "is reserved by the generated namespace modules"),
        ('rename = "print"', "would shadow a builtin"),
        ('rename = "_linking"', "would shadow a name the generated modules use"),
        ('rename = "_1x"', "starts with a digit"),
    ],
)
def test_overrides_are_checked_like_the_docs(tmp_path: Path, setting: str, message: str) -> None:
    doc = fields_doc("Pet", [("name", "*str*", True, ""), ("age", "*Optional[float]*", False, "")])
    specs = write_docs(tmp_path, {"models/shared/pet.md": doc})
    target = "shared.Pet.age" if setting.startswith("default") else "shared.Pet"
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(f'["{target}"]\n{setting}\n', encoding="utf-8")
    code, _, errors = cli(specs, "--overrides", str(overrides))
    assert code == 2
    assert any(
        line.startswith(f"{overrides}:") and ": error: " in line and message in line
        for line in errors
    ), errors


def test_a_real_tree_generates_with_a_headings_description_and_a_missing_page(
    tmp_path: Path,
) -> None:
    """Both lossy shapes at once, in a package that imports and reads a payload."""
    doc = fields_doc(
        "Job",
        [
            ("name", "*str*", True, ""),
            ("target", "[shared.TargetSpec](../../models/shared/targetspec.md)", True, ""),
        ],
        description="A job.\n\n## Support for retries\n\nNone.",
    )
    specs = write_docs(tmp_path, {"models/shared/job.md": doc})
    output = generate_with_cli(specs, tmp_path / "gen", "jobs")
    run_python(
        """
        from jobs.shared import Job
        assert Job.from_dict({"name": "a", "target": 3}).to_dict() == {"name": "a", "target": 3}
        """,
        output,
    )


HTTP_META = {
    "models/components/httpmetadata.md": fields_doc(
        "HTTPMetadata",
        [
            ("response", "[httpx.Response](https://www.python-httpx.org/api/#response)", True, ""),
            ("request", "[httpx.Request](https://www.python-httpx.org/api/#request)", True, ""),
        ],
    ),
    "models/operations/listpetsresponse.md": fields_doc(
        "ListPetsResponse",
        [
            ("http_meta", "[components.HTTPMetadata](../components/httpmetadata.md)", True, ""),
            ("pets", "List[*str*]", True, ""),
        ],
    ),
}


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_sdk_plumbing_is_optional_and_never_written(tmp_path: Path, target: str) -> None:
    specs = write_docs(tmp_path, HTTP_META)
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    run_python(
        """
        from zoo.components import HTTPMetadata
        from zoo.operations import ListPetsResponse
        response = ListPetsResponse.from_dict({"pets": ["a"]})
        assert response.http_meta is None and response.to_dict() == {"pets": ["a"]}
        meta = HTTPMetadata(response=object(), request=object())
        built = ListPetsResponse(http_meta=meta, pets=["b"])
        assert built.to_dict() == {"pets": ["b"]}
        """,
        output,
    )


HELPER_NAMED = {
    "models/shared/field.md": fields_doc(
        "Field",
        [
            ("name", "*str*", True, ""),
            ("kind", "[Optional[shared.Enum]](../../models/shared/enum.md)", False, ""),
            ("items", "List[[shared.Any](../../models/shared/any.md)]", False, ""),
            ("by_key", "Dict[str, [shared.Optional](../../models/shared/optional.md)]", False, ""),
        ],
    ),
    "models/shared/any.md": fields_doc(
        "Any",
        [("value", "*Optional[Any]*", False, ""), ("tags", "List[*str*]", False, "")],
    ),
    "models/shared/optional.md": fields_doc(
        "Optional",
        [
            ("maybe", "*Optional[int]*", False, ""),
            ("list", "[Optional[shared.List]](../../models/shared/list.md)", False, ""),
        ],
    ),
    "models/shared/list.md": fields_doc(
        "List",
        [
            (
                "when",
                "[Optional[datetime]](https://docs.python.org/3/library/datetime.html#datetime-objects)",
                False,
                "",
            )
        ],
    ),
    "models/shared/enum.md": "# Enum\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `A` | a |\n",
    "models/shared/basemodel.md": fields_doc(
        "BaseModel",
        [("field", "[Optional[shared.Field]](../../models/shared/field.md)", False, "")],
    ),
    "models/shared/union.md": "# Union\n\n## Supported Types\n\n### `shared.Any`\n\n"
    "```python\nvalue: shared.Any = /* values here */\n```\n\n### `str`\n\n"
    "```python\nvalue: str = /* values here */\n```\n",
}


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_classes_named_like_the_helpers_of_the_generated_code(tmp_path: Path, target: str) -> None:
    specs = write_docs(tmp_path, HELPER_NAMED)
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    run_python(
        """
        from zoo.shared import Any, BaseModel, Enum, Field, List, Optional, Union
        payload = {
            "name": "n",
            "kind": "a",
            "items": [{"value": 1, "tags": ["t"]}],
            "by_key": {"k": {"maybe": 2, "list": {"when": "2020-01-01T00:00:00Z"}}},
        }
        field = Field.from_dict(payload)
        assert isinstance(field.items[0], Any) and isinstance(field.kind, Enum)
        assert isinstance(field.by_key["k"], Optional) and isinstance(field.by_key["k"].list, List)
        assert field.to_dict() == payload
        assert BaseModel.from_dict({"field": payload}).field == field
        """,
        output,
    )


UTILITY = """# {title}

Retry settings.

| Name | Type | Description |
| --- | --- | --- |
| `strategy` | *str* | How to retry. |

## {section}

| Name | Type | Description |
| --- | --- | --- |
| `count` | *int* | How often. |
"""


@pytest.mark.parametrize(
    ("title", "section", "line"),
    [
        ("Retry Config", "BackoffStrategy", 1),
        ("ClassVar", "BackoffStrategy", 1),
        ("RetryConfig", "None", 9),
    ],
)
def test_utility_pages_are_checked_as_model_docs(
    tmp_path: Path, title: str, section: str, line: int
) -> None:
    page = UTILITY.format(title=title, section=section)
    specs = write_docs(tmp_path, {"models/utils/retryconfig.md": page})
    for command in ("lint", "generate"):
        code, _, errors = cli(specs, command=command)
        assert code == 2, (command, errors)
        assert any(
            line_.startswith(f"models/utils/retryconfig.md:{line}: error: class name")
            for line_ in errors
        ), errors


def _chain(length: int) -> dict[str, str]:
    """Models `Node0` .. `Node<length-1>`, each referring to the next."""
    docs = {}
    for index in range(length):
        link = f"[Optional[shared.Node{index + 1}]](../../models/shared/node{index + 1}.md)"
        rows = [("name", "*str*", True, "")]
        if index + 1 < length:
            rows.append(("next", link, False, ""))
        docs[f"models/shared/node{index}.md"] = fields_doc(f"Node{index}", rows)
    return docs


@pytest.mark.slow
@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_a_long_chain_of_models_imports_and_validates(tmp_path: Path, target: str) -> None:
    specs = write_docs(tmp_path, _chain(400))
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    # Modules with a long chain below link their references; the last ones import them.
    assert "_linking.link(" in (output / "zoo" / "shared" / "node0.py").read_text()
    assert "_linking" not in (output / "zoo" / "shared" / "node390.py").read_text()
    run_python(
        """
        import importlib
        # A module in the middle of the chain, imported on its own, then the whole chain.
        middle = importlib.import_module("zoo.shared.node200").Node200
        assert middle.from_dict({"name": "m", "next": {"name": "n"}}).next.name == "n"
        from zoo.shared import Node0, Node1, Node398
        payload = {"name": "0"}
        innermost = payload
        for index in range(1, 100):  # 100 objects: as deep as the runtime reads (README)
            innermost["next"] = {"name": str(index)}
            innermost = innermost["next"]
        assert Node0.from_dict(payload).to_dict() == payload
        built = Node0(name="a", next=Node1(name="b"))
        assert built.to_dict() == {"name": "a", "next": {"name": "b"}}
        assert Node398.from_dict({"name": "x", "next": {"name": "y"}}).next.name == "y"
        """,
        output,
    )


def _rich_chain(length: int) -> dict[str, str]:
    """Models `Node0` .. `Node<length-1>`, each referring to the next in every way a field
    can: as itself, in a list, in a map and in a union with `str`."""
    docs = {}
    for index in range(length):
        rows = [("name", "*str*", True, "")]
        if index + 1 < length:
            node = f"[shared.Node{index + 1}](node{index + 1}.md)"
            rows += [
                ("next_node", f"[Optional[shared.Node{index + 1}]](node{index + 1}.md)", False, ""),
                ("many", f"List[{node}]", False, ""),
                ("by_key", f"Dict[str, {node}]", False, ""),
                (
                    "either",
                    f"[Optional[shared.Either{index + 1}]](either{index + 1}.md)",
                    False,
                    "",
                ),
            ]
            variants = [f"shared.Node{index + 1}", "str"]
            docs[f"models/shared/either{index + 1}.md"] = (
                f"# Either{index + 1}\n\n## Supported Types\n\n"
                + "\n".join(
                    f"### `{v}`\n\n```python\nvalue: {v} = /* values here */\n```\n"
                    for v in variants
                )
            )
        docs[f"models/shared/node{index}.md"] = fields_doc(f"Node{index}", rows)
    return docs


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_models_that_link_read_and_write_as_the_others_do(tmp_path: Path, target: str) -> None:
    """The head of a chain links its references (render/depth.py), the tail imports them: both
    read keys of another spelling at every level and write them back, whatever holds them."""
    specs = write_docs(tmp_path, _rich_chain(40))
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    assert "_linking.link(" in (output / "zoo" / "shared" / "node0.py").read_text()
    assert "_linking" not in (output / "zoo" / "shared" / "node30.py").read_text()
    run_python(
        """
        import json
        from zoo import shared
        leaf = {"name": "leaf", "nextNode": {"name": "x"}}
        for index in (0, 30):  # linked, imported
            model = getattr(shared, f"Node{index}")
            payload = {
                "name": "a",
                "nextNode": {"name": "b", "byKey": {"k": leaf}},
                "many": [leaf, {"name": "c", "either": "text"}],
                "either": {"name": "d", "many": [leaf]},
            }
            read = model.from_dict(payload)
            assert read.next_node.by_key["k"].next_node.name == "x", index
            assert read.either.many[0].name == "leaf" and read.many[1].either == "text"
            assert read.to_dict() == payload, (index, read.to_dict())
            assert json.loads(read.to_json()) == payload
            assert model.from_json(json.dumps(payload)).to_dict() == payload
            if hasattr(read, "model_dump"):
                assert read.model_dump(by_alias=True, exclude_unset=True) == payload
                built = model.model_validate({"name": "e", "next_node": {"name": "f"}})
                assert built.to_dict() == {"name": "e", "next_node": {"name": "f"}}
                assert built.model_dump(exclude={"next_node"}) == {
                    "name": "e", "many": None, "by_key": None, "either": None
                }
        """,
        output,
    )


@pytest.mark.slow
@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_a_chain_of_2000_models_loads_from_either_end(tmp_path: Path, target: str) -> None:
    """Each model's schema holds those below it: building them must neither nest one
    inside another (pydantic-core's serializers) nor recurse as deep as the chain."""
    specs = write_docs(tmp_path, _chain(2000))
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    payload = {"name": "a", "next": {"name": "b", "next": {"name": "c"}}}
    for first, then in [("Node0", "Node1999"), ("Node1999", "Node0")]:
        run_python(
            f"""
            import importlib
            shared = importlib.import_module("zoo.shared")
            for name in ({first!r}, {then!r}, "Node1000"):
                model = getattr(shared, name)
                read = model.from_dict({{"name": "x"}} if name == "Node1999" else {payload!r})
                assert read.to_dict() == ({{"name": "x"}} if name == "Node1999" else {payload!r})
            assert shared.Node0.from_dict({payload!r}).next.next.name == "c"
            """,
            output,
        )


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_types_nest_as_deep_as_the_generated_code_imports(tmp_path: Path, target: str) -> None:
    # 100 levels under `Optional`; `Dict` and its lists are as many containers as a value,
    # in the object of its field, may nest (99)
    deepest = "List[" * 99 + "*str*" + "]" * 99
    specs = write_docs(
        tmp_path,
        {
            "models/shared/deep.md": fields_doc(
                "Deep",
                [
                    ("plain", deepest, True, ""),
                    ("maybe", f"Optional[{deepest}]", False, ""),
                    ("by_key", f"Dict[str, {deepest[5:-1]}]", False, ""),
                ],
            )
        },
    )
    output = generate_with_cli(specs, tmp_path / "gen", "zoo", "--target", target)
    run_python(
        """
        from zoo.shared import Deep
        value = "x"  # 99 lists: with the model around them, the 100 levels of arrays and
        for _ in range(99):  # objects the runtime reads (README)
            value = [value]
        payload = {"plain": value, "maybe": value, "by_key": {"k": value[0], "j": []}}
        assert Deep.from_dict(payload).to_dict() == payload
        """,
        output,
    )


def test_a_type_nested_deeper_than_the_code_can_import_is_an_error(tmp_path: Path) -> None:
    too_deep = "List[" * 170 + "*str*" + "]" * 170
    specs = write_docs(
        tmp_path, {"models/shared/deep.md": fields_doc("Deep", [("plain", too_deep, True, "")])}
    )
    code, _, errors = cli(specs)
    assert code == 2
    assert any("deep.md:" in line and "nests deeper than" in line for line in errors), errors
    assert not (specs.parent / "out").exists()


@pytest.mark.parametrize(
    "name", ["_linking", "TYPE_CHECKING", "_1x", "class", "ClassVar", "_typing_Any"]
)
def test_a_name_refused_as_a_title_is_refused_as_a_rename(tmp_path: Path, name: str) -> None:
    """Titles and renames pass one check (a rename also may not shadow a builtin)."""
    titled = write_docs(tmp_path / "titled", {"models/shared/pet.md": PET.replace("Pet", name)})
    code, _, errors = cli(titled)
    assert code == 2 and any(repr(name) in line for line in errors), errors
    renamed = write_docs(tmp_path / "renamed", {"models/shared/pet.md": PET})
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(f'["shared.Pet"]\nrename = "{name}"\n', encoding="utf-8")
    code, _, errors = cli(renamed, "--overrides", str(overrides))
    assert code == 2 and any(f"rename {name!r}" in line for line in errors), errors


def test_classes_named_like_the_linkers_variables_refer_to_themselves(tmp_path: Path) -> None:
    docs = {
        "models/shared/value.md": fields_doc("value", [("amount", "*int*", True, "")]),
        "models/shared/holder.md": fields_doc(
            "Holder", [("held", "[shared.value](../../models/shared/value.md)", True, "")]
        ),
    }
    output = generate_with_cli(write_docs(tmp_path, docs), tmp_path / "gen", "zoo")
    run_python(
        """
        from zoo.shared import Holder
        assert Holder.from_dict({"held": {"amount": 3}}).held.amount == 3
        """,
        output,
    )
