"""The same docs give the same bytes: whatever the hash seed, locale, discovery order or path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import ROOT, fields_doc, write_docs

ENUM = """
    # {name}

    Kinds, in no particular order.

    ## Values

    | Name | Value |
    | ---- | ----- |
    | `ZETA` | zeta |
    | `ALPHA` | alpha |
    | `MID_1` | mid-1 |
"""
UNION = """
    # Payload

    A number, a node or a pet.

    ## Supported Types

    ### `shared.Node`

    ```python
    value: shared.Node = /* values here */
    ```

    ### `float`

    ```python
    value: float = /* values here */
    ```

    ### `operations.Node`

    ```python
    value: operations.Node = /* values here */
    ```
"""
DOCS = {
    "models/shared/node.md": fields_doc(
        "Node",
        [
            ("name", "*str*", True, "Line one.<br/>  Indented line two."),
            ("a-b", "*Optional[int]*", False, "Sanitised to a_b."),
            ("a_b", "*Optional[int]*", False, "Exact a_b."),
            ("a.b", "*Optional[int]*", False, ""),
            ("class", "*Optional[str]*", False, "A keyword."),
            ("peer", "[Optional[operations.Node]](../operations/node.md)", False, "Same name."),
            ("kind", "[Optional[shared.Kind]](kind.md)", False, ""),
            ("payload", "[Optional[operations.Payload]](../operations/payload.md)", False, ""),
            ("tags", "Dict[str, List[*str*]]", False, "Tags."),
        ],
        description='A node.\n\nWith { braces }, {{ jinja }} and "quotes".',
    ),
    "models/operations/node.md": fields_doc(
        "Node",
        [
            ("back", "[Optional[shared.Node]](../shared/node.md)", False, ""),
            ("z", "*int*", True, ""),
            ("y", 'Literal["b", "a"]', True, ""),
        ],
    ),
    "models/operations/payload.md": UNION,
    "models/shared/kind.md": ENUM.format(name="Kind"),
    "models/operations/kind.md": ENUM.format(name="Kind"),
    "models/shared/pet.md": fields_doc("Pet", [("id", "*str*", True, "")]),
    "models/shared/pet_.md": fields_doc("PET", [("id", "*str*", True, "")]),
    "models/errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "Gone.")]),
    "models/errors/conflict.md": fields_doc("Conflict", [("message", "*str*", True, "")]),
    "models/zeta/last.md": fields_doc(
        "Last", [("n", "[Optional[shared.Pet]](../shared/pet.md)", False, "")]
    ),
    "models/alpha/first.md": fields_doc(
        "First", [("n", "[shared.PET](../shared/pet_.md)", True, "")]
    ),
}

# Generates with `discover` shuffled (and folders listed in reverse) when a seed is given.
RUNNER = textwrap.dedent("""
    import os, random, sys
    import generator.parse.tree as tree

    seed = int(sys.argv[1])
    if seed:
        listed = os.scandir

        class Reversed:
            def __init__(self, path="."):
                with listed(path) as entries:
                    self.entries = iter(list(entries)[::-1])

            def __iter__(self):
                return self

            def __next__(self):
                return next(self.entries)

            def __enter__(self):
                return self

            def __exit__(self, *problem):
                return False

            def close(self):
                pass

        os.scandir = Reversed
        found = tree.discover

        def shuffled(*args):
            paths = found(*args)
            random.Random(seed).shuffle(paths)
            return paths

        tree.discover = shuffled
    from generator.cli import main

    main(sys.argv[2:], prog_name="docs2models")
    """)


def run(seed: int, specs: str, out: Path, cwd: Path, env: dict[str, str], *flags: str) -> None:
    args = ["generate", "--specs", specs, "--output", str(out), "--package", "zoo", *flags]
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(seed), *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def test_output_bytes_do_not_depend_on_seed_locale_order_or_path(tmp_path: Path) -> None:
    first = write_docs(tmp_path / "one", DOCS)
    second = tmp_path / "elsewhere" / "much" / "deeper" / "specs"
    shutil.copytree(first, second)
    # Each run computes everything (no cache) but the last, which fills a cache of its own.
    no_cache = ("--no-cache", "--jobs", "1")
    run(0, str(first), tmp_path / "out1", ROOT, {"PYTHONHASHSEED": "1", "LC_ALL": "C"}, *no_cache)
    run(
        1234,
        "specs",  # relative to cwd
        tmp_path / "out2",
        second.parent,
        {"PYTHONHASHSEED": "987654", "LC_ALL": "C.UTF-8", "TZ": "Asia/Kolkata"},
        "--no-cache",
        "--jobs",
        "2",
    )
    cache = ("--cache-dir", str(tmp_path / "cache"))
    run(77, str(second), tmp_path / "out3", ROOT, {"PYTHONHASHSEED": "5"}, *cache)
    one, two = tree_bytes(tmp_path / "out1"), tree_bytes(tmp_path / "out2")
    three = tree_bytes(tmp_path / "out3")
    assert sorted(one) == sorted(two) == sorted(three)
    assert [name for name in one if not one[name] == two[name] == three[name]] == []
    assert "zoo/shared/node.py" in one and "zoo/operations/payload.py" in one
