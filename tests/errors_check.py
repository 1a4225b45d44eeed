"""Run in a fresh interpreter: every module of a package imports, every model without a
required field reads `{}`, and every documented error of every operation of it is raised
through `from_response` and `parse_response` for each exact status its errors table gives and
a status of each of its ranges (`4XX`), with a body made up from the error's body model, whose
values must come back unchanged.

usage: python errors_check.py PACKAGE (the package's directory on sys.path); prints a JSON
object: {"modules": N, "empty": N, "checked": N, "documented": N, "failures": [...]}.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import importlib
import json
import pkgutil
import sys
import types
import typing
from typing import Any

from pydantic import BaseModel


def made_up(annotation: Any, depth: int = 0) -> Any:
    """A JSON value of `annotation`, with a value for every required field of a model."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return made_up(args[0], depth)
    if hasattr(annotation, "__value__"):  # a union alias
        return made_up(annotation.__value__, depth)
    if origin in (typing.Union, types.UnionType):
        return made_up(next(arg for arg in args if arg is not type(None)), depth)
    if origin is typing.Literal:
        return args[0]
    if origin is list:
        return []
    if origin is dict or annotation is dict:
        return {}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if depth > 8:
            return {}
        return {
            info.alias or name: made_up(info.annotation, depth + 1)
            for name, info in annotation.model_fields.items()
            if info.is_required()
        }
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    scalars: dict[Any, Any] = {
        str: "text",
        int: 7,
        float: 1.5,
        bool: True,
        datetime.datetime: "2024-01-02T03:04:05Z",
        datetime.date: "2024-01-02",
        decimal.Decimal: "1.5",
    }
    return scalars.get(annotation)


def every_module(package: str) -> tuple[int, int]:
    """(modules imported, models without a required field that read `{}` and write it back)."""
    root = importlib.import_module(package)
    names = [info.name for info in pkgutil.walk_packages(root.__path__, package + ".")]
    modules = [root, *map(importlib.import_module, names)]
    empty = 0
    for module in modules:
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, root.GeneratedModel)
                and value.__module__ == module.__name__
                and not any(field.is_required() for field in value.model_fields.values())
            ):
                assert value.from_dict({}).to_dict() == {}, value
                empty += 1
    return len(modules), empty


def main() -> None:
    package = sys.argv[1]
    modules, empty = every_module(package)
    endpoints = importlib.import_module(f"{package}.endpoints")
    parse_response = importlib.import_module(package).parse_response
    checked, failures = 0, []
    for operation in {id(op): op for op in endpoints.OPERATIONS.values()}.values():
        exact: dict[str, Any] = {}  # {status: the class of its first exact row}
        ranges: dict[str, Any] = {}  # {"4XX": the class of its first row}
        for statuses, error_class, _ in operation.errors:
            for pattern in statuses.split(","):
                table = exact if pattern.isdigit() else ranges if len(pattern) == 3 else {}
                table.setdefault(pattern, error_class)
        spans: dict[str, Any] = {}  # "default", "4XX-5XX": what no exact row or range covers
        for statuses, error_class, _ in operation.errors:
            for pattern in statuses.split(","):
                if not pattern.isdigit() and len(pattern) != 3:
                    spans.setdefault(pattern, error_class)
        classed = {p[0] for p, c in ranges.items() if c is not None}
        for pattern, error_class in [*ranges.items(), *spans.items()]:
            first = int(pattern[0]) * 100 if pattern[0].isdigit() else 400
            for status in map(str, range(first, 600)):
                if status not in exact and (len(pattern) == 3 or status[0] not in classed):
                    exact.setdefault(status, error_class)
                    break
        for status, error_class in exact.items():
            if error_class is None:
                continue
            error = error_class()
            error.data_model.model_rebuild()
            body = made_up(error.data_model)
            text = json.dumps(body)
            try:
                raised = error.from_response(text, status_code=int(status))
                assert raised.data.to_dict() == body and raised.status_code == int(status)
                parse_response(operation.name, int(status), text)
            except error as found:
                ok = found.data.to_dict() == body and found.status_code == int(status)
                if not ok or type(found) is not error:
                    failures.append([operation.name, status, repr(found)[:200]])
            except Exception as other:
                failures.append([operation.name, status, repr(other)[:300]])
            else:
                failures.append([operation.name, status, "parse_response raised nothing"])
            checked += 1
    documented = sum(c is not None for op in endpoints.OPERATIONS.values() for _, c, _ in op.errors)
    counts = {"modules": modules, "empty": empty, "checked": checked, "documented": documented}
    print(json.dumps({**counts, "failures": failures}))


if __name__ == "__main__":
    main()
