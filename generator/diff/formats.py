"""A change list as text (a line each), Markdown (a pull request's body) or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import groupby

from generator.diff import changes as kinds
from generator.diff.changes import Change

# Kinds whose changes are listed as names in one line per namespace (or for operations).
_LISTED = {
    kinds.CLASS_ADDED: "added",
    kinds.CLASS_REMOVED: "removed",
    kinds.OPERATION_ADDED: "added",
    kinds.OPERATION_REMOVED: "removed",
}
OPERATIONS = "operations"


def as_json(changes: list[Change]) -> str:
    document = {"changes": [change.as_json() for change in changes]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_text(changes: list[Change]) -> str:
    """A line a change, the breaking ones first."""
    lines = [
        f"{change.kind}: {change.message}" + (" (breaking)" if change.breaking else "")
        for change in [*_breaking(changes, True), *_breaking(changes, False)]
    ]
    return "".join(f"{line}\n" for line in lines)


def summary(changes: list[Change]) -> str:
    broken = sum(change.breaking for change in changes)
    if not changes:
        return "no changes"
    return f"{broken} breaking change(s), {len(changes) - broken} other change(s)"


def as_markdown(changes: list[Change]) -> str:
    """Breaking changes first, then the others folded by namespace; in each namespace a
    line a class (or operation) with its changes, and one line for classes added or removed."""
    broken = list(_breaking(changes, True))
    others = list(_breaking(changes, False))
    out = [f"## API changes: {summary(changes)}", ""]
    if broken:
        out += ["### Breaking changes", ""]
        for group, items in _groups(broken):
            out += [f"**{group}**", "", *_lines(items), ""]
    if others:
        out += ["### Other changes", ""]
        for group, items in _groups(others):
            out += [
                f"<details><summary><b>{group}</b>: {_counts(items)}</summary>",
                "",
                *_lines(items),
                "",
                "</details>",
                "",
            ]
    return "\n".join(out).rstrip("\n") + "\n"


def _breaking(changes: Iterable[Change], breaking: bool) -> Iterable[Change]:
    return (change for change in changes if change.breaking is breaking)


def _group_of(change: Change) -> str:
    """The namespace of a class's change; operations are a group of their own."""
    return OPERATIONS if change.operation else change.cls.partition(".")[0]


def _groups(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    ordered = sorted(
        changes, key=lambda change: (_group_of(change) == OPERATIONS, _group_of(change))
    )
    return [(group, list(items)) for group, items in groupby(ordered, _group_of)]


def _counts(changes: list[Change]) -> str:
    tally: dict[str, int] = {}
    for change in changes:
        tally[change.kind] = tally.get(change.kind, 0) + 1
    return ", ".join(f"{count} {kind}" for kind, count in sorted(tally.items()))


def _lines(changes: list[Change]) -> list[str]:
    lines = []
    for kind, word in _LISTED.items():
        names = sorted(change.operation or change.cls for change in changes if change.kind == kind)
        if names:
            what = "operations" if kind.startswith("operation") else "classes"
            lines.append(f"- {what} {word}: {', '.join(f'`{name}`' for name in names)}")
    rest = [change for change in changes if change.kind not in _LISTED]
    owner: Callable[[Change], str] = lambda change: change.operation or change.cls  # noqa: E731
    for name, items in groupby(sorted(rest, key=owner), owner):
        lines.append(f"- `{name}`: {_owner_phrases(list(items))}")
    return lines


def _owner_phrases(changes: list[Change]) -> str:
    """A class's (or operation's) changes: its own, then its members and variants by kind,
    then a phrase for each field with what happened to it."""
    phrases = [_phrase(change) for change in changes if not change.subject]
    for kind in (
        kinds.MEMBER_ADDED,
        kinds.MEMBER_REMOVED,
        kinds.VARIANT_ADDED,
        kinds.VARIANT_REMOVED,
    ):
        names = [f"`{change.subject}`" for change in changes if change.kind == kind]
        if names:
            noun, _, verb = kind.partition("-")
            phrases.append(f"{noun}{'s' if len(names) > 1 else ''} {verb}: {', '.join(names)}")
    fields = sorted((change for change in changes if change.field), key=lambda c: c.field)
    for field, items in groupby(fields, lambda change: change.field):
        said = [_phrase(change) for change in items]
        joiner = " " if len(said) == 1 and said[0].split()[0] in ("added", "removed") else ": "
        phrases.append(f"`{field}`{joiner}{', '.join(said)}")
    return "; ".join(phrases)


def _phrase(change: Change) -> str:
    """The change in a few words, without the class, operation or field it belongs to."""
    kind = change.kind
    if kind == kinds.FIELD_ADDED:
        return "added (required)" if change.new and change.new.get("required") else "added"
    if kind == kinds.FIELD_REMOVED:
        return "removed"
    if kind == kinds.TYPE_CHANGED:
        return _type_change(str(change.old), str(change.new))
    if kind == kinds.RESPONSE_CHANGED:
        return f"response {_type_change(str(change.old), str(change.new))}"
    if kind == kinds.REQUIRED_CHANGED:
        return "required now" if change.new else "optional now"
    if kind == kinds.NULLABLE_CHANGED:
        return "nullable now" if change.new else "not nullable now"
    if kind == kinds.WIRE_NAME_CHANGED:
        return f"JSON key `{change.old}` -> `{change.new}`"
    if kind == kinds.KIND_CHANGED:
        return f"{change.old} -> {change.new}"
    if kind in (kinds.ERROR_ADDED, kinds.ERROR_REMOVED):
        statuses = ", ".join(change.new or change.old or ())
        verb = "raises" if kind == kinds.ERROR_ADDED else "no longer raises"
        return f"{verb} `{change.cls}` ({statuses})"
    return "description or example changed" if change.field else "description changed"


def _type_change(old: str, new: str) -> str:
    """`old` -> `new`, or for two unions only the variants that differ."""
    before, after = split_union(old), split_union(new)
    if len(before) > 1 and len(after) > 1:
        gained = [f"+`{v}`" for v in after if v not in before]
        lost = [f"-`{v}`" for v in before if v not in after]
        return "union " + ", ".join(lost + gained)
    return f"`{old}` -> `{new}`"


def split_union(text: str) -> list[str]:
    """The top-level variants of a type's text (`list[a | b] | c` -> two)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if depth == 0 and text.startswith(" | ", index):
            parts.append(text[start:index])
            start = index + 3
    parts.append(text[start:])
    return parts
