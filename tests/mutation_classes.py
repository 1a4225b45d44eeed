"""Edits of enums, unions and whole docs: values and variants added or removed, docs deleted,
added, moved or renamed, an enum made a union (`tests/test_diff_mutations.py`)."""

from __future__ import annotations

import re
from functools import partial

from tests import doc_edits as md
from tests.conftest import fields_doc
from tests.mutation_tree import Mutator, annotation, key

PRIMITIVES = ("int", "float", "bool", "str")


def enum_member(t: Mutator, remove: bool) -> str | None:
    """A value removed from an enum of three or more, or one added (an integer to an enum
    of integers)."""
    docs = [
        doc
        for doc in t.free_docs("enum")
        if len(t.classes[t.docs[doc]]["members"]) >= 3 or not remove
    ]
    doc = t.pick(docs)
    if doc is None:
        return None
    spec = t.classes[t.docs[doc]]
    if remove:
        value = str(t.rng.choice(spec["members"])["value"])
        t.apply(doc, lambda lines: md.drop_line(lines, md.enum_values(lines)[value]))
    else:
        taken = [m["value"] for m in spec["members"]]
        number = spec["value_type"] == "int"
        new: str | int = max(taken) + 1 if number else "mutation-probe"
        t.apply(doc, lambda lines: md.add_enum_value(lines, "MUTATION_PROBE", new))
        value = str(new)
    t.claim(doc)
    t.expect(
        "enum value edited", "member-removed" if remove else "member-added", t.docs[doc], value
    )
    return f"{'remove' if remove else 'add'} member {value!r} of {doc}"


def enum_to_union(t: Mutator) -> str | None:
    """An enum doc's `## Values` made `## Supported Types`: the class's kind changes, and the
    fields that name it still name it."""
    doc = t.pick(t.free_docs("enum"))
    if doc is None:
        return None
    variants = ["## Supported Types", ""]
    for name in ("str", "int"):
        variants += [f"### `{name}`", "", "```python", f"value: {name} = /* values here */"]
        variants += ["```", ""]
    t.apply(doc, lambda lines: md.replace_section(lines, "## Values", variants))
    t.claim(doc)
    t.expect("enum doc made a union", "kind-changed", t.docs[doc])
    return f"make {doc} a union"


def union_variant(t: Mutator, remove: bool) -> str | None:
    """A union some type names, or one nothing uses (see `Mutator.is_class`); a union that
    fields spell out: `spelled_out_variant`."""
    docs = []
    for doc in t.free_docs("union"):
        variants = [annotation(v) for v in t.classes[t.docs[doc]]["variants"]]
        blocks = md.variant_blocks(md.Page(t.root, doc).lines)
        unique = len(set(variants)) == len(variants) == len(blocks)
        named = t.docs[doc] in t.other_refs | t.field_refs.keys()
        if unique and (named or not t.linked_by.get(doc)):
            docs.append(doc)
    doc = t.pick(
        [doc for doc in docs if not remove or len(t.classes[t.docs[doc]]["variants"]) >= 3]
    )
    if doc is None:
        return None
    variants = [annotation(v) for v in t.classes[t.docs[doc]]["variants"]]
    if remove:
        at = t.rng.randrange(len(variants))
        text = variants[at]
        t.apply(doc, lambda lines: md.drop_variant(lines, md.variant_blocks(lines)[at][0]))
    else:
        text = next(name for name in PRIMITIVES if name not in variants)
        t.apply(doc, lambda lines: md.add_variant(lines, text))
    t.claim(doc)
    kind = "variant-removed" if remove else "variant-added"
    if t.is_class(t.docs[doc], "union"):
        t.expect("union variant edited", kind, t.docs[doc], text)
    return f"{'remove' if remove else 'add'} variant {text} of {doc}"


SpelledOut = tuple[str, dict[str, dict[str, str]], list[list[str]]]


def spelled_out_unions(t: Mutator) -> list[SpelledOut]:
    """Union docs that no type names and only free model docs link to, each from Type cells
    that spell it out: (doc, {page: {field: cell}}, the variants each cell lists)."""
    found = []
    models = set(t.free_docs("model", "error"))
    for doc in t.free_docs("union"):
        linking = t.linked_by.get(doc, set())
        if t.docs[doc] in t.other_refs | t.field_refs.keys() or not linking <= models:
            continue
        rows = {page: md.rows_linking(page, md.Page(t.root, page).lines, doc) for page in linking}
        cells = [cell for by_field in rows.values() for cell in by_field.values()]
        documented = all(
            by_field and set(by_field) <= {f["name"] for f in t.classes[t.docs[page]]["fields"]}
            for page, by_field in rows.items()
        )
        if linking and documented and all("Union[" in cell for cell in cells):
            found.append((doc, rows, [md.union_variants(cell) for cell in cells]))
    return found


def spelled_out_variant(t: Mutator, remove: bool) -> str | None:
    """A union that no type names (v1 docs spell it out in each field that uses it: `[Union[
    str, bool]](union.md)`) edited with every cell that spells it: a type change of each of
    those fields, none of the union's own (docs/diff.md)."""
    candidates = spelled_out_unions(t)
    if remove:
        candidates = [
            c
            for c in candidates
            if any(all(v in s and len(s) >= 3 for s in c[2]) for v in PRIMITIVES)
        ]
    chosen = t.pick(candidates)
    if chosen is None:
        return None
    doc, rows, spelled = chosen
    if remove:
        text = next(v for v in PRIMITIVES if all(v in s for s in spelled))
        blocks = md.variant_blocks(md.Page(t.root, doc).lines)
        at = next(i for i, (_, shown) in enumerate(blocks) if shown == text)
        t.apply(doc, lambda lines: md.drop_variant(lines, md.variant_blocks(lines)[at][0]))
    else:
        text = next(v for v in PRIMITIVES if not any(v in s for s in spelled))
        t.apply(doc, lambda lines: md.add_variant(lines, text))
    for page, cells in sorted(rows.items()):
        for field, cell in cells.items():
            listed = md.union_variants(cell)
            listed = [v for v in listed if v != text] if remove else [*listed, text]
            new = md.respell_union(cell, listed)
            t.apply(page, partial(md.set_field_cell, field=field, name="type", text=new))
            t.expect("spelled-out union edited", "type-changed", t.docs[page], field)
        t.claim(page)
    t.claim(doc)
    return f"{'remove' if remove else 'add'} variant {text} of {doc}, spelled out"


