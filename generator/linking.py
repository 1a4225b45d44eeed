"""Loading generated modules that refer to each other, however long their chains.

A generated module refers to classes of other modules in its annotations and binds them at
its end, so that modules referring to each other (cycles) load in any order. Plain imports
there would load a chain of N modules N imports deep, and a few hundred exceed Python's
recursion limit; so would pydantic, building the first model's schema with every model it
refers to inside. `link` loads them one after another instead: the first module of a thread
to link loads every module the others ask for, binds the names they refer to, then completes
the pydantic models deepest first, so that each schema is built on complete ones.

The generator does not import this module: every package carries a copy of it as
`_linking.py`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Iterable

# (module relative to the linking one, class name there, name in the linking module)
Link = tuple[str, str, str]


def _parse(link: str) -> Link:
    """ "module:Name" or "module:Name:local" """
    source, name, *local = link.split(":")
    return source, name, local[0] if local else name


_loading = threading.local()


def link(module_name: str, *references: str) -> None:
    """Bind the classes `references` name ("module:Name" or "module:Name:local", the module
    relative to `module_name`'s package) in module `module_name`, loading their modules."""
    links = tuple(_parse(reference) for reference in references)
    pending: list[tuple[str, tuple[Link, ...]]] | None = getattr(_loading, "pending", None)
    if pending is not None:  # an outer `link` of this thread loads and binds them
        pending.append((module_name, links))
        return
    pending = _loading.pending = [(module_name, links)]
    try:
        for name, its_links in pending:  # grows as the modules it imports link theirs
            package = _package_of(name)
            for source, _, _ in its_links:
                importlib.import_module(source, package)
    finally:
        _loading.pending = None
        _bind(pending)
    _complete_deepest_first(pending)


def _package_of(module_name: str) -> str:
    return module_name.rpartition(".")[0]


def _bind(linked: list[tuple[str, tuple[Link, ...]]]) -> None:
    for name, links in linked:
        namespace = vars(sys.modules[name])
        for source, class_name, local in links:
            source_module = sys.modules.get(importlib.util.resolve_name(source, _package_of(name)))
            if source_module is not None and hasattr(source_module, class_name):
                namespace[local] = getattr(source_module, class_name)


def _complete_deepest_first(linked: list[tuple[str, tuple[Link, ...]]]) -> None:
    """Build the schemas of the pydantic models of the modules linked, each after those of
    the modules it refers to (cycles in any order: pydantic resolves them)."""
    refers_to = {
        name: [importlib.util.resolve_name(source, _package_of(name)) for source, _, _ in links]
        for name, links in linked
    }
    for name in _after_what_they_refer_to(refers_to):
        module = sys.modules[name]
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and value.__module__ == name
                and getattr(value, "__pydantic_complete__", True) is False
            ):
                # No parent namespace: this function's locals (`value`, `name`, ...) would
                # otherwise stand for the classes of those names.
                value.model_rebuild(  # type: ignore[attr-defined]
                    raise_errors=False, _parent_namespace_depth=0
                )


def _after_what_they_refer_to(refers_to: dict[str, list[str]]) -> Iterable[str]:
    """The modules, each after the ones it refers to (depth-first post-order, no recursion)."""
    done: set[str] = set()
    for root in refers_to:
        if root in done:
            continue
        done.add(root)
        stack = [(root, iter(refers_to[root]))]
        while stack:
            name, targets = stack[-1]
            for target in targets:
                if target in refers_to and target not in done:
                    done.add(target)
                    stack.append((target, iter(refers_to[target])))
                    break
            else:
                stack.pop()
                yield name
