"""How a generated pydantic model reads a payload's keys and writes them back.

A payload's keys may be the API's JSON keys, the attributes, or any key that Speakeasy's
naming turns into an attribute (`fileID`, `FileId`, `file-id` for `file_id`). An object read
from a payload writes every value back under the key it was read from; one built in Python
writes the API's keys. Keys that feed no field are kept (as `model_extra`, and written back),
ignored or refused, as the class's `__unknown_keys__` says.

`KeyRouting._route_keys`, a wrap validator, routes the keys of each object pydantic validates
(`model_validate`, constructors, `TypeAdapter`s); `from_dict` and `from_json` read a payload
alike with fewer Python calls (`fastreading`).

The generator does not import this module (pydantic is not among its dependencies): every
pydantic package carries a copy of it as `_keyrouting.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails

from generator.wirekeys import KeyRouter

# Where an object read from a payload keeps the keys its fields were read from, where they
# are not the fields' wire keys.
_READ_AS = "_read_as"


class KeyRouting(BaseModel):
    """The base of generated models that routes a payload's keys to their fields."""

    __unknown_keys__: ClassVar[str] = "keep"  # or "ignore" or "forbid"

    def __init__(self, /, **data: Any) -> None:
        super().__init__(**data)
        # Built in Python, an object writes the API's keys, whatever names it was given.
        private = self.__pydantic_private__
        if private:
            private.pop(_READ_AS, None)
            if not private:  # as an object that never had keys to remember
                object.__setattr__(self, "__pydantic_private__", None)

    # As pydantic's RootModel does: pydantic builds the models it validates without calling
    # this `__init__` (which would validate them twice); only Python code calls it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @model_validator(mode="wrap")
    @classmethod
    def _route_keys(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        # Called for every object of a payload: the common cases first, and cheaply.
        router = _ROUTERS.get(cls) or router_of(cls)
        if type(data) is dict:
            if data.keys() <= router.passthrough:
                return _with_extra(cls, handler(data), {})
        elif not isinstance(data, Mapping):
            return handler(data)
        fed, read_as, unknown = router.route(data)
        allows_extra = cls.model_config.get("extra") == "allow"
        if unknown and cls.__unknown_keys__ == "forbid" and not allows_extra:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [
                    InitErrorDetails(type="extra_forbidden", loc=(key,), input=unknown[key])
                    for key in sorted(unknown, key=str)
                ],
            )
        instance = handler(fed)
        if read_as:
            remember_read_keys(instance, read_as)
        if allows_extra:
            instance.__pydantic_extra__.update(unknown)
            instance.__pydantic_fields_set__.update(unknown)
            return instance
        return _with_extra(cls, instance, unknown)

    # No return annotation: pydantic would take it for the schema of what is written, and
    # `model_json_schema(mode="serialization")` would lose every property.
    @model_serializer(mode="wrap")
    def _write_keys(  # type: ignore[no-untyped-def]
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ):
        data = handler(self)
        if not isinstance(data, dict):
            return data
        # pydantic also serialises through here a value of another type set without validation.
        private = getattr(self, "__pydantic_private__", None)
        read_as = private.get(_READ_AS) if private else None
        if read_as and info.by_alias is not False:
            data = {read_as.get(key, key): value for key, value in data.items()}
        # Kept unknown keys: pydantic writes a model's extra keys only where its config allows.
        # Under attribute names, a kept key cannot replace a field.
        extra = getattr(self, "__pydantic_extra__", None)
        if extra and type(self).model_config.get("extra") != "allow":
            for key, value in extra.items():
                data.setdefault(key, value)
        return data


ROUTE_KEYS = KeyRouting.__dict__["_route_keys"].__func__
_ROUTERS: dict[type, KeyRouter] = {}


def router_of(cls: type[BaseModel]) -> KeyRouter:
    router = _ROUTERS.get(cls)
    if router is None:
        # A key that feeds no field needs nothing of `_route_keys` where pydantic itself
        # drops it or keeps it.
        passes = cls.model_config.get("extra") == "allow" or unknown_keys_of(cls) == "ignore"
        router = KeyRouter(
            ((name, field.alias or name) for name, field in cls.model_fields.items()),
            remember_unknown=passes,
        )
        _ROUTERS[cls] = router
    return router


def _with_extra(cls: type[BaseModel], instance: Any, unknown: dict[str, Any]) -> Any:
    """Kept unknown keys are the object's `model_extra` (and set fields), as where pydantic
    keeps them itself."""
    if unknown_keys_of(cls) == "keep" and cls.model_config.get("extra") != "allow":
        object.__setattr__(instance, "__pydantic_extra__", unknown)
        instance.__pydantic_fields_set__.update(unknown)
    return instance


def unknown_keys_of(cls: type[BaseModel]) -> str:
    return str(getattr(cls, "__unknown_keys__", "keep"))


def remember_read_keys(instance: BaseModel, read_as: dict[str, str]) -> None:
    private = instance.__pydantic_private__
    if private is None:
        object.__setattr__(instance, "__pydantic_private__", {_READ_AS: read_as})
    else:
        private[_READ_AS] = read_as
