"""The models of a dataclasses package: reading and writing payloads with the standard
library only, as pydantic would."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import importlib
import json
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

from .errors import ApiError, OpenIntEnum, OpenStrEnum, json_value, load_class, within_depth
from .keys import KeyRouter
from .scalars import is_scalar, json_key, json_scalar, shown, to_scalar
from .settings import UNKNOWN_KEYS

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
    "ValidationError",
    "load_class",
    "read_value",
]

_MISSING = object()
_ROUTERS: dict[type, KeyRouter] = {}


class ValidationError(ValueError):
    """A value does not fit the generated type; `path` says where in the payload."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<root>'}: {message}")
        self.path = path


class _Unvalidated:
    """`Annotated[T, Unvalidated]`: a file or transport object, carried as is, never serialised."""


Unvalidated = _Unvalidated()


_Event = TypeVar("_Event")


class _Opaque:
    """A transport object: carried as is, never validated or serialised."""


class Response(_Opaque):
    """The HTTP response of the transport (requests or httpx), typed without importing either."""


class Request(_Opaque):
    """The HTTP request of the transport."""


class EventStream(_Opaque, Generic[_Event]):
    """A server-sent event stream of the transport."""


class EventStreamAsync(_Opaque, Generic[_Event]):
    """An asynchronous server-sent event stream of the transport."""


