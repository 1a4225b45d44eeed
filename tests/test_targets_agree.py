"""Both targets read the same lax inputs into the same JSON, and reject the same ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.target import Target
from generator.pipeline import generate
from tests.conftest import fields_doc, run_python, write_docs

ROWS = [
    ("text", "*Optional[str]*"),
    ("count", "*Optional[int]*"),
    ("ratio", "*Optional[float]*"),
    ("flag", "*Optional[bool]*"),
    ("day", "*Optional[date]*"),
    ("moment", "*Optional[datetime]*"),
    ("amount", "*Optional[Decimal]*"),
    ("level", "[Optional[shared.Level]](../../models/shared/level.md)"),
    ("colour", "[Optional[shared.Colour]](../../models/shared/colour.md)"),
    ("counts", "List[*int*]"),
    ("by_name", "Dict[str, *int*]"),
    ("kind", '*Optional[Literal["a"]]*'),
    ("version", "*Optional[Literal[1]]*"),
    ("anything", "*Optional[Any]*"),
    ("number_or_text", "*Optional[Union[int, str]]*"),
    ("text_or_number", "*Optional[Union[str, int]]*"),
    ("point", "[Optional[shared.Point]](../../models/shared/point.md)"),
    ("pet", "[Optional[shared.Pet]](../../models/shared/pet.md)"),
    ("float_or_int", "*Optional[Union[float, int]]*"),
]
DOCS = {
    "models/shared/lax.md": fields_doc("Lax", [(name, cell, False, "") for name, cell in ROWS]),
    "models/shared/level.md": "# Level\n\n## Values\n\n| Name | Value |\n| --- | --- |\n"
    "| `ONE` | 1 |\n| `TWO` | 2 |\n",
    "models/shared/colour.md": "# Colour\n\n## Values\n\n| Name | Value |\n| --- | --- |\n"
    "| `RED` | red |\n",
    "models/shared/point.md": "# Point\n\n## Supported Types\n\n### `shared.Flat`\n\n"
    "```python\nvalue: shared.Flat = /* values here */\n```\n\n### `shared.Spatial`\n\n"
    "```python\nvalue: shared.Spatial = /* values here */\n```\n",
    "models/shared/flat.md": fields_doc("Flat", [("x", "*int*", True, "")]),
    "models/shared/pet.md": "# Pet\n\n## Supported Types\n\n### `shared.Dog`\n\n"
    "```python\nvalue: shared.Dog = /* values here */\n```\n\n### `shared.Cat`\n\n"
    "```python\nvalue: shared.Cat = /* values here */\n```\n",
    "models/shared/dog.md": fields_doc(
        "Dog", [("name", "*Optional[str]*", False, ""), ("barks", "*Optional[bool]*", False, "")]
    ),
    "models/shared/cat.md": fields_doc(
        "Cat",
        [
            ("kind", "[shared.Colour](../../models/shared/colour.md)", True, ""),
            ("born", "*date*", True, ""),
            ("name", "*str*", True, ""),
        ],
    ),
    "models/shared/spatial.md": fields_doc(
        "Spatial", [("x", "*int*", True, ""), ("z", "*Optional[int]*", False, "")]
    ),
}
INPUTS: list[object] = [
    *["12", " 12 ", "12.0", "1.5", "1e3", "abc", "", 12, 12.0, 12.5, 0, 1, 2, True, False, -1],
    *["true", "yes", "off", "1", "0", "red", "RED", "a", None, [], {}, [1, "2"], {"k": "1"}],
    *["2020-01-01", "2020-01-01T00:00:00", "2020-01-01T10:20:30Z", "2020-01-01T10:20:30+02:00"],
    *["2020-01-01T00:00:00+00:60", "2020-01-01T00:00:00+0099", "2020-01-01T10:20:30+23:59"],
    *[1600000000, "1600000000", 1600000000000, 86400, float("inf"), {"x": "1"}, {"x": 1, "z": 2}],
    *[{"kind": "red", "born": "2020-01-01", "name": "Tom"}, {"name": "Rex", "barks": "yes"}],
    *[10**400, -(10**400)],  # beyond a float's range
]
PROBE = """
import json
from lax.shared import Lax
out = {}
for name in NAMES:
    for value in json.loads(INPUTS):
        try:
            result = json.dumps(Lax.from_dict({name: value}).to_dict(), sort_keys=True)
        except Exception as exc:  # both targets raise a ValueError subclass
            result = "rejected" if isinstance(exc, ValueError) else repr(exc)
        out[f"{name} {value!r}"] = result
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[Target, Path]:
    """The package `lax` of DOCS, generated for each target."""
    root = tmp_path_factory.mktemp("targets")
    specs = write_docs(root, DOCS)
    built = {}
    for target in Target:
        built[target] = root / target.value
        generate(
            Config(specs=specs, output=built[target], package="lax", target=target, cache=False)
        )
    return built


