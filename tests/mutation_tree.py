"""A copy of a real doc tree under edits of known meaning: which docs, fields, operations and
classes the unedited tree has (from its IR, `docs2models ir`), which of them an edit may still
touch, and the changes the edits made must give (`tests/test_diff_mutations.py`)."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests import doc_edits as md

Identity = tuple[str, str, str, str]  # kind, class, field/member/variant, operation
JSON_KEY = re.compile(r'"([^"\\\s]+)"\s*:')
PROBE = "mutation_probe"


def refs(node: Any) -> Iterator[str]:
    """The classes an IR type names."""
    if isinstance(node, dict):
        if node.get("kind") == "ref":
            yield f"{node['namespace']}.{node['name']}"
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def fold(name: str) -> str:
    return re.sub(r"[\W_]", "", name).lower()


def key(spec: dict[str, Any]) -> str:
    return f"{spec['namespace']}.{spec['name']}"


def annotation(node: dict[str, Any]) -> str:
    """An IR type as the diff writes it: the generated annotation, classes as
    `namespace.Name`, a union's variants sorted (docs/diff.md, "What is a change")."""
    kind = node["kind"]
    if kind == "ref":
        return key(node)
    if kind == "list":
        return f"list[{annotation(node['items'])}]"
    if kind == "dict":
        return f"dict[{annotation(node['keys'])}, {annotation(node['values'])}]"
    if kind == "union":
        return " | ".join(sorted(annotation(variant) for variant in node["variants"]))
    if kind == "literal":
        return f"Literal[{', '.join(repr(value) for value in node['values'])}]"
    if kind in ("optional", "nullable", "optional_nullable"):
        return f"{annotation(node['type'])} | None"
    arguments = node.get("args") or []
    return f"{node['name']}[{', '.join(map(annotation, arguments))}]" if arguments else node["name"]


class Mutator:
    """A copy of a tree, the edits made to it and the changes they must give.

    `claimed` holds the docs (and `op:`/`error:` names of operations and error classes) that
    an edit touched or relies on: later edits leave them alone, so that the changes each edit
    makes stay its own. `rng` makes every choice, among candidates in a fixed order."""

    def __init__(self, root: Path, ir: dict[str, Any], rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.expected: dict[Identity, str] = {}
        self.claimed: set[str] = set()
        self.cells: dict[str, dict[str, str]] = {}
        self.classes = {key(spec): spec for spec in ir["classes"]}
        self.operations = {op["name"]: op for op in ir["operations"]}
        per_doc = Counter(spec["doc"] for spec in ir["classes"])
        # Docs of one class each (a utility page holds several).
        self.docs = {spec["doc"]: key(spec) for spec in ir["classes"] if per_doc[spec["doc"]] == 1}
        self.collections_nullable = bool(ir["nullability"]["silent_collections_nullable"])
        self.listings = Counter(e["error"] for op in ir["operations"] for e in op["errors"])
        self._read_pages()
        self._read_references(ir)

    def _read_pages(self) -> None:
        """Which pages link to each doc, the JSON keys examples show, and whether the tree
        writes its unions out in the fields that use them (v1 SDKs) rather than naming them:
        then a union doc that no type names is no class (docs/diff.md)."""
        self.linked_by: dict[str, set[str]] = {}
        self.shown_keys: set[str] = set()  # folded
        spelled: set[str] = set()  # docs linked from a `Union[...]` written out
        for path in sorted(self.root.rglob("*.md")):
            relative = path.relative_to(self.root).as_posix()
            lines = md.Page(self.root, relative).lines
            for target in md.links(relative, lines):
                self.linked_by.setdefault(target, set()).add(relative)
            self.shown_keys.update(fold(k) for line in lines for k in JSON_KEY.findall(line))
            spelled.update(md.links(relative, [line for line in lines if "Union[" in line]))
        self.spells_unions = any(
            self.classes[self.docs[doc]]["kind"] == "union" for doc in spelled & self.docs.keys()
        )

    def _read_references(self, ir: dict[str, Any]) -> None:
        """The fields that name each class, and the classes a variant or operation names."""
        self.field_refs: dict[str, set[tuple[str, str]]] = {}
        self.other_refs: set[str] = set()
        for name, spec in self.classes.items():
            for field in spec.get("fields", []):
                for target in refs(field["type"]):
                    self.field_refs.setdefault(target, set()).add((name, field["name"]))
            self.other_refs.update(refs(spec.get("variants", [])))
        for op in ir["operations"]:
            self.other_refs.update(refs([op["parameters"], op["response"], op["request_body"]]))
            self.other_refs.update(e["error"] for e in op["errors"] if e["error"])

    def shown(self, field: dict[str, Any]) -> bool:
        """Whether an example shows the field's key: examples are matched to the model with
        a field for each of their keys, so without the field the example no longer shows any
        key of that model, and the evidence for the API's JSON keys changes."""
        return fold(field["wire_name"]) in self.shown_keys or fold(field["name"]) in self.shown_keys

    def is_class(self, name: str, kind: str) -> bool:
        """Whether the diff compares the class: any but a union that no type names in a tree
        that spells its unions out."""
        named = name in self.other_refs or name in self.field_refs
        return kind != "union" or named or not self.spells_unions

    def expect(self, why: str, kind: str, cls: str = "", subject: str = "", op: str = "") -> None:
        self.expected[(kind, cls, subject, op)] = why

    def free_docs(self, *kinds: str) -> list[str]:
        """Docs of one class of these kinds that no edit has touched and no SDK page links
        to (an SDK page's response class decides what the operation returns)."""
        return [
            doc
            for doc, name in sorted(self.docs.items())
            if self.classes[name]["kind"] in kinds
            and doc not in self.claimed
            and not any(page.startswith("sdks/") for page in self.linked_by.get(doc, ()))
        ]

    def claim(self, *names: str) -> None:
        self.claimed.update(names)

    def fields(self, want: Callable[[dict[str, Any], str], bool]) -> list[tuple[str, str]]:
        """(doc, field) of free model docs of two fields or more, whose row shows the field
        under its attribute, not deprecated and without a default, and that `want` accepts
        with the row's Type cell."""
        found = []
        for doc in self.free_docs("model", "error"):
            spec = self.classes[self.docs[doc]]
            rows = self.type_cells(doc)
            if len(spec["fields"]) < 2 or len(rows) != len(spec["fields"]):
                continue
            for field in spec["fields"]:
                plain = not (
                    field.get("excluded") or field["deprecated"] or field.get("default") is not None
                )
                if plain and field["name"] in rows and want(field, rows[field["name"]]):
                    found.append((doc, field["name"]))
        return found

    def field(self, doc: str, name: str) -> dict[str, Any]:
        return next(f for f in self.classes[self.docs[doc]]["fields"] if f["name"] == name)

    def type_cells(self, doc: str) -> dict[str, str]:
        """The Type cells of a free doc (as the tree has it: no edit touched it), by field."""
        if doc not in self.cells:
            lines = md.Page(self.root, doc).lines
            self.cells[doc] = {
                row: md.field_cell(lines, row, "type") for row in md.field_rows(lines)
            }
        return self.cells[doc]

    def pick(self, candidates: list[Any]) -> Any:
        return self.rng.choice(candidates) if candidates else None

    def apply(self, doc: str, edit: Callable[[list[str]], None]) -> None:
        page = md.Page(self.root, doc)
        edit(page.lines)
        page.save()
