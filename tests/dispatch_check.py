"""Run in a fresh interpreter: each case of a `payloads.json` through the package's
operations; a case passes when it returns an instance of its target class (a list of them
for `"container": "list"`) or, for an error class, raises exactly that class.

Each case is read twice: by `parse_response` with the body's JSON text, and by the typed
helper of its operation with the body's bytes.

usage: python dispatch_check.py PACKAGE PAYLOADS.json (the package's directory on sys.path);
prints a JSON list of failures: {id, target, got}.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any


def outcome(read: Any, case: dict[str, Any], body: str | bytes) -> tuple[Any, bool]:
    try:
        found = read(int(case["status"]), body, case["content_type"])
    except Exception as raised:
        return raised, True
    return found, False


def passed(found: Any, raised: bool, target: type, case: dict[str, Any]) -> bool:
    if issubclass(target, BaseException):
        return raised and type(found) is target
    if raised:
        return False
    if case.get("container") == "list":
        return isinstance(found, list) and all(type(item) is target for item in found)
    return type(found) is target


def main() -> None:
    name, cases_file = sys.argv[1:3]
    package = importlib.import_module(name)
    operations = importlib.import_module(f"{name}.endpoints").OPERATIONS
    failures = []
    for case in json.loads(Path(cases_file).read_text(encoding="utf-8"))["cases"]:
        if case.get("spec_defect"):
            continue  # the example fails the API's own SDK too
        namespace, class_name = case["target"].split(".")
        target = getattr(importlib.import_module(f"{name}.{namespace}"), class_name)
        text = json.dumps(case["body"])
        operation = case["sdk_operation"]
        readers = [
            ("parse_response", lambda *args, op=operation: package.parse_response(op, *args), text),
            ("typed helper", operations[operation].parse, text.encode("utf-8")),
        ]
        for way, read, body in readers:
            found, raised = outcome(read, case, body)
            if not passed(found, raised, target, case):
                got = f"{way} {'raised' if raised else 'returned'} {type(found).__name__}: "
                failures.append(
                    {"id": case["id"], "target": case["target"], "got": got + f"{found!s:.200}"}
                )
    print(json.dumps(failures))


if __name__ == "__main__":
    main()