def outcomes(output: Path) -> dict[str, str]:
    code = PROBE.replace("NAMES", repr([name for name, _ in ROWS])).replace(
        "INPUTS", repr(json.dumps(INPUTS))
    )
    return dict(json.loads(run_python(code, output).stdout))


def test_both_targets_read_and_write_lax_inputs_alike(packages: dict[Target, Path]) -> None:
    pydantic = outcomes(packages[Target.PYDANTIC])
    dataclasses = outcomes(packages[Target.DATACLASSES])
    assert len(pydantic) == len(ROWS) * len(INPUTS)
    differ = {case: (pydantic[case], dataclasses[case]) for case in pydantic}
    assert {case: pair for case, pair in differ.items() if pair[0] != pair[1]} == {}
    # The lax reading is real: a numeric string is an int, "yes" a bool, "1" an int enum.
    assert pydantic["count '12'"] == '{"count": 12}'
    assert pydantic["flag 'yes'"] == '{"flag": true}'
    assert pydantic["level '1'"] == '{"level": 1}'
    assert pydantic["text_or_number '12'"] == '{"text_or_number": "12"}'
    assert pydantic["point {'x': 1, 'z': 2}"] == '{"point": {"x": 1, "z": 2}}'
    # A union takes the model with more fields set, though it fits only leniently.
    cat = "pet {'kind': 'red', 'born': '2020-01-01', 'name': 'Tom'}"
    assert pydantic[cat] == '{"pet": {"born": "2020-01-01", "kind": "red", "name": "Tom"}}'
    assert pydantic["float_or_int 1"] == '{"float_or_int": 1}'


# A value not in the one form its type writes comes back normalised (README, "Real payloads");
# one in that form comes back as it came.
ROUND_TRIPS: list[tuple[str, object, object]] = [
    ("moment", "2022-08-07T14:01:29.196Z", "2022-08-07T14:01:29.196000Z"),
    ("moment", "2022-08-07T14:01:29.000Z", "2022-08-07T14:01:29Z"),
    ("moment", "2022-08-07T14:01:29.1234567Z", "2022-08-07T14:01:29.123456Z"),
    ("moment", "2022-08-07T14:01:29+00:00", "2022-08-07T14:01:29Z"),
    ("moment", "2022-08-07T14:01:29-00:00", "2022-08-07T14:01:29Z"),
    ("moment", "2022-08-07t14:01:29z", "2022-08-07T14:01:29Z"),
    ("moment", "2022-08-07 14:01+0100", "2022-08-07T14:01:00+01:00"),
    ("moment", "2022-08-07", "2022-08-07T00:00:00"),
    ("moment", 1659880889, "2022-08-07T14:01:29Z"),
    ("moment", "2022-08-07T14:01:29.196000Z", "2022-08-07T14:01:29.196000Z"),
    ("moment", "2022-08-07T14:01:29+01:00", "2022-08-07T14:01:29+01:00"),
    ("moment", "2022-08-07T14:01:29,5Z", "2022-08-07T14:01:29.500000Z"),
    ("moment", "2022-08-07T14:01:29", "2022-08-07T14:01:29"),
    ("day", "2022-08-07T00:00:00Z", "2022-08-07"),
    ("day", "2022-08-07", "2022-08-07"),
    ("ratio", 85000, 85000.0),
    ("ratio", "1.5", 1.5),
    ("ratio", 0.1, 0.1),
    ("amount", 1.5, "1.5"),
    ("amount", "1e3", "1E+3"),
    ("amount", "1.50", "1.50"),
    ("count", "12", 12),
    ("count", 12.0, 12),
    ("flag", "yes", True),
    ("level", "1", 1),
    ("colour", "red", "red"),  # the value, not the enum's member
]


