"""Loading generated modules that refer to each other, however long their chains.

A generated module refers to classes of other modules in its annotations and binds them at its
end, so that modules referring to each other load in any order. Over a long chain, plain
imports would nest one inside another (a few hundred exceed Python's recursion limit), and so
would pydantic, building the first model's schema with every model it refers to inside. `link`
loads them one after another instead: the first module of a thread to link loads every module
the others ask for, binds the names they refer to, then completes the pydantic models deepest
first, so that each schema is built on complete ones. Models that refer to each other in a
cycle have no deepest: they read each other with each other's validators, when a value comes
(`_Deferred`), so that each completes on its own.

Each model's schema holds those of the models below it, so completing a chain takes time
that grows with the square of its length; its serializers do not grow so (see `_Reused`).
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import Annotated, Any

_loading = threading.local()
_completing = threading.Lock()
# Python frames per model of a chain that pydantic before 2.14 takes to walk a schema (with
# Python recursion, which takes no C stack), with room to spare.
_FRAMES_PER_MODEL = 12
# Models of a cycle nested in one another that a value may hold, as pydantic reads a model
# nested in itself (its errors say `recursion_loop`).
_READ_DEPTH = 255


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
    bound: list[tuple[dict[str, Any], str, Any, tuple[str, str]]] = []
    for name, its_links in pending:
        namespace, package = vars(sys.modules[name]), name.rpartition(".")[0]
        refers_to[name] = []
        for source, class_name, local in its_links:
            module = sys.modules[importlib.util.resolve_name(source, package)]
            edge = (name, module.__name__)
            bound.append((namespace, local or class_name, getattr(module, class_name), edge))
            refers_to[name].append(module.__name__)
    order, in_cycles = _after_what_they_refer_to(refers_to)
    try:
        for namespace, local, value, edge in bound:  # as the models being completed see them
            if isinstance(value, type) and hasattr(value, "__pydantic_complete__"):
                value = Annotated[value, _Deferred if edge in in_cycles else _Reused]
            namespace[local] = value
        _complete_all(order)
    finally:
        for namespace, local, value, _ in bound:
            namespace[local] = value


class _Reused:
    """How a model that `link` completes writes a model it refers to: with that model's own
    serializer, as pydantic writes a value of type Any (its field's annotation keeps this
    marker). The models write the keys they read with a wrap serializer, which pydantic-core
    never reuses: it would otherwise build, inside the serializer of each model of a chain,
    those of every model below, one inside another (a crash past a few hundred)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema  # asked by pydantic only

        written = core_schema.simple_ser_schema("any")
        return core_schema.chain_schema([handler(source)], serialization=written)


class _Deferred:
    """How a model that `link` completes reads a model of its own cycle of references: with
    that model's validator, called when a value comes; it writes it as `_Reused` does. Built
    on that model's schema, each model of a cycle would build the whole cycle inside its own,
    one model inside another (a `RecursionError` past a few hundred)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import PydanticKnownError, core_schema  # asked by pydantic only

        from .routing import Reading  # the runtime reads payloads in their JSON keys only

        def read(value: Any, info: Any) -> Any:  # its errors keep their places in the value
            depth = getattr(_loading, "depth", 0)
            if depth >= _READ_DEPTH:  # each read starts pydantic's count of levels anew
                raise PydanticKnownError("recursion_loop")
            _loading.depth = depth + 1
            try:
                return source.__pydantic_validator__.validate_python(
                    value,
                    by_name=False if isinstance(info.context, Reading) else None,
                    context=info.context,
                )
            finally:
                _loading.depth = depth

        written = core_schema.simple_ser_schema("any")
        return core_schema.with_info_plain_validator_function(read, serialization=written)


def _complete_all(order: list[str]) -> None:
    with _completing:
        limit = sys.getrecursionlimit()
        # A chain is no longer than the modules loaded.
        sys.setrecursionlimit(limit + _FRAMES_PER_MODEL * len(sys.modules))
        try:
            for name in order:
                for value in list(vars(sys.modules[name]).values()):
                    if getattr(value, "__module__", None) == name and _incomplete_model(value):
                        _complete(value)
        finally:
            sys.setrecursionlimit(limit)


def _incomplete_model(value: object) -> bool:
    return isinstance(value, type) and getattr(value, "__pydantic_complete__", True) is False


def _complete(__model: type) -> None:
    # `model_rebuild` resolves names in its caller's locals too: this function's one local is
    # no class's name (none starts with "__").
    __model.model_rebuild(raise_errors=False)  # type: ignore[attr-defined]


def _after_what_they_refer_to(
    refers_to: dict[str, list[str]],
) -> tuple[list[str], set[tuple[str, str]]]:
    """The modules, each after the ones it refers to, and the references between modules of
    one cycle (strongly connected components, Tarjan's, with no recursion)."""
    order: list[str] = []
    inside: set[tuple[str, str]] = set()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    found: list[str] = []  # the modules whose component is not complete yet
    for root in refers_to:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        found.append(root)
        stack = [(root, iter(refers_to[root]))]
        while stack:
            name, targets = stack[-1]
            for target in targets:
                if target in refers_to and target not in index:
                    index[target] = low[target] = len(index)
                    found.append(target)
                    stack.append((target, iter(refers_to[target])))
                    break
                if target in low:  # being followed: in this module's component
                    low[name] = min(low[name], index[target])
            else:
                stack.pop()
                if stack:
                    low[stack[-1][0]] = min(low[stack[-1][0]], low[name])
                if low[name] == index[name]:
                    component = {found.pop()}
                    while name not in component:
                        component.add(found.pop())
                    for member in component:
                        del low[member]
                        inside.update((member, t) for t in refers_to[member] if t in component)
                    order += sorted(component)
    return order, inside
