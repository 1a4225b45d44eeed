"""A payload written in its fields' JSON keys, as its types say (`Routing`), for pydantic to
read as it reads the same payload in the API's own keys: each object's keys routed to the
fields of the model its type names (`keys.KeyRouter`), and at a union, the object written for
each variant, among which pydantic's smart mode chooses, each variant reading the object
written for it. Also the contexts `reading.check_extra_key` is called in."""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from functools import partial
from operator import itemgetter
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

from .errors import MAX_DEPTH, TOO_DEEP
from .field_types import field_type, named, reached_titles, title_of
from .keys import KeyRouter
from .settings import UNKNOWN_KEYS

_ROUTERS: dict[type, KeyRouter] = {}
_VALIDATORS: dict[Any, tuple[Callable[..., Any], Callable[..., Any]]] = {}
_CHOOSERS: dict[tuple[Any, ...], Callable[..., tuple[int, Any]]] = {}


class Reading(list[str]):
    """`read`'s context: the titles of the models that kept unknown keys to drop, and of those
    where a key of another spelling failed."""

    spelled: frozenset[str] = frozenset()  # a new set for each that has any: no __init__ call


class Routed(Reading):
    """`read`'s context once routed, where a key of another spelling that lost to its field's
    own is an unknown key that "forbid" refuses (else `Routing` took it out, and puts it back)."""


def router_of(model: type[BaseModel]) -> KeyRouter:
    if (router := _ROUTERS.get(model)) is None:
        pairs = ((name, info.alias or name) for name, info in model.model_fields.items())
        router = _ROUTERS.setdefault(model, KeyRouter(pairs))
    return router


