"""Big inputs: thousands of fields, deep Type cells and many docs, without recursion errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.diagnostics import InvalidDocsError
from generator.model.docs import MAX_TYPE_DEPTH
from generator.pipeline import analyse, generate
from tests.conftest import ROOT, fields_doc, run_python, write_docs

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow

HEADER = "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n"


def nested(depth: int, leaf: str = "str") -> str:
    """A Type cell `depth` levels deep, cycling through Optional, List and Dict."""
    text = leaf
    for level in range(depth):
        text = ("List[%s]", "Optional[%s]", "Dict[str, %s]")[level % 3] % text
    return text


def test_model_with_5000_fields(tmp_path: Path) -> None:
    rows = [(f"field_{i}", "*Optional[int]*", False, f"Field {i}.") for i in range(5000)]
    rows[4999] = ("last", "*str*", True, "The last one.")
    specs = write_docs(tmp_path, {"shared/big.md": fields_doc("Big", rows)})
    generate(Config(specs=specs, output=tmp_path / "out", package="zoo"))
    run_python(
        """
        from zoo.shared import Big
        assert len(Big.model_fields) == 5000
        big = Big.model_validate({"field_0": 1, "field_4998": 2, "last": "x"})
        assert (big.field_0, big.field_4998, big.last) == (1, 2, "x")
        assert Big.model_fields["field_17"].description == "Field 17."
        """,
        tmp_path / "out",
    )


def test_type_cell_50_levels_deep(tmp_path: Path) -> None:
    link = "[" + nested(50, "shared.Leaf") + "](leaf.md)"
    docs = {
        "shared/deep.md": "# Deep\n\n## Fields\n\n"
        + HEADER
        + f"| `plain` | *{nested(50)}* | :heavy_check_mark: | Deep. |\n"
        + f"| `linked` | {link} | :heavy_minus_sign: | Deep link. |\n",
        "shared/leaf.md": fields_doc("Leaf", [("name", "*str*", True, "")]),
    }
    specs = write_docs(tmp_path, docs)
    generate(Config(specs=specs, output=tmp_path / "out", package="zoo"))
    value: object = {"name": "bottom"}
    for level in range(50):
        value = ([value], value, {"k": value})[level % 3]
    run_python(
        f"""
        from zoo.shared import Deep, Leaf
        deep = Deep.model_validate({{"plain": None, "linked": {value!r}}})
        node = deep.linked
        while not isinstance(node, Leaf):
            node = node[0] if isinstance(node, list) else node["k"] if isinstance(node, dict) else node
        assert node.name == "bottom"
        """,
        tmp_path / "out",
    )


def test_type_cell_deeper_than_the_limit_is_an_error(tmp_path: Path) -> None:
    cells = [nested(MAX_TYPE_DEPTH * 5), "[" * 5000 + "str" + "](x.md)" * 5000]
    rows = "".join(
        f"| `f{i}` | {cell} | :heavy_check_mark: | N/A |\n" for i, cell in enumerate(cells)
    )
    specs = write_docs(tmp_path, {"shared/deep.md": "# Deep\n\n## Fields\n\n" + HEADER + rows})
    try:
        analyse(Config(specs=specs))
    except InvalidDocsError as exc:
        messages = [str(d) for d in exc.diagnostics]
    else:
        raise AssertionError("no error")
    assert len(messages) == 2, messages
    assert all(f"nests deeper than {MAX_TYPE_DEPTH} levels" in m for m in messages), messages


def test_20000_docs_parse_and_resolve_in_bounded_memory(tmp_path: Path) -> None:
    """Parse and resolve only (formatting 20 000 modules with black takes about a minute:
    measured once at 62 s and 148 MB for `generate`, 8 s and 120 MB for `lint`)."""
    specs = tmp_path / "specs"
    count = 20_000
    for index in range(count):
        namespace = f"ns{index % 20}"
        following = (index + 1) % count
        link = f"[Optional[ns{following % 20}.M{following}]](../ns{following % 20}/m{following}.md)"
        path = specs / namespace / f"m{index}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# M{index}\n\nModel {index}.\n\n## Fields\n\n{HEADER}"
            f"| `id` | *str* | :heavy_check_mark: | Id. |\n"
            f"| `next` | {link} | :heavy_minus_sign: | Next. |\n"
        )
    # The child's own peak (os.wait4): RUSAGE_CHILDREN is a maximum over every child so far,
    # which an earlier test's larger child would hide this one behind.
    errors = tmp_path / "stderr"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "generator", "lint", "--specs", str(specs), "--jobs", "1"],
            cwd=ROOT,
            env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, errors.read_text(encoding="utf-8")[-3000:]
    peak_kib = usage.ru_maxrss
    assert peak_kib < 600 * 1024, f"lint of {count} docs peaked at {peak_kib // 1024} MiB"


def test_a_chain_deeper_than_pydantic_writes_is_read_and_refused_only_as_json(
    tmp_path: Path,
) -> None:
    """README's limit of the round trip: pydantic writes JSON at most 254 models deep."""
    link = "| `next` | [Node{0}](node{0}.md) | :heavy_minus_sign: | The next node. |\n"
    docs = {
        f"models/node{index}.md": fields_doc(f"Node{index}", [("v", "*int*", True, "")])
        + ("\n" + link.format(index + 1) if index < 259 else "")
        for index in range(260)
    }
    generate(Config(specs=write_docs(tmp_path, docs), output=tmp_path / "out", package="ch"))
    run_python(
        """
        from pydantic_core import PydanticSerializationError
        from ch.models import Node0
        def chain(depth):
            payload = node = {"v": 0}
            for level in range(1, depth):
                node["next"] = node = {"v": level}
            return payload
        assert Node0.from_dict(chain(254)).to_dict() == chain(254)
        deep = Node0.from_dict(chain(260))
        assert deep.model_dump()["next"]["v"] == 1
        try:
            deep.to_dict()
        except PydanticSerializationError as error:
            assert "Maximum serialization depth exceeded" in str(error)
        else:
            raise AssertionError("pydantic writes deeper JSON now: README's limit is out of date")
        """,
        tmp_path / "out",
    )
