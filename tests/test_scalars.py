"""The dataclasses target's scalars (`generator/runtime/scalars.py`) read and write as pydantic does."""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter

from generator.runtime import scalars

READERS: dict[type, Callable[[Any, bool], Any]] = {
    int: scalars.to_int,
    float: scalars.to_float,
    bool: scalars.to_bool,
    str: scalars.to_str,
    decimal.Decimal: scalars.to_decimal,
    datetime.date: scalars.to_date,
    datetime.datetime: scalars.to_datetime,
}
INPUTS: list[Any] = [
    *["12", " 12 ", "12.0", "12.00", "12.", ".5", "5.", "1.5", "1e3", "abc", "", "00012"],
    *[" +12 ", "1_000", "1__0", "0x10", "\u0661\u0662", "inf", "nan", "-inf", "Infinity"],
    *[12, 12.0, 12.5, 0, 1, 2, -1, 0.0, 1.0, 2.0, True, False, 10**20, 1e300, 2.0**63, -(2.0**62)],
    *[float("inf"), float("nan"), None, [], {}, [1], b"12", b"true", bytearray(b"x")],
    *["true", "True", "TRUE", " true ", "yes", "on", "off", "no", "1", "0", "t", "f", "y", "2"],
    *["2020-01-01", "2020-01-01T00:00:00", "2020-01-01T10:20:30Z", "2020-01-01 10:20:30"],
    *["2020-01-01T10:20:30.123+02:00", "2020-01-01T10:20:30.5", "2020-01-01T10:20"],
    *["2020-01-01t10:20:30z", "2020-01-01T10:20:30.1234567Z", "2020-01-01T10:20:30+0200"],
    *["2020-01-01T10:20:30+02", "2020-01-01T00:00:00+02:00", "2020-1-1", "20200101", "2020-W01-1"],
    *["2020-001", "2020-02-30", "2020-01-01T24:00:00", "-12", "+12", "12.5"],
    *[1600000000, 1600000000.5, "1600000000", 1600000000000, 1599955200, 86400, "86400"],
    *[20000000000, 20000000001, -86400, decimal.Decimal("12"), decimal.Decimal("12.5")],
    *[10**400, -(10**400), 2**1024, decimal.Decimal("1e400"), str(10**400)],
    *["1.0e1", "1.5e-3", "1e1", "+1.0e1", "-1.0e1", ".5e1", "1.e1", "1.0E+1", "1.0e400", "1.0e"],
    *[decimal.Decimal("NaN"), datetime.date(2020, 1, 1), datetime.datetime(2020, 1, 1)],
    *[datetime.datetime(2020, 1, 1, 1), datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)],
]


def outcomes(tp: type, value: Any, strict: bool) -> tuple[object, object]:
    """(pydantic's, ours): the JSON that the value dumps to once read, or "rejected"."""
    adapter = TypeAdapter(tp, config=ConfigDict(strict=strict))
    results: list[object] = []
    for read in (adapter.validate_python, lambda v: READERS[tp](v, strict)):
        try:
            parsed = read(value)
        except (ValueError, TypeError):  # pydantic's ValidationError is a ValueError
            results.append("rejected")
            continue
        results.append(json.dumps(adapter.dump_python(parsed, mode="json")))
    return results[0], results[1]


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("tp", list(READERS), ids=lambda tp: tp.__name__)
def test_scalars_accept_reject_and_dump_as_pydantic_does(tp: type, strict: bool) -> None:
    differ = {repr(v): outcomes(tp, v, strict) for v in INPUTS}
    assert {v: o for v, o in differ.items() if o[0] != o[1]} == {}


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.from_regex(r"\A[ +-]?[0-9]{1,12}(\.[0-9]{0,3})?\Z")
    | st.from_regex(r"\A20[0-9]{2}-[01][0-9]-[0-3][0-9](T[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?)?Z?\Z")
    | st.sampled_from(["yes", "no", "on", "off", "t", "f", "y", "n", "True", "FALSE"])
)


TIMES = (datetime.date, datetime.datetime)


@given(value=JSON_SCALARS)
def test_any_json_scalar_is_read_as_pydantic_reads_it(value: Any) -> None:
    for tp in READERS:
        if tp in TIMES and isinstance(value, float) and value != round(value, 6):
            continue  # a timestamp's fraction of a microsecond may round the other way
        pydantic_reads, ours = outcomes(tp, value, strict=False)
        assert pydantic_reads == ours, (tp, value)


def test_times_and_non_finite_floats_are_written_as_pydantic_writes_them() -> None:
    utc = datetime.datetime(2020, 1, 1, 10, 20, 30, 500000, tzinfo=datetime.UTC)
    assert scalars.time_text(utc) == "2020-01-01T10:20:30.500000Z"
    assert scalars.time_text(datetime.date(2020, 1, 1)) == "2020-01-01"
    assert scalars.json_float(float("inf")) is None and scalars.json_float(1.5) == 1.5


def test_an_integer_of_any_length_is_a_decimal_as_pydantic_reads_it() -> None:
    """Longer than Python writes as text (4 300 digits): read exactly, never a ValueError."""
    for number in (10**5000, -(10**5000) + 1, 12):
        ours = scalars.to_decimal(number)
        assert ours == TypeAdapter(decimal.Decimal).validate_python(number) == number
