"""Routing the keys of a whole payload in one pass, so that pydantic's core can validate it.

A generated pydantic model routes the keys of every object it validates with a wrap
validator (see `_KeyRouting` in the runtime), and a Python call per object can cost more than
validating the object. `from_dict` therefore walks the payload once along the models' fields
instead: it routes each object's keys to wire keys and sets aside the keys that feed no field,
hands the result to a validator without the wrap validators, then gives each object it
routed its records. Where it cannot tell which variant of a union an object is for, it gives
up (`Unroutable`) and the wrap validators do the work.

Every pydantic package carries a copy of this module as `_prerouting.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.wirekeys import KeyRouter


class Unroutable(Exception):
    """The pass cannot route this payload: the wrap validators must read it."""


@dataclass(eq=False)
class ModelShape:
    cls: type
    router: KeyRouter
    keeps_unknown: bool  # the model allows additional properties
    # Whether the objects of this model, and all they hold, needed no routing the last time a
    # pass went through one: then a pass may leave them be (the direct validator refuses
    # any key it should have routed, and a full pass follows).
    clean: bool = False
    # (wire key, attribute, shape) of the fields that can hold objects
    children: list[tuple[str, str, Shape]] = field(default_factory=list)


@dataclass(eq=False)
class ListShape:
    items: Shape


@dataclass(eq=False)
class DictShape:
    values: Shape


@dataclass(eq=False)
class UnionShape:
    variants: list[Shape]


Shape = ModelShape | ListShape | DictShape | UnionShape
# A step from an object to a part of it: ("attribute", name), ("index", i) or ("key", key).
Step = tuple[str, Any]
# Where an object read under keys other than its wire keys is, its class, {wire key: key read}.
Record = tuple[tuple[Step, ...], type, dict[str, str]]
_WRAPPERS = ("nullable", "default", "function-wrap", "function-before", "function-after")


class Shapes:
    """The shapes of core schemas: where models are, down to every field that holds one."""

    def __init__(self, router: Callable[[type], KeyRouter]) -> None:
        self._router = router
        self._models: dict[type, ModelShape] = {}
        self._visiting: set[str] = set()

    def of(self, schema: Mapping[str, Any]) -> Shape | None:
        definitions: dict[str, dict[str, Any]] = {}
        self._definitions(schema, definitions)
        return self._shape(schema, definitions)

    def _definitions(self, node: Any, found: dict[str, dict[str, Any]]) -> None:
        if isinstance(node, dict):
            if node.get("type") == "definitions":
                for definition in node["definitions"]:
                    found[definition["ref"]] = definition
            for key, value in node.items():
                if key != "serialization":
                    self._definitions(value, found)
        elif isinstance(node, list | tuple):
            for item in node:
                self._definitions(item, found)

    def _shape(
        self, node: Mapping[str, Any], definitions: dict[str, dict[str, Any]]
    ) -> Shape | None:
        kind = node.get("type")
        if kind == "definition-ref":
            ref = node["schema_ref"]
            if ref in self._visiting and _model_of(definitions[ref]) is None:
                return None  # a cycle without a model in it holds no object
            # A cycle through a model ends at the model's shape, made before its fields'.
            self._visiting.add(ref)
            try:
                return self._shape(definitions[ref], definitions)
            finally:
                self._visiting.discard(ref)
        if kind in _WRAPPERS or kind == "definitions":
            return self._shape(node["schema"], definitions)
        if kind == "model":
            return self._model(node, definitions)
        if kind == "list":
            items = self._shape(node.get("items_schema", {}), definitions)
            return ListShape(items) if items is not None else None
        if kind == "dict":
            values = self._shape(node.get("values_schema", {}), definitions)
            return DictShape(values) if values is not None else None
        if kind in ("union", "tagged-union"):
            choices = node["choices"]
            choices = choices.values() if isinstance(choices, dict) else choices
            shapes = [
                self._shape(choice[0] if isinstance(choice, tuple) else choice, definitions)
                for choice in choices
            ]
            variants = [shape for shape in shapes if shape is not None]
            return UnionShape(variants) if variants else None
        return None

    def _model(self, node: Mapping[str, Any], definitions: dict[str, dict[str, Any]]) -> ModelShape:
        cls = node["cls"]
        if cls in self._models:
            return self._models[cls]
        keeps = (node.get("config") or {}).get("extra_fields_behavior") == "allow"
        shape = self._models[cls] = ModelShape(cls, self._router(cls), keeps)
        for name, spec in node["schema"]["fields"].items():
            child = self._shape(spec["schema"], definitions)
            if child is not None:
                alias = spec.get("validation_alias")
                shape.children.append((alias if isinstance(alias, str) else name, name, child))
        return shape


def _model_of(node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The model schema a schema is, under its wrappers, or None."""
    while node.get("type") in _WRAPPERS:
        node = node["schema"]
    return node if node.get("type") == "model" else None


def route(
    shape: Shape, value: Any, unknown_keys: str, trust_clean: bool = False
) -> tuple[Any, list[Record], bool]:
    """The payload with every object keyed by wire keys, the records of the objects that were
    not, and whether the pass left objects of models that were clean before unvisited
    (`trust_clean`). Keys that feed no field stay (`unknown_keys` "keep", or where the model
    allows additional properties), are dropped ("ignore") or left to the wrap validators to
    refuse ("forbid")."""
    found: list[tuple[_Path, type, dict[str, str]]] = []
    routing = _Pass(found, unknown_keys, trust_clean)
    routed = routing.route(shape, value, None)
    records = [(_steps(path), cls, read_as) for path, cls, read_as in found]
    return routed, records, routing.trusted


# A path as a linked list, (parent, step): built for every object the pass visits, made a
# tuple only for the few that get records.
_Path = tuple[Any, Step] | None


