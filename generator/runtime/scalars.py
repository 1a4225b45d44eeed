"""Scalar values as pydantic v2 reads and writes them, with the standard library only.

The dataclasses target must accept what pydantic accepts in its default (lax) mode, reject what
it rejects, and dump the same JSON: every package of that target carries a copy of this module
as `_scalars.py`. `strict` is pydantic's strict mode: a union ranks the variants a value fits
in it above those it fits only leniently (so `Union[int, str]` keeps `"12"` a string).
"""

from __future__ import annotations

import datetime
import decimal
import enum
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

# Timestamps above this many seconds are read as milliseconds.
_MILLISECONDS_FROM = 2e10
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?")
# As pydantic reads them: an exponent only after a decimal point (`1.0e1`, not `1e1`).
_TIMESTAMP_TEXT = re.compile(r"[+-]?(?:[0-9]+|(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)")
# pydantic reads a float as an int only below this magnitude.
_INT_FROM_FLOAT_BELOW = 2.0**63
# Python's limit for integer text, which JSON text is held to: a decimal of more digits is no
# integer here (pydantic computes it, however long that takes: `Decimal("1e999999999")`).
_LONGEST_INT_DIGITS = 4300
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?"
)
_FRACTION = re.compile(r"(\.[0-9]{6})[0-9]+")
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class Rejected(ValueError):
    """The value is not one of the type's (the message says what was expected)."""


