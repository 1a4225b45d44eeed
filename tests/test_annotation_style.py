"""Generated code is written for its Python floor (3.11): `X | None`, `list[X]`, `dict[K, V]`,
`A | B`, `StrEnum`; whatever is evaluated at import still runs, a field named like a builtin
the annotations use hides nothing, and ruff's pyupgrade, pyflakes and class-name rules find
nothing in the modules of the classes, namespaces and unions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs
from tests.test_generated_typing import strict_mypy, style_findings

TARGETS = ["pydantic", "dataclasses"]
PET = "[shared.Pet](../../models/shared/pet.md)"


def _union_doc(name: str, *variants: str) -> str:
    sections = [
        f"### `{variant}`\n\n```python\nvalue: {variant} = /* values here */\n```\n"
        for variant in variants
    ]
    return f"# {name}\n\n## Supported Types\n\n" + "\n".join(sections)


def _enum_doc(name: str, *members: tuple[str, str]) -> str:
    rows = "".join(f"| `{member}` | {value} |\n" for member, value in members)
    return f"# {name}\n\n## Values\n\n| Name | Value |\n| --- | --- |\n{rows}"


DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "")]),
    "models/shared/kennel.md": fields_doc(
        "Kennel",
        [
            ("owner", PET, True, ""),
            ("backup", "[Optional[shared.Pet]](../../models/shared/pet.md)", False, ""),
            ("pets", f"List[{PET}]", False, ""),
            ("by_name", f"Dict[str, {PET}]", False, ""),
            ("either", "*Optional[Union[int, str]]*", False, ""),
            ("choice", "[Optional[shared.Choice]](../../models/shared/choice.md)", False, ""),
            ("numbers", "[Optional[shared.Numbers]](../../models/shared/numbers.md)", False, ""),
            ("colour", "[Optional[shared.Colour]](../../models/shared/colour.md)", False, ""),
            ("level", "[Optional[shared.Level]](../../models/shared/level.md)", False, ""),
            ("tree", "[Optional[shared.Tree]](../../models/shared/tree.md)", False, ""),
        ],
    ),
    # A union of classes is evaluated at import, before the classes it names are bound.
    "models/shared/choice.md": _union_doc("Choice", "shared.Pet", "str"),
    "models/shared/numbers.md": _union_doc("Numbers", "int", "List[str]"),
    # A union that names itself: a TypeAlias for type checkers besides.
    "models/shared/tree.md": _union_doc("Tree", "shared.Pet", "List[shared.Tree]"),
    "models/shared/colour.md": _enum_doc("Colour", ("RED", "red"), ("DARK_BLUE", "dark blue")),
    "models/shared/level.md": _enum_doc("Level", ("LOW", "1"), ("HIGH", "2")),
    # Named like the base class of its kind.
    "models/shared/strenum.md": _enum_doc("StrEnum", ("A", "a")),
    # A title that is not CapWords: the class keeps the name the docs give it.
    "models/shared/pet_store.md": fields_doc("pet_store", [("pets", f"List[{PET}]", False, "")]),
    # A field named like the builtin that the other annotations of its class use.
    "models/shared/finnworlds.md": fields_doc(
        "Finnworlds",
        [
            ("countries", "List[*Any*]", False, ""),
            ("list", "*Optional[str]*", False, ""),
            ("property", "*Optional[str]*", False, ""),
            ("by_key", "Dict[str, List[*int*]]", False, ""),
            ("pets", f"List[{PET}]", True, ""),
        ],
    ),
    "models/errors/gone.md": fields_doc(
        "Gone",
        [
            ("detail", "[Optional[errors.Detail]](../../models/errors/detail.md)", False, ""),
            ("codes", "List[*int*]", False, ""),
            ("list", "*Optional[int]*", False, ""),
            # Its property would be the decorator of the properties after it.
            ("property", "*Optional[str]*", False, ""),
            ("extra", "Dict[str, *str*]", False, ""),
        ],
    ),
    "models/errors/detail.md": fields_doc("Detail", [("message", "*str*", True, "")]),
}


def _generate(tmp_path: Path, target: str) -> Path:
    specs = write_docs(tmp_path, DOCS)
    return generate_with_cli(specs, tmp_path / "out", "zoo", "--target", target)


def _source(output: Path, module: str) -> str:
    return (output / "zoo" / f"{module}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", TARGETS)
def test_annotations_are_written_for_python_3_11(tmp_path: Path, target: str) -> None:
    output = _generate(tmp_path, target)
    kennel = _source(output, "shared/kennel")
    for line in [
        "owner: Pet\n",
        "backup: Pet | None = None\n",
        "pets: list[Pet] | None = None\n",
        "by_name: dict[str, Pet] | None = None\n",
        "either: int | str | None = None\n",
        "choice: Choice | None = None\n",
    ]:
        assert f"    {line}" in kennel, (line, kennel)
    gone = _source(output, "errors/gone")
    assert "def detail(self) -> Detail | None:" in gone
    assert "def extra(self) -> dict[str, str] | None:" in gone
    # Evaluated at import: a quoted class cannot be an operand of `|`, so `Union` stays.
    if target == "pydantic":
        assert 'TypeAliasType("Choice", Union["Pet", str])' in _source(output, "shared/choice")
    assert "int | list[str]" in _source(output, "shared/numbers")
    assert 'Tree: TypeAlias = "Pet" | list["Tree"]\n' in _source(output, "shared/tree")
    assert "class Colour(StrEnum):" in _source(output, "shared/colour")
    assert "class Level(IntEnum):" in _source(output, "shared/level")
    old_helpers = re.compile(r"^from typing import .*\b(Optional|List|Dict)\b", re.MULTILINE)
    for path in (output / "zoo").rglob("*.py"):
        if not path.name.startswith("_"):
            assert not old_helpers.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("target", TARGETS)
def test_modern_annotations_read_and_write_payloads(tmp_path: Path, target: str) -> None:
    output = _generate(tmp_path, target)
    run_python(
        """
        from zoo.shared import Colour, Kennel, Level, Pet
        payload = {
            "owner": {"name": "a"},
            "backup": None,
            "pets": [{"name": "b"}],
            "by_name": {"c": {"name": "c"}},
            "either": "x",
            "choice": {"name": "d"},
            "numbers": ["1"],
            "colour": "dark blue",
            "level": 2,
            "tree": [{"name": "e"}, [{"name": "f"}]],
        }
        kennel = Kennel.from_dict(payload)
        assert isinstance(kennel.choice, Pet) and isinstance(kennel.pets[0], Pet)
        assert isinstance(kennel.by_name["c"], Pet) and kennel.backup is None
        assert kennel.colour is Colour.DARK_BLUE and kennel.level is Level.HIGH
        assert isinstance(kennel.tree[1][0], Pet)
        assert kennel.to_dict() == payload
        other = Kennel.from_dict({**payload, "choice": "text", "numbers": 3, "either": 4})
        assert other.choice == "text" and other.numbers == 3 and other.either == 4
        try:
            Kennel.from_dict({**payload, "backup": "not a pet"})
        except ValueError:
            pass
        else:
            raise AssertionError("a string is not a Pet")
        """,
        output,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_closed_enums_format_as_their_values(tmp_path: Path, target: str) -> None:
    """`StrEnum` and `IntEnum`: `str()` and f-strings give the value the API sends."""
    output = _generate(tmp_path, target)
    run_python(
        """
        import json
        from zoo.shared import Colour, Kennel, Level, Pet, StrEnum
        assert str(StrEnum.A) == "a" and isinstance(StrEnum.A, str)
        assert str(Colour.DARK_BLUE) == f"{Colour.DARK_BLUE}" == "dark blue"
        assert Colour("red") is Colour.RED and Colour.RED == "red" and isinstance(Colour.RED, str)
        assert str(Level.HIGH) == f"{Level.HIGH}" == "2" and Level.HIGH == 2
        assert repr(Colour.RED) == "<Colour.RED: 'red'>"
        assert json.dumps([Colour.RED, Level.LOW]) == '["red", 1]'
        kennel = Kennel(owner=Pet(name="a"), colour=Colour.RED, level=Level.LOW)
        assert kennel.to_dict() == {"owner": {"name": "a"}, "colour": "red", "level": 1}
        """,
        output,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_a_field_named_like_a_builtin_its_class_uses_hides_nothing(
    tmp_path: Path, target: str
) -> None:
    output = _generate(tmp_path, target)
    source = _source(output, "shared/finnworlds")
    # The field keeps its name; the class's annotations name the builtin under an alias.
    assert "    list: str | None = None\n" in source
    assert "from builtins import list as _builtins_list" in source
    assert "pets: _builtins_list[Pet] | None" in source
    assert "_builtins_list" not in _source(output, "shared/kennel")
    gone = _source(output, "errors/gone")
    assert "def codes(self) -> _builtins_list[int] | None:" in gone
    assert "    @_builtins_property\n    def extra(self)" in gone
    run_python(
        """
        from zoo.errors import Gone
        from zoo.shared import Finnworlds, Pet
        payload = {"countries": ["fi", 1], "list": "isin", "by_key": {"a": [1]}, "pets": []}
        worlds = Finnworlds.from_dict(payload)
        assert worlds.list == "isin" and worlds.by_key == {"a": [1]}
        assert worlds.to_dict() == payload
        assert Finnworlds(pets=[Pet(name="a")], list="cik").to_dict()["list"] == "cik"
        error = Gone.from_response(
            b'{"codes": [1, 2], "list": 3, "detail": {"message": "m"}, "property": "p"}'
        )
        assert error.codes == [1, 2] and error.list == 3 and error.detail.message == "m"
        assert error.property == "p" and error.extra is None
        """,
        output,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_a_title_that_is_not_capwords_keeps_its_name(tmp_path: Path, target: str) -> None:
    output = _generate(tmp_path, target)
    # Modules are never named like their class (`pet_store_2`: see render/modules.py).
    (source,) = (
        path.read_text(encoding="utf-8")
        for path in (output / "zoo" / "shared").glob("pet_store*.py")
    )
    assert "class pet_store(GeneratedModel):" in source
    assert "# ruff: noqa: N801" in source
    assert "N801" not in _source(output, "shared/kennel")
    run_python(
        """
        from zoo.shared import pet_store
        assert pet_store.from_dict({"pets": [{"name": "a"}]}).pets[0].name == "a"
        """,
        output,
    )


@pytest.mark.parametrize("target", TARGETS)
def test_ruff_finds_nothing_old_fashioned(tmp_path: Path, target: str) -> None:
    output = _generate(tmp_path, target)
    assert style_findings(output / "zoo") == ""


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_strict_mypy_reads_the_new_forms(tmp_path: Path, target: str) -> None:
    """`X | None` in properties, `"A" | B` under TYPE_CHECKING, a builtin imported under an
    alias beside a field of its name, an enum named like its base: all typed."""
    strict_mypy(_generate(tmp_path, target), tmp_path, "-p", "zoo")
