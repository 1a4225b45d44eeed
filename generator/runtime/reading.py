"""How a pydantic package reads a payload's keys (the API's JSON keys, the attributes, or any
key Speakeasy's naming turns into an attribute: `keys.KeyRouter`), and writes them back.

Models keep the keys that are not their fields' JSON keys as their extra, where pydantic calls
`check_extra_key` for each: a payload of JSON keys costs no Python call. The check notes the
models that kept a key of another spelling; where no union may hold their objects, `read`
moves those values to their fields after the validation (`_moved`), else it has the payload
written in its fields' JSON keys as its types say (`routing.Routing`) and validated once. Both
read a payload as the same payload in the API's own keys is read. An object read under other
keys remembers them, for `to_dict`. Nothing of one payload changes how the next is read."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, NoReturn

from pydantic import BaseModel, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from .errors import MAX_DEPTH, TOO_DEEP, ApiError, json_value
from .field_types import field_type, reached_titles, title_of, union_titles
from .keys import ATTRIBUTE, LOOSE, KeyRouter
from .routing import Reading, Routed, Routing, router_of, validators
from .settings import UNKNOWN_KEYS

# The error at a key of another spelling of a field's key, where `read` routes the keys.
ANOTHER_SPELLING = "another_spelling"

_MODELS_BY_TITLE: dict[str, list[type[BaseModel]]] = {}
# {title: (the routers of the models so titled, whether the docs of one allow extra keys)}
_TITLES: dict[str, tuple[list[KeyRouter], bool]] = {}


def register(model: type[BaseModel]) -> None:
    """Make `model` known to `check_extra_key`, which pydantic tells a model's title only."""
    _MODELS_BY_TITLE.setdefault(title_of(model), []).append(model)
    _TITLES.pop(title_of(model), None)


def check_extra_key(key: str, info: ValidationInfo) -> str:
    """Called by pydantic for each key of an object that is not one of its fields' JSON keys."""
    title = info.config.get("title", "") if info.config else ""
    routers, allowed = _TITLES.get(title) or _models_titled(title)
    context = info.context
    forbidden = UNKNOWN_KEYS == "forbid" and not allowed
    rank = None  # of the best match of the key to a field: a loop, the hot path of unknown keys
    for router in routers:
        if (found := router.match(key)) is not None and (rank is None or found[0] < rank):
            rank = found[0]
    # Routed, a key of another spelling is one that lost to its field's own key, or of another
    # model of the title (check_extra_key is told a title, not a model): an unknown key
    if rank is not None and not (type(context) is Routed and (forbidden or len(routers) > 1)):
        message = "{key} is another spelling of a field's key: read the payload with from_dict"
        if isinstance(context, Reading):
            context.spelled |= {title}
            if type(context) is Reading and rank > ATTRIBUTE:
                return key  # `read` moves it to its field, or routes the payload
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
    from_python, from_json = validators(target)
    context = Reading()
    try:
        value = (from_json if json_text else from_python)(data, by_name=False, context=context)
    except ValidationError:
        if not context.spelled:
            raise
        value = None
    if not context.spelled or (value is not None and _moved(value, context.spelled, target)):
        if context:
            _drop_unknown_keys(value, set(context))
        return value
    try:
        payload = json_value(data) if json_text else data
        return _read_routed(target, from_python, payload, context.spelled)
    except ValueError as unread:
        if str(unread) == TOO_DEEP:
            _too_deep(target)
        raise


def _moved(value: Any, spelled: frozenset[str], target: Any, depth: int = 0) -> bool:
    """Whether the values that the objects of the models titled `spelled` kept under keys of
    another spelling were moved to their fields, as routing would have fed them: not where
    a union may hold such an object (they may change its variant), nor where a value moved is
    invalid, nor where "forbid" refuses a key that lost to its field's own (routing's error
    says where). A value moved is read as its field's type, and its own such keys moved in
    turn (`depth`: how many values moved hold this one)."""
    if depth > MAX_DEPTH or not spelled.isdisjoint(union_titles(target)):
        return False
    for instance, _ in _objects_read(value, titles=spelled):
        model, extra = type(instance), instance.model_extra
        if title_of(model) not in spelled or not extra:
            continue
        router, best = router_of(model), dict[str, tuple[int, str]]()
        for key in extra:
            found = router.match(key)
            if (
                found
                and router.attributes[found[1]] not in instance.model_fields_set
                and (found[0], key) < best.get(found[1], (LOOSE + 1, ""))
            ):
                best[found[1]] = (found[0], key)
        for wire, (_, key) in best.items():
            attribute, inner = router.attributes[wire], Reading()
            try:
                moved = validators(field_type(model, attribute))[0](
                    extra[key], by_name=False, context=inner
                )
            except ValidationError:
                return False
            if inner.spelled and not _moved(moved, inner.spelled, target, depth + 1):
                return False
            if inner:
                _drop_unknown_keys(moved, set(inner))
            del extra[key]
            setattr(instance, attribute, moved)
        if best:
            remember_keys(instance, {wire: key for wire, (_, key) in best.items()})
        if extra and UNKNOWN_KEYS != "keep" and not model.extra_allowed:  # type: ignore[attr-defined]
            if UNKNOWN_KEYS == "forbid":
                return False
            extra.clear()
    return True


def _read_routed(
    target: Any, validate: Callable[..., Any], payload: Any, spelled: frozenset[str]
) -> Any:
    """The payload read once written in its fields' JSON keys (`Routing`); an object read as
    the model it was routed for remembers the keys it came with, and the keys that lost to
    their field's own are its unknown keys."""
    routing = Routing(spelled)
    routed = routing.canonical(payload, target, getattr(target, "__module__", ""), 0)
    value = validate(routed, by_name=False, context=(context := Routed()))
    if context:
        _drop_unknown_keys(value, set(context))
    titles = {title_of(model) for model, _, _ in routing.records.values()}
    for instance, part in _objects_read(value, routed, titles) if titles else ():
        if (record := routing.records.get(id(part))) is not None:
            model, read_as, unknown = record
            if unknown and (UNKNOWN_KEYS == "keep" or type(instance).extra_allowed):  # type: ignore[attr-defined]
                extra: dict[str, Any] = instance.model_extra  # type: ignore[assignment]
                for key, item in unknown.items():  # in the payload's order, as they came
                    extra[key] = extra.pop(key, item)
            if read_as and model is type(instance):
                remember_keys(instance, read_as)
    return value


def _too_deep(target: Any) -> NoReturn:
    line = {"type": PydanticCustomError("too_deep", TOO_DEEP), "loc": (), "input": None}
    title = getattr(target, "__name__", str(target))
    raise ValidationError.from_exception_data(title, [line]) from None  # type: ignore[list-item]


def _objects_read(
    value: Any, payload: Any = None, titles: AbstractSet[str] | None = None
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
        if title_of(type(instance)) in titles and instance.model_extra and not allowed:
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
