"""Run in a fresh interpreter: validate doc Example cells against the generated field types,
and check that dumping a parsed example (by alias, set fields only) parses back to an equal value.

Reads a JSON list of cases from stdin: {package, namespace, cls, attribute, example, where};
prints a JSON list of failures: {where, example, error}.
"""

from __future__ import annotations

import ast
import importlib
import json
import sys
from typing import Any

from pydantic import TypeAdapter, ValidationError


def candidates(example: str) -> list[Any]:
    """The values an Example cell can mean: its JSON or Python-literal reading, else nothing."""
    text = example.replace("<br/>", "\n").strip()
    values: list[Any] = []
    try:
        values.append(json.loads(text))
    except ValueError:
        try:
            values.append(ast.literal_eval(text))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return []
    return values


def main() -> None:
    cases = json.load(sys.stdin)
    failures = []
    adapters: dict[tuple[str, str, str], TypeAdapter[Any]] = {}
    for case in cases:
        values = candidates(case["example"])
        if not values:
            continue
        key = (case["namespace"], case["cls"], case["attribute"])
        if key not in adapters:
            module = importlib.import_module(f"{case['package']}.{case['namespace']}")
            model = getattr(module, case["cls"])
            model.model_rebuild()
            adapters[key] = TypeAdapter(model.model_fields[case["attribute"]].annotation)
        adapter = adapters[key]
        errors = []
        # A text example is also an example of a string-like field (str, date, enum value).
        for value in [*values, case["example"].strip()]:
            try:
                parsed = adapter.validate_python(value)
            except ValidationError as exc:
                errors.append(exc.errors()[0]["msg"])
                continue
            dumped = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
            if adapter.validate_python(dumped) != parsed:
                errors.insert(0, f"round trip changed the value: {dumped!r}")
                continue
            break
        else:
            failures.append(
                {"where": case["where"], "example": case["example"], "error": errors[0]}
            )
    json.dump(failures, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
