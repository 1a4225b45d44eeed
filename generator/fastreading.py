"""`from_dict` and `from_json` of a generated pydantic model: a payload read as the wrap
validators of `keyrouting` read it, with fewer Python calls.

`read` validates with a copy of the class's core schema without the wrap validators, which
takes wire keys only, after one pass over the payload has routed its keys (`prerouting`);
what that cannot route, the wrap validators read. An API sends the same keys in every response
of a kind, so the copy learns them: once a model's objects were routed from other keys
(`imageURL` for the wire key `imageUrl`), the class's copy takes those keys instead, and the
next payloads need no pass.

The generator does not import this module (pydantic is not among its dependencies): every
pydantic package carries a copy of it as `_fastreading.py`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import SchemaError, SchemaValidator, core_schema

from generator.keyrouting import ROUTE_KEYS, remember_read_keys, router_of, unknown_keys_of
from generator.prerouting import (
    Record,
    Shape,
    Shapes,
    Unroutable,
    locate,
    route,
    union_siblings,
)
from generator.wirekeys import REMEMBERED_UNKNOWN

_Model = TypeVar("_Model", bound=BaseModel)


# {model: {wire key: key}}: the keys other than their wire keys that a model's objects were
# last read under.
ReadKeys = dict[type, dict[str, str]]
Siblings = dict[type, set[type]]


@dataclass(frozen=True)
class Plan:
    """How `read` reads a class's payloads: its validator, the shape of its models and the
    keys that validator takes in place of wire keys."""

    direct: SchemaValidator
    shape: Shape | None
    # For each model that is a variant of a union, the other models of it; variants learn
    # no keys (see `_direct`).
    siblings: Siblings = field(default_factory=dict)
    read_keys: ReadKeys = field(default_factory=dict)
    relearned: int = 0  # how often the validator was rebuilt for other keys


# A class whose payloads keep changing their keys stops relearning them: each costs a
# validator build, and routing every payload costs less than rebuilding for every one.
_MAX_RELEARNED = 8
_PLANS: dict[type, Plan | None] = {}
_PLANNING = threading.Lock()
_SHAPES = Shapes(router_of)
# Whether the last payload a class read fitted its validator. If not, the next one is routed
# before it is first validated: most APIs send the same keys in every response of a kind.
_WIRE_KEYS_LAST: dict[type, bool] = {}


def read(cls: type[_Model], data: Any, json_text: bool = False) -> _Model:
    """A payload (or, with `json_text`, a JSON text) as an instance of `cls`."""
    plan = _PLANS[cls] if cls in _PLANS else _plan(cls)
    if plan is None:
        return _read_routing_each(cls, data)
    try:
        if _WIRE_KEYS_LAST.get(cls, True):
            try:
                found: _Model = (
                    plan.direct.validate_json(data)
                    if json_text
                    else plan.direct.validate_python(data)
                )
                return found
            except ValidationError:
                _WIRE_KEYS_LAST[cls] = False
        payload = json.loads(data) if json_text else data
        if plan.shape is None:
            raise Unroutable
        instance, records = _read_routed(cls, plan, plan.shape, payload)
        _WIRE_KEYS_LAST[cls] = _relearn(cls, plan, records) if records else not plan.read_keys
        return instance
    except (Unroutable, ValueError, LookupError, AttributeError, TypeError, RecursionError):
        # The wrap validators read it, or raise pydantic's own error for it.
        return _read_routing_each(cls, data)


def _read_routed(
    cls: type[_Model], plan: Plan, shape: Shape, payload: Any
) -> tuple[_Model, list[Record]]:
    """A payload read by a validator of `cls` that takes wire keys only, after a routing pass."""
    wire_keys = _wire_keys_validator(cls, plan)
    # Objects of models that needed no routing last time are left as they are; if one of
    # them needs it after all, the validator refuses its key and a full pass follows.
    routed, records, trusted = route(shape, payload, unknown_keys_of(cls), trust_clean=True)
    try:
        instance: _Model = wire_keys.validate_python(routed)
    except ValidationError:
        if not trusted:
            raise
        routed, records, _ = route(shape, payload, unknown_keys_of(cls))
        instance = wire_keys.validate_python(routed)
    for path, expected, keys in records:
        target = locate(instance, path)
        if type(target) is not expected or not isinstance(target, BaseModel):
            raise Unroutable  # pydantic chose another variant than the routing did
        remember_read_keys(target, keys)
    return instance, records


def _relearn(cls: type[BaseModel], plan: Plan, records: list[Record]) -> bool:
    """The class's validator, rebuilt to take the keys this payload's objects were read
    under, where they are new and every object of a model agreed on them. Whether the
    class's validator now takes the keys of this payload."""
    seen: dict[type, dict[str, str | None]] = {}
    fits = True
    for _, model, keys in records:
        if model in plan.siblings:
            fits = False  # a union's variant learns nothing: its objects are routed again
            continue
        agreed = seen.setdefault(model, {})
        for wire, key in keys.items():
            agreed[wire] = key if agreed.get(wire, key) == key else None
    read_keys = {model: dict(keys) for model, keys in plan.read_keys.items()}
    for model, agreed_keys in seen.items():
        for wire, agreed_key in agreed_keys.items():
            if agreed_key is not None:
                read_keys.setdefault(model, {})[wire] = agreed_key
    agreed_all = fits and all(None not in keys.values() for keys in seen.values())
    if read_keys == plan.read_keys:
        return agreed_all
    if plan.relearned >= _MAX_RELEARNED:
        return False
    with _PLANNING:
        if _PLANS.get(cls) is not plan:
            return False  # another thread rebuilt it meanwhile
        try:
            direct = _validator(cls, plan.siblings, read_keys)
        except (SchemaError, KeyError, TypeError, RecursionError):
            return False
        _PLANS[cls] = Plan(direct, plan.shape, plan.siblings, read_keys, plan.relearned + 1)
    return agreed_all


