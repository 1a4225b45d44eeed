"""Two resolved schemas -> change records for their operations: added and removed, the
response body's type, and the error classes each status raises."""

from __future__ import annotations

from collections.abc import Iterator

from generator.diff import changes as kinds
from generator.diff.changes import Change
from generator.diff.types import Relation, relation
from generator.model.docs import type_text
from generator.model.schema import OperationSpec, Schema


def compare_operations(old: Schema, new: Schema) -> Iterator[Change]:
    before = {spec.name: spec for spec in old.operations}
    after = {spec.name: spec for spec in new.operations}
    for name in sorted(before.keys() - after.keys()):
        yield Change(kinds.OPERATION_REMOVED, operation=name, message=f"operation {name} removed")
    for name in sorted(after.keys() - before.keys()):
        yield Change(kinds.OPERATION_ADDED, operation=name, message=f"operation {name} added")
    for name in sorted(before.keys() & after.keys()):
        yield from _compare_response(name, before[name], after[name])
        yield from _compare_errors(name, before[name], after[name])


def _compare_response(name: str, old: OperationSpec, new: OperationSpec) -> Iterator[Change]:
    if old.body is None and new.body is None:
        return
    if old.body is not None and new.body is not None:
        if relation(old.body, new.body) is Relation.SAME:
            return
        direction = relation(old.body, new.body)
    else:
        direction = Relation.OTHER
    before = "no body" if old.body is None else type_text(old.body)
    after = "no body" if new.body is None else type_text(new.body)
    yield Change(
        kinds.RESPONSE_CHANGED,
        operation=name,
        old=before,
        new=after,
        direction=direction.value,
        message=f"operation {name}: response {before} -> {after}",
    )


def _statuses_by_error(spec: OperationSpec) -> dict[str, set[str]]:
    """The statuses each error class is raised for (`ApiError`'s own rows left out: every
    error class derives from it)."""
    out: dict[str, set[str]] = {}
    for row in spec.errors:
        if row.error is not None:
            out.setdefault(str(row.error), set()).update(row.statuses)
    return out


def _compare_errors(name: str, old: OperationSpec, new: OperationSpec) -> Iterator[Change]:
    before, after = _statuses_by_error(old), _statuses_by_error(new)
    for error in sorted(before.keys() | after.keys()):
        lost = sorted(before.get(error, set()) - after.get(error, set()))
        gained = sorted(after.get(error, set()) - before.get(error, set()))
        if lost:
            yield Change(
                kinds.ERROR_REMOVED,
                error,
                operation=name,
                old=lost,
                message=f"operation {name}: no longer raises {error} for {', '.join(lost)}",
            )
        if gained:
            yield Change(
                kinds.ERROR_ADDED,
                error,
                operation=name,
                new=gained,
                message=f"operation {name}: raises {error} for {', '.join(gained)}",
            )
