"""How a pydantic package reads a payload's keys (the API's JSON keys, the attributes, or any
key Speakeasy's naming turns into an attribute: `keys.KeyRouter`), and writes them back.

Models keep the keys that are not their fields' JSON keys as their extra, where pydantic calls
`check_extra_key` for each: a payload of JSON keys costs no Python call. `read` then moves the
values of the keys the check noted to their fields; where the validation fails, it routes the
keys of the objects the errors point to, and of the objects that keep keys to move, and
validates again, until every object is read as the model it was routed for (an object read as
another variant of a union gets its own keys back). An object read under other keys remembers
them, for `to_dict`. Nothing of one payload changes how the next is read."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NoReturn

from pydantic import BaseModel, TypeAdapter, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from .errors import MAX_DEPTH, TOO_DEEP, ApiError, json_value, within_depth
from .field_types import field_type, reached_titles
from .keys import ATTRIBUTE, LOOSE, KeyRouter
from .settings import UNKNOWN_KEYS

# The error at a key of another spelling of a field's key, where `read` routes the keys.
ANOTHER_SPELLING = "another_spelling"

_ROUTERS: dict[type, KeyRouter] = {}
_MODELS_BY_TITLE: dict[str, list[type[BaseModel]]] = {}
# {title: (the routers of the models so titled, whether the docs of one allow extra keys)}
_TITLES: dict[str, tuple[list[KeyRouter], bool]] = {}
_VALIDATORS: dict[Any, tuple[Callable[..., Any], Callable[..., Any]]] = {}


class Reading(list[str]):
    """`read`'s context: the titles of the models that kept keys to move to a field or drop."""


class Routing(Reading):
    """`read`'s context where every key of another spelling fails, for `read` to route it."""


class Routed(Reading):
    """`read`'s context once routed: a key of another spelling lost to its field's own."""


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
    for router in routers:
        if (found := router.match(key)) is None:
            continue
        # A user's validation, `read`'s routing, or an attribute's own name (is the field's
        # own key there too? routing tells) fail; the rest is moved to its field, or lost.
        if type(context) is not Routed and (type(context) is not Reading or found[0] == ATTRIBUTE):
            message = "{key} is another spelling of a field's key: read the payload with from_dict"
            raise PydanticCustomError(ANOTHER_SPELLING, message, {"key": key, "model": title})
        context.append(title)
        return key
    if allowed or UNKNOWN_KEYS == "keep":
        return key
    if UNKNOWN_KEYS == "forbid":
        raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")
    if isinstance(context, Reading):  # "ignore": `read` drops it
        context.append(title)
    return key


def _models_titled(title: str) -> tuple[list[KeyRouter], bool]:
    models = _MODELS_BY_TITLE.get(title, [])
    allowed = any(getattr(model, "extra_allowed", False) for model in models)
    return _TITLES.setdefault(title, ([router_of(model) for model in models], allowed))


def read(target: Any, data: Any, json_text: bool = False, level: int = 0) -> Any:
    """`data` (a JSON value, or with `json_text` JSON text) as `target`: a model class, or any
    type of a field; `level`: how many reads hold this one (a value moved to a field is read
    again, and its moved values in turn: a read per level of the payload, within the bound)."""
    if level > MAX_DEPTH:
        _too_deep(target)
    from_python, from_json = _validators(target)
    context = Reading()
    try:
        value = (from_json if json_text else from_python)(data, by_name=False, context=context)
        if context:
            _move_extra_keys(value, set(context), level)
        return value
    except ValidationError as invalid:  # pydantic locates each problem once keys are routed
        if level:
            raise  # the outermost read routes the whole payload
        try:
            payload = json_value(data) if json_text else data
        except ValueError as unread:  # not JSON (pydantic said so), or nested too deeply
            if str(unread) != TOO_DEEP or invalid.errors()[0]["type"] == "json_invalid":
                raise invalid from None
            _too_deep(target)
        try:
            within_depth(payload)  # routed with Python calls: within the bound
        except ValueError:
            _too_deep(target)
        return _read_routed(from_python, payload)


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