# Python values that no JSON text gives: `from_dict` of a mapping built in Python.
PYTHON_VALUES = """[
    bytearray(b"12"), bytearray(b"red"), memoryview(b"12"), b"12", b"red", b"1", b"yes",
    decimal.Decimal("1"), decimal.Decimal("0"), decimal.Decimal("1.5"), decimal.Decimal("2"),
    (1, 2), {1}, frozenset({1}), (x for x in [1]), iter([1]), range(2), {"k": 1}.keys(),
    datetime.date(2020, 1, 1), datetime.datetime(2020, 1, 1, 10), datetime.time(10),
    uuid.UUID(int=1), 1 + 2j, object(), Colour("red"), Level(1), Level(2), b"\\xff",
    decimal.Decimal("NaN"), decimal.Decimal("-Infinity"), decimal.Decimal("sNaN"),
    decimal.Decimal("1e4299"), {b"k": 1}, {1: 2, 1.5: 3, True: 4, None: 5},
]"""


def test_both_targets_read_python_values_alike(packages: dict[Target, Path]) -> None:
    """What pydantic's lax mode makes of Python objects (bytes, decimals, tuples, sets,
    iterators, enum members): the same on both targets, or refused by both."""
    found = {}
    for target, output in packages.items():
        probe = """
            import datetime, decimal, json, uuid
            from lax.shared import Colour, Lax, Level
            out = {}
            for name in NAMES:
                for index in range(len(VALUES)):
                    value = VALUES[index]  # made anew: an iterator is used up once read
                    try:
                        result = json.dumps(Lax.from_dict({name: value}).to_dict())
                    except ValueError:
                        result = "rejected"
                    except Exception as exc:
                        result = repr(exc)
                    shown = "object" if type(value) is object else repr(value)
                    out[f"{name} {shown}"[:50].split(" at 0x")[0]] = result
            print(json.dumps(out))
            """.replace("NAMES", repr([name for name, _ in ROWS])).replace(
            "VALUES", " ".join(PYTHON_VALUES.split())
        )
        found[target] = json.loads(run_python(probe, output).stdout)
    differ = {
        case: (found[Target.PYDANTIC][case], found[Target.DATACLASSES][case])
        for case in found[Target.PYDANTIC]
    }
    # Kept as it came, an `Any` value that JSON has no form for (a complex number) is written
    # by pydantic in a form of its own; the dataclasses target refuses it (README). pydantic
    # compares a signalling NaN with an integer enum's values, which raises (README).
    assert {
        case: pair
        for case, pair in differ.items()
        if pair[0] != pair[1]
        and not (case.startswith("anything (") and pair[1] == "rejected")
        and case != "level Decimal('sNaN')"
    } == {}
    assert {"rejected", '{"counts": [1]}', '{"flag": true}'} <= set(
        found[Target.DATACLASSES].values()
    )


def test_a_decimal_of_more_digits_than_an_integer_text_holds_is_no_integer(
    packages: dict[Target, Path],
) -> None:
    """An exponent makes a short decimal a long integer (`json.loads(text,
    parse_float=Decimal)` gives `1e999999999999999` from 19 bytes): the dataclasses target
    refuses what Python would not read as integer text, at once. pydantic computes it."""
    probe = """
        import decimal
        from lax.shared import Lax
        for name in ("count", "level", "number_or_text", "version"):
            for exponent in (4300, 10**6, 10**15):
                try:
                    Lax.from_dict({name: decimal.Decimal(f"1e{exponent}")})
                except ValueError:
                    continue
                raise AssertionError((name, exponent))
        assert Lax.from_dict({"count": decimal.Decimal("1e4299")}).count == 10**4299
        """
    run_python(probe, packages[Target.DATACLASSES])


def test_a_value_python_cannot_show_is_refused_as_any_other(packages: dict[Target, Path]) -> None:
    """The dataclasses target's messages quote the value refused: an integer too long for
    Python to write as text, or a key nested too deep to write, is refused with its
    `ValidationError`, never the error of quoting it."""
    probe = """
        import sys
        from lax._runtime import ValidationError
        from lax.shared import Lax
        sys.set_int_max_str_digits(0)
        long_int = 10**5000
        sys.set_int_max_str_digits(4300)
        deep_key = ()
        for _ in range(100_000):
            deep_key = (deep_key,)
        for name, value in [
            *((name, long_int) for name in ("ratio", "text", "flag", "level", "moment", "day")),
            ("kind", long_int), ("number_or_text", [long_int]), ("by_name", {deep_key: 1}),
        ]:
            try:
                Lax.from_dict({name: value})
            except ValidationError as refused:
                assert len(str(refused)) < 500, (name, len(str(refused)))
                continue
            raise AssertionError(name)
        """
    run_python(probe, packages[Target.DATACLASSES])


