"""How a pydantic package reads a payload's keys (the API's JSON keys, the attributes, or any
key Speakeasy's naming turns into an attribute: `keys.KeyRouter`), and writes them back.

Models keep the keys that are not their fields' JSON keys as their extra, where pydantic calls
`check_extra_key` for each: a payload of JSON keys costs no Python call. `read` then moves the
values of the keys the check noted to their fields; where the validation fails, it routes the
keys of the objects the errors point to, and validates again. An object read under other keys
remembers them, for `to_dict`. Nothing of one payload changes how the next is read."""

from __future__ import annotations

import copy
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, NoReturn

from pydantic import BaseModel, TypeAdapter, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from .errors import MAX_DEPTH, TOO_DEEP, ApiError, json_value, within_depth
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
        except ValueError:
            raise invalid from None  # not JSON, or nested too deeply: pydantic said so
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


Record = tuple[list[Any], type[BaseModel], dict[str, str]]  # where, which model, keys read


def _read_routed(validate: Callable[..., Any], payload: Any) -> Any:
    """The payload read once every object with keys of another spelling is routed to its
    fields' JSON keys (where the errors say, inner objects first, then what that reveals, each
    object once); the error of another problem is raised, located in the routed payload."""
    payload = copy.deepcopy(payload)  # routed in place
    records: list[Record] = []
    routed: set[tuple[Any, ...]] = set()  # each object once: this ends
    context: Reading
    while True:
        try:
            value = validate(payload, by_name=False, context=(context := Routing()))
            break
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
                break
        for location in sorted(objects, key=len, reverse=True):
            payload = _route_object(payload, location, objects[location], records)
            routed.add(location)
    if context:  # keys to drop (`unknown_keys = "ignore"`), or that lost
        _move_extra_keys(value, set(context), level=0)
    for steps, model, read_as in records:
        found = _locate(value, steps)
        if type(found) is model:  # else pydantic chose another variant of a union
            remember_keys(found, read_as)
    return value


def _route_object(
    payload: Any, location: tuple[Any, ...], titles: set[str], records: list[Record]
) -> Any:
    """The payload, the keys of the object at `location` routed to its fields' JSON keys."""
    steps: list[Any] = []
    parent: Any = None
    value = payload
    for part in location:  # a part that leads nowhere names a union's variant
        if (isinstance(value, Mapping) and part in value) or (
            isinstance(value, list) and type(part) is int
        ):
            parent, value = value, value[part]
            steps.append(part)
    if not isinstance(value, Mapping):
        return payload
    # Of the models the errors name (a union's variants), the one with a field for most keys.
    models = sorted(
        (model for title in titles for model in _MODELS_BY_TITLE.get(title, ())),
        key=lambda model: (model.__module__, model.__qualname__),
    )
    model = max(models, key=lambda m: sum(router_of(m).match(k) is not None for k in value))
    fed, read_as, unknown = router_of(model).route(value)
    if read_as:
        records.append((steps, model, read_as))
    if parent is None:
        return {**fed, **unknown}
    parent[steps[-1]] = {**fed, **unknown}
    return payload


def _locate(value: Any, steps: list[Any]) -> Any:
    """The object read from the payload at `steps` (keys of any spelling, and indexes)."""
    for step in steps:
        if isinstance(value, ApiError):  # an error as a field's type: its body
            value = value.data
        if isinstance(value, BaseModel):
            router = router_of(type(value))
            if (found := router.match(step)) is None:
                return None
            value = getattr(value, router.attributes[found[1]])
        else:
            value = value[step]
    return value.data if isinstance(value, ApiError) else value


def _move_extra_keys(value: Any, titles: set[str], level: int) -> None:
    """In every object of a model titled `titles`: the values of keys that spell a field's key
    another way moved from the extra to their fields (read at `level` + 1), and ignored keys
    dropped."""
    pending = [value]
    while pending:
        value = pending.pop()
        if isinstance(value, BaseModel):
            if type(value).__name__ in titles and value.model_extra:
                _move_keys_of(value, level + 1)
            fields = vars(value)  # not getattr: a deprecated field would warn
            for attribute, reached in _reaches(type(value)).items():
                if not reached.isdisjoint(titles):
                    pending.append(fields.get(attribute))
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, ApiError):
            pending.append(value.data)


