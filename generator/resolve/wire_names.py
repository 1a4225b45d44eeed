"""The JSON key each field writes, from the evidence the docs carry.

Speakeasy's docs name the attribute it derived from each key, never the key. The keys show
through in the keys of JSON Example cells (those of a linked model's fields, nested objects
and list items included) and in the JSON bodies of the SDK pages; identifiers quoted in
descriptions (`plannedRows`) show the API's convention. A field takes the key the docs show
for it; every other field follows its class's convention, when the keys shown for the class
show one, else the API's, when all the evidence of the tree shows one clearly, else the
documented attribute. The overrides file, applied after this, has the last word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from generator.model.diagnostics import Diagnostics
from generator.model.docs import DocLocation, DocTree, ExampleBody, TypeKind, TypeRef
from generator.model.naming import referenced_class
from generator.model.schema import (
    ClassKey,
    FieldSpec,
    ModelSpec,
    UnionSpec,
    WireNamePlan,
    WireNames,
)
from generator.resolve.operations import RESPONSE_METADATA, is_transport
from generator.runtime.keys import DERIVED, KeyRouter, attribute_forms
from generator.untrusted import InputError, load_json

# A convention decides the keys of fields the docs show none for when at least this many
# distinct fields show it, and at least this share of the fields that show any convention.
MIN_VOTES = 2
MIN_SHARE = 0.8
# An identifier quoted in a description: `plannedRows`, `SMART_RECRUIT`
_QUOTED = re.compile(r"`([A-Za-z_$@][A-Za-z0-9_]*)`")
_PASCAL = re.compile(r"[A-Z][A-Z0-9]*[a-z]")
_BREAKS = re.compile(r"<br\s*/?>")
# As deep as a generated package reads payloads (the runtime's MAX_DEPTH): an example any
# deeper is no payload of the API, and walking it could exhaust the stack.
EXAMPLE_DEPTH = 100


def camel_case(attribute: str) -> str:
    """`job_posting_id` -> `jobPostingId`."""
    head, *rest = [part for part in attribute.split("_") if part] or [attribute]
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def pascal_case(attribute: str) -> str:
    """`job_posting_id` -> `JobPostingId`."""
    camel = camel_case(attribute)
    return camel[:1].upper() + camel[1:]


CONVENTIONS: dict[str, Callable[[str], str]] = {
    "snake": lambda documented: documented,
    "camel": camel_case,
    "pascal": pascal_case,
    "upper": str.upper,
}


def convention_of(key: str, documented: str) -> str | None:
    """Which convention turns the documented attribute into `key`, if one does and it is
    telling. A one-word key tells nothing in lower case (snake and camel case write it
    alike), nor in capitals: camelCase and PascalCase APIs write an acronym so (`ID`, `URL`)."""
    if "_" not in documented.strip("_") and key in (documented.lower(), documented.upper()):
        return None
    for name, convert in CONVENTIONS.items():
        if convert(documented) == key:
            return name
    return None


@dataclass(frozen=True)
class _Evidence:
    key: ClassKey
    documented: str  # the field's documented attribute (its wire name before this stage)
    wire: str


class _Models:
    """The models, unions and their fields, and how a key finds a field."""

    def __init__(self, models: Iterable[ModelSpec], unions: Iterable[UnionSpec]) -> None:
        self.models = {spec.key: spec for spec in models}
        self.unions = {spec.key: spec for spec in unions}
        self.by_path = {spec.doc_path: spec for spec in reversed(list(self.models.values()))}
        self._routers: dict[ClassKey, KeyRouter] = {}
        # The first class (in key order) with a field of each documented attribute.
        self.first_with: dict[str, tuple[ClassKey, str]] = {}
        for key in sorted(self.models):
            for field in self.models[key].fields:
                self.first_with.setdefault(field.attribute, (key, field.wire_name))

    def field(self, model: ModelSpec, key: str) -> FieldSpec | None:
        """The field that `key` names exactly or by Speakeasy's naming (never more loosely)."""
        router = self._routers.get(model.key)
        if router is None:
            router = self._routers[model.key] = KeyRouter(
                (f.attribute, f.wire_name) for f in model.fields
            )
        found = router.match(key)
        if found is None or found[0] > DERIVED:
            return None
        return next(f for f in model.fields if f.wire_name == found[1])

    def covers(self, model: ModelSpec, value: dict[str, Any]) -> bool:
        return all(self.field(model, key) is not None for key in value)

    def models_of(self, node: TypeRef) -> Iterator[ModelSpec]:
        """The models a value of this type may be (through unions)."""
        node = node.unwrapped()
        if node.kind is TypeKind.REF:
            key = ClassKey(node.namespace, referenced_class(node.name))
            if key in self.models:
                yield self.models[key]
            elif key in self.unions:
                for variant in self.unions[key].variants:
                    yield from self.models_of(variant)
        elif node.kind is TypeKind.UNION:
            for arg in node.args:
                yield from self.models_of(arg)

    def walk(self, node: TypeRef, value: Any) -> Iterator[_Evidence]:
        """The keys that a JSON value of this type shows for the fields of its models."""
        node = node.unwrapped()
        if node.kind is TypeKind.LIST and isinstance(value, list):
            for item in value:
                yield from self.walk(node.args[0], item)
        elif node.kind is TypeKind.DICT and isinstance(value, dict):
            for item in value.values():
                yield from self.walk(node.args[1], item)
        elif isinstance(value, dict) and value:
            fitting = [m for m in self.models_of(node) if self.covers(m, value)]
            if len(fitting) == 1:
                yield from self.object(fitting[0], value)

    def object(self, model: ModelSpec, value: dict[str, Any]) -> Iterator[_Evidence]:
        for key, item in value.items():
            field = self.field(model, key)
            if field is not None:
                yield _Evidence(model.key, field.wire_name, key)
                yield from self.walk(field.type, item)


