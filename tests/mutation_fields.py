"""Edits of a model's fields: rows dropped and added, Type cells and Required markers changed,
descriptions, examples, deprecation and order rewritten (`tests/test_diff_mutations.py`)."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from tests import doc_edits as md
from tests.mutation_tree import PROBE, Mutator

SCALAR_TOKEN = re.compile(r"\*(Optional\[|Nullable\[|OptionalNullable\[)?(str|int|float|bool)\b")
# A Type cell of one type, in italics or linked to a doc: `*T*`, `[T](t.md)`.
WRAPPABLE = re.compile(r"^(?:\*(?P<italic>[^*]+)\*|\[(?P<linked>.+)\]\((?P<target>[^)\s]+\.md)\))$")
SCALAR_CELL = re.compile(r"^\*(Optional\[)?(str|int|float|bool)(\])?\*$")
OTHER_SCALAR = {"str": "int", "int": "str", "float": "str", "bool": "str"}


def drop_field(t: Mutator) -> str | None:
    """A row dropped; not one whose JSON key an example shows (see `Mutator.shown`)."""
    chosen = t.pick(t.fields(lambda field, cell: not t.shown(field)))
    if chosen is None:
        return None
    doc, field = chosen
    t.apply(doc, lambda lines: md.drop_field(lines, field))
    t.claim(doc)
    t.expect("row dropped", "field-removed", t.docs[doc], field)
    return f"drop {doc}:{field}"


def add_field(t: Mutator) -> str | None:
    """A required `*str*` row, or an optional `*Optional[str]*` one, added."""
    doc = t.pick(t.free_docs("model", "error"))
    if doc is None:
        return None
    required = t.rng.random() < 0.5
    cell = "*str*" if required else "*Optional[str]*"
    t.apply(doc, lambda lines: md.add_field(lines, PROBE, cell, required))
    t.claim(doc)
    t.expect("row added", "field-added", t.docs[doc], PROBE)
    return f"add {doc}:{PROBE} required={required}"


def change_type(t: Mutator) -> str | None:
    """The last `*str*`, `*int*`, `*float*` or `*bool*` of a Type cell (`*str*`,
    `List[*str*]`, `Dict[str, *int*]`, `*Optional[bool]*`) made another of them."""

    def scalar(cell: str) -> re.Match[str] | None:
        return next(reversed(list(SCALAR_TOKEN.finditer(cell))), None)

    chosen = t.pick(t.fields(lambda field, cell: scalar(cell) is not None))
    if chosen is None:
        return None
    doc, field = chosen

    def edit(lines: list[str]) -> None:
        cell = md.field_cell(lines, field, "type")
        found = scalar(cell)
        assert found
        other = OTHER_SCALAR[found[2]]
        retyped = f"{cell[: found.start(2)]}{other}{cell[found.end(2):]}"
        md.set_field_cell(lines, field, "type", retyped)

    t.apply(doc, edit)
    t.claim(doc)
    t.expect("Type cell changed", "type-changed", t.docs[doc], field)
    return f"retype {doc}:{field}"


def retype_date(t: Mutator) -> str | None:
    """A `[date](https://...)` cell, which admits null where the tree's policy says so
    (dates always, under `auto`), made `*str*`, which follows its cell: nullable only when
    optional."""
    shape = re.compile(r"^\[(date|datetime)\]\(https?://[^)]*\)$")
    chosen = t.pick(t.fields(lambda field, cell: bool(shape.match(cell))))
    if chosen is None:
        return None
    doc, name = chosen
    field = t.field(doc, name)
    cell = "*str*" if field["required"] else "*Optional[str]*"
    t.apply(doc, lambda lines: md.set_field_cell(lines, name, "type", cell))
    t.claim(doc)
    t.expect("date made str", "type-changed", t.docs[doc], name)
    if field["nullable"] != (not field["required"]):
        t.expect("date made str: nullable as the cell says", "nullable-changed", t.docs[doc], name)
    return f"retype date {doc}:{name}"


def flip_required(t: Mutator) -> str | None:
    """A required `*T*` or `[T](t.md)` made optional `*Optional[T]*` or `[Optional[T]](t.md)`,
    or back, as Speakeasy writes each: an optional field is always nullable, a required one
    without `Nullable` never (collections and dates apart: `flip_collection`)."""

    def flippable(field: dict[str, Any], cell: str) -> bool:
        shown = WRAPPABLE.match(cell)
        # A collection's cell shows no wrapper; a Literal is a constant the package fills in.
        if shown is None or field["type"]["kind"] in ("list", "dict", "union", "literal"):
            return False
        inner = shown["italic"] or shown["linked"]
        return inner.startswith("Optional[") != field["required"] and not inner.startswith(
            ("Nullable[", "OptionalNullable[", "Any", "Optional[Any")
        )

    chosen = t.pick(t.fields(flippable))
    if chosen is None:
        return None
    doc, name = chosen
    field = t.field(doc, name)

    def edit(lines: list[str]) -> None:
        shown = WRAPPABLE.match(md.field_cell(lines, name, "type"))
        assert shown
        inner = shown["italic"] or shown["linked"]
        inner = inner[len("Optional[") : -1] if field["required"] is False else f"Optional[{inner}]"
        cell = f"*{inner}*" if shown["italic"] else f"[{inner}]({shown['target']})"
        md.set_field_cell(lines, name, "type", cell)
        md.set_field_cell(
            lines, name, "required", md.OPTIONAL if field["required"] else md.REQUIRED
        )

    t.apply(doc, edit)
    t.claim(doc)
    t.expect("Required flipped", "required-changed", t.docs[doc], name)
    if field["nullable"] != field["required"]:
        t.expect("Required flipped: nullable with it", "nullable-changed", t.docs[doc], name)
    return f"flip {doc}:{name}"


def rewrite_docs(t: Mutator) -> str | None:
    """The class's description, a field's description and an Example cell (its keys kept:
    keys an example shows are evidence of JSON keys) rewritten: no change at all."""
    doc = t.pick(t.free_docs("model", "error"))
    if doc is None:
        return None

    def edit(lines: list[str]) -> None:
        title = md.title_line(lines)
        lines[title + 1 : title + 1] = ["", "Rewritten: this sentence only documents the class."]
        for field in md.field_rows(lines):
            description = md.field_cell(lines, field, "description")
            if "`" not in description and "DEPRECATED" not in description:
                md.set_field_cell(lines, field, "description", "Rewritten description.")
            example = md.field_cell(lines, field, "example")
            if example and not set(example) & set("{}[]"):
                md.set_field_cell(lines, field, "example", example + "0")

    t.apply(doc, edit)
    t.claim(doc)
    return f"rewrite descriptions of {doc}"


def deprecate(t: Mutator) -> str | None:
    """A class and one of its fields marked deprecated, as Speakeasy marks them: deprecation
    is no change (docs/diff.md, "Not compared")."""
    chosen = t.pick(t.fields(lambda field, cell: True))
    if chosen is None:
        return None
    doc, field = chosen

    def edit(lines: list[str]) -> None:
        title = md.title_line(lines)
        lines[title] = f"# ~~{lines[title][2:].strip()}~~"
        lines.insert(title + 1, "")
        lines.insert(title + 2, "> :warning: **DEPRECATED**: This will be removed.")
        at = md.field_rows(lines)[field]
        md.set_cell(lines, at, 0, f"~~`{field}`~~")
        notice = ": warning: ** DEPRECATED **: This will be removed.."
        md.set_field_cell(lines, field, "description", notice)

    t.apply(doc, edit)
    t.claim(doc)
    return f"deprecate {doc} and its {field}"


def flip_collection(t: Mutator) -> str | None:
    """A `List[...]`/`Dict[...]` row's Required flipped: its cell shows no wrapper either way,
    so whether it is nullable follows the tree's evidence (docs/diff.md, "Nullability")."""
    chosen = t.pick(t.fields(lambda field, cell: cell.startswith(("List[", "Dict["))))
    if chosen is None:
        return None
    doc, name = chosen
    field = t.field(doc, name)
    required = not field["required"]
    marker = md.REQUIRED if required else md.OPTIONAL
    t.apply(doc, lambda lines: md.set_field_cell(lines, name, "required", marker))
    t.claim(doc)
    t.expect("Required flipped", "required-changed", t.docs[doc], name)
    if field["nullable"] != (t.collections_nullable if required else True):
        t.expect("Required flipped: the tree's nullability", "nullable-changed", t.docs[doc], name)
    return f"flip {doc}:{name}"


