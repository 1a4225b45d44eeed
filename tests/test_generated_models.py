"""Generated models at runtime: cycles across namespaces, enums, unions, aliases."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.target import Target
from generator.pipeline import generate
from tests.conftest import fields_doc, run_python, write_docs

CYCLE_DOCS = {
    "models/shared/node.md": fields_doc(
        "Node",
        [
            ("name", "*str*", True, "The node's name."),
            (
                "parent",
                "[Optional[shared.Node]](../../models/shared/node.md)",
                False,
                "Self reference.",
            ),
            (
                "edges",
                "List[[operations.Edge](../../models/operations/edge.md)]",
                False,
                "Cross-namespace.",
            ),
        ],
        description="A graph node.",
    ),
    "models/operations/edge.md": fields_doc(
        "Edge",
        [
            (
                "target",
                "[shared.Node](../../models/shared/node.md)",
                True,
                "Back to the other namespace.",
            ),
            ("kind", "[Optional[operations.Kind]](../../models/operations/kind.md)", False, ""),
            ("weight", "[operations.Weight](../../models/operations/weight.md)", False, ""),
        ],
    ),
    "models/operations/kind.md": """
        # Kind


        ## Values

        | Name | Value |
        | ---- | ----- |
        | `STRONG` | strong |
        | `WEAK` | weak |
    """,
    "models/operations/weight.md": """
        # Weight

        A weight is a number or a label.


        ## Supported Types

        ### `float`

        ```python
        value: float = /* values here */
        ```

        ### `shared.Node`

        ```python
        value: shared.Node = /* values here */
        ```
    """,
}

NESTED = {
    "name": "root",
    "edges": [
        {
            "target": {"name": "child", "edges": [{"target": {"name": "leaf"}, "kind": "weak"}]},
            "kind": "strong",
        },
        {"target": {"name": "other"}, "weight": 2.5},
        {"target": {"name": "labelled"}, "weight": {"name": "weight-node"}},
    ],
}


@pytest.mark.parametrize("target", list(Target), ids=[t.value for t in Target])
def test_cycle_across_namespaces_validates_nested_json(target: Target, tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="graph", target=target))
    for first in ("graph.shared", "graph.operations"):
        run_python(
            f"""
            import importlib, json
            importlib.import_module({first!r})
            from graph.shared import Node
            from graph.operations import Edge, Kind
            node = Node.from_json({json.dumps(NESTED)!r})
            assert node.edges[0].target.edges[0].target.name == "leaf"
            assert node.edges[0].kind is Kind.STRONG
            assert node.edges[1].weight == 2.5
            assert isinstance(node.edges[2].weight, Node)
            assert node.parent is None
            assert Node.__doc__ == "A graph node."
            """,
            tmp_path / "out",
        )


@pytest.mark.parametrize("target", list(Target), ids=[t.value for t in Target])
def test_unknown_enum_value_is_rejected_by_a_closed_enum(target: Target, tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="graph", target=target))
    result = run_python(
        """
        from graph.operations import Edge
        Edge.from_dict({"target": {"name": "x"}, "kind": "sideways"})
        """,
        tmp_path / "out",
        check=False,
    )
    assert result.returncode != 0 and "ValidationError" in result.stderr


def test_dataclasses_target_imports_only_the_standard_library(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(
        Config(specs=specs, output=tmp_path / "out", package="graph", target=Target.DATACLASSES)
    )
    imported = set()
    for path in (tmp_path / "out").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    assert imported and imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names
    run_python(
        """
        import sys
        import graph.shared, graph.operations
        for namespace in (graph.shared, graph.operations):
            for name in namespace.__all__:
                getattr(namespace, name)
        node = graph.shared.Node.from_dict({"name": "n", "edges": [{"target": {"name": "m"}, "weight": 1}]})
        assert node.edges[0].weight == 1.0
        third_party = sorted(m for m in sys.modules if m.split(".")[0] in {"pydantic", "typing_extensions"})
        assert third_party == [], third_party
        """,
        tmp_path / "out",
    )


def test_a_lower_case_class_is_not_hidden_by_a_module_of_the_same_name(tmp_path: Path) -> None:
    docs = {
        "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "")]),
        "models/shared/pet_.md": fields_doc("pet", [("age", "*int*", True, "")]),
    }
    specs = write_docs(tmp_path, docs)
    generate(Config(specs=specs, output=tmp_path / "out", package="zoo"))
    run_python(
        """
        import zoo.shared as shared
        assert shared.Pet.from_dict({"name": "rex"}).name == "rex"
        assert isinstance(shared.pet, type) and shared.pet.from_dict({"age": 3}).age == 3
        from zoo.shared import pet
        assert isinstance(pet, type)
        """,
        tmp_path / "out",
    )


# The names Windows keeps for devices: a file so named, with any extension, cannot be made there.
WINDOWS_DEVICES = ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), "Lpt1"]


def test_classes_named_like_windows_devices_get_modules_windows_can_hold(tmp_path: Path) -> None:
    docs = {
        f"models/shared/d{index}.md": fields_doc(name, [("n", "*int*", True, "")])
        for index, name in enumerate(WINDOWS_DEVICES)
    }
    specs = write_docs(tmp_path, docs)
    generate(Config(specs=specs, output=tmp_path / "out", package="dev"))
    stems = {path.stem.upper() for path in (tmp_path / "out" / "dev" / "shared").glob("*.py")}
    assert stems.isdisjoint(name.upper() for name in WINDOWS_DEVICES), sorted(stems)
    run_python(
        f"""
        import dev.shared as shared
        for name in {WINDOWS_DEVICES!r}:
            assert getattr(shared, name).from_dict({{"n": 1}}).n == 1, name
        """,
        tmp_path / "out",
    )
