"""What the resolution understood, as `docs2models report` prints it: the decisions taken
on the docs' evidence, and the repairs of lossy docs."""

from __future__ import annotations

from collections import Counter

from generator.model.schema import (
    ClassSpec,
    EnumSpec,
    ModelSpec,
    NullabilityPlan,
    Schema,
    UnionSpec,
    WireNamePlan,
)


def report_lines(schema: Schema) -> list[str]:
    """What `docs2models report` prints: classes by kind, namespaces, operations, the
    nullability and wire-name decisions with their evidence, and the repairs applied."""
    kinds = Counter(_kind(spec) for spec in schema.classes)
    lines = [f"classes: {len(schema.classes)}"]
    lines += [f"  {kind}: {kinds.get(kind, 0)}" for kind in ("model", "error", "enum", "union")]
    lines += [
        f"namespaces: {', '.join(schema.namespaces)}",
        _operations_line(schema),
        _nullability_line(schema.nullability),
        _wire_names_line(schema.wire_names),
        f"repairs: {len(schema.repairs)}",
    ]
    for rule, count in sorted(Counter(r.rule for r in schema.repairs).items()):
        lines.append(f"  {count:6d}  {rule}")
    return lines


def _kind(spec: ClassSpec) -> str:
    if isinstance(spec, ModelSpec):
        return "error" if spec.is_error else "model"
    if isinstance(spec, EnumSpec):
        return "enum"
    return "union" if isinstance(spec, UnionSpec) else "other"


def _operations_line(schema: Schema) -> str:
    """How many operations the SDK pages give, and how many statuses their errors cover."""
    operations = schema.operations
    if not operations:
        return "operations: 0 (no SDK pages under sdks/ list any)"
    rows = [error for spec in operations for error in spec.errors]
    typed = sum(1 for spec in operations if spec.body is not None)
    return (
        f"operations: {len(operations)} ({typed} with a response body, "
        f"{sum(1 for e in rows if e.error is not None)} error rows with their class, "
        f"{sum(1 for e in rows if e.error is None)} raising ApiError)"
    )


def _nullability_line(plan: NullabilityPlan) -> str:
    """Say how silent required fields were typed, and on what evidence."""
    admitted = [
        kind
        for kind, nullable in (("collections", plan.collections), ("dates", plan.dates))
        if nullable
    ]
    kept = [kind for kind in ("collections", "dates") if kind not in admitted]
    outcomes = []
    if admitted:
        outcomes.append(f"silent required {' and '.join(admitted)} admit null")
    if kept:
        outcomes.append(f"silent required {' and '.join(kept)} keep the docs' types")
    evidence = (
        f"{plan.evidence.nullable} of {plan.evidence.shown} required fields whose nullability "
        "the docs show are nullable"
    )
    return f"nullability: {plan.policy.value}: {'; '.join(outcomes)} ({evidence})"


def _wire_names_line(plan: WireNamePlan) -> str:
    """Say which JSON keys objects built in Python write, and on what evidence."""
    voted = sum(count for _, count in plan.votes)
    tally = ", ".join(f"{count} {style}" for style, count in plan.votes) or "none"
    return (
        f"wire names: {plan.setting.value}: {plan.convention} ({voted} fields whose key the docs "
        f"show or quote follow a convention: {tally}; {plan.fields_shown} fields take the key "
        "an example shows)"
    )