def wrap_nullable(t: Mutator, optional: bool) -> str | None:
    """`*str*` -> `*Nullable[str]*`: nullable now; `*Optional[str]*` ->
    `*OptionalNullable[str]*`: no change (an optional field takes None already)."""
    wrapper = "Optional[" if optional else None

    def wrappable(field: dict[str, Any], cell: str) -> bool:
        scalar = SCALAR_CELL.match(cell)
        return scalar is not None and scalar[1] == wrapper and field["nullable"] == optional

    chosen = t.pick(t.fields(wrappable))
    if chosen is None:
        return None
    doc, field = chosen

    def edit(lines: list[str]) -> None:
        scalar = SCALAR_CELL.match(md.field_cell(lines, field, "type"))
        assert scalar
        wrapped = f"*OptionalNullable[{scalar[2]}]*" if optional else f"*Nullable[{scalar[2]}]*"
        md.set_field_cell(lines, field, "type", wrapped)

    t.apply(doc, edit)
    t.claim(doc)
    if not optional:
        t.expect("Nullable added", "nullable-changed", t.docs[doc], field)
    return f"nullable {doc}:{field}"


def retarget_field(t: Mutator) -> str | None:
    """A field that names a class (`[Optional[models.A]](a.md)`) made to name an enum of
    the same folder instead; not one whose Example shows an object, whose keys are evidence
    of the JSON keys of the class it named."""
    shape = re.compile(r"^\[(Optional\[)?(\w+\.\w+)(\]?)\]\([^)\s]+\.md\)$")

    def named(field: dict[str, Any], cell: str) -> bool:
        return bool(shape.match(cell)) and field["type"]["kind"] == "ref"

    chosen = t.pick(t.fields(named))
    if chosen is None:
        return None
    doc, field = chosen
    if "{" in md.field_cell(md.Page(t.root, doc).lines, field, "example"):
        return None
    wrapper = shape.match(t.type_cells(doc)[field])
    assert wrapper
    folder = doc.rpartition("/")[0]
    enums = [e for e in t.free_docs("enum") if t.docs[e] != wrapper[2]]
    target = t.pick([e for e in enums if e.rpartition("/")[0] == folder] or enums)
    if target is None:
        return None
    link = posixpath.relpath(target, folder or ".")
    new = f"[{wrapper[1] or ''}{t.docs[target]}{wrapper[3]}]({link})"
    t.apply(doc, lambda lines: md.set_field_cell(lines, field, "type", new))
    t.claim(doc, target)
    t.expect("Type cell names another class", "type-changed", t.docs[doc], field)
    return f"retarget {doc}:{field} to {t.docs[target]}"


def reorder_and_unlink(t: Mutator) -> str | None:
    """A model's rows reversed and its Type cells written without links; an enum's values
    or a union's variants reversed: no change."""
    doc = t.pick([d for d in t.free_docs("model", "error") if len(t.type_cells(d)) >= 2])
    other = t.pick(t.free_docs("enum", "union"))
    if doc is None or other is None:
        return None
    unlinked = md.links(doc, md.Page(t.root, doc).lines)

    def edit(lines: list[str]) -> None:
        md.reverse_fields(lines)
        for field in md.field_rows(lines):
            md.set_field_cell(lines, field, "type", md.unlink(md.field_cell(lines, field, "type")))

    t.apply(doc, edit)
    t.apply(other, md.reverse_values)
    t.claim(doc, other, *unlinked)
    return f"reorder {doc} and {other}"
