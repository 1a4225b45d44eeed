"""Generated models at runtime: cycles across namespaces, enums, unions, aliases."""

from __future__ import annotations

import json
from pathlib import Path

from generator.config import Config
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


def test_cycle_across_namespaces_validates_nested_json(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="graph"))
    for first in ("graph.shared", "graph.operations"):
        run_python(
            f"""
            import importlib, json
            importlib.import_module({first!r})
            from graph.shared import Node
            from graph.operations import Edge, Kind
            node = Node.model_validate_json({json.dumps(NESTED)!r})
            assert node.edges[0].target.edges[0].target.name == "leaf"
            assert node.edges[0].kind is Kind.STRONG
            assert node.edges[1].weight == 2.5
            assert isinstance(node.edges[2].weight, Node)
            assert node.parent is None
            assert Node.__doc__ == "A graph node."
            """,
            tmp_path / "out",
        )


def test_unknown_enum_value_is_rejected_by_a_closed_enum(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, CYCLE_DOCS)
    generate(Config(specs=specs, output=tmp_path / "out", package="graph"))
    result = run_python(
        """
        from graph.operations import Edge
        Edge.model_validate({"target": {"name": "x"}, "kind": "sideways"})
        """,
        tmp_path / "out",
        check=False,
    )
    assert result.returncode != 0 and "ValidationError" in result.stderr