@dataclasses.dataclass(kw_only=True)
class GeneratedModel:
    """Base of every generated dataclass: `from_dict` reads a payload, `to_dict` writes one.

    A payload's keys may be the API's JSON keys, the attributes, or any key that Speakeasy's
    naming turns into an attribute (`fileID`, `FileId`, `file-id` for `file_id`). An instance
    read from a payload writes every value back under the key it was read from; one built in
    Python writes the API's keys. Keys that feed no field are kept, ignored or refused, as
    `UNKNOWN_KEYS` says (always kept where the doc allows additional properties).
    """

    extra_allowed: ClassVar[bool] = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        value = read_value(cls, data)
        assert isinstance(value, cls)
        return value

    @classmethod
    def from_json(cls, text: str | bytes | bytearray | memoryview) -> Self:
        return cls.from_dict(json_value(bytes(text) if isinstance(text, memoryview) else text))

    def __setattr__(self, name: str, value: Any) -> None:
        # As pydantic's: a field assigned after reading is set, so `to_dict` writes it.
        given = self.__dict__.get("_fields_set")
        if given is not None and name not in given:
            object.__setattr__(self, "_fields_set", given | {name})
        object.__setattr__(self, name, value)

    def to_dict(self, *, exclude_unset: bool = True) -> dict[str, Any]:
        """The payload, each value under the key it was read from (else its wire key), and the
        unknown keys it kept; by default only the fields that were set (read, or assigned)."""
        out: dict[str, Any] = {}
        given = getattr(self, "_fields_set", None)
        read_as = getattr(self, "_read_as", {})
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if exclude_unset and not _is_set(field, value, given):
                continue
            if (
                isinstance(value, _Opaque)
                or field.metadata.get("unvalidated")
                or field.metadata.get("exclude")
            ):
                continue
            key = field.metadata.get("alias", field.name)
            out[read_as.get(key, key)] = _encode(value)
        out.update({key: _encode(item) for key, item in getattr(self, "_extra", {}).items()})
        return out

    def to_json(self) -> str:
        """Compact UTF-8 JSON, as pydantic's `model_dump_json` writes it."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        text.encode()  # as pydantic's: a lone surrogate has no UTF-8, a UnicodeEncodeError
        return text

    def __eq__(self, other: object) -> bool:
        # As pydantic's: the values and the unknown keys kept, not how the keys were spelled
        # nor which fields were set. Generated classes are dataclasses with `eq=False`.
        if type(other) is not type(self):
            return NotImplemented
        fields = [field.name for field in dataclasses.fields(self)]
        return [getattr(self, name) for name in fields] == [
            getattr(other, name) for name in fields
        ] and getattr(self, "_extra", {}) == getattr(other, "_extra", {})


def _is_set(field: dataclasses.Field[Any], value: Any, given: frozenset[str] | None) -> bool:
    if given is not None:
        return field.name in given
    return field.default is dataclasses.MISSING or value != field.default


def _hints(cls: type) -> dict[str, Any]:
    cached = cls.__dict__.get("_hints")
    if cached is None:
        cached = typing.get_type_hints(cls, include_extras=True)
        type.__setattr__(cls, "_hints", cached)
    return typing.cast(dict[str, Any], cached)


def _router(cls: type[GeneratedModel]) -> KeyRouter:
    router = _ROUTERS.get(cls)
    if router is None:
        router = KeyRouter(
            (field.name, field.metadata.get("alias", field.name))
            for field in dataclasses.fields(cls)
        )
        _ROUTERS[cls] = router
    return router


def _decode_model(
    cls: type[GeneratedModel], data: Any, path: str, strict: bool = False
) -> GeneratedModel:
    if not isinstance(data, Mapping):
        raise ValidationError(
            path, f"expected an object for {cls.__name__}, got {type(data).__name__}"
        )
    router = _ROUTERS.get(cls) or _router(cls)
    read_as: dict[str, str] = {}
    unknown: dict[str, Any] = {}
    if not data.keys() <= router.wires:
        data, read_as, unknown = router.route(data)
        _check_keys(unknown, path)
    if unknown and UNKNOWN_KEYS == "forbid" and not cls.extra_allowed:
        key = sorted(unknown)[0]
        raise ValidationError(
            f"{path}.{key}".lstrip("."), "unknown key (extra inputs are not permitted)"
        )
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        alias = field.metadata.get("alias", field.name)
        raw = data.get(alias, _MISSING)
        if raw is _MISSING:
            if (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            ):
                raise ValidationError(f"{path}.{alias}".lstrip("."), "field required")
            continue
        values[field.name] = _decode(hints[field.name], raw, f"{path}.{alias}".lstrip("."), strict)
    instance = cls(**values)
    object.__setattr__(instance, "_fields_set", frozenset(values))
    if read_as:
        object.__setattr__(instance, "_read_as", read_as)
    if unknown and (cls.extra_allowed or UNKNOWN_KEYS == "keep"):
        object.__setattr__(instance, "_extra", unknown)
    return instance


def _check_keys(data: Mapping[Any, Any], path: str, decoded: bool = False) -> None:
    """JSON objects have string keys: another key (a Python mapping's) is invalid, as pydantic
    says, never written as some string by `to_json`; a map's keys may be UTF-8 bytes too, as
    pydantic's `str` reads them (`decoded`: checked, for `_dict_key`)."""
    for key in data:
        if not isinstance(key, str) and not (decoded and isinstance(_dict_key(key), str)):
            raise ValidationError(f"{path}.{shown(key)}".lstrip("."), "keys should be strings")
        if not decoded and not key.isascii() and not _is_unicode(key):
            raise ValidationError(
                f"{path}.{shown(key)}".lstrip("."), "a key should be Unicode text"
            )


def _is_unicode(text: str) -> bool:
    """Not holding a lone surrogate (which `json.loads` gives, and pydantic refuses in keys)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _dict_key(key: Any) -> Any:
    try:
        return bytes(key).decode("utf-8") if isinstance(key, bytes | bytearray) else key
    except UnicodeDecodeError:
        return key


def read_value(annotation: Any, data: Any) -> Any:
    """A JSON value as `annotation` (a union, a list, an enum or a plain type). Reading takes
    Python frames at each level: a value nested deeper than `MAX_DEPTH` is invalid."""
    try:
        within_depth(data)
    except ValueError as deep:
        raise ValidationError("", str(deep)) from None
    return _decode(annotation, data, "")


def _decode(tp: Any, value: Any, path: str, strict: bool = False) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any:
        return value
    if origin is typing.Annotated:
        if any(isinstance(a, _Unvalidated) for a in args[1:]):
            return value
        return _decode(args[0], value, path, strict)
    if isinstance(tp, typing.ForwardRef):
        # Union aliases name their classes as ForwardRef("Name", module=<alias module>).
        module = importlib.import_module(tp.__forward_module__ or __name__)
        return _decode(getattr(module, tp.__forward_arg__), value, path, strict)
    if tp is None or tp is type(None):
        if value is None:
            return None
        raise ValidationError(path, "expected null")
    if origin in (typing.Union, types.UnionType):
        return _decode_union(args, value, path, strict)
    if origin is typing.Literal:
        for arg in args:
            # As pydantic: 1.0 and True are the literal 1, "1" is not.
            if _same_number(value, arg) or (type(value) is type(arg) and value == arg):
                return arg
        raise ValidationError(path, f"expected one of {list(args)!r}")
    if origin in (list, typing.List):  # noqa: UP006
        # As pydantic's lax mode: any iterable but text, bytes and mappings.
        if not isinstance(value, list) and (
            strict
            or not isinstance(value, Iterable)
            or isinstance(value, str | bytes | bytearray | Mapping)
        ):
            raise ValidationError(path, "expected a list")
        return [_decode(args[0], item, f"{path}[{i}]", strict) for i, item in enumerate(value)]
    if origin in (dict, typing.Dict):  # noqa: UP006
        if not isinstance(value, Mapping):
            raise ValidationError(path, "expected an object")
        _check_keys(value, path, decoded=True)
        return {_dict_key(k): _decode(args[1], v, f"{path}.{k}", strict) for k, v in value.items()}
    if isinstance(tp, type):
        return _decode_class(tp, value, path, strict)
    if isinstance(origin, type) and issubclass(origin, _Opaque):
        return value
    raise ValidationError(path, f"unsupported type {tp!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal)


def _same_number(value: Any, other: Any) -> bool:
    if not (_is_number(value) and _is_number(other)):
        return False
    try:
        return bool(value == other)
    except ArithmeticError:  # a signalling NaN compares with nothing
        return False


# How closely a value fits a variant of a union, as pydantic ranks it.
_LAX, _STRICT, _EXACT = range(3)


def _decode_union(args: tuple[Any, ...], value: Any, path: str, strict: bool) -> Any:
    """pydantic's smart union: of the variants the value fits, the model with the most fields
    set, else the variant it fits most exactly (its own type, then without lax coercion),
    else the first."""
    if value is None and type(None) in args:
        return None
    variants = [arg for arg in args if arg is not type(None)]
    if len(variants) == 1:
        return _decode(variants[0], value, path, strict)
    errors: list[str] = []
    best: tuple[int | None, int, Any] | None = None
    for arg in variants:
        try:
            result = _decode(arg, value, path, strict)
        except ValidationError as exc:
            errors.append(str(exc))
            continue
        exactness = _STRICT if strict else _exactness(arg, value, path)
        fields = (
            len(getattr(result, "_fields_set", ())) if isinstance(result, GeneratedModel) else None
        )
        if exactness == _EXACT and fields is None:
            return result
        if best is None or _fits_better(fields, exactness, best[0], best[1]):
            best = (fields, exactness, result)
    if best is not None:
        return best[2]
    raise ValidationError(path, "matches no variant: " + "; ".join(dict.fromkeys(errors)))


def _exactness(tp: Any, value: Any, path: str) -> int:
    try:
        _decode(tp, value, path, True)
    except ValidationError:
        return _LAX
    plain = typing.get_origin(tp) or tp
    return _EXACT if isinstance(plain, type) and type(value) is plain else _STRICT


def _fits_better(
    fields: int | None, exactness: int, best_fields: int | None, best_exactness: int
) -> bool:
    if fields is not None and best_fields is not None and fields != best_fields:
        return fields > best_fields
    return exactness > best_exactness


def _decode_class(tp: type, value: Any, path: str, strict: bool) -> Any:
    if (
        isinstance(value, tp)
        and not (tp is int and isinstance(value, bool))
        and (tp is not datetime.date or not isinstance(value, datetime.datetime))
        and tp is not decimal.Decimal  # a field of decimals takes finite ones only
    ):
        return value
    if issubclass(tp, GeneratedModel):
        return _decode_model(tp, value, path, strict)
    if issubclass(tp, ApiError):  # an error as a field's type: its body, read into the error
        body = typing.cast(type[GeneratedModel], tp.data_model)
        return tp(_decode_model(body, value, path, strict))
    if issubclass(tp, _Opaque):
        return value
    if is_scalar(tp):
        try:
            return to_scalar(tp, value, strict)
        # Rejected, an enum's own refusal, or a decimal's (a signalling NaN compared)
        except (ValueError, ArithmeticError) as exc:
            raise ValidationError(path, f"{shown(value)} is not a {tp.__name__}: {exc}") from None
    raise ValidationError(path, f"expected {tp.__name__}, got {type(value).__name__}")


def _encode(value: Any) -> Any:
    if isinstance(value, GeneratedModel):
        return value.to_dict()
    if isinstance(value, ApiError):
        return value.data.to_dict()
    if isinstance(value, list | tuple | set | frozenset | Iterator):  # a generator too
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {json_key(key): _encode(item) for key, item in value.items()}
    return json_scalar(value)


class GeneratedError(ApiError):
    """Base of the generated error classes."""