def shown(value: Any) -> str:
    """`value` as a message quotes it: its repr, cut short; its type where Python cannot write
    it (an integer longer than 4 300 digits, a value nested deeper than the stack)."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def _text(value: Any, arrays: bool = False) -> str | None:
    """A string, or UTF-8 bytes (with `arrays`, a bytearray too: pydantic's `str` reads one,
    its numbers, booleans and times do not)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes) or (arrays and isinstance(value, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def to_int(value: Any, strict: bool = False) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not strict:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float | decimal.Decimal):
            if not (
                value.is_finite() if isinstance(value, decimal.Decimal) else math.isfinite(value)
            ):
                raise Rejected("expected a finite number")
            if isinstance(value, float) and abs(value) >= _INT_FROM_FLOAT_BELOW:
                raise Rejected("expected an integer, got a number too large for one")
            if isinstance(value, decimal.Decimal) and value.adjusted() >= _LONGEST_INT_DIGITS:
                raise Rejected(f"expected an integer of at most {_LONGEST_INT_DIGITS} digits")
            if value == int(value):
                return int(value)
            raise Rejected("expected an integer, got a number with a fractional part")
        text = _text(value)
        if text is not None and _INTEGER_TEXT.fullmatch(text.strip()):
            return int(text.strip().split(".")[0])
    raise Rejected(f"expected an integer, got {type(value).__name__}")


def to_float(value: Any, strict: bool = False) -> float:
    if isinstance(value, float | decimal.Decimal):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _int_as_float(value)
    if not strict:
        if isinstance(value, bool):
            return float(value)
        text = _text(value)
        if text is not None:
            number = text.strip()
            if _NUMBER_TEXT.fullmatch(number) or number.lower().lstrip("+-") in (
                "inf",
                "infinity",
                "nan",
            ):
                try:
                    return float(number)
                except ValueError:
                    pass
    raise Rejected(f"expected a number, got {type(value).__name__}")


def _int_as_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:  # beyond 1.8e308
        raise Rejected("expected a number, got an integer too large for a float") from None


def to_bool(value: Any, strict: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if not strict:
        if isinstance(value, int | float | decimal.Decimal) and value in (0, 1):
            return bool(value)
        text = _text(value)
        if text is not None and text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
    raise Rejected(f"expected a boolean, got {shown(value)}")


def to_str(value: Any, strict: bool = False) -> str:
    if isinstance(value, str):
        return value
    if not strict:
        if isinstance(value, enum.Enum):  # as pydantic: a member's value, as text
            return str(value.value)
        text = _text(value, arrays=True)
        if text is not None:
            return text
    raise Rejected(f"expected a string, got {type(value).__name__}")


def to_decimal(value: Any, strict: bool = False) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        number = value
    elif strict or isinstance(value, bool):
        raise Rejected(f"expected a decimal, got {type(value).__name__}")
    elif isinstance(value, int):
        number = decimal.Decimal(value)  # exactly, however long
    elif isinstance(value, float):
        number = decimal.Decimal(str(value))  # its shortest text: 0.1, not 0.1000000000000000055
    elif isinstance(value, str):
        try:
            number = decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            raise Rejected(f"expected a decimal, got {shown(value)}") from None
    else:
        raise Rejected(f"expected a decimal, got {type(value).__name__}")
    if not number.is_finite():
        raise Rejected("expected a finite number")
    return number


def _timestamp(value: Any) -> datetime.datetime | None:
    """A number, or a numeric string, as a UTC time (seconds, or milliseconds if large)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, decimal.Decimal):
        value = float(value)
    elif isinstance(value, int):
        value = _int_as_float(value)
    elif not isinstance(value, float):
        text = _text(value)
        if text is None or not _TIMESTAMP_TEXT.fullmatch(text):
            return None
        value = float(text)
    if not math.isfinite(value):
        raise Rejected("expected a finite timestamp")
    # As pydantic computes it: whole units, and the fraction rounded to microseconds in
    # floating point (half away from zero), on the magnitude; large values are milliseconds.
    magnitude = abs(value)
    whole = math.floor(magnitude)
    if magnitude > _MILLISECONDS_FROM:
        seconds, milliseconds = divmod(whole, 1000)
        microseconds = milliseconds * 1000 + math.floor((magnitude - whole) * 1000.0 + 0.5)
    else:
        seconds, microseconds = whole, math.floor((magnitude - whole) * 1_000_000.0 + 0.5)
    try:
        offset = datetime.timedelta(seconds=seconds, microseconds=microseconds)
        return _EPOCH - offset if value < 0 else _EPOCH + offset
    except OverflowError:
        raise Rejected("timestamp out of range") from None


def to_datetime(value: Any, strict: bool = False) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if not strict:
        if isinstance(value, datetime.date):
            return datetime.datetime(value.year, value.month, value.day)
        moment = _timestamp(value)
        if moment is not None:
            return moment
        text = _text(value)
        if text is not None and _DATETIME_TEXT.fullmatch(text):
            try:
                iso = _FRACTION.sub(r"\1", text.upper().replace(",", "."))  # ISO 8601 allows ","
                return datetime.datetime.fromisoformat(iso)
            except ValueError:
                pass
    raise Rejected(f"expected a datetime, got {shown(value)}")


def to_date(value: Any, strict: bool = False) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not strict:
        text = _text(value)
        if text is not None and _DATE_TEXT.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise Rejected(f"expected a date, got {shown(text)}") from None
        moment = to_datetime(value)
        # pydantic takes a datetime for a date at midnight only (in any time zone).
        if moment.time() != datetime.time():
            raise Rejected("a datetime given for a date must be at midnight")
        return moment.date()
    raise Rejected(f"expected a date, got {shown(value)}")


_READERS: dict[type, Callable[[Any, bool], Any]] = {
    bool: to_bool,
    int: to_int,
    float: to_float,
    str: to_str,
    datetime.datetime: to_datetime,
    datetime.date: to_date,
    decimal.Decimal: to_decimal,
}


def is_scalar(tp: type) -> bool:
    """Whether `to_scalar` reads values of `tp`."""
    return tp in _READERS or tp is bytes or issubclass(tp, enum.Enum)


def to_scalar(tp: type, value: Any, strict: bool = False) -> Any:
    """`value` as the scalar type `tp`: an enum (a member's value), bytes (or text, as UTF-8),
    or one of `_READERS`'. Rejected, or the enum's ValueError, where it is not one."""
    if issubclass(tp, enum.Enum):
        if strict:
            raise Rejected(f"expected a {tp.__name__} member")
        if issubclass(tp, int):
            return tp(to_int(value))
        # A string enum's value as UTF-8 bytes too, as pydantic reads them.
        text = issubclass(tp, str) and isinstance(value, bytes | bytearray)
        return tp(bytes(value).decode() if text else value)
    if tp is bytes:
        if isinstance(value, str) and not strict:
            return value.encode()
        raise Rejected(f"expected bytes, got {type(value).__name__}")
    return _READERS[tp](value, strict)


def time_text(value: datetime.date | datetime.time) -> str:
    """A date, datetime or time as pydantic writes it in JSON (`Z` for UTC). Rejected for a
    UTC offset with seconds, which pydantic writes without them and reads in no text."""
    offset = value.utcoffset() if isinstance(value, datetime.datetime | datetime.time) else None
    if offset is not None and offset % datetime.timedelta(minutes=1):
        raise Rejected(f"the UTC offset of {value.isoformat()} has seconds: no JSON text holds it")
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def json_float(value: float) -> float | None:
    """pydantic writes infinities and NaN as null in JSON."""
    return value if math.isfinite(value) else None


def json_scalar(value: Any) -> Any:
    """A value that holds no other as pydantic writes it in JSON: an enum member as its value,
    a date or time as `time_text`, a decimal or UUID as text, bytes as their UTF-8 text,
    infinities and NaN as null. Rejected for a value of another type (`complex`, `timedelta`,
    any object), which pydantic may write in forms of its own."""
    if isinstance(value, enum.Enum):  # before str and int: a member may be either
        return json_scalar(value.value)
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        return json_float(value)
    if isinstance(value, datetime.date | datetime.time):
        return time_text(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")  # a UnicodeDecodeError (a ValueError) if not UTF-8
    raise Rejected(f"a {type(value).__name__} has no JSON form")


def json_key(key: Any) -> str:
    """A mapping's key as pydantic writes it in JSON: the text of the key's JSON value."""
    value = json_scalar(key)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