def choose_wire_names(
    models: list[ModelSpec],
    unions: list[UnionSpec],
    tree: DocTree,
    setting: WireNames,
    diagnostics: Diagnostics,
) -> tuple[list[ModelSpec], WireNamePlan]:
    """The models with the wire key of every field decided, and the decision for the report.

    `auto` without evidence of the API's keys writes the documented attributes, which is
    wrong for every camelCase API: that is said once, as a warning, where it matters."""
    if setting is WireNames.AS_DOCUMENTED:
        return models, WireNamePlan(setting, "as documented", (), 0)
    index = _Models(models, unions)
    shown = [
        *_example_cells(index, models, diagnostics),
        *_sdk_bodies(index, tree.example_bodies, diagnostics),
    ]
    keys = _field_keys(shown)
    shown_votes = _votes(shown)
    tally = Counter({**_votes(_quoted(index, models)), **shown_votes}.values())
    convention = _decisive(tally, MIN_VOTES) if setting is WireNames.AUTO else setting.value
    by_class: dict[ClassKey, Counter[str]] = {}
    if setting is WireNames.AUTO:
        for (key, _), style in shown_votes.items():
            by_class.setdefault(key, Counter())[style] += 1
    decided = []
    # Fields whose key no evidence decides and that a convention would write otherwise.
    unsure: list[FieldSpec] = []
    for model in models:
        shown_here = by_class.get(model.key)
        own = (shown_here and _decisive(shown_here, 1)) or convention
        if own is None:
            own = "snake"
            unsure.extend(
                f
                for f in _json_fields(model)
                if (model.key, f.wire_name) not in keys and camel_case(f.wire_name) != f.wire_name
            )
        decided.append(_with_keys(model, own, keys))
    plan = WireNamePlan(
        setting, convention or "as documented", tuple(sorted(tally.items())), len(keys)
    )
    if unsure:
        _report_fallback(unsure, plan, diagnostics)
    return decided, plan


def _with_keys(
    model: ModelSpec, convention: str, keys: dict[tuple[ClassKey, str], str]
) -> ModelSpec:
    """The model with each field's key: the one the docs show, else the convention's."""
    wires = [
        keys.get((model.key, f.wire_name)) or CONVENTIONS[convention](f.wire_name)
        for f in model.fields
    ]
    # Two fields never share a key: where the evidence or a convention would make them,
    # both keep their documented ones (which are distinct).
    taken = Counter(wires)
    wires = [w if taken[w] == 1 else f.wire_name for w, f in zip(wires, model.fields, strict=True)]
    if all(wire == f.wire_name for wire, f in zip(wires, model.fields, strict=True)):
        return model
    fields = tuple(
        f if wire == f.wire_name else replace(f, wire_name=wire)
        for wire, f in zip(wires, model.fields, strict=True)
    )
    return replace(model, fields=fields)


def _json_fields(model: ModelSpec) -> list[FieldSpec]:
    """The fields that may be JSON keys: not the SDK's transport objects, nor what a v1
    response class says of the HTTP response beside them."""
    if not any(is_transport(f) for f in model.fields):
        return list(model.fields)
    return [f for f in model.fields if not is_transport(f) and f.attribute not in RESPONSE_METADATA]


