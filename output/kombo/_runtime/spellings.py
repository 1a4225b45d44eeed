"""Which keys of a payload feed which fields of a pydantic package's models: the check
pydantic calls for each key that is not a field's JSON key, the contexts of a read, and the
keys an object was read with, for `to_dict`."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationInfo
from pydantic_core import PydanticCustomError

from .errors import ApiError
from .field_types import reached_titles
from .keys import ATTRIBUTE, LOOSE, KeyRouter
from .settings import UNKNOWN_KEYS

# The error at a key of another spelling of a field's key, where `read` routes the keys.
ANOTHER_SPELLING = "another_spelling"


_ROUTERS: dict[type, KeyRouter] = {}


MODELS_BY_TITLE: dict[str, list[type[BaseModel]]] = {}


# {title: (the routers of the models so titled, whether the docs of one allow extra keys)}
_TITLES: dict[str, tuple[list[KeyRouter], bool]] = {}


class Reading(list[str]):
    """`read`'s context: the titles of the models that kept keys to move to a field or drop."""


class Routing(Reading):
    """`read`'s context where every key of another spelling fails, for `read` to route it, but
    those that lost to their field's own key where an object was routed (`lost`: (title,
    key)), or with `lost` None, all of them."""

    def __init__(self, lost: set[tuple[str, str]] | None) -> None:
        super().__init__()
        self.lost = lost


def router_of(model: type[BaseModel]) -> KeyRouter:
    if (router := _ROUTERS.get(model)) is None:
        pairs = ((name, info.alias or name) for name, info in model.model_fields.items())
        router = _ROUTERS.setdefault(model, KeyRouter(pairs))
    return router


def register(model: type[BaseModel]) -> None:
    """Make `model` known to `check_extra_key`, which pydantic tells a model's title only."""
    MODELS_BY_TITLE.setdefault(model.__name__, []).append(model)
    _TITLES.pop(model.__name__, None)


def check_extra_key(key: str, info: ValidationInfo) -> str:
    """Called by pydantic for each key of an object that is not one of its fields' JSON keys."""
    title = info.config.get("title", "") if info.config else ""
    routers, allowed = _TITLES.get(title) or _models_titled(title)
    context = info.context
    for router in routers:
        if (found := router.match(key)) is None:
            continue
        if type(context) is Routing and (context.lost is None or (title, key) in context.lost):
            if UNKNOWN_KEYS == "forbid" and not allowed:  # a key that lost: unknown
                raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")
            context.append(title)
            return key
        # A user's validation, `read`'s routing, an attribute's own name (is the field's own
        # key there too? routing tells) and any key where unknown keys are refused fail; the
        # rest is moved to its field.
        if type(context) is not Reading or found[0] == ATTRIBUTE or UNKNOWN_KEYS == "forbid":
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
    models = MODELS_BY_TITLE.get(title, [])
    allowed = any(getattr(model, "extra_allowed", False) for model in models)
    return _TITLES.setdefault(title, ([router_of(model) for model in models], allowed))


def keys_to_move(instance: BaseModel, payload: Any) -> dict[str, tuple[int, str]]:
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


def drop_ignored(instance: BaseModel) -> None:
    if UNKNOWN_KEYS == "ignore" and instance.model_extra and not type(instance).extra_allowed:  # type: ignore[attr-defined]
        instance.model_extra.clear()


def objects_read(
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
                    pending.append((fields.get(attribute), part_at(payload, wires[attribute])))
        elif isinstance(value, list):
            pending.extend((item, part_at(payload, index)) for index, item in enumerate(value))
        elif isinstance(value, dict):
            pending.extend((item, part_at(payload, key)) for key, item in value.items())
        elif isinstance(value, ApiError):
            pending.append((value.data, payload))


def part_at(payload: Any, step: Any) -> Any:
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
