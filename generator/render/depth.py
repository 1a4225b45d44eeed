"""How deep importing each class's module goes: which modules must link, not import.

A generated module imports the modules of the classes it refers to at its end, and each of
those imports its own: a chain of N modules is N imports inside one another, and pydantic
later builds the first model's schema with the whole chain inside it. Python's recursion
limit stops both at a hundred levels or so. Modules from which the chain below is deeper
than LINK_DEPTH bind their references with `_linking` instead (see generator/runtime/linking.py),
which loads modules one after another; the others keep plain imports.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.docs import TypeKind, TypeRef
from generator.model.naming import referenced_class
from generator.model.schema import ClassKey, ClassSpec, EnumSpec, ModelSpec

# Imports inside one another that a module may start: each level costs the interpreter
# about ten frames, with pydantic's schema building, of the thousand it allows.
LINK_DEPTH = 24


def linking_classes(classes: tuple[ClassSpec, ...]) -> frozenset[ClassKey]:
    """The classes whose modules import more than LINK_DEPTH levels deep."""
    known = {spec.key for spec in classes}
    edges = {spec.key: sorted(k for k in _references(spec) if k in known) for spec in classes}
    return frozenset(key for key, depth in _depths(edges).items() if depth > LINK_DEPTH)


def _references(spec: ClassSpec) -> Iterator[ClassKey]:
    if isinstance(spec, EnumSpec):
        return
    types: list[TypeRef] = (
        [f.type for f in spec.fields] if isinstance(spec, ModelSpec) else list(spec.variants)
    )
    for root in types:
        for node in root.walk():
            if node.kind is TypeKind.REF:
                yield ClassKey(node.namespace, referenced_class(node.name))


def _depths(edges: dict[ClassKey, list[ClassKey]]) -> dict[ClassKey, int]:
    """For each class, the modules a first import of its module runs inside one another:
    a cycle counts whole (its modules import each other), then the deepest chain below."""
    depth: dict[ClassKey, int] = {}
    for component in _components(edges):
        members = set(component)
        below = max(
            (depth[t] for key in component for t in edges[key] if t not in members), default=0
        )
        for key in component:
            depth[key] = len(component) + below
    return depth


def _components(edges: dict[ClassKey, list[ClassKey]]) -> list[list[ClassKey]]:
    """Strongly connected components, each after those it refers to (Tarjan, no recursion)."""
    index: dict[ClassKey, int] = {}
    low: dict[ClassKey, int] = {}
    stack: list[ClassKey] = []
    on_stack: set[ClassKey] = set()
    found: list[list[ClassKey]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[ClassKey, Iterator[ClassKey]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(edges[target])))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found
