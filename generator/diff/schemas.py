"""Two resolved schemas -> every change between them, judged and sorted."""

from __future__ import annotations

from generator.diff.breaking import judged
from generator.diff.changes import Change, ordered
from generator.diff.compare import compare_classes
from generator.diff.operations import compare_operations
from generator.diff.usage import Usage, variant_set
from generator.model.schema import Schema, UnionSpec


def diff_schemas(old: Schema, new: Schema, include_docs: bool = False) -> list[Change]:
    """Every change from `old` to `new`, judged and sorted (`include_docs`: descriptions
    and examples too)."""
    old_usage, new_usage = Usage(old), Usage(new)
    spelled_out = _spelled_out(old, new, old_usage, new_usage)
    found = [
        change
        for change in compare_classes(old, new, include_docs)
        if change.cls not in spelled_out
    ]
    found.extend(compare_operations(old, new))
    return ordered(judged(found, old_usage, new_usage))


def _spelled_out(old: Schema, new: Schema, old_usage: Usage, new_usage: Usage) -> set[str]:
    """Union docs that are no class code would import, where the docs spell their unions out
    (`[Union[A, B]](union.md)` in every field that uses one, as v1 SDKs do): a change shows
    as the type change of each field that spells the union out.

    Those are the unions no type names on either side. They are left out only when the docs
    do spell unions out: some such union is written out in a type. Where the docs name their
    unions instead (`[models.AB](ab.md)`, as v2 SDKs do), a union that nothing uses is a class
    the package exports like any other."""
    unions: dict[str, bool] = {}
    takes: dict[str, list[frozenset[str]]] = {}
    for schema in (old, new):
        for spec in schema.classes:
            is_union = isinstance(spec, UnionSpec)
            unions[str(spec.key)] = unions.get(str(spec.key), True) and is_union
            if isinstance(spec, UnionSpec):
                takes.setdefault(str(spec.key), []).append(variant_set(spec.variants))
    named = old_usage.named | new_usage.named
    unnamed = {name for name, union in unions.items() if union and name not in named}
    spelled = old_usage.spelled | new_usage.spelled
    if any(variants in spelled for name in unnamed for variants in takes[name]):
        return unnamed
    return set()
