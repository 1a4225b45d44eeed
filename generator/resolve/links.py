"""Resolve class references in Type cells to docs, and apply the type repair rules."""

from __future__ import annotations

import difflib
import posixpath

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc, DocLocation, TypeKind, TypeRef
from generator.model.schema import ClassKey, Repair
from generator.parse.typecell import KNOWN_NAMES

# FORMAT-CATALOGUE §5.5: link text `date` is generated as datetime and `datetime` as date (0 exceptions).
DATE_LINK_SWAP = {"date": "datetime", "datetime": "date"}


class DocIndex:
    """Lookups from what a Type cell can say (link, prefix, bare name) to doc keys."""

    def __init__(self, docs: tuple[Doc, ...], pages: frozenset[str] = frozenset()) -> None:
        self.pages = pages
        # A page's first model answers for the page (later ones are its embedded models).
        self.by_path: dict[str, Doc] = {}
        for doc in docs:
            self.by_path.setdefault(doc.path, doc)
        self.by_key = {doc.key: doc for doc in docs}
        self.by_name: dict[str, list[Doc]] = {}
        for doc in docs:
            self.by_name.setdefault(doc.name, []).append(doc)

    def suggest(self, name: str) -> str:
        choices = sorted(set(self.by_name) | KNOWN_NAMES)
        close = difflib.get_close_matches(name, choices, n=1)
        return f" (did you mean {close[0]!r}?)" if close else ""


