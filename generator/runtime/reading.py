"""How a pydantic package reads a payload's keys (the API's JSON keys, the attributes, or any
key Speakeasy's naming turns into an attribute: `keys.KeyRouter`), and writes them back.

Models keep the keys that are not their fields' JSON keys as their extra, where pydantic calls
`check_extra_key` for each: a payload of JSON keys costs no Python call. A key of another
spelling fails there; `read` then writes the payload in its fields' JSON keys, as its types
say (`Routing`): each object's keys routed to the fields of the model its type names, and at
a union the object written for each variant, among which pydantic's smart mode chooses, each
variant reading the object written for it. Pydantic reads that payload once, as it reads the
same payload in the API's own keys, and each object read as the model it was routed for
remembers the keys it came with, for `to_dict`. Nothing of one payload changes how the next
is read."""

from __future__ import annotations

import copy
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from operator import itemgetter
from typing import Annotated, Any, NoReturn, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from .errors import TOO_DEEP, ApiError, json_value, within_depth
from .field_types import field_type, reached_titles
from .keys import KeyRouter
from .settings import UNKNOWN_KEYS

# The error at a key of another spelling of a field's key, where `read` routes the keys.
ANOTHER_SPELLING = "another_spelling"

_ROUTERS: dict[type, KeyRouter] = {}
_MODELS_BY_TITLE: dict[str, list[type[BaseModel]]] = {}
# {title: (the routers of the models so titled, whether the docs of one allow extra keys)}
_TITLES: dict[str, tuple[list[KeyRouter], bool]] = {}
_VALIDATORS: dict[Any, tuple[Callable[..., Any], Callable[..., Any]]] = {}
_CHOOSERS: dict[tuple[Any, ...], Callable[..., tuple[int, Any]]] = {}


class Reading(list[str]):
    """`read`'s context: the titles of the models that kept unknown keys to drop, and whether a
    key of another spelling failed."""

    spelled = False


class Routed(Reading):
    """`read`'s context once routed, where a key of another spelling that lost to its field's
    own is an unknown key that "forbid" refuses (else `Routing` took it out, and puts it back)."""


def router_of(model: type[BaseModel]) -> KeyRouter:
    if (router := _ROUTERS.get(model)) is None:
        pairs = ((name, info.alias or name) for name, info in model.model_fields.items())
        router = _ROUTERS.setdefault(model, KeyRouter(pairs))
    return router


def register(model: type[BaseModel]) -> None:
    """Make `model` known to `check_extra_key`, which pydantic tells a model's title only."""
    _MODELS_BY_TITLE.setdefault(model.__name__, []).append(model)
    _TITLES.pop(model.__name__, None)


def check_extra_key(key: str, info: ValidationInfo) -> str:
    """Called by pydantic for each key of an object that is not one of its fields' JSON keys."""
    title = info.config.get("title", "") if info.config else ""
    routers, allowed = _TITLES.get(title) or _models_titled(title)
    context = info.context
    forbidden = UNKNOWN_KEYS == "forbid" and not allowed
    if any(router.match(key) for router in routers) and not (type(context) is Routed and forbidden):
        message = "{key} is another spelling of a field's key: read the payload with from_dict"
        if isinstance(context, Reading):
            context.spelled = True
            message = (
                "{key} is another spelling of a field's key, in an object routed for another model"
            )
        raise PydanticCustomError(ANOTHER_SPELLING, message, {"key": key, "model": title})
    if not forbidden and (allowed or UNKNOWN_KEYS == "keep"):
        return key
    if forbidden:
        raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")
    if isinstance(context, Reading):  # "ignore": `read` drops it
        context.append(title)
    return key


def _models_titled(title: str) -> tuple[list[KeyRouter], bool]:
    models = _MODELS_BY_TITLE.get(title, [])
    allowed = any(getattr(model, "extra_allowed", False) for model in models)
    return _TITLES.setdefault(title, ([router_of(model) for model in models], allowed))