# An object routed: the payload's dict, its items before, the model it was routed for, and
# the keys it was read with ({JSON key: key read}).
Record = tuple[dict[str, Any], dict[str, Any], type[BaseModel], dict[str, str]]


def _read_routed(validate: Callable[..., Any], payload: Any) -> Any:
    """The payload read once every object with keys of another spelling is routed to its
    fields' JSON keys: where the errors say (inner objects first, then what that reveals, each
    object once), and where the objects read keep keys to move to their fields. An object
    pydantic reads as another model than it was routed for (a union's other variant, or an
    unknown key's value) gets its own keys back. The error of another problem is raised,
    located in the routed payload."""
    payload = _plain_copy(payload)  # routed in place
    records: dict[int, Record] = {}  # by the id of the dict routed
    routed: set[tuple[Any, ...]] = set()  # each error's object once, each object once per model:
    tried: set[tuple[int, type]] = set()  # this ends
    while True:
        value, context = _route(validate, payload, records, routed)
        read_from = list(_objects_read(value, payload))
        models = {id(part): type(instance) for instance, part in read_from}
        undone = [r for r in records.values() if models.get(id(r[0])) is not r[2]]
        for routed_object, before, _, _ in undone:
            routed_object.clear()
            routed_object.update(before)
            del records[id(routed_object)]
        moving = [
            (part, type(instance))
            for instance, part in read_from
            if isinstance(part, dict)
            and (id(part), type(instance)) not in tried
            and _keys_to_move(instance, part)
        ]
        for part, model in moving:
            tried.add((id(part), model))
            _route_as(part, model, records)
        if not undone and not moving:
            break
    for instance, part in read_from if context else ():  # keys to drop, or that lost
        if type(instance).__name__ in context and instance.model_extra:
            _move_keys_of(instance, 1, part)
    instances = {id(part): instance for instance, part in read_from}
    for routed_object, _, _, read_as in records.values():
        remember_keys(instances[id(routed_object)], read_as)
    return value