def _read_routing_each(cls: type[_Model], data: Any) -> _Model:
    if isinstance(data, str | bytes | bytearray):
        return cls.model_validate_json(data)
    return cls.model_validate(data)


def _plan(cls: type[BaseModel]) -> Plan | None:
    with _PLANNING:
        if cls not in _PLANS:
            cls.model_rebuild()
            try:
                shape = _SHAPES.of(cls.__pydantic_core_schema__)
                siblings = union_siblings(shape)
                _PLANS[cls] = Plan(_validator(cls, siblings, {}), shape, siblings)
            except (SchemaError, KeyError, TypeError):  # core schemas of another shape
                _PLANS[cls] = None
            except RecursionError:  # a schema too deep to copy: its models' chain is long
                _PLANS[cls] = None
    return _PLANS[cls]


_WIRE_KEYS_VALIDATORS: dict[type, SchemaValidator] = {}


def _wire_keys_validator(cls: type[BaseModel], plan: Plan) -> SchemaValidator:
    """The validator of the class's payloads once routed: wire keys only."""
    if not plan.read_keys:
        return plan.direct
    validator = _WIRE_KEYS_VALIDATORS.get(cls)
    if validator is None:
        with _PLANNING:
            validator = _validator(cls, plan.siblings, {})
            validator = _WIRE_KEYS_VALIDATORS.setdefault(cls, validator)
    return validator


def _validator(cls: type[BaseModel], siblings: Siblings, read_keys: ReadKeys) -> SchemaValidator:
    """A validator of the class's core schema without the wrap validators, that takes wire
    keys (or the keys `read_keys` gives in their place) only."""
    schema = cls.__pydantic_core_schema__
    return SchemaValidator(_direct(schema, unknown_keys_of(cls), siblings, read_keys))


def _direct(node: Any, unknown_keys: str, siblings: Siblings, read_keys: ReadKeys) -> Any:
    """A copy of a core schema without `_route_keys`, that takes wire keys only (or, for the
    models of `read_keys`, the keys given in their place), and keeps (where `unknown_keys` is
    "keep") or refuses keys that feed no field."""
    if isinstance(node, list):
        return [_direct(item, unknown_keys, siblings, read_keys) for item in node]
    if not isinstance(node, dict):
        return node
    function = node.get("function")
    if (
        node.get("type") == "function-wrap"
        and isinstance(function, dict)
        and getattr(function.get("function"), "__func__", None) is ROUTE_KEYS
    ):
        inner = _direct(node["schema"], unknown_keys, siblings, read_keys)
        return {**inner, "ref": node["ref"]} if "ref" in node else inner
    copy = {key: _direct(value, unknown_keys, siblings, read_keys) for key, value in node.items()}
    if copy.get("type") != "model":
        return copy
    config = {**(copy.get("config") or {}), "validate_by_name": False}
    if config.get("extra_fields_behavior") == "allow" or unknown_keys == "keep":
        config["extra_fields_behavior"] = "allow"
        cls = copy["cls"]
        keys_schema = _unknown_key_schema(cls, {cls} | siblings.get(cls, set()))
        copy["schema"] = {**copy["schema"], "extras_keys_schema": keys_schema}
    else:
        config["extra_fields_behavior"] = "forbid"
    copy["config"] = config
    # A union chooses among its variants by the keys they take: a variant taking learned keys
    # could win where the wrap validators choose another, so union variants learn nothing.
    keys = read_keys.get(copy["cls"]) if copy["cls"] not in siblings else None
    return _reading_keys(copy, keys) if keys else copy


def _reading_keys(model: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    """A model schema whose fields take `keys` ({wire key: key}) in place of their wire keys,
    and whose objects remember the keys they were read under."""
    fields = dict(model["schema"]["fields"])
    renamed: list[tuple[str, str, str]] = []  # (attribute, wire key, key read)
    for attribute, spec in fields.items():
        wire = spec.get("validation_alias", attribute)
        if isinstance(wire, str) and wire in keys:
            fields[attribute] = {**spec, "validation_alias": keys[wire]}
            renamed.append((attribute, wire, keys[wire]))
    reading = {**model, "schema": {**model["schema"], "fields": fields}}
    ref = reading.pop("ref", None)
    after = core_schema.no_info_after_validator_function(_remembering(renamed), reading)
    return {**after, "ref": ref} if ref is not None else dict(after)


def _remembering(renamed: list[tuple[str, str, str]]) -> Callable[[Any], Any]:
    def remember_keys_read(instance: Any) -> Any:
        fields_set = instance.__pydantic_fields_set__
        read_as = {wire: key for attribute, wire, key in renamed if attribute in fields_set}
        if read_as:
            remember_read_keys(instance, read_as)
        return instance

    return remember_keys_read


def _unknown_key_schema(cls: type, readers: set[type]) -> core_schema.CoreSchema:
    """An extra key must feed no field of the model, nor of a model that a union it is in
    could choose instead: such a key is routed first, or read by the wrap validators."""
    routers = [router_of(reader) for reader in sorted(readers, key=lambda c: c.__qualname__)]
    # Called for every unknown key of every object: the keys seen before are answered at once.
    feeding_none: set[str] = set()

    def feeds_no_field(key: str) -> str:
        if key in feeding_none:
            return key
        if any(router.match(key) is not None for router in routers):
            raise ValueError(f"{key!r} feeds a field of {cls.__name__} or of a union variant")
        if len(feeding_none) < REMEMBERED_UNKNOWN:
            feeding_none.add(key)
        return key

    return core_schema.no_info_after_validator_function(feeds_no_field, core_schema.str_schema())
