"""Field names that Python or pydantic would misread become safe attributes; the doc name
stays the wire alias, and collisions after sanitising are settled the same way every time."""

from __future__ import annotations

import json
from pathlib import Path

from generator.config import Config
from generator.model.naming import field_attributes
from generator.pipeline import generate
from tests.conftest import fields_doc, run_python, write_docs

NAMES = {
    # doc name: expected attribute
    "class": "class_",
    "from": "from__2",  # `from_` below keeps its own name
    "from_": "from_",
    "str": "str_",  # a default `str = None` would replace the annotation `str`
    "int": "int_",
    "model_config": "model_config_",
    "model_dump": "model_dump_",
    "Config": "Config_",
    "schema": "schema_",
    "Optional": "Optional_",
    "Field": "Field_",
    "Pet": "Pet_",  # a class the annotations use
    "1abc": "field_1abc",
    "a-b": "a_b_2",  # the exact `a_b` keeps its name
    "a_b": "a_b",
    "a.b": "a_b_3",
    "ünïcode": "n_code",
    "_private": "private",
    "__dunder__": "dunder__",
    "with space": "with_space",
    "count": "count",
}


def test_field_names_become_safe_attributes_with_their_wire_alias(tmp_path: Path) -> None:
    rows = [(name, "*Optional[str]*", False, f"The {name} field.") for name in NAMES]
    rows += [("n", "*int*", True, ""), ("pet", "[Optional[shared.Pet]](pet.md)", False, "")]
    docs = {
        "shared/odd.md": fields_doc("Odd", rows),
        "shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "")]),
    }
    generate(Config(specs=write_docs(tmp_path, docs), output=tmp_path / "out", package="zoo"))
    wire = {name: f"value of {name}" for name in NAMES}
    run_python(
        f"""
        import warnings
        warnings.simplefilter("error")
        from zoo.shared import Odd, Pet
        expected = {NAMES!r}
        fields = Odd.model_fields
        for name, attribute in expected.items():
            assert attribute in fields, (name, attribute, sorted(fields))
            assert (fields[attribute].alias or attribute) == name, (name, fields[attribute].alias)
            assert fields[attribute].description == f"The {{name}} field."
        wire = {json.dumps(wire)}
        odd = Odd.model_validate({{**wire, "n": 3, "pet": {{"name": "rex"}}}})
        assert odd.n == 3 and isinstance(odd.pet, Pet)
        assert odd.int_ == "value of int" and odd.str_ == "value of str"
        dumped = odd.model_dump(by_alias=True, exclude={{"n", "pet"}})
        assert dumped == wire, dumped
        """,
        tmp_path / "out",
    )


def test_collisions_are_settled_by_doc_order_only() -> None:
    names = ["a-b", "a.b", "a_b", "a b", "a_b_2"]
    assert field_attributes(names, frozenset()) == ["a_b_3", "a_b_4", "a_b", "a_b_5", "a_b_2"]
    assert field_attributes(list(reversed(names)), frozenset()) == [
        "a_b_2",
        "a_b_3",
        "a_b",
        "a_b_4",
        "a_b_5",
    ]