def test_a_utc_offset_with_seconds_is_never_written_as_text_that_does_not_read_back(
    packages: dict[Target, Path],
) -> None:
    """A time zone's local mean time has offsets of seconds (`+00:19:32`), which no JSON
    text that pydantic reads holds: the dataclasses target refuses to write one (pydantic
    writes it without its seconds, README)."""
    probe = """
        import datetime
        from lax.shared import Lax
        zone = datetime.timezone(datetime.timedelta(minutes=19, seconds=32))
        read = Lax.from_dict({"moment": datetime.datetime(1900, 1, 1, tzinfo=zone)})
        for write in (read.to_dict, read.to_json):
            try:
                write()
            except ValueError:
                continue
            raise AssertionError(write)
        whole = datetime.timezone(datetime.timedelta(minutes=30))
        moment = datetime.datetime(1900, 1, 1, tzinfo=whole)
        assert Lax.from_json(Lax.from_dict({"moment": moment}).to_json()).moment == moment
        """
    run_python(probe, packages[Target.DATACLASSES])


def test_both_targets_refuse_text_that_is_not_unicode_from_python_alike(
    packages: dict[Target, Path],
) -> None:
    """`json.loads` gives lone surrogates (`"\\ud800"`): an unknown key holding one is invalid,
    a field's value is read but cannot be written as JSON text (UTF-8), on both targets."""
    found = {}
    for target, output in packages.items():
        probe = """
            import json
            from lax.shared import Lax
            out = []
            for text in ['{"text": "\\\\ud800"}', '{"\\\\ud800": 1}']:
                try:
                    read = Lax.from_dict(json.loads(text))
                except ValueError:
                    out.append("not read")
                    continue
                try:
                    out.append(read.to_json())
                except ValueError:
                    out.append("not written")
            print(out)
            """
        found[target] = run_python(probe, output).stdout
    assert found[Target.PYDANTIC] == found[Target.DATACLASSES], found
    assert "'not written', 'not read'" in found[Target.PYDANTIC], found


def test_to_dict_writes_each_value_in_the_one_form_of_its_type(
    packages: dict[Target, Path],
) -> None:
    for target, output in packages.items():
        probe = f"""
            import json
            from lax.shared import Lax
            for name, sent, written in {ROUND_TRIPS!r}:
                value = Lax.from_dict({{name: sent}})
                for back in (value.to_dict()[name], json.loads(value.to_json())[name]):
                    assert json.dumps(back) == json.dumps(written), ({target.value!r}, sent, back)
                    assert type(back) is type(written), ({target.value!r}, sent, type(back))
            """
        run_python(probe, output)


def test_both_targets_refuse_keys_that_are_not_strings(packages: dict[Target, Path]) -> None:
    """A Python mapping may have keys no JSON object has: invalid on both targets, never
    written as some string by `to_json`, or failing there."""
    for output in packages.values():
        probe = """
            from lax.shared import Lax
            for payload in ({1: 2}, {(1,): 2}, {b"text": 1}, {"by_name": {1: 1}}):
                try:
                    Lax.from_dict(payload)
                except ValueError:
                    continue
                raise AssertionError(payload)
            # a map's UTF-8 bytes keys are strings, as pydantic's str reads them
            assert Lax.from_dict({"by_name": {b"k": 1}}).to_dict() == {"by_name": {"k": 1}}
            """
        run_python(probe, output)


