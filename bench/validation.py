"""What reading real payloads costs: the generated classes' `from_dict` against pydantic's
`model_validate` of the same classes with plain static aliases (their key routing left out),
the cost floor.

The real response bodies of a corpus's `payloads.json` are read `iterations` times by each
variant in turn, `rounds` times, in one process; the figure is the fastest round's CPU time.
Run by `bench/run.py`; `python bench/validation.py --child ...` is the measuring process.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# The floor's models derive from a plain BaseModel of the same configuration, bound last in
# the runtime's models module: no check of extra keys (pydantic drops them), no key memory.
ROUTED_BASE = "class GeneratedModel(BaseModel):"
STATIC_BASE = """

class GeneratedModel(BaseModel):  # type: ignore[no-redef]
    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        protected_namespaces=(),
        use_attribute_docstrings=True,
    )
"""


def prepare(corpus: Path, work: Path) -> tuple[Path, str, str]:
    """The package of `corpus` twice: as generated, and with static aliases (under `out`)."""
    out = work / f"validation-{corpus.name}"
    stem = corpus.name.replace("-", "_")
    routed, static = f"{stem}_routed", f"{stem}_static"
    for package in (routed, static):
        command = [sys.executable, "-m", "generator", "generate", "--specs", str(corpus / "docs")]
        output = ["--output", str(out / package), "--package", package]
        subprocess.run([*command, *output, "--no-cache", "-q"], check=True)
    runtime = out / static / static / "_runtime" / "pydantic_models.py"
    text = runtime.read_text(encoding="utf-8")
    if text.count(ROUTED_BASE) != 1:
        raise SystemExit(f"{runtime}: expected one {ROUTED_BASE!r} to stand in for")
    runtime.write_text(text + STATIC_BASE, encoding="utf-8")
    return out, routed, static


def measure(
    out: Path, cases: Path, routed: str, static: str, rounds: int, iterations: int
) -> dict[str, Any]:
    """CPU seconds of the fastest round of each variant, in a fresh process."""
    command = [sys.executable, __file__, "--child", str(out), str(cases), routed, static]
    found = subprocess.run(
        [*command, str(rounds), str(iterations)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(found.stdout))


def _readers(package: str, cases: list[dict[str, Any]], public: bool) -> list[Any]:
    """Per case, what reads its body: the class's `from_dict` (`public`) or pydantic's
    `model_validate` (the cost floor), of an error's body model, item by item for a list."""
    readers = []
    for case in cases:
        namespace, name = case["target"].split(".")
        target = getattr(importlib.import_module(f"{package}.{namespace}"), name)
        target = getattr(target, "data_model", target)
        read = target.from_dict if public else target.model_validate
        if case.get("container") == "list":
            readers.append(lambda body, read=read: [read(item) for item in body])
        else:
            readers.append(read)
    return readers


def _child(
    out: str, cases_file: str, routed: str, static: str, rounds: int, iterations: int
) -> None:
    sys.path[:0] = [str(Path(out) / routed), str(Path(out) / static)]
    cases = json.loads(Path(cases_file).read_text(encoding="utf-8"))["cases"]
    variants = {
        "routed": _readers(routed, cases, public=True),
        "static": _readers(static, cases, public=False),
    }
    # Only bodies that both variants read count: a rejected body costs differently.
    kept = []
    for index, case in enumerate(cases):
        try:
            for readers in variants.values():
                readers[index](case["body"])
        except ValueError:
            continue
        kept.append(index)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, readers in variants.items():
            start = time.process_time()
            for _ in range(iterations):
                for index in kept:
                    readers[index](cases[index]["body"])
            times[name].append(time.process_time() - start)
    # The CPU time of the fastest round: what other work on the machine adds is left out.
    fastest = {name: min(values) for name, values in times.items()}
    print(json.dumps({**fastest, "bodies": len(kept), "cases": len(cases)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", nargs=6, required=True, metavar="ARG")
    child = parser.parse_args().child
    _child(*child[:4], int(child[4]), int(child[5]))
