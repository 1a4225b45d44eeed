"""Reading a payload whose keys the models do not read as they are (`reading.read` failed):
its objects routed to their fields' JSON keys, in place, on a copy, where the errors say and
then as pydantic reads each, until nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .spellings import (
    ANOTHER_SPELLING,
    MODELS_BY_TITLE,
    Routing,
    drop_ignored,
    keys_to_move,
    objects_read,
    part_at,
    remember_keys,
    router_of,
)


@dataclass
class _Routed:
    """An object of the payload routed for a model: its items before, the keys it was read
    with ({JSON key: key read})."""

    found: dict[str, Any]
    before: dict[str, Any]
    model: type[BaseModel]
    read_as: dict[str, str]


@dataclass
class _PayloadRouting:
    """What routing did to a payload: the objects it routed, by id (the payload holds them),
    the keys that lost to their field's own, and each (object, model) routed once: it ends."""

    routed: dict[int, _Routed] = field(default_factory=dict)
    lost: set[tuple[str, str]] = field(default_factory=set)
    tried: set[tuple[int, type]] = field(default_factory=set)

    def route(self, found: dict[str, Any], model: type[BaseModel]) -> bool:
        """Route an object's keys, in place, to `model`'s fields' JSON keys, once."""
        if (id(found), model) in self.tried:
            return False
        self.tried.add((id(found), model))
        self.undo(found)
        before = dict(found)
        fed, read_as, unknown = router_of(model).route(before)
        router = router_of(model)
        self.lost.update((model.__name__, k) for k in unknown if router.match(k) is not None)
        found.clear()
        found.update(fed)
        found.update(unknown)
        if read_as:
            self.routed[id(found)] = _Routed(found, before, model, read_as)
        return True

    def undo(self, found: dict[str, Any]) -> bool:
        """Give a routed object its own keys back."""
        if (record := self.routed.pop(id(found), None)) is None:
            return False
        found.clear()
        found.update(record.before)
        return True

    def route_inside(self, record: _Routed) -> bool:
        """Route the objects inside an object that only keys of another spelling keep from
        being read as the model it was routed for: pydantic, which reads a union's variant
        that takes it as it is, never says so."""
        try:
            record.model.model_validate(record.found, by_name=False, context=Routing(self.lost))
        except ValidationError as error:
            spelled = _objects_spelled(error, record.found)
            return any([_route_best(self, found, titles) for found, titles in spelled])
        return False

    def settle(self, read_from: list[tuple[BaseModel, Any]]) -> bool:
        """Route each object pydantic read as another model than it was routed for, or with
        keys to move, for the model it was read as (else give it its keys back); whether
        anything changed."""
        models = {id(part): type(instance) for instance, part in read_from}
        changed = False
        for record in list(self.routed.values()):
            model = models.get(id(record.found))
            if record.model is model:
                continue
            if self.route_inside(record):  # the model it was routed for may read it then
                changed = True
                continue
            rerouted = model is not None and self.route(record.found, model)
            changed = rerouted or self.undo(record.found) or changed
        for instance, part in read_from:
            if (
                isinstance(part, dict)
                and id(part) not in self.routed
                and keys_to_move(instance, part)
            ):
                changed = self.route(part, type(instance)) or changed
        return changed


def read_routed(validate: Callable[..., Any], payload: Any) -> Any:
    """The payload read once the objects with keys of another spelling are routed to their
    fields' JSON keys: where the errors say, for the variant with a field for most of their
    keys, then for the model pydantic reads each as, until nothing changes. The error of
    another problem is raised, located in the routed payload."""
    payload = _plain_copy(payload)  # routed in place
    routing = _PayloadRouting()
    accept_all = False  # where routing cannot read a key, it stays an unknown one
    while True:
        context = Routing(None if accept_all else routing.lost)
        try:
            value = validate(payload, by_name=False, context=context)
        except ValidationError as error:
            spelled = _objects_spelled(error, payload)
            if not any([_route_best(routing, found, titles) for found, titles in spelled]):
                if not spelled or accept_all:
                    raise
                accept_all = True
            continue
        read_from = list(objects_read(value, payload))
        if not routing.settle(read_from):
            break
    instances = {id(part): instance for instance, part in read_from}
    for instance, part in read_from:
        if instance.model_extra:
            _unmark_extra_names(instance, part)
            drop_ignored(instance)
    for record in routing.routed.values():
        remember_keys(instances[id(record.found)], record.read_as)
    return value


def _objects_spelled(error: ValidationError, payload: Any) -> list[tuple[Any, set[str]]]:
    """The objects of the payload an error finds keys of another spelling in, and the titles
    of the models it read them as (a union's variants)."""
    spelled: dict[int, tuple[Any, set[str]]] = {}
    for line in error.errors(include_url=False, include_input=False):
        if line["type"] == ANOTHER_SPELLING:
            found = _object_at(payload, tuple(line["loc"][:-1]))
            spelled.setdefault(id(found), (found, set()))[1].add(line["ctx"]["model"])
    return list(spelled.values())


def _route_best(routing: _PayloadRouting, found: Any, titles: set[str]) -> bool:
    """Route an object for the model of `titles` with a field for most of its keys, of those
    it was not yet routed for."""
    if not isinstance(found, dict):
        return False
    models = sorted(
        (
            m
            for title in titles
            for m in MODELS_BY_TITLE.get(title, ())
            if (id(found), m) not in routing.tried
        ),
        key=lambda model: (model.__module__, model.__qualname__),
    )
    if not models:
        return False
    fit = max(models, key=lambda m: sum(router_of(m).match(k) is not None for k in found))
    return routing.route(found, fit)


def _plain_copy(value: Any) -> Any:
    """A copy of a JSON value (nested within the bound) whose objects are dicts."""
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [_plain_copy(item) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _object_at(payload: Any, location: tuple[Any, ...]) -> Any:
    """The part of the payload an error's location points to (a part of the location that
    leads nowhere names a union's variant)."""
    for step in location:
        payload = payload if (part := part_at(payload, step)) is None else part
    return payload


def _unmark_extra_names(instance: BaseModel, payload: Any) -> None:
    """pydantic counts an extra key among an object's fields set: one named like an attribute
    whose field no key of the payload gave (routing could not read it) would make `to_dict`
    write that field too."""
    wire_of, given = router_of(type(instance)).wire_of, payload if isinstance(payload, dict) else {}
    names = [k for k in instance.model_extra or {} if k in wire_of and wire_of[k] not in given]
    instance.model_fields_set.difference_update(names)