def _steps(path: _Path) -> tuple[Step, ...]:
    steps: list[Step] = []
    while path is not None:
        path, step = path
        steps.append(step)
    return tuple(reversed(steps))


class _Pass:
    """One routing pass over a payload."""

    def __init__(
        self,
        found: list[tuple[_Path, type, dict[str, str]]],
        unknown_keys: str,
        trust_clean: bool = False,
    ):
        self.found = found
        self.unknown_keys = unknown_keys
        self.trust_clean = trust_clean
        self.trusted = False

    def route(self, shape: Shape, value: Any, path: _Path) -> Any:
        kind = type(value)
        if self.trust_clean and _clean_inside(shape) and path is not None:
            self.trusted = True
            return value
        if type(shape) is ModelShape:
            return self.object(shape, value, path) if kind is dict else value
        if type(shape) is ListShape:
            return self.items(shape.items, value, path) if kind is list else value
        if type(shape) is DictShape:
            return self.values(shape.values, value, path) if kind is dict else value
        assert isinstance(shape, UnionShape)
        return self.union(shape, value, path)

    def object(self, shape: ModelShape, value: dict[str, Any], path: _Path) -> dict[str, Any]:
        before = len(self.found)
        data = value
        others = value.keys() - shape.router.wires
        if others:
            # A field's wire key, when present, wins over any other key for it.
            winners = shape.router.winners(others)
            renames = {key: wire for key, wire in winners.items() if wire not in value}
            if len(renames) < len(others) and not shape.keeps_unknown:
                if self.unknown_keys == "forbid":
                    raise Unroutable
                if self.unknown_keys == "ignore":
                    data = {k: v for k, v in value.items() if k not in others or k in renames}
            if renames:
                data = {renames.get(k, k): v for k, v in data.items()}
                self.found.append((path, shape.cls, {w: k for k, w in renames.items()}))
        for wire, attribute, child in shape.children:
            item = data.get(wire)
            if item is not None:
                routed = self.route(child, item, (path, ("attribute", attribute)))
                if routed is not item:
                    data = dict(data) if data is value else data
                    data[wire] = routed
        shape.clean = data is value and len(self.found) == before
        return data

    def items(self, shape: Shape, value: list[Any], path: _Path) -> list[Any]:
        copy = None
        for index, item in enumerate(value):
            routed = self.route(shape, item, (path, ("index", index)))
            if routed is not item:
                copy = copy or list(value)
                copy[index] = routed
        return value if copy is None else copy

    def values(self, shape: Shape, value: dict[str, Any], path: _Path) -> dict[str, Any]:
        copy = None
        for key, item in value.items():
            routed = self.route(shape, item, (path, ("key", key)))
            if routed is not item:
                copy = copy or dict(value)
                copy[key] = routed
        return value if copy is None else copy

    def union(self, shape: UnionShape, value: Any, path: _Path) -> Any:
        """A value that needs no routing under any variant it fits stays as it is; one that
        needs it is routed only when it fits one variant alone (else pydantic's choice of a
        variant could depend on the routing)."""
        outcomes: list[tuple[Any, list[tuple[_Path, type, dict[str, str]]]]] = []
        for variant in _fitting(shape, value):
            attempt = _Pass([], self.unknown_keys)  # every variant in full: they are compared
            outcomes.append((attempt.route(variant, value, path), attempt.found))
        if all(routed is value and not found for routed, found in outcomes):
            return value
        if len(outcomes) > 1:
            raise Unroutable
        routed, found = outcomes[0]
        self.found.extend(found)
        return routed


def _clean_inside(shape: Shape) -> bool:
    """Whether the objects a value of this shape holds were all clean last time (a model, or
    a list or map of one; never the payload itself, which `route` is called for)."""
    while type(shape) is ListShape or type(shape) is DictShape:
        shape = shape.items if type(shape) is ListShape else shape.values  # type: ignore[union-attr]
    return type(shape) is ModelShape and shape.clean


def _fitting(shape: UnionShape, value: Any) -> Iterator[Shape]:
    """The variants a value may be: of its container type, and for an object, the models
    that have a field for each of its keys (all models when none has)."""
    models = []
    for variant in shape.variants:
        if isinstance(variant, UnionShape):
            yield from _fitting(variant, value)
        elif (isinstance(variant, ListShape) and type(value) is list) or (
            isinstance(variant, DictShape) and type(value) is dict
        ):
            yield variant
        elif isinstance(variant, ModelShape) and type(value) is dict:
            models.append(variant)
    covering = [m for m in models if all(m.router.match(key) is not None for key in value)]
    yield from covering or models


def union_siblings(shape: Shape | None) -> dict[type, set[type]]:
    """For each model that is a variant of a union under `shape`, the other models of it."""
    siblings: dict[type, set[type]] = {}
    seen: set[int] = set()
    pending: list[Shape] = [shape] if shape is not None else []
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ModelShape):
            pending.extend(child for _, _, child in node.children)
        elif isinstance(node, ListShape):
            pending.append(node.items)
        elif isinstance(node, DictShape):
            pending.append(node.values)
        else:
            models = {m.cls for m in _models_in(node)}
            for cls in models:
                siblings.setdefault(cls, set()).update(models - {cls})
            pending.extend(node.variants)
    return siblings


def _models_in(shape: UnionShape) -> Iterator[ModelShape]:
    for variant in shape.variants:
        if isinstance(variant, UnionShape):
            yield from _models_in(variant)
        elif isinstance(variant, ModelShape):
            yield variant


def locate(instance: Any, path: tuple[Step, ...]) -> Any:
    """The part of a validated object at `path`."""
    for kind, step in path:
        instance = getattr(instance, step) if kind == "attribute" else instance[step]
    return instance