def test_both_targets_write_unknown_keys_and_any_values_as_json(
    packages: dict[Target, Path],
) -> None:
    """What `from_dict` keeps as it came (an unknown key's value, an `Any` field's) is written
    in JSON's form: an infinity as null, a datetime as text, as pydantic's JSON mode does."""
    written = {}
    for target, output in packages.items():
        probe = """
            import datetime, decimal, enum, json, uuid
            from lax.shared import Lax
            class Size(enum.Enum):
                BIG = "big"
            values = {
                "inf": float("inf"), "nan": float("nan"), "when": datetime.date(2020, 1, 2),
                "amount": decimal.Decimal("1.50"), "id": uuid.UUID(int=1), "size": Size.BIG,
                "tags": {1}, "deep": [{"at": datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC)}],
            }
            read = Lax.from_dict({**values, "anything": dict(values)})
            assert json.loads(read.to_json()) == read.to_dict(), read.to_dict()
            print(json.dumps(read.to_dict(), sort_keys=True))
            """
        written[target] = run_python(probe, output).stdout
    assert written[Target.PYDANTIC] == written[Target.DATACLASSES], written
    assert '"inf": null' in written[Target.PYDANTIC], written


def test_both_targets_compare_and_write_objects_alike(packages: dict[Target, Path]) -> None:
    """Objects are equal when their values and their unknown keys are, however their keys
    were spelled and whichever fields were set; `to_json` writes compact UTF-8 JSON, the same
    text on both (but for floats below 1e-4, whose form may differ: the same number)."""
    found = {}
    for target, output in packages.items():
        probe = """
            import json
            from lax.shared import Lax
            pairs = [
                ({"count": 1, "x": 1}, {"count": 1, "x": 2}), ({"count": 1, "x": 1}, {"count": 1}),
                ({"count": 1, "x": 1}, {"x": 1, "count": 1}), ({"count": 1}, {"Count": 1}),
                ({"text": None}, {}), ({"count": 1}, {"count": 2}), ({"day": "2020-01-01"},
                {"day": "2020-01-01T00:00:00"}), ({"pet": {"name": "a", "q": 1}}, {"pet":
                {"name": "a", "q": 2}}),
            ]
            equal = [Lax.from_dict(a) == Lax.from_dict(b) for a, b in pairs]
            texts = [Lax.from_dict(p).to_json() for p in (
                {"pet": {"Name": "a", "name": "b", "zz": 1}},  # routed: a union holds it
                {"text": "é\\u2028\\x7f\\x00\\\\"}, {"ratio": 1e16}, {"ratio": 0.1},
                {"by_name": {"a": 1, "b": 2}}, {"x": [1, {"y": None}], "anything": "😀"},
            )]
            tiny = [json.loads(Lax.from_dict({"ratio": r}).to_json()) for r in (1e-5, 2.5e-7)]
            print(json.dumps([equal, texts, tiny]))
            """
        found[target] = run_python(probe, output).stdout
    assert found[Target.PYDANTIC] == found[Target.DATACLASSES], found
    equal, texts, _ = json.loads(found[Target.PYDANTIC])
    assert equal == [False, False, True, True, True, False, True, False], equal
    assert texts[4] == '{"by_name":{"a":1,"b":2}}' and "é" in texts[1], texts
    assert texts[0] == '{"pet":{"name":"b","Name":"a","zz":1}}', texts  # unknown keys in order


def test_both_targets_read_json_text_alike(packages: dict[Target, Path]) -> None:
    """JSON text is UTF-8 (RFC 8259): a byte order mark, UTF-16, or a string that is not
    Unicode (a lone surrogate, escaped or not, in a key or a value) is refused by both, as
    pydantic refuses it; an escaped backslash before `ud800`, or a surrogate pair, is text.
    An integer longer than Python writes as text (4 300 digits) is refused too."""
    outcomes = {}
    for target, output in packages.items():
        probe = """
            from lax.shared import Lax
            found = []
            for text in (b'\\xef\\xbb\\xbf{"count": 1}', '{"count": 1}'.encode("utf-16"),
                         '\\ufeff{"count": 1}', b'{"count": 1}', '{"count": 1}',
                         '{"text": "\\\\ud800"}', '{"text": "a\\\\uDC00"}', b'{"\\\\ud800": 1}',
                         '{"text": "\\ud800"}', '{"text": "\\\\\\\\ud800"}',
                         '{"text": "\\\\ud83d\\\\ude00"}', '{"anything": ["\\\\udbff"]}',
                         '{"anything": %s}' % ("9" * 5000)):
                try:
                    found.append(Lax.from_json(text).to_dict())
                except ValueError:
                    found.append("refused")
            print(found)
            """
        outcomes[target] = run_python(probe, output).stdout
    assert outcomes[Target.PYDANTIC] == outcomes[Target.DATACLASSES], outcomes
    assert outcomes[Target.PYDANTIC].count("refused") == 9, outcomes
