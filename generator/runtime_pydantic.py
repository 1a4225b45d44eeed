"""The runtime of a pydantic package: the base class of its models, transport types, open
enums and the base of its errors.

The generator does not import this module (pydantic is not among its dependencies): every
pydantic package carries a copy of it as `_runtime.py`, with its own `UNKNOWN_KEYS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import ConfigDict, GetCoreSchemaHandler, TypeAdapter
from pydantic.config import ExtraValues
from pydantic_core import CoreSchema, core_schema

from generator.fastreading import read
from generator.keyrouting import KeyRouting
from generator.runtime_shared import ApiErrorBase
from generator.runtime_shared import OpenIntEnum as OpenIntEnum
from generator.runtime_shared import OpenStrEnum as OpenStrEnum

# What becomes of a payload's keys that feed no field: "keep", "ignore" or "forbid" (the
# package's setting, written here when the package is generated).
UNKNOWN_KEYS = "keep"
# pydantic's own handling of such keys: the key routing keeps them (see `_keyrouting`).
_PYDANTIC_EXTRA: dict[str, ExtraValues] = {"keep": "ignore", "ignore": "ignore", "forbid": "forbid"}


class GeneratedModel(KeyRouting):
    """Base of every generated model: `from_dict` reads a payload, `to_dict` writes one.

    Keys are read and written as `_keyrouting` describes; `__unknown_keys__` says what
    becomes of keys that feed no field.
    """

    __unknown_keys__ = UNKNOWN_KEYS

    model_config = ConfigDict(
        # The key routing gives attribute names to their fields: pydantic reads wire keys only,
        # so that a wire key that is another field's attribute feeds one field, not two.
        validate_by_name=False,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra=_PYDANTIC_EXTRA[UNKNOWN_KEYS],  # unknown keys: see `__unknown_keys__`
        protected_namespaces=(),
        use_attribute_docstrings=True,
    )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Parse a payload."""
        return read(cls, data)

    @classmethod
    def from_json(cls, text: str | bytes) -> Self:
        return read(cls, text, json_text=True)

    def to_dict(self, *, exclude_unset: bool = True) -> dict[str, Any]:
        """The JSON-compatible payload; by default only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=exclude_unset)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def read_value(annotation: Any, data: Any) -> Any:
    """A JSON value as `annotation` (a union, a list, an enum or a plain type)."""
    try:
        adapter = _ADAPTERS.get(annotation)
    except TypeError:  # not hashable
        return TypeAdapter(annotation).validate_python(data)
    if adapter is None:
        adapter = _ADAPTERS.setdefault(annotation, TypeAdapter(annotation))
    return adapter.validate_python(data)


def _carried_as_is() -> CoreSchema:
    return core_schema.any_schema(
        serialization=core_schema.plain_serializer_function_ser_schema(lambda _: None)
    )


class _Unvalidated:
    """`Annotated[T, Unvalidated]`: a file or transport object, carried as is, never serialised."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return _carried_as_is()


Unvalidated = _Unvalidated()


_Event = TypeVar("_Event")


class _Opaque:
    """A transport object: carried as is, never validated or serialised."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return _carried_as_is()


class Response(_Opaque):
    """The HTTP response of the transport (requests or httpx), typed without importing either."""


class Request(_Opaque):
    """The HTTP request of the transport."""


class EventStream(_Opaque, Generic[_Event]):
    """A server-sent event stream of the transport."""


class EventStreamAsync(_Opaque, Generic[_Event]):
    """An asynchronous server-sent event stream of the transport."""


class ApiError(ApiErrorBase):
    """Base of every generated error: `except ApiError` catches any of them.

    `data` is the parsed body, `raw_response` the transport response (never serialised
    or pickled) and `str(error)` the JSON body.
    """

    data_model: ClassVar[type[GeneratedModel]]

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """As a field's type (the docs use an error class where an API sends the error's body
        inside another), an error reads its body and writes it back."""
        body = handler.generate_schema(cls.data_model)
        return core_schema.no_info_after_validator_function(
            cls,
            body,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _error_body, return_schema=body
            ),
        )


def _error_body(error: ApiError) -> Any:
    return error.data