def validators(target: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The functions that validate a JSON value and JSON text as `target`."""
    if (found := _VALIDATORS.get(target)) is None:
        if isinstance(target, type) and issubclass(target, BaseModel):
            found = target.model_validate, target.model_validate_json
        else:
            adapter = TypeAdapter(target)
            found = adapter.validate_python, adapter.validate_json
        found = _VALIDATORS.setdefault(target, found)
    return found


class Routing:
    """A payload written in its fields' JSON keys, as a type says, for one read: `records`
    holds, by the id of each object written under other keys, its model, {JSON key: key read}
    and, where keys that lost to their field's own were taken out, every unknown key in the
    payload's order (with their values).

    Only the objects of the models titled `spelled` are routed, and what may hold them: pydantic
    met every other object, and their keys spelled no field's key another way. Under a key of
    another spelling, pydantic met nothing: what that field may hold is routed too."""

    def __init__(self, spelled: frozenset[str]) -> None:
        self.spelled = set(spelled)
        self.records: dict[int, tuple[type[BaseModel], dict[str, str], dict[str, Any]]] = {}
        # {(id of a part, id of its type): (the part written, the part, the type)}: each part
        # is written once for each type, and stays alive, so that ids stay unique.
        self._written: dict[tuple[int, int], tuple[Any, Any, Any]] = {}

    def canonical(self, value: Any, annotation: Any, module: str, depth: int) -> Any:
        """`value` written for `annotation` (a type named in `module`), `depth` arrays and
        objects deep; `value` itself where nothing changes. A few frames a level, and
        `ValueError(TOO_DEEP)` past `MAX_DEPTH`."""
        if not isinstance(value, Mapping | list | tuple):
            return value  # no keys in it
        if depth > MAX_DEPTH:
            raise ValueError(TOO_DEEP)
        resolved, module, origin, args = _shape(annotation, module)
        if (found := self._written.get((id(value), id(resolved)))) is not None:
            return found[0]
        model = getattr(resolved, "data_model", resolved)  # an error: its body
        written = value
        if origin is Union or origin is types.UnionType:
            variants = [a for a in args if a is not type(None)]
            written = self._union(value, variants, module, depth)
        elif origin is list and isinstance(value, list | tuple):
            items = [self.canonical(item, args[0], module, depth + 1) for item in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                written = tuple(items) if isinstance(value, tuple) else items
        elif origin is dict and isinstance(value, Mapping) and len(args) == 2:
            entries = {k: self.canonical(v, args[1], module, depth + 1) for k, v in value.items()}
            if any(entries[key] is not item for key, item in value.items()):
                written = entries
        elif (
            isinstance(model, type) and issubclass(model, BaseModel) and isinstance(value, Mapping)
        ):
            written = self._model(value, model, depth)
        self._written[id(value), id(resolved)] = (written, value, resolved)
        return written

    def _model(self, value: Mapping[str, Any], model: type[BaseModel], depth: int) -> Any:
        router, holding = router_of(model), reached_titles(model)
        fed: Mapping[str, Any] = value
        read_as: dict[str, str] = {}
        unknown: dict[str, Any] = {}
        if title_of(model) in self.spelled:
            fed, read_as, unknown = router.route(value)
        fields = {}
        for wire, item in fed.items():  # a loop, not a comprehension: a frame less a level
            reached = holding.get(attribute := router.attributes.get(wire, ""))
            if reached and wire in read_as:
                self.spelled |= reached
            if reached and not reached.isdisjoint(self.spelled):
                annotation = field_type(model, attribute)
                item = self.canonical(item, annotation, model.__module__, depth + 1)
            fields[wire] = item
        lost = {key: item for key, item in unknown.items() if router.match(key)}
        if UNKNOWN_KEYS == "forbid" and not model.extra_allowed:  # type: ignore[attr-defined]
            lost = {}  # left for pydantic to refuse where it is
        if not read_as and not lost and all(fields[w] is item for w, item in fed.items()):
            return value
        written = {**fields, **{k: v for k, v in unknown.items() if k not in lost}}
        if read_as or lost:
            self.records[id(written)] = (model, read_as, unknown if lost else {})
        return written

    def _union(self, value: Any, variants: list[Any], module: str, depth: int) -> Any:
        """The value written for the variant pydantic's smart mode chooses, each variant
        reading the value written for it; where none reads it, the one with the fewest
        errors."""
        written = []
        for variant in variants:
            written.append(self.canonical(value, variant, module, depth))
        if len(variants) < 2 or all(each is value for each in written):
            return written[0] if variants else value
        types = tuple(_concrete(variant, module) for variant in variants)
        try:
            chosen, _ = _chooser(types)(tuple(written), by_name=False, context=Routed())
        except ValidationError:
            chosen = min(range(len(types)), key=lambda i: _error_count(types[i], written[i]))
        return written[chosen]


def _chooser(variants: tuple[Any, ...]) -> Callable[..., tuple[int, Any]]:
    """Validates a tuple of values as the union of `variants`, the i-th variant reading the
    i-th value; gives (the index of the variant chosen, its value)."""
    if (found := _CHOOSERS.get(variants)) is None:
        branches = tuple(
            Annotated[variant, BeforeValidator(itemgetter(i)), AfterValidator(partial(_tagged, i))]
            for i, variant in enumerate(variants)
        )
        union = Union[branches]  # type: ignore[valid-type]  # noqa: UP007 (a tuple made at run time)
        found = _CHOOSERS.setdefault(variants, TypeAdapter(union).validate_python)
    return found


def _tagged(index: int, value: Any) -> tuple[int, Any]:
    return index, value


def _error_count(annotation: Any, value: Any) -> int:
    try:
        validators(annotation)[0](value, by_name=False, context=Routed())
    except ValidationError as invalid:
        return invalid.error_count()
    return 0


# {(id of an annotation, module): its shape, and the annotation, alive: ids stay unique}
_SHAPES: dict[tuple[int, str], tuple[tuple[Any, str, Any, tuple[Any, ...]], Any]] = {}


def _shape(annotation: Any, module: str) -> tuple[Any, str, Any, tuple[Any, ...]]:
    """An annotation without `Annotated`, `| None` of one type, union aliases and names (of a
    variant of a union alias, bound in `module`); the module its names are bound in; its
    origin and arguments."""
    if (found := _SHAPES.get((id(annotation), module))) is not None:
        return found[0]
    resolved, bound = annotation, module
    while True:
        origin, args = typing.get_origin(resolved), typing.get_args(resolved)
        if origin is Annotated:
            resolved = args[0]
        elif origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
            resolved = args[0] if args[1] is type(None) else args[1]
        elif isinstance(resolved, TypeAliasType):
            resolved, bound = resolved.__value__, str(resolved.__module__)
        elif isinstance(resolved, str | typing.ForwardRef):
            resolved, bound = named(resolved, bound)
        elif resolved is None:  # a name not bound yet: looked up again next time
            return resolved, bound, origin, args
        else:
            shape = (resolved, bound, origin, args)
            return _SHAPES.setdefault((id(annotation), module), (shape, annotation))[0]


def _concrete(annotation: Any, module: str) -> Any:
    """`annotation` with the names of a union alias in it resolved where `module` binds them,
    for pydantic, which reads it elsewhere (a union alias stays: pydantic reads its names in
    its own module)."""
    if isinstance(annotation, str | typing.ForwardRef):
        return named(annotation, module)[0]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_concrete(args[0], module), *args[1:])]
    if origin not in (list, dict, Union, types.UnionType):
        return annotation
    concrete = tuple(_concrete(arg, module) for arg in args)
    return origin[concrete] if origin in (list, dict) else Union[concrete]  # noqa: UP007
