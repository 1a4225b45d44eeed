"""Nullability where the docs are silent: which wrapper-less required cells admit null.

Speakeasy drops the `Optional`/`Nullable` wrapper from `List[...]`/`Dict[...]` cells and from
`[date](...)`/`[datetime](...)` links (FORMAT-CATALOGUE §5.5), so for those required fields the
docs cannot say whether the API sends `null`. Every other required cell does show it, and how
often an API marks those nullable is the best evidence of how it treats the silent ones.
"""

from __future__ import annotations

from generator.model.docs import COLLECTION_KINDS, WRAPPER_KINDS, DocTree, TypeKind, TypeRef
from generator.model.schema import Nullability, NullabilityPlan, NullEvidence

# An API whose docs mark fewer than one in NULL_AVERSE_RATIO of the required fields they can show
# as nullable does not use null for required values. Measured on six real trees: in the three
# below the ratio (0 %, 0.03 %, 1 % of shown fields nullable) Speakeasy typed none of 108 silent
# required collections nullable; in the three above it (5 %, 21 %, 33 %), 4 % to 45 % of them.
NULL_AVERSE_RATIO = 50
# Fewer shown fields than this say nothing either way, and a silent API keeps the safe choice.
MIN_EVIDENCE = 50


def silent_collection(node: TypeRef) -> bool:
    return node.kind in COLLECTION_KINDS


def silent_date(node: TypeRef) -> bool:
    return node.kind is TypeKind.PRIMITIVE and node.via_link and node.name in ("date", "datetime")


def null_evidence(tree: DocTree) -> NullEvidence:
    """Count the required rows whose nullability the docs show, and how many of them admit null."""
    shown = nullable = 0
    for doc in tree.docs:
        for row in doc.fields:
            inner = row.type.unwrapped()
            wrapped = row.type.kind in WRAPPER_KINDS
            if not row.required or (
                not wrapped and (silent_collection(inner) or silent_date(inner))
            ):
                continue
            shown += 1
            nullable += wrapped
    return NullEvidence(shown=shown, nullable=nullable)


def nullability_plan(tree: DocTree, policy: Nullability) -> NullabilityPlan:
    """Decide, for the whole tree, which silent required cells admit null.

    `auto` keeps dates nullable whatever the evidence: an event that has not happened yet has no
    timestamp, and even APIs that avoid null elsewhere send it there. Collections have an empty
    value, so a null-averse API sends `[]`/`{}` and their doc type is kept.
    """
    evidence = null_evidence(tree)
    if policy is Nullability.STRICT:
        return NullabilityPlan(policy, evidence, collections=False, dates=False)
    if policy is Nullability.LENIENT:
        return NullabilityPlan(policy, evidence, collections=True, dates=True)
    null_averse = (
        evidence.shown >= MIN_EVIDENCE and evidence.nullable * NULL_AVERSE_RATIO < evidence.shown
    )
    return NullabilityPlan(policy, evidence, collections=not null_averse, dates=True)
