"""Models that refer to each other in a long cycle load from any of their classes, read and
write payloads: rings (`Node0.nxt: Node1`, ... `Node<n-1>.nxt: Node0`) and doubly linked
chains (`prev` and `nxt`). Through the CLI, each import in a fresh interpreter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs


def _cycle(length: int, *, doubly: bool) -> dict[str, str]:
    """`Node0` .. `Node<length-1>`: each refers to the next (the last to the first), or, in a
    doubly linked chain, to the one before it and to the one after it."""
    docs = {}
    for index in range(length):
        rows = [("v", "*int*", True, "")]
        neighbours = [("prev", index - 1), ("nxt", index + 1)] if doubly else [("nxt", index + 1)]
        for field, other in neighbours:
            if doubly and not 0 <= other < length:
                continue
            other %= length
            rows.append((field, f"[Optional[shared.Node{other}]](node{other}.md)", False, ""))
        docs[f"models/shared/node{index}.md"] = fields_doc(f"Node{index}", rows)
    return docs


def _load_each_end(output: Path, length: int, *, doubly: bool) -> None:
    last = f"Node{length - 1}"
    payload: dict[str, object] = {"v": 0}
    inner = payload
    for depth in range(1, 60):  # round a ring of 25 more than twice, or along the chain
        inner["nxt"] = {"v": depth}
        inner = inner["nxt"]  # type: ignore[assignment]
    for first in ("Node0", last):
        # Two steps from the model read: the first again, or the one two after it.
        second = "Node0" if doubly else f"Node{(int(first[4:]) + 2) % length}"
        run_python(
            f"""
            import importlib, json
            from pydantic import ValidationError
            shared = importlib.import_module("zoo.shared")
            model = getattr(shared, {first!r})
            for name in ({first!r}, "Node0", {last!r}, "Node{length // 2}"):
                getattr(shared, name).from_dict({{"v": 1}})
            payload = {payload!r}
            if {doubly!r}:
                payload = {{"v": 0, "nxt": {{"v": 1, "prev": {{"v": 2, "nxt": {{"v": 3}}}}}}}}
                model = shared.Node0
            read = model.from_dict(payload)
            assert read.to_dict() == payload, read.to_dict()
            assert model.from_json(json.dumps(payload)).to_json() == read.to_json()
            assert model.model_validate(read.model_dump(exclude_unset=True)).to_dict() == payload
            assert type(read.nxt.prev if {doubly!r} else read.nxt.nxt).__name__ == {second!r}
            try:
                model.from_dict({{"v": 0, "nxt": {{"v": 1, "nxt": {{"v": 2, "nxt": "x"}}}}}})
            except ValidationError as error:
                assert [e["loc"] for e in error.errors()] == [("nxt", "nxt", "nxt")], error
            else:
                raise AssertionError("a wrong value deep in a cycle reads")
            deep = {{"v": 0}}
            for _ in range(2000):  # deeper than pydantic reads a model nested in itself
                deep = {{"v": 0, "nxt": deep}}
            try:
                shared.Node0.model_validate(deep)
            except ValidationError as error:
                assert error.errors()[0]["type"] == "recursion_loop", error
            else:
                raise AssertionError("a value nested deeper than pydantic reads reads")
            """,
            output,
        )


@pytest.mark.slow
@pytest.mark.parametrize("length", [25, 500])
def test_a_ring_of_models_loads_from_any_class(tmp_path: Path, length: int) -> None:
    specs = write_docs(tmp_path, _cycle(length, doubly=False))
    output = generate_with_cli(specs, tmp_path / "gen", "zoo")
    _load_each_end(output, length, doubly=False)


@pytest.mark.slow
def test_a_doubly_linked_chain_loads_from_either_end(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, _cycle(500, doubly=True))
    output = generate_with_cli(specs, tmp_path / "gen", "zoo")
    _load_each_end(output, 500, doubly=True)


def _spelled(length: int, *, ring: bool) -> dict[str, str]:
    """`Node0` .. `Node<length-1>` with keys of two spellings, each referring to the next
    itself and in a list: a ring, or a chain whose last model refers to none."""
    docs = {}
    for index in range(length):
        rows = [("the_value", "*int*", True, "")]
        following = (index + 1) % length
        if ring or index + 1 < length:
            node = f"[shared.Node{following}](node{following}.md)"
            rows += [
                ("next_node", f"Optional[{node}]", False, ""),
                ("many", f"List[{node}]", False, ""),
            ]
        docs[f"models/shared/node{index}.md"] = fields_doc(f"Node{index}", rows)
    return docs


def test_a_ring_reads_keys_of_both_spellings_as_a_short_chain_does(tmp_path: Path) -> None:
    """The models of a long ring read each other when a value comes (runtime/linking.py):
    as the models of a short chain, which pydantic builds one inside another, read them."""
    code = """
        import json
        from pydantic import ValidationError
        from zoo.shared import Node0
        payloads = [
            {"theValue": 0, "nextNode": {"theValue": 1, "many": [{"theValue": 2}]}},
            {"theValue": 0, "nextNode": {"the_value": 1, "many": [{"next_node": {"x": 3}}]}},
            {"the_value": 0, "next_node": {"the_value": 1, "many": [{"theValue": 2}]}},
        ]
        for payload in payloads:
            for how in ("from_dict", "model_validate", "from_json"):
                try:
                    read = getattr(Node0, how)(
                        json.dumps(payload) if how == "from_json" else payload
                    )
                    print(how, read.to_json(), read.model_dump(exclude_unset=True))
                except ValidationError as error:
                    print(how, [(e["type"], e["loc"]) for e in error.errors()])
        """
    outputs = []
    for name, length, ring in (("ring", 30, True), ("chain", 6, False)):
        specs = write_docs(tmp_path / name, _spelled(length, ring=ring))
        output = generate_with_cli(specs, tmp_path / name / "gen", "zoo")
        assert ("_linking.link(" in (output / "zoo" / "shared" / "node0.py").read_text()) is ring
        outputs.append(run_python(code, output).stdout)
    assert outputs[0] == outputs[1]
    assert "another_spelling" in outputs[0] and "theValue" in outputs[0]