# Edits of whole docs.


def delete_doc(t: Mutator, referenced: bool) -> str | None:
    """A doc no type names, or one only model fields name (never a variant or an operation):
    each of those fields takes any JSON value then, a type change of its own."""
    candidates = []
    for doc in t.free_docs("model", "enum", "union"):
        name = t.docs[doc]
        referrers = {t.classes[cls]["doc"] for cls, _ in t.field_refs.get(name, ())}
        linking = t.linked_by.get(doc, set())
        shown = any(t.shown(field) for field in t.classes[name].get("fields", []))
        if shown or name in t.other_refs or name.endswith("RequestBody") or doc in referrers:
            continue
        free = referrers <= set(t.docs) - t.claimed and linking <= referrers
        if free and bool(referrers) == referenced and len(referrers) <= 5:
            candidates.append(doc)
    doc = t.pick(candidates)
    if doc is None:
        return None
    (t.root / doc).unlink()
    name = t.docs[doc]
    if t.is_class(name, t.classes[name]["kind"]):
        t.expect("doc deleted", "class-removed", name)
    for cls, field in t.field_refs.get(name, ()):
        t.expect(f"{name} deleted: the field's type is Any", "type-changed", cls, field)
        t.claim(t.classes[cls]["doc"])
    t.claim(doc)
    return f"delete {doc}"


def add_doc(t: Mutator) -> str | None:
    """A model doc and a union doc that nothing uses added beside another doc."""
    doc = t.pick(t.free_docs("model"))
    if doc is None:
        return None
    folder, namespace = doc.rpartition("/")[0], t.classes[t.docs[doc]]["namespace"]
    (t.root / folder / "mutationprobemodel.md").write_text(
        fields_doc("MutationProbeModel", [("probe_id", "*str*", True, "")]), encoding="utf-8"
    )
    lines = ["# MutationProbeUnion", "", "## Supported Types"]
    for name in ("str", "int"):
        lines += ["", f"### `{name}`", "", "```python", f"value: {name} = /* values here */", "```"]
    (t.root / folder / "mutationprobeunion.md").write_text("\n".join(lines), encoding="utf-8")
    t.expect("doc added", "class-added", f"{namespace}.MutationProbeModel")
    if t.is_class(f"{namespace}.MutationProbeUnion", "union"):
        t.expect("doc added", "class-added", f"{namespace}.MutationProbeUnion")
    return f"add docs beside {doc}"


def move_doc(t: Mutator) -> str | None:
    """A doc renamed within its folder, every link to it following: no change."""
    candidates = []
    for doc in t.free_docs("model", "enum", "union"):
        linking = t.linked_by.get(doc, set())
        models = {page for page in linking if not page.startswith("sdks/")}
        if len(linking) <= 6 and not models & t.claimed:
            candidates.append(doc)
    doc = t.pick(candidates)
    if doc is None:
        return None
    moved = doc.removesuffix(".md") + "moved.md"
    (t.root / doc).rename(t.root / moved)
    for page in sorted(t.linked_by.get(doc, set())):
        t.apply(page, partial(md.relink, page, old=doc, new=moved))
        if not page.startswith("sdks/"):
            t.claim(page)
    t.claim(doc)
    return f"move {doc} to {moved}"


def rename_class(t: Mutator) -> str | None:
    """A doc's title changed, and the cells of the fields that name it: one class removed,
    another added, and each of those fields' types changed."""
    candidates = []
    for doc in t.free_docs("model", "enum", "union"):
        name = t.docs[doc]
        pairs = t.field_refs.get(name, set())
        referrers = {t.classes[cls]["doc"] for cls, _ in pairs}
        if not pairs or name in t.other_refs or doc in referrers or len(referrers) > 5:
            continue
        if referrers <= set(t.docs) - t.claimed and t.linked_by.get(doc, set()) <= referrers:
            rows = {
                (t.docs[r], f)
                for r in referrers
                for f in t.type_cells(r)
                if doc in md.links(r, [t.type_cells(r)[f]])
            }
            if rows == pairs:
                candidates.append(doc)
    doc = t.pick(candidates)
    if doc is None:
        return None
    old = t.classes[t.docs[doc]]
    new = f"{old['name']}Renamed"
    spelled = re.compile(rf"(?<![\w.]){old['namespace']}\.{old['name']}(?!\w)")
    t.apply(doc, lambda lines: lines.__setitem__(md.title_line(lines), f"# {new}"))
    for cls, field in sorted(t.field_refs[t.docs[doc]]):
        page = t.classes[cls]["doc"]
        cell = spelled.sub(f"{old['namespace']}.{new}", t.type_cells(page)[field])
        t.apply(page, partial(md.set_field_cell, field=field, name="type", text=cell))
        t.expect(f"{key(old)} renamed", "type-changed", cls, field)
        t.claim(page)
    t.claim(doc)
    t.expect("title changed", "class-removed", key(old))
    t.expect("title changed", "class-added", f"{old['namespace']}.{new}")
    return f"rename {key(old)}"