_REACHES: dict[type, dict[str, frozenset[str]]] = {}


def _reaches(model: type[BaseModel]) -> dict[str, frozenset[str]]:
    """{attribute: the titles of the models its value may hold, at any depth} of the fields
    that may hold objects."""
    if (found := _REACHES.get(model)) is None:
        found = {}
        for attribute, models in _fields_models(model).items():
            reached: set[str] = set()
            while models:
                inner = models.pop()
                if inner.__name__ not in reached:
                    reached.add(inner.__name__)
                    models.update(*_fields_models(inner).values())
            found[attribute] = frozenset(reached)
        found = _REACHES.setdefault(model, found)
    return found


def _fields_models(model: type[BaseModel]) -> dict[str, set[type[BaseModel]]]:
    """{attribute: the models its annotation names} of the fields that name one."""
    named = {
        a: _models_in(_field_type(model, a), model.__module__, set()) for a in model.model_fields
    }
    return {attribute: models for attribute, models in named.items() if models}


def _models_in(annotation: Any, module: str, seen: set[int]) -> set[type[BaseModel]]:
    """The models an annotation names (through lists, maps, unions and union aliases)."""
    if id(annotation) in seen:  # a union alias that names itself
        return set()
    seen.add(id(annotation))
    if isinstance(annotation, typing.ForwardRef):  # a variant of a union alias
        namespace = vars(sys.modules[annotation.__forward_module__ or module])
        annotation = namespace.get(annotation.__forward_arg__)
    if isinstance(annotation, TypeAliasType):
        return _models_in(annotation.__value__, str(annotation.__module__), seen)
    if isinstance(annotation, type):
        body = getattr(annotation, "data_model", annotation)  # an error: its body
        return {body} if isinstance(body, type) and issubclass(body, BaseModel) else set()
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg, module, seen)}


def _move_keys_of(instance: BaseModel, level: int) -> None:
    model, extra, given = type(instance), instance.model_extra or {}, instance.model_fields_set
    router = router_of(model)
    best: dict[str, tuple[int, str]] = {}  # {JSON key: (rank, key)} of the keys to move
    for key in extra:  # a field its own key gave a value keeps it (attribute names: routed)
        found = router.match(key)
        if (
            found
            and router.attributes[found[1]] not in given
            and (found[0], key) < best.get(found[1], (LOOSE + 1, ""))
        ):
            best[found[1]] = (found[0], key)
    for wire, (_, key) in best.items():
        attribute, value = router.attributes[wire], extra.pop(key)
        annotation = _field_type(model, attribute)
        setattr(instance, attribute, read(annotation, value, level=level))  # keys as these
    if extra and UNKNOWN_KEYS != "keep" and not model.extra_allowed:  # type: ignore[attr-defined]
        if UNKNOWN_KEYS == "forbid":  # keys that lost to their field's own
            lines = [{"type": "extra_forbidden", "loc": (k,), "input": v} for k, v in extra.items()]
            raise ValidationError.from_exception_data(model.__name__, lines)  # type: ignore[arg-type]
        extra.clear()
    if best:
        remember_keys(instance, {wire: key for wire, (_, key) in best.items()})


_FIELD_TYPES: dict[tuple[type, str], Any] = {}


def _field_type(model: type[BaseModel], attribute: str) -> Any:
    """A field's annotation, its names resolved where the model's module binds them."""
    if (found := _FIELD_TYPES.get((model, attribute))) is None:
        info = model.model_fields[attribute]
        hint = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        holder = types.SimpleNamespace(__annotations__={attribute: hint})
        namespace = vars(sys.modules[model.__module__])
        found = typing.get_type_hints(holder, namespace, include_extras=True)[attribute]
        found = _FIELD_TYPES.setdefault((model, attribute), found)
    return found


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
