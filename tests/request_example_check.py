"""Run in a fresh interpreter: the `### Example Request Body` JSON of the SDK pages through the
request body class of its operation: `from_dict`, and what `to_dict` writes reads back equal
(a date-time may be written in another form of the same instant).

Reads a JSON list of cases from stdin: {package, namespace, cls, example, where}; prints a JSON
list of failures: {where, error}.
"""

from __future__ import annotations

import importlib
import json
import sys


def main() -> None:
    failures = []
    for case in json.load(sys.stdin):
        try:
            body = json.loads(case["example"])
        except ValueError as exc:
            failures.append({"where": case["where"], "error": f"not JSON: {exc}"})
            continue
        module = importlib.import_module(f"{case['package']}.{case['namespace']}")
        cls = getattr(module, case["cls"])
        try:
            parsed = cls.from_dict(body)
            back = parsed.to_dict()
            again = cls.from_dict(back)
        except ValueError as exc:
            failures.append({"where": case["where"], "error": " ".join(str(exc).split())[:300]})
            continue
        if again != parsed:
            failures.append({"where": case["where"], "error": f"written back as {back!r:.300}"})
    print(json.dumps(failures))


if __name__ == "__main__":
    main()
