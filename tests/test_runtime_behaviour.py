"""The generated package behaves like hand-written code, for both targets."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.target import Target
from generator.pipeline import generate
from tests.conftest import fields_doc, run_python, write_docs

# Both targets must behave the same: every test runs against each.
pytestmark = pytest.mark.parametrize("target", list(Target), ids=[t.value for t in Target])

NAMES_DOC = fields_doc(
    "Awkward",
    [
        ("from", "*str*", True, "A keyword."),
        ("schema", "*Optional[str]*", False, "A BaseModel attribute."),
        ("json", "*Optional[str]*", False, ""),
        ("copy", "*Optional[int]*", False, ""),
        ("dict", "*Optional[bool]*", False, ""),
        ("model_config", "*Optional[str]*", False, ""),
        ("1st_place", "*Optional[str]*", False, "Leading digit."),
        ("x-api-key", "*Optional[str]*", False, "Hyphen."),
        ("filter_", "*Optional[str]*", False, "Speakeasy's rename of `filter`."),
        ("str", "*Optional[str]*", False, "Shadows a type the annotations use."),
    ],
)


def test_sanitised_names_accept_wire_and_attribute_names_and_round_trip(
    target: Target, tmp_path: Path
) -> None:
    specs = write_docs(tmp_path, {"models/shared/awkward.md": NAMES_DOC})
    generate(Config(specs=specs, output=tmp_path / "out", package="awk", target=target))
    payload = {
        "from": "a",
        "schema": "s",
        "json": "j",
        "copy": 1,
        "dict": True,
        "model_config": "m",
        "1st_place": "gold",
        "x-api-key": "k",
        "filter": "f",
        "str": "text",
    }
    run_python(
        f"""
        import json
        from awk.shared import Awkward
        payload = json.loads({json.dumps(payload)!r})
        model = Awkward.from_dict(payload)
        assert model.from_ == "a" and model.schema_ == "s" and model.json_ == "j"
        assert model.copy_ == 1 and model.dict_ is True and model.model_config_ == "m"
        assert model.field_1st_place == "gold" and model.x_api_key == "k"
        assert model.filter_ == "f" and model.str_ == "text"
        assert model.to_dict() == payload
        by_attribute = Awkward(from_="a", x_api_key="k")
        assert by_attribute.to_dict() == {{"from": "a", "x-api-key": "k"}}
        assert Awkward.from_dict({{"from_": "a"}}).from_ == "a"
        # forward compatible: unknown keys are kept and written back
        unknown = {{"from": "a", "brand_new": 1}}
        assert Awkward.from_dict(unknown).to_dict() == unknown
        """,
        tmp_path / "out",
    )


ERRORS_DOCS = {
    "models/errors/unavailable.md": fields_doc(
        "Unavailable",
        [
            ("error_code", "*str*", True, "Machine-readable code."),
            ("detail", "[Optional[errors.Detail]](../../models/errors/detail.md)", False, ""),
            (
                "raw_response",
                "[requests.Response](https://requests.readthedocs.io/)",
                False,
                "Raw.",
            ),
        ],
        description="Returned when the service is down.",
    ),
    "models/errors/detail.md": fields_doc("Detail", [("message", "*str*", True, "")]),
}


def test_errors_share_a_base_parse_bodies_and_pickle(target: Target, tmp_path: Path) -> None:
    specs = write_docs(tmp_path, ERRORS_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="svc", target=target))
    run_python(
        """
        import json, pickle
        from svc import ApiError
        from svc.errors import Unavailable, UnavailableData, Detail

        body = b'{"error_code": "down", "detail": {"message": "maintenance"}}'
        raw = object()
        error = Unavailable.from_response(body, raw_response=raw)
        try:
            raise error
        except ApiError as caught:
            assert caught is error
        assert str(error) == body.decode()
        assert error.error_code == "down" and error.detail.message == "maintenance"
        assert error.raw_response is raw
        assert "raw_response" not in UnavailableData.__annotations__
        assert repr(error).startswith("Unavailable(data=UnavailableData(")
        assert Unavailable.__doc__ == "Returned when the service is down."
        clone = pickle.loads(pickle.dumps(error))
        assert type(clone) is Unavailable and clone.data == error.data and str(clone) == str(error)
        assert clone.raw_response is None
        built = Unavailable(UnavailableData(error_code="x"))
        assert json.loads(str(built)) == {"error_code": "x"}
        assert not issubclass(Detail, ApiError)
        """,
        tmp_path / "out",
    )


CYCLE_DOCS = {
    "models/shared/person.md": fields_doc(
        "Person",
        [
            ("name", "*str*", True, ""),
            (
                "employer",
                "[Optional[operations.Company]](../../models/operations/company.md)",
                False,
                "",
            ),
            ("friends", "List[[shared.Person](../../models/shared/person.md)]", False, ""),
        ],
    ),
    "models/operations/company.md": fields_doc(
        "Company",
        [
            ("staff", "List[[shared.Person](../../models/shared/person.md)]", True, ""),
            ("parent", "[Optional[errors.Holding]](../../models/errors/holding.md)", False, ""),
        ],
    ),
    "models/errors/holding.md": fields_doc(
        "Holding",
        [("members", "List[[operations.Company](../../models/operations/company.md)]", True, "")],
    ),
    "models/errors/problem.md": fields_doc(
        "Problem", [("who", "[shared.Person](../../models/shared/person.md)", True, "")]
    ),
}
CYCLE_CLASSES = [
    ("shared", "Person"),
    ("operations", "Company"),
    ("errors", "Holding"),
    ("errors", "Problem"),
]


def test_every_import_order_resolves_cross_namespace_cycles(target: Target, tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="cyc", target=target))
    payload = {
        "staff": [{"name": "a", "employer": {"staff": [], "parent": {"members": [{"staff": []}]}}}]
    }
    orders = list(itertools.permutations(CYCLE_CLASSES))
    script = "import json, subprocess, sys\n"
    for order in orders:
        imports = "; ".join(f"from cyc.{ns} import {name}" for ns, name in order)
        check = (
            f"import json; {imports}; "
            f"c = Company.from_dict(json.loads({json.dumps(payload)!r})); "
            "assert c.staff[0].employer.parent.members[0].staff == []; "
            'Problem.from_response(\'{"who": {"name": "x"}}\')'
        )
        script += (
            f"r = subprocess.run([sys.executable, '-c', {check!r}], capture_output=True, text=True)\n"
            f"assert r.returncode == 0, ({order!r}, r.stderr)\n"
        )
    run_python(
        f"import os; os.environ['PYTHONPATH'] = {str(tmp_path / 'out')!r}\n" + script,
        tmp_path / "out",
    )


def test_importing_one_class_loads_only_what_it_needs(target: Target, tmp_path: Path) -> None:
    docs = {
        f"models/shared/m{i}.md": fields_doc(f"M{i}", [("x", "*int*", True, "")]) for i in range(30)
    }
    specs = write_docs(tmp_path, docs)
    generate(Config(specs=specs, output=tmp_path / "out", package="lazy", target=target))
    run_python(
        """
        import sys
        from lazy.shared import M7
        loaded = sorted(m for m in sys.modules if m.startswith("lazy.shared."))
        assert loaded == ["lazy.shared.m7"], loaded
        import lazy.shared as shared
        assert len(shared.__all__) == 30 and "M12" in dir(shared)
        assert shared.M12.from_dict({"x": 1}).x == 1
        """,
        tmp_path / "out",
    )


def test_open_enum_keeps_unknown_values_and_closed_enum_rejects_them(
    target: Target, tmp_path: Path
) -> None:
    docs = {
        "models/open.md": """
            # Colour

            ## Example Usage

            ```python
            from pkg.models import Colour

            # Open enum: unrecognized values are captured as UnrecognizedStr
            value: Colour = "red"
            ```


            ## Values

            This is an open enum. Unrecognized values will not fail type checks.

            - `"red"`
            - `"green"`
        """,
        "models/shade.md": """
            # Shade


            ## Values

            | Name | Value |
            | ---- | ----- |
            | `DARK` | dark |
        """,
        "models/paint.md": fields_doc(
            "Paint",
            [
                ("colour", "[models.Colour](../models/open.md)", True, ""),
                ("shade", "[Optional[models.Shade]](../models/shade.md)", False, ""),
            ],
        ),
    }
    specs = write_docs(tmp_path, docs)
    generate(Config(specs=specs, output=tmp_path / "out", package="paints", target=target))
    run_python(
        """
        from paints.models import Colour, Paint
        assert Paint.from_dict({"colour": "red"}).colour is Colour.RED
        odd = Paint.from_dict({"colour": "ultraviolet"})
        assert odd.colour == "ultraviolet" and odd.colour.value == "ultraviolet"
        assert odd.to_dict()["colour"] == "ultraviolet"
        try:
            Paint.from_dict({"colour": "red", "shade": "light"})
        except ValueError:
            pass
        else:
            raise AssertionError("closed enum accepted an unknown value")
        """,
        tmp_path / "out",
    )


RAW = "[httpx.Response](https://www.python-httpx.org/api/#response)"
TRANSPORT_NAME_DOCS = {
    # A doc class named like the runtime's transport class, with a field of that type.
    "models/shared/response.md": fields_doc(
        "Response", [("status", "*int*", True, ""), ("raw_response", RAW, True, "")]
    ),
    # Both, in either order, next to each other.
    "models/shared/holder.md": fields_doc(
        "Holder",
        [("raw", RAW, True, ""), ("wrapped", "[shared.Response](response.md)", True, "")],
    ),
    "models/other/reverse.md": fields_doc(
        "Reverse",
        [("wrapped", "[shared.Response](../shared/response.md)", True, ""), ("raw", RAW, True, "")],
    ),
}


def test_a_class_named_like_a_runtime_transport_class_does_not_replace_it(
    target: Target, tmp_path: Path
) -> None:
    specs = write_docs(tmp_path, TRANSPORT_NAME_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="tr", target=target))
    run_python(
        """
        from typing import get_type_hints
        from tr import _runtime
        from tr.shared import Holder, Response
        from tr.other import Reverse

        assert Response is not _runtime.Response
        assert get_type_hints(Response)["raw_response"] is _runtime.Response
        for model in (Holder, Reverse):
            hints = get_type_hints(model)
            assert hints["raw"] is _runtime.Response, model
            assert hints["wrapped"] is Response, model
        """,
        tmp_path / "out",
    )


DEEP_DOCS = {
    "models/shared/node.md": fields_doc(
        "Node",
        [
            ("node_name", "*str*", True, ""),
            ("child_nodes", "List[[shared.Node](../../models/shared/node.md)]", False, ""),
        ],
    ),
    "models/errors/failure.md": fields_doc("Failure", [("message", "*str*", True, "")]),
}


def test_input_nested_too_deeply_is_invalid_not_a_recursion_error(
    target: Target, tmp_path: Path
) -> None:
    """Reading takes Python frames a level (the dataclasses decoder, pydantic's routing of keys
    of other spellings, `json`): input nested deeper than the runtime's bound is invalid, as
    any invalid payload of the target is, on every way in."""
    specs = write_docs(tmp_path, DEEP_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="deep", target=target))
    run_python(
        """
        import json
        from deep.shared import Node
        from deep.errors import Failure

        def chain(levels, key):
            node = {"node_name": "leaf"}
            for _ in range(levels):
                node = {"node_name": "n", key: [node]}
            return node

        def refused(read, payload):
            try:
                read(payload)
            except ValueError as error:
                return error
            raise AssertionError("a payload nested too deeply was read")

        for key in ("child_nodes", "childNodes"):  # the fields' keys, and another spelling
            error = refused(Node.from_dict, chain(3000, key))
            assert type(error).__name__ == "ValidationError", repr(error)
            within = chain(40, key)  # 81 arrays and objects
            assert Node.from_dict(within).to_dict() == within
            assert Node.from_json(json.dumps(within)).to_dict() == within
        deep = "[" * 3000 + "]" * 3000
        refused(Node.from_json, '{"node_name": "n", "child_nodes": ' + deep + "}")
        # under a key no field takes, beside one of another spelling: pydantic keeps it as it
        # came, as beside the fields' own keys, where no Python code walks into it
        extra = json.loads("[" * 900 + "]" * 900)
        if hasattr(Node, "model_extra"):
            assert Node.from_dict({"nodeName": "n", "extra": extra}).model_extra == {"extra": extra}
        else:  # the dataclasses target reads every value with Python calls
            refused(Node.from_dict, {"nodeName": "n", "extra": extra})
        refused(Failure.from_response, '{"message": "m", "more": ' + deep + "}")
        """,
        tmp_path / "out",
    )