def read(target: Any, data: Any, json_text: bool = False) -> Any:
    """`data` (a JSON value, or with `json_text` JSON text) as `target`: a model class, or any
    type of a field."""
    from_python, from_json = _validators(target)
    context = Reading()
    try:
        value = (from_json if json_text else from_python)(data, by_name=False, context=context)
    except ValidationError:
        if not context.spelled:
            raise
    if not context.spelled:
        if context:
            _drop_unknown_keys(value, set(context))
        return value
    try:  # routed with Python calls: within the bound
        payload = json_value(data) if json_text else within_depth(data)
    except ValueError as unread:
        if str(unread) == TOO_DEEP:
            _too_deep(target)
        raise
    return _read_routed(target, from_python, payload)


def _read_routed(target: Any, validate: Callable[..., Any], payload: Any) -> Any:
    """The payload read once written in its fields' JSON keys (`Routing`); an object read as
    the model it was routed for remembers the keys it came with, and the keys that lost to
    their field's own are its unknown keys."""
    routing = Routing()
    routed = routing.canonical(payload, target, getattr(target, "__module__", ""))
    value = validate(routed, by_name=False, context=(context := Routed()))
    if context:
        _drop_unknown_keys(value, set(context))
    for instance, part in _objects_read(value, routed):
        if (record := routing.records.get(id(part))) is not None:
            model, read_as, lost = record
            if UNKNOWN_KEYS == "keep" or type(instance).extra_allowed:  # type: ignore[attr-defined]
                instance.model_extra.update(lost)  # type: ignore[union-attr]
            if read_as and model is type(instance):
                remember_keys(instance, read_as)
    return value


def _too_deep(target: Any) -> NoReturn:
    line = {"type": PydanticCustomError("too_deep", TOO_DEEP), "loc": (), "input": None}
    title = getattr(target, "__name__", str(target))
    raise ValidationError.from_exception_data(title, [line]) from None  # type: ignore[list-item]


