"""Run in a fresh interpreter: each case of a `payloads.json` through the package's
`parse_response`; a case passes when it returns an instance of its target class (a list of them
for `"container": "list"`) or raises exactly that error class.

usage: python dispatch_check.py PACKAGE PAYLOADS.json (the package's directory on sys.path);
prints a JSON list of failures: {id, target, got}.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any


def outcome(package: Any, case: dict[str, Any]) -> tuple[Any, bool]:
    try:
        found = package.parse_response(
            case["sdk_operation"],
            int(case["status"]),
            json.dumps(case["body"]),
            case["content_type"],
        )
    except Exception as raised:
        return raised, True
    return found, False


def main() -> None:
    name, cases_file = sys.argv[1:3]
    package = importlib.import_module(name)
    failures = []
    for case in json.loads(Path(cases_file).read_text(encoding="utf-8"))["cases"]:
        if case.get("spec_defect"):
            continue  # the example fails the API's own SDK too
        namespace, class_name = case["target"].split(".")
        target = getattr(importlib.import_module(f"{name}.{namespace}"), class_name)
        found, raised = outcome(package, case)
        if raised:
            passed = type(found) is target
        elif case.get("container") == "list":
            passed = isinstance(found, list) and all(type(item) is target for item in found)
        else:
            passed = type(found) is target
        if not passed:
            got = f"{'raised' if raised else 'returned'} {type(found).__name__}: {found!s:.200}"
            failures.append({"id": case["id"], "target": case["target"], "got": got})
    print(json.dumps(failures))


if __name__ == "__main__":
    main()