class TypeResolver:
    def __init__(self, index: DocIndex, diagnostics: Diagnostics, repairs: list[Repair]) -> None:
        self.index = index
        self.diagnostics = diagnostics
        self.repairs = repairs
        self.references: set[ClassKey] = set()
        # Rows whose type names what the tree cannot give (a missing page, a type the
        # generator does not know): what their docstring says of it.
        self.lost: dict[DocLocation, list[str]] = {}

    def resolve(self, node: TypeRef, doc: Doc, location: DocLocation) -> TypeRef:
        if node.kind is TypeKind.REF:
            return self.resolve_ref(node, doc, location)
        if node.link and not node.via_link and node.kind is not TypeKind.GENERIC:
            # A scalar name linked to a doc of the tree: the doc's class when that is its
            # title (`[int](myint.md)`), the scalar otherwise (`[Dict[str, int]](dog.md)`).
            titled = self.linked_doc(node, doc)
            if titled is not None and titled.name == node.name:
                return self.reference(titled, doc)
            node = TypeRef(node.kind, node.name, node.namespace, args=node.args)
        if node.kind is TypeKind.PRIMITIVE and node.via_link and node.name in DATE_LINK_SWAP:
            swapped = DATE_LINK_SWAP[node.name]
            self.repairs.append(Repair(f"[{node.name}](...) link read as {swapped}", location))
            return TypeRef(TypeKind.PRIMITIVE, swapped, via_link=True)
        if node.kind is TypeKind.GENERIC:
            return self.unknown(f"{_written(node)}[...]", node.name, location)
        if not node.args:
            return node
        args = tuple(self.resolve(arg, doc, location) for arg in node.args)
        return TypeRef(
            node.kind, node.name, node.namespace, node.link, args, node.literals, node.via_link
        )

    def resolve_ref(self, node: TypeRef, doc: Doc, location: DocLocation) -> TypeRef:
        target = self.find(node, doc, location)
        if target is None:
            return TypeRef(TypeKind.PRIMITIVE, "Any")
        return self.reference(target, doc, node.via_link)

    def reference(self, target: Doc, doc: Doc, via_link: bool = True) -> TypeRef:
        """`doc`'s reference to the class of `target`."""
        key = ClassKey(target.namespace, target.name)
        if key != ClassKey(doc.namespace, doc.name):
            self.references.add(key)
        return TypeRef(TypeKind.REF, target.name, target.namespace, via_link=via_link)

    def unknown(self, written: str, name: str, location: DocLocation) -> TypeRef:
        """A type the generator does not know: the docs lose it, the run goes on."""
        self.diagnostics.warning(
            location,
            f"unknown type {written!r}{self.index.suggest(name)}: it is read as any JSON value",
        )
        self.lost.setdefault(location, []).append(
            f"The docs name its type `{written}`, which docs2models does not know."
        )
        return TypeRef(TypeKind.PRIMITIVE, "Any")

    def find(self, node: TypeRef, doc: Doc, location: DocLocation) -> Doc | None:
        page = node.link.split("#", 1)[0]
        if posixpath.basename(page) == ".md" or page.startswith(("http://", "https://")):
            # Speakeasy links some types to a page without a name, and the types of other
            # libraries to their documentation: the name is all there is.
            node = TypeRef(node.kind, node.name, node.namespace, via_link=node.via_link)
        if node.link.startswith("#"):
            # An in-page anchor names a model defined on the same page.
            same_page = self.lookup(node, doc)
            if same_page is not None and same_page.path == doc.path:
                return same_page
            self.diagnostics.error(location, f"link {node.link!r} names no model on this page")
            return None
        if node.link:
            linked = self.follow_link(node, doc, location)
            if linked is None or linked.name == node.name:
                return linked
            # A link around `Union[A, B]` points at the union's doc; each name is its own class.
            named = self.lookup(node, doc)
            if named is not None:
                return named
            self.diagnostics.warning(
                location,
                f"link text names {node.name!r} but {linked.path} documents {linked.name!r}",
            )
            return linked
        found = self.lookup(node, doc)
        if found is not None:
            return found
        candidates = self.index.by_name.get(node.name, [])
        if candidates:
            where = ", ".join(sorted(c.path for c in candidates))
            self.diagnostics.error(
                location, f"type {_written(node)!r} is ambiguous: it names {where} (add a link)"
            )
        else:
            self.unknown(_written(node), node.name, location)
        return None

    def linked_doc(self, node: TypeRef, doc: Doc) -> Doc | None:
        """The doc of the tree a relative link names, if any (nothing is reported)."""
        page = node.link.split("#", 1)[0]
        if not page:
            found = self.index.by_key.get((doc.namespace, node.name))
            return found if found is not None and found.path == doc.path else None
        return self.index.by_path.get(
            posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), page))
        )

    def lookup(self, node: TypeRef, doc: Doc) -> Doc | None:
        if node.namespace:
            prefix = node.namespace.rsplit(".", 1)[-1]
            found = self.index.by_key.get((prefix, node.name))
            if found is not None:
                return found
        same = self.index.by_key.get((doc.namespace, node.name))
        if same is not None:
            return same
        candidates = self.index.by_name.get(node.name, [])
        return candidates[0] if len(candidates) == 1 else None

    def follow_link(self, node: TypeRef, doc: Doc, location: DocLocation) -> Doc | None:
        target = node.link.split("#", 1)[0]
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), target))
        if joined.startswith("../") or joined == ".." or posixpath.isabs(target):
            self.diagnostics.error(
                location,
                f"link {node.link!r} leaves the specs directory (links must stay inside it; "
                "Speakeasy's links start from its docs/ folder: point --specs at that folder)",
            )
            return None
        found = self.index.by_path.get(joined)
        if found is None and joined not in self.index.pages and self.index.pages:
            # Speakeasy links some types whose page it never wrote: the docs lose the type.
            self.diagnostics.warning(
                location,
                f"the linked page {joined} does not exist: `{node.name}` is read as any JSON "
                "value",
            )
            self.lost.setdefault(location, []).append(
                f"The docs name its type `{node.name}`, whose page is missing."
            )
            return None
        if found is None:
            self.diagnostics.error(
                location,
                f"link {node.link!r} points to {joined}, which is not a model doc"
                + self.index.suggest(node.name),
            )
            return None
        return found


def _written(node: TypeRef) -> str:
    """A class reference as the docs write it."""
    return f"{node.namespace}.{node.name}" if node.namespace else node.name
