"""Edits of the SDK pages: error rows and statuses, responses, operations added and removed
(`tests/test_diff_mutations.py`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests import doc_edits as md
from tests.mutation_tree import PROBE, Mutator


def free_operations(t: Mutator) -> list[dict[str, Any]]:
    return [op for name, op in sorted(t.operations.items()) if f"op:{name}" not in t.claimed]


def rows_gone(t: Mutator, error: str, rows: int) -> None:
    """An error class whose every listing in the SDK pages goes (`rows` of them) is raised
    nowhere: it is a model now."""
    if t.listings[error] == rows:
        t.expect("last listing of an error class gone", "kind-changed", error)
    t.claim(f"error:{error}")


def remove_error(t: Mutator) -> str | None:
    """The row of an operation's errors table that raises a class (for no other row)."""
    candidates = []
    for op in free_operations(t):
        raised = Counter(e["error"] for e in op["errors"] if e["error"])
        candidates += [
            (op, e) for e, n in sorted(raised.items()) if n == 1 and f"error:{e}" not in t.claimed
        ]
    chosen = t.pick(candidates)
    if chosen is None:
        return None
    op, error = chosen
    statuses = next(e["statuses"] for e in op["errors"] if e["error"] == error)
    t.apply(
        op["doc"],
        lambda lines: md.drop_line(lines, md.error_row(lines, op["method"], error, statuses)),
    )
    t.claim(f"op:{op['name']}")
    rows_gone(t, error, 1)
    t.expect("error row removed", "error-removed", error, op=op["name"])
    return f"remove error {error} of {op['name']}"


def add_error(t: Mutator) -> str | None:
    """A row that raises an error class of another operation for status 418."""
    errors = sorted(e for e in t.listings if e and f"error:{e}" not in t.claimed)
    candidates = [
        (op, error)
        for op in free_operations(t)
        if md.error_rows(md.Page(t.root, op["doc"]).lines, op["method"])
        for error in errors
        if error not in {e["error"] for e in op["errors"]}
    ]
    chosen = t.pick(candidates)
    if chosen is None:
        return None
    op, error = chosen
    t.apply(op["doc"], lambda lines: md.add_error_row(lines, op["method"], error, "418"))
    t.claim(f"op:{op['name']}", f"error:{error}")
    t.expect("error row added", "error-added", error, op=op["name"])
    return f"add error {error} to {op['name']}"


def add_status(t: Mutator) -> str | None:
    """An error row raised for one more status: the class is raised for it now."""
    candidates = [
        (op, e)
        for op in free_operations(t)
        for e in op["errors"]
        if e["error"] and f"error:{e['error']}" not in t.claimed
    ]
    chosen = t.pick(candidates)
    if chosen is None:
        return None
    op, error = chosen

    def edit(lines: list[str]) -> None:
        at = md.error_row(lines, op["method"], error["error"], error["statuses"])
        md.set_cell(lines, at, 1, f"{md.cells(lines[at])[1]}, 418")

    t.apply(op["doc"], edit)
    t.claim(f"op:{op['name']}")
    t.expect("status added", "error-added", error["error"], op=op["name"])
    return f"raise {error['error']} for 418 in {op['name']}"


def change_response(t: Mutator, remove: bool) -> str | None:
    """The response line removed (no body), or made `List[str]`."""
    list_of_str = {"kind": "list", "items": {"kind": "primitive", "name": "str"}}
    candidates = [
        op
        for op in free_operations(t)
        if op["response"] is not None
        and (remove or op["response"] != list_of_str)
        and md.response_line(md.Page(t.root, op["doc"]).lines, op["method"]) is not None
    ]
    op = t.pick(candidates)
    if op is None:
        return None

    def edit(lines: list[str]) -> None:
        at = md.response_line(lines, op["method"])
        assert at is not None
        lines[at] = "" if remove else "**List[str]**"

    t.apply(op["doc"], edit)
    t.claim(f"op:{op['name']}")
    t.expect("response line edited", "response-changed", op=op["name"])
    return f"{'remove' if remove else 'retype'} the response of {op['name']}"


def remove_operation(t: Mutator) -> str | None:
    """Its listing and its section go (the errors its table listed with them); not one whose
    section shows JSON bodies, which are evidence of the API's JSON keys."""
    candidates = []
    for op in free_operations(t):
        lines = md.Page(t.root, op["doc"]).lines
        shows = any("```json" in lines[i] for i in md.operation_section(lines, op["method"]))
        errors = {f"error:{e['error']}" for e in op["errors"] if e["error"]}
        if not shows and not errors & t.claimed:
            candidates.append(op)
    op = t.pick(candidates)
    if op is None:
        return None

    def edit(lines: list[str]) -> None:
        section = md.operation_section(lines, op["method"])
        del lines[section.start : section.stop]
        del lines[md.listed_operations(lines)[op["method"]]]

    t.apply(op["doc"], edit)
    t.claim(f"op:{op['name']}")
    for error, rows in sorted(Counter(e["error"] for e in op["errors"] if e["error"]).items()):
        rows_gone(t, error, rows)
    t.expect("operation removed", "operation-removed", op=op["name"])
    return f"remove {op['name']}"


def add_operation(t: Mutator) -> str | None:
    """An operation listed, with a section of its own, on the page of another."""
    op = t.pick(free_operations(t))
    if op is None:
        return None
    t.apply(op["doc"], lambda lines: md.add_operation(lines, PROBE, "List[str]"))
    name = f"{op['sdk_path']}.{PROBE}"
    t.claim(f"op:{name}")
    t.expect("operation added", "operation-added", op=name)
    return f"add {name}"