def _validators(target: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
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
    and the keys taken out that lost to their field's own (with their values)."""

    def __init__(self) -> None:
        self.records: dict[int, tuple[type[BaseModel], dict[str, str], dict[str, Any]]] = {}
        # {(id of a part, id of its type): (the part written, the part, the type)}: each part
        # is written once for each type, and stays alive, so that ids stay unique.
        self._written: dict[tuple[int, int], tuple[Any, Any, Any]] = {}

    def canonical(self, value: Any, annotation: Any, module: str) -> Any:
        """`value` written for `annotation` (a type named in `module`); `value` itself where
        nothing changes. Few frames a level: the payload may nest `MAX_DEPTH` deep."""
        annotation, module = _resolved(annotation, module)
        if (found := self._written.get((id(value), id(annotation)))) is not None:
            return found[0]
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        model = getattr(annotation, "data_model", annotation)  # an error: its body
        written = value
        if origin is Union or origin is types.UnionType:
            written = self._union(value, [a for a in args if a is not type(None)], module)
        elif origin is list and isinstance(value, list | tuple):
            items = [self.canonical(item, args[0], module) for item in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                written = tuple(items) if isinstance(value, tuple) else items
        elif origin is dict and isinstance(value, Mapping) and len(args) == 2:
            entries = {key: self.canonical(item, args[1], module) for key, item in value.items()}
            if any(entries[key] is not item for key, item in value.items()):
                written = entries
        elif (
            isinstance(model, type) and issubclass(model, BaseModel) and isinstance(value, Mapping)
        ):
            written = self._model(value, model)
        self._written[id(value), id(annotation)] = (written, value, annotation)
        return written

    def _model(self, value: Mapping[str, Any], model: type[BaseModel]) -> Any:
        router = router_of(model)
        fed, read_as, unknown = router.route(value)
        fields = {}
        for wire, item in fed.items():  # a loop, not a comprehension: a frame less a level
            annotation = field_type(model, router.attributes[wire])
            fields[wire] = self.canonical(item, annotation, model.__module__)
        lost = {key: item for key, item in unknown.items() if router.match(key)}
        if UNKNOWN_KEYS == "forbid" and not model.extra_allowed:  # type: ignore[attr-defined]
            lost = {}  # left for pydantic to refuse where it is
        if not read_as and not lost and all(fields[w] is item for w, item in fed.items()):
            return value
        written = {**fields, **{k: v for k, v in unknown.items() if k not in lost}}
        if read_as or lost:
            self.records[id(written)] = (model, read_as, lost)
        return written

    def _union(self, value: Any, variants: list[Any], module: str) -> Any:
        """The value written for the variant pydantic's smart mode chooses, each variant
        reading the value written for it; where none reads it, the one with the fewest
        errors."""
        written = []
        for variant in variants:
            written.append(self.canonical(value, variant, module))
        if len(variants) < 2 or all(each is value for each in written):
            return written[0] if variants else value
        types = tuple(_resolved(variant, module)[0] for variant in variants)
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
        _validators(annotation)[0](value, by_name=False, context=Routed())
    except ValidationError as invalid:
        return invalid.error_count()
    return 0


def _resolved(annotation: Any, module: str) -> tuple[Any, str]:
    """An annotation without `Annotated`, `| None` of one type, union aliases and names (of a
    variant of a union alias, bound in `module`), and the module its names are bound in."""
    while True:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif (origin is Union or origin is types.UnionType) and len(args) == 2 and None in args:
            annotation = args[0] if args[1] is None else args[1]
        elif isinstance(annotation, TypeAliasType):
            annotation, module = annotation.__value__, str(annotation.__module__)
        elif isinstance(annotation, typing.ForwardRef):
            module = annotation.__forward_module__ or module
            annotation = vars(sys.modules[module]).get(annotation.__forward_arg__)
        else:
            return annotation, module


def _objects_read(
    value: Any, payload: Any = None, titles: set[str] | None = None
) -> Iterator[tuple[BaseModel, Any]]:
    """Each model object of `value` with the part of the routed payload pydantic read it from
    (or None), as far as objects titled `titles` may lie."""
    pending = [(value, payload)]
    while pending:
        value, payload = pending.pop()
        if isinstance(value, BaseModel):
            yield value, payload
            wires = router_of(type(value)).wire_of
            fields = vars(value)  # not getattr: a deprecated field would warn
            for attribute, reached in reached_titles(type(value)).items():
                if titles is None or not reached.isdisjoint(titles):
                    pending.append((fields.get(attribute), _part(payload, wires[attribute])))
        elif isinstance(value, list):
            pending.extend((item, _part(payload, index)) for index, item in enumerate(value))
        elif isinstance(value, dict):
            pending.extend((item, _part(payload, key)) for key, item in value.items())
        elif isinstance(value, ApiError):
            pending.append((value.data, payload))


def _drop_unknown_keys(value: Any, titles: set[str]) -> None:
    """Unknown keys dropped from every object of a model titled `titles` ("ignore")."""
    for instance, _ in _objects_read(value, titles=titles):
        allowed = getattr(type(instance), "extra_allowed", False)
        if type(instance).__name__ in titles and instance.model_extra and not allowed:
            instance.model_extra.clear()


def _part(payload: Any, step: Any) -> Any:
    """The part of a payload at `step` (a key or an index), or None."""
    if isinstance(payload, Mapping):
        return payload.get(step)
    if (
        isinstance(payload, list | tuple)
        and type(step) is int
        and -len(payload) <= step < len(payload)
    ):
        return payload[step]
    return None


# Where an object read under other keys than its fields' JSON keys keeps them ({JSON key: key
# read}): in `__pydantic_private__`, pydantic's store of an instance's private values, which
# pickles and copies carry. Not a declared private attribute: pydantic would then call Python
# code for each object it reads.
KEYS_READ = "keys_read"


def keys_read(instance: object) -> dict[str, str]:
    """{JSON key: key read} of an object read under other keys than its fields' JSON keys.
    Any object: a model's serializer is handed what its field holds, which `model_construct`
    may have made anything."""
    found: dict[str, str] = (getattr(instance, "__pydantic_private__", None) or {}).get(
        KEYS_READ, {}
    )
    return found


def remember_keys(instance: BaseModel, read_as: dict[str, str]) -> None:
    # A new dict, never changed in place: a shallow copy shares the one it was copied with.
    read_as = {**keys_read(instance), **read_as}
    instance.__pydantic_private__ = {**(instance.__pydantic_private__ or {}), KEYS_READ: read_as}


def forget_keys(instance: BaseModel) -> BaseModel:
    """A shallow copy of `instance` that remembers no keys it was read with."""
    forgetting = copy.copy(instance)
    private = (forgetting.__pydantic_private__ or {}).items()
    forgetting.__pydantic_private__ = {k: v for k, v in private if k != KEYS_READ} or None
    return forgetting
