"""The models of a pydantic package: their base class, transport types, and reading a JSON
value as any type of a field."""

# No `from __future__ import annotations`: pydantic evaluates the annotation of
# `__pydantic_extra__` where each model is defined, so it must be an object, not a string.
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic_core import CoreSchema, core_schema

from .errors import ApiError, OpenIntEnum, OpenStrEnum, load_class
from .reading import check_extra_key, forget_keys, keys_read, read, register
from .reading import read as read_value

__all__ = [
    "ApiError",
    "EventStream",
    "EventStreamAsync",
    "GeneratedError",
    "GeneratedModel",
    "OpenIntEnum",
    "OpenStrEnum",
    "Request",
    "Response",
    "Unvalidated",
    "load_class",
    "read_value",
]


class GeneratedModel(BaseModel):
    """Base of every generated model. `from_dict` reads the API's keys, the attributes, or any
    key Speakeasy's naming turns into the attribute (`fileID` for `file_id`); `to_dict` writes
    each value under the key it came with (built in Python: the API's keys). `model_validate`
    and the constructor take the API's keys and the attributes. Keys that feed no field are the
    object's `model_extra`, checked by `reading.check_extra_key` as the package's settings say.
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
        protected_namespaces=(),
        use_attribute_docstrings=True,
    )
    __pydantic_extra__: dict[Annotated[str, AfterValidator(check_extra_key)], Any]
    extra_allowed: ClassVar[bool] = False  # the docs allow additional properties: keep them

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        instance: Self = read(cls, data)
        return instance

    @classmethod
    def from_json(cls, text: str | bytes | bytearray | memoryview) -> Self:
        data = bytes(text) if isinstance(text, memoryview) else text  # pydantic reads no view
        instance: Self = read(cls, data, json_text=True)
        return instance

    def to_dict(self, *, exclude_unset: bool = True) -> dict[str, Any]:
        """The JSON-compatible payload; by default only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=exclude_unset)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_unset=True)

    # No return annotation: pydantic would take it for the schema of what is written, and
    # `model_json_schema(mode="serialization")` would lose every property.
    @model_serializer(mode="wrap")
    def _write_keys_read(  # type: ignore[no-untyped-def]
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ):
        data = handler(self)
        read_as = keys_read(self)
        if read_as and info.by_alias is not False and isinstance(data, dict):
            return {read_as.get(key, key): value for key, value in data.items()}
        return data

    def __eq__(self, other: object) -> bool:
        # Like the fields a payload set, the spelling of its keys is how an object came, not
        # what it holds: it equals the same values read under other keys, or built in Python.
        if isinstance(other, BaseModel) and (keys_read(self) or keys_read(other)):
            return forget_keys(self) == forget_keys(other)
        return super().__eq__(other)


class GeneratedError(ApiError):
    """Base of the generated error classes: as a field's type (an API that sends an error's
    body inside another object), an error reads its body and writes it back."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        body = handler.generate_schema(cls.data_model)
        return core_schema.no_info_after_validator_function(
            cls,
            body,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda error: error.data, return_schema=body
            ),
        )


_Event = TypeVar("_Event")


class _Opaque:
    """A transport or file object: carried as is, never validated or serialised."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        unwritten = core_schema.plain_serializer_function_ser_schema(lambda _: None)
        return core_schema.any_schema(serialization=unwritten)


Unvalidated = _Opaque()  # `Annotated[IO[bytes], Unvalidated]`: a file, carried as is


class Response(_Opaque):
    """The HTTP response of the transport (requests or httpx), typed without importing either."""


class Request(_Opaque):
    """The HTTP request of the transport."""


class EventStream(_Opaque, Generic[_Event]):
    """A server-sent event stream of the transport."""


class EventStreamAsync(_Opaque, Generic[_Event]):
    """An asynchronous server-sent event stream of the transport."""