def _report_fallback(unsure: list[FieldSpec], plan: WireNamePlan, diagnostics: Diagnostics) -> None:
    """One warning for the run, at the first field it concerns."""
    first = min(unsure, key=lambda f: f.location)
    tally = ", ".join(f"{count} {style}" for style, count in plan.votes)
    evidence = (
        f"the keys the docs show or quote follow no one convention ({tally})"
        if tally
        else "the docs show none of the API's JSON keys (no JSON example, no key quoted in a "
        "description)"
    )
    diagnostics.warning(
        first.location,
        f"wire names: {evidence}: objects built in Python write the documented attributes as "
        f"keys (`{first.wire_name}` here, {len(unsure)} field(s) in all); if the API's keys "
        'are camelCase, set wire_names = "camel" (or --wire-names camel); wire_names = "snake" '
        "keeps the attributes without this warning",
    )


def _decisive(votes: Counter[str], least: int) -> str | None:
    """The convention that clearly leads, or None."""
    if not votes:
        return None
    (leader, count), total = votes.most_common(1)[0], sum(votes.values())
    return leader if count >= least and count >= MIN_SHARE * total else None


def _field_keys(shown: list[_Evidence]) -> dict[tuple[ClassKey, str], str]:
    """For each field the docs show a key for, the key shown most often (then the smallest)."""
    counts: dict[tuple[ClassKey, str], Counter[str]] = {}
    for evidence in shown:
        counts.setdefault((evidence.key, evidence.documented), Counter())[evidence.wire] += 1
    return {
        field: min(seen, key=lambda wire: (-seen[wire], wire)) for field, seen in counts.items()
    }


def _votes(shown: list[_Evidence]) -> dict[tuple[ClassKey, str], str]:
    """The convention each field's shown key follows, one vote per field."""
    votes: dict[tuple[ClassKey, str], str] = {}
    for evidence in sorted(shown, key=lambda e: (e.key, e.documented, e.wire)):
        style = convention_of(evidence.wire, evidence.documented)
        if style is not None:
            votes.setdefault((evidence.key, evidence.documented), style)
    return votes


def _json(text: str, location: DocLocation, diagnostics: Diagnostics) -> Any:
    """An example's value; None where it is not JSON (examples are often abridged: said by
    nothing) or where it is past what Python reads (said, as a warning)."""
    try:
        return load_json(_BREAKS.sub("\n", text), "the JSON example", EXAMPLE_DEPTH)
    except InputError as problem:
        if problem.past_limit:
            diagnostics.warning(location, f"{problem.reason}: not read for the keys it shows")
        return None


def _example_cells(
    index: _Models, models: list[ModelSpec], diagnostics: Diagnostics
) -> Iterator[_Evidence]:
    for model in models:
        for field in model.fields:
            if field.example.lstrip()[:1] in ("{", "["):
                yield from index.walk(field.type, _json(field.example, field.location, diagnostics))


def _sdk_bodies(
    index: _Models, bodies: tuple[ExampleBody, ...], diagnostics: Diagnostics
) -> list[_Evidence]:
    """A body belongs to the model of its section that has a field for each of its keys and
    the most keys (the section's linked docs and the models their fields refer to)."""
    found: list[_Evidence] = []
    for body in bodies:
        value = _json(body.text, body.location, diagnostics)
        if not isinstance(value, dict) or not value:
            continue
        linked = [index.by_path[p] for p in body.linked_docs if p in index.by_path]
        candidates = {m.key: m for m in linked}
        for model in linked:
            for field in model.fields:
                candidates.update((m.key, m) for m in index.models_of(field.type))
        fitting = [m for m in candidates.values() if index.covers(m, value)]
        if len(fitting) == 1:
            found.extend(index.object(fitting[0], value))
    return found


def _quoted(index: _Models, models: list[ModelSpec]) -> list[_Evidence]:
    """Identifiers quoted in descriptions that name a documented field: prose may also name
    another system's keys, so this is evidence of the API's convention, never of a key."""
    found: list[_Evidence] = []
    for model in models:
        text = " ".join([model.description, *(f.description for f in model.fields)])
        for quoted in _QUOTED.findall(text):
            # A quoted single word, or a PascalCase one, is as often a type's name or an enum
            # value as a key.
            if "_" not in attribute_forms(quoted)[0] or _PASCAL.match(quoted):
                continue
            field = index.field(model, quoted)
            if field is not None:
                found.append(_Evidence(model.key, field.wire_name, quoted))
                continue
            for form in attribute_forms(quoted):
                if form in index.first_with:
                    found.append(_Evidence(*index.first_with[form], quoted))
                    break
    return found
