"""Two resolved schemas -> every change between them, judged and sorted."""

from __future__ import annotations

from generator.diff.breaking import judged
from generator.diff.changes import Change, ordered
from generator.diff.compare import compare_classes
from generator.diff.operations import compare_operations
from generator.diff.usage import Usage
from generator.model.schema import Schema, UnionSpec


def diff_schemas(old: Schema, new: Schema, include_docs: bool = False) -> list[Change]:
    """Every change from `old` to `new`, judged and sorted (`include_docs`: descriptions
    and examples too)."""
    old_usage, new_usage = Usage(old), Usage(new)
    spelled_out = _spelled_out(old, new, old_usage.named | new_usage.named)
    found = [
        change
        for change in compare_classes(old, new, include_docs)
        if change.cls not in spelled_out
    ]
    found.extend(compare_operations(old, new))
    return ordered(judged(found, old_usage, new_usage))


def _spelled_out(old: Schema, new: Schema, named: set[str]) -> set[str]:
    """Unions that no type names on either side: every field that uses one spells its
    variants out (`[Union[A, B]](union.md)`), so a change shows as the field's type change,
    and the doc of the union is no class that code would import."""
    unions: dict[str, bool] = {}
    for schema in (old, new):
        for spec in schema.classes:
            is_union = isinstance(spec, UnionSpec)
            unions[str(spec.key)] = unions.get(str(spec.key), True) and is_union
    return {name for name, union in unions.items() if union and name not in named}
