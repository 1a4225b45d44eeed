"""Loading generated modules that refer to each other, however long their chains.

A generated module refers to classes of other modules in its annotations and binds them at its
end, so that modules referring to each other load in any order. Over a long chain, plain
imports would nest one inside another (a few hundred exceed Python's recursion limit), and so
would pydantic, building the first model's schema with every model it refers to inside. `link`
loads them one after another instead: the first module of a thread to link loads every module
the others ask for, binds the names they refer to, then completes the pydantic models deepest
first, so that each schema is built on complete ones.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from collections.abc import Iterator

_loading = threading.local()


def link(module_name: str, *references: str) -> None:
    """Bind, in module `module_name`, the classes `references` name ("module:Name" or
    "module:Name:local", the module relative to `module_name`'s package), loading their
    modules."""
    links = [[*reference.split(":"), ""][:3] for reference in references]
    pending: list[tuple[str, list[list[str]]]] | None = getattr(_loading, "pending", None)
    if pending is not None:  # an outer `link` of this thread loads and binds them
        pending.append((module_name, links))
        return
    pending = _loading.pending = [(module_name, links)]
    try:
        for name, its_links in pending:  # grows as the modules it imports link theirs
            for source, _, _ in its_links:
                importlib.import_module(source, name.rpartition(".")[0])
    finally:
        _loading.pending = None
    refers_to: dict[str, list[str]] = {}
    for name, its_links in pending:
        namespace, package = vars(sys.modules[name]), name.rpartition(".")[0]
        refers_to[name] = []
        for source, class_name, local in its_links:
            module = sys.modules[importlib.util.resolve_name(source, package)]
            namespace[local or class_name] = getattr(module, class_name)
            refers_to[name].append(module.__name__)
    for name in _after_what_they_refer_to(refers_to):
        for value in list(vars(sys.modules[name]).values()):
            if getattr(value, "__module__", None) == name and _incomplete_model(value):
                _complete(value)


def _incomplete_model(value: object) -> bool:
    return isinstance(value, type) and getattr(value, "__pydantic_complete__", True) is False


def _complete(__model: type) -> None:
    # `model_rebuild` resolves names in its caller's locals too: this function's one local is
    # no class's name (none starts with "__").
    __model.model_rebuild(raise_errors=False)  # type: ignore[attr-defined]


def _after_what_they_refer_to(refers_to: dict[str, list[str]]) -> Iterator[str]:
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