def _plain_copy(value: Any) -> Any:
    """A copy of a JSON value (nested within the bound) whose objects are dicts."""
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [_plain_copy(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _route(
    validate: Callable[..., Any],
    payload: Any,
    records: dict[int, Record],
    routed: set[tuple[Any, ...]],
) -> tuple[Any, Reading]:
    """The payload's value once the objects its errors point to are routed, and the context
    it was read in."""
    context: Reading
    while True:
        try:
            value = validate(payload, by_name=False, context=(context := Routing()))
            return value, context
        except ValidationError as error:
            objects: dict[tuple[Any, ...], set[str]] = {}
            for line in error.errors(include_url=False, include_input=False):
                location = tuple(line["loc"][:-1])
                if line["type"] == ANOTHER_SPELLING and location not in routed:
                    objects.setdefault(location, set()).add(line["ctx"]["model"])
            if not objects and not routed:
                raise
            if not objects:  # keys that lost, or that no model of their object takes, remain
                value = validate(payload, by_name=False, context=(context := Routed()))
                return value, context
        # An object the errors name at several locations (a union's variants) is routed once,
        # for the variant with a field for most of its keys: routing it for each would feed
        # one variant's fields from keys already routed for another.
        by_object: dict[int, tuple[Any, set[str]]] = {}
        for location, titles in objects.items():
            found = _object_at(payload, location)
            by_object.setdefault(id(found), (found, set()))[1].update(titles)
            routed.add(location)
        for found, titles in by_object.values():
            if isinstance(found, dict):
                models = sorted(
                    (model for title in titles for model in _MODELS_BY_TITLE.get(title, ())),
                    key=lambda model: (model.__module__, model.__qualname__),
                )
                fit = max(
                    models, key=lambda m: sum(router_of(m).match(k) is not None for k in found)
                )
                _route_as(found, fit, records)


def _object_at(payload: Any, location: tuple[Any, ...]) -> Any:
    """The part of the payload an error's location points to (a part of the location that
    leads nowhere names a union's variant)."""
    for step in location:
        payload = payload if (part := _part(payload, step)) is None else part
    return payload


def _route_as(found: dict[str, Any], model: type[BaseModel], records: dict[int, Record]) -> None:
    """Route the keys of a payload's object, in place, to the JSON keys of `model`'s fields."""
    if (record := records.pop(id(found), None)) is not None:  # routed for another model
        found.clear()
        found.update(record[1])
    before = dict(found)
    fed, read_as, unknown = router_of(model).route(before)
    found.clear()
    found.update(fed)
    found.update(unknown)
    if read_as:
        records[id(found)] = (found, before, model, read_as)


def _objects_read(
    value: Any, payload: Any = None, titles: set[str] | None = None
) -> Iterator[tuple[BaseModel, Any]]:
    """Each model object of `value` with the part of the routed payload pydantic read it from
    (or None), as far as objects titled `titles` may lie. A field is looked into once the
    object it belongs to has been handed out: what the consumer moved to it too."""
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


def _move_extra_keys(value: Any, titles: set[str], level: int) -> None:
    """In every object of a model titled `titles`: the values of keys that spell a field's key
    another way moved from the extra to their fields (read at `level` + 1), and ignored keys
    dropped."""
    for instance, _ in _objects_read(value, titles=titles):
        if type(instance).__name__ in titles and instance.model_extra:
            _move_keys_of(instance, level + 1, None)


def _part(payload: Any, step: Any) -> Any:
    """The part of a payload at `step` (a key or an index), or None."""
    if isinstance(payload, dict):
        return payload.get(step)
    if (
        isinstance(payload, list | tuple)
        and type(step) is int
        and -len(payload) <= step < len(payload)
    ):
        return payload[step]
    return None


def _keys_to_move(instance: BaseModel, payload: Any) -> dict[str, tuple[int, str]]:
    """{JSON key: (rank, key)} of the fields an extra key feeds whose own key gave no value.
    The routed `payload` an object was read from tells which keys it had; read without
    routing, its fields set does (no extra key then has an attribute's name, which pydantic's
    fields set would hold as it holds its field's)."""
    router = router_of(type(instance))
    given = payload if isinstance(payload, dict) else None
    fields_set = instance.model_fields_set
    best: dict[str, tuple[int, str]] = {}
    for key in instance.model_extra or {}:
        if (found := router.match(key)) is None:
            continue
        rank, wire = found
        if wire in given if given is not None else router.attributes[wire] in fields_set:
            continue
        if (rank, key) < best.get(wire, (LOOSE + 1, "")):
            best[wire] = (rank, key)
    return best


def _move_keys_of(instance: BaseModel, level: int, payload: Any) -> None:
    model, extra = type(instance), instance.model_extra or {}
    router = router_of(model)
    best = _keys_to_move(instance, payload)
    for wire, (_, key) in best.items():
        attribute, value = router.attributes[wire], extra.pop(key)
        annotation = field_type(model, attribute)
        setattr(instance, attribute, read(annotation, value, level=level))  # keys as these
    if extra and UNKNOWN_KEYS != "keep" and not model.extra_allowed:  # type: ignore[attr-defined]
        if UNKNOWN_KEYS == "forbid":  # keys that lost to their field's own
            lines = [{"type": "extra_forbidden", "loc": (k,), "input": v} for k, v in extra.items()]
            raise ValidationError.from_exception_data(model.__name__, lines)  # type: ignore[arg-type]
        extra.clear()
    if best:
        remember_keys(instance, {wire: key for wire, (_, key) in best.items()})


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
