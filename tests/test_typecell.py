"""Every Type-cell shape of FORMAT-CATALOGUE §3.3 through the parser."""

from __future__ import annotations

import re

import pytest

from generator.model.docs import TypeKind, TypeRef
from generator.parse.typecell import TypeCellError, parse_type_cell

REL = "../../models/shared/m.md"
FLAT = "../models/m.md"
PY_DATE = "https://docs.python.org/3/library/datetime.html#date-objects"
PY_DATETIME = "https://docs.python.org/3/library/datetime.html#datetime-objects"
REQUESTS = "https://requests.readthedocs.io/en/latest/api/#requests.Response"
HTTPX = "https://www.python-httpx.org/api/#response"


def show(node: TypeRef) -> str:
    """A compact rendering of a TypeRef tree that names links and namespaces."""
    if node.kind is TypeKind.PRIMITIVE:
        return node.name + ("@ext" if node.via_link else "")
    if node.kind is TypeKind.REF:
        prefix = f"{node.namespace}." if node.namespace else ""
        return f"{prefix}{node.name}" + (f"@{node.link}" if node.link else "")
    if node.kind is TypeKind.LITERAL:
        return "Literal[" + ", ".join(repr(v) for v in node.literals) + "]"
    if node.kind is TypeKind.EXTERNAL:
        suffix = "[" + ", ".join(show(a) for a in node.args) + "]" if node.args else ""
        return f"ext:{node.name}{suffix}"
    return node.kind.value + "[" + ", ".join(show(a) for a in node.args) + "]"


SHAPES = [
    ("*str*", "str"),
    ("*Optional[str]*", "optional[str]"),
    (f"[models.M]({FLAT})", f"models.M@{FLAT}"),
    (f"[Optional[models.M]]({FLAT})", f"optional[models.M@{FLAT}]"),
    ("*OptionalNullable[str]*", "optional_nullable[str]"),
    ("*int*", "int"),
    (f"[date]({PY_DATE})", "date@ext"),
    ("*Optional[bool]*", "optional[bool]"),
    (f"List[[models.M]({FLAT})]", f"list[models.M@{FLAT}]"),
    ("*Optional[int]*", "optional[int]"),
    ("Dict[str, *Any*]", "dict[str, Any]"),
    (f"[Optional[shared.M]]({REL})", f"optional[shared.M@{REL}]"),
    (f"[OptionalNullable[models.M]]({FLAT})", f"optional_nullable[models.M@{FLAT}]"),
    ("List[*str*]", "list[str]"),
    (f"[requests.Response]({REQUESTS})", "ext:requests.Response"),
    ("*Nullable[str]*", "nullable[str]"),
    ("[errors.M](../../models/errors/m.md)", "errors.M@../../models/errors/m.md"),
    ("*OptionalNullable[float]*", "optional_nullable[float]"),
    (f"List[[shared.M]({REL})]", f"list[shared.M@{REL}]"),
    (f"[shared.M]({REL})", f"shared.M@{REL}"),
    ("*OptionalNullable[bool]*", "optional_nullable[bool]"),
    (f"[Optional[M]]({REL})", f"optional[M@{REL}]"),
    ("*Optional[float]*", "optional[float]"),
    ("*float*", "float"),
    (f"[M]({REL})", f"M@{REL}"),
    ("*bool*", "bool"),
    ('*Literal["chat"]*', "Literal['chat']"),
    ("*OptionalNullable[int]*", "optional_nullable[int]"),
    (f"[datetime]({PY_DATETIME})", "datetime@ext"),
    ("[components.M](../../models/components/m.md)", "components.M@../../models/components/m.md"),
    (f"[Nullable[models.M]]({FLAT})", f"nullable[models.M@{FLAT}]"),
    ("*Optional[Decimal]*", "optional[Decimal]"),
    (
        "[Optional[components.M]](../../models/components/m.md)",
        "optional[components.M@../../models/components/m.md]",
    ),
    ("Dict[str, *str*]", "dict[str, str]"),
    (
        "[Optional[operations.M]](../../models/operations/m.md)",
        "optional[operations.M@../../models/operations/m.md]",
    ),
    (f"[httpx.Response]({HTTPX})", "ext:httpx.Response"),
    ("*Nullable[int]*", "nullable[int]"),
    ("*Decimal*", "Decimal"),
    ("List[*Any*]", "list[Any]"),
    ('*Optional[Literal["auto"]]*', "optional[Literal['auto']]"),
    ("*OptionalNullable[Decimal]*", "optional_nullable[Decimal]"),
    ("*Nullable[float]*", "nullable[float]"),
    ("*Optional[errors.M]*", "optional[errors.M]"),
    (f"List[[Nullable[models.M]]({FLAT})]", f"list[nullable[models.M@{FLAT}]]"),
    (f"List[[M]({REL})]", f"list[M@{REL}]"),
    ("*Any*", "Any"),
    ("*Optional[Any]*", "optional[Any]"),
    (f"[operations.M]({REL})", f"operations.M@{REL}"),
    (f"[Optional[Union[shared.M, str]]]({REL})", f"optional[union[shared.M@{REL}, str]]"),
    (f"list[[M]({REL})]", f"list[M@{REL}]"),
    ("*Nullable[bool]*", "nullable[bool]"),
    ("dict[str, *Any*]", "dict[str, Any]"),
    ("*Nullable[Any]*", "nullable[Any]"),
    ("list[*str*]", "list[str]"),
    ("*Optional[httpx.Response]*", "optional[ext:httpx.Response]"),
    (
        "*Union[bytes, IO[bytes], io.BufferedReader]*",
        "union[bytes, ext:IO[bytes], ext:io.BufferedReader]",
    ),
    ("*OptionalNullable[Literal[None]]*", "optional_nullable[Literal[None]]"),
    (f"Dict[str, [shared.M]({REL})]", f"dict[str, shared.M@{REL}]"),
    ("*OptionalNullable[Any]*", "optional_nullable[Any]"),
    ("*Optional[Literal[True]]*", "optional[Literal[True]]"),
    (
        f"[Optional[Union[shared.A, errors.B, shared.C]]]({REL})",
        f"optional[union[shared.A@{REL}, errors.B@{REL}, shared.C@{REL}]]",
    ),
    ("List[*int*]", "list[int]"),
    ("List[Dict[str, *Any*]]", "list[dict[str, Any]]"),
    ("Dict[str, List[*str*]]", "dict[str, list[str]]"),
    ("*Literal[False]*", "Literal[False]"),
    ("List[List[*str*]]", "list[list[str]]"),
    ("Dict[str, Any]", "dict[str, Any]"),
    ("List[*Nullable[str]*]", "list[nullable[str]]"),
    ("List[*float*]", "list[float]"),
    (f"dict[str, dict[str, [M]({REL})]]", f"dict[str, dict[str, M@{REL}]]"),
    ("Dict[str, Dict[str, *Any*]]", "dict[str, dict[str, Any]]"),
    (f"[Union[shared.A, shared.B]]({REL})", f"union[shared.A@{REL}, shared.B@{REL}]"),
    ("Any", "Any"),
    ("*Literal[1, -2, 3.5]*", "Literal[1, -2, 3.5]"),
    ('*Literal[\'single\', "dou\\"ble"]*', "Literal['single', 'dou\"ble']"),
    (
        "Union[eventstreaming.EventStream[models.A], eventstreaming.EventStreamAsync[models.A]]",
        "union[ext:eventstreaming.EventStream[models.A], ext:eventstreaming.EventStreamAsync[models.A]]",
    ),
    (
        f"[Union[str, bool, float, List[str], datetime]]({REL})",
        "union[str, bool, float, list[str], datetime]",
    ),
    ("*Optional[io.IOBase]*", "optional[ext:io.IOBase]"),
    ("*Optional[httpx.Request]*", "optional[ext:httpx.Request]"),
    ("*bytes*", "bytes"),
    ("*None*", "None"),
    # The transport objects of every era of Speakeasy's Python SDKs.
    (f"[requests_http.Response]({REQUESTS})", "ext:requests_http.Response"),
    ("*Optional[requests_http.Response]*", "optional[ext:requests_http.Response]"),
    ("*requests.PreparedRequest*", "ext:requests.PreparedRequest"),
    ("*Optional[requests_http.PreparedRequest]*", "optional[ext:requests_http.PreparedRequest]"),
    # A name the parser does not know is a class reference: resolving decides what it is.
    ("*foo.Bar*", "foo.Bar"),
    (f"[foo.Bar]({REQUESTS})", f"foo.Bar@{REQUESTS}"),
]


@pytest.mark.parametrize(("cell", "expected"), SHAPES, ids=[cell for cell, _ in SHAPES])
def test_type_cell_shapes(cell: str, expected: str) -> None:
    assert show(parse_type_cell(cell)) == expected


def test_link_inside_link_text_keeps_the_whole_type() -> None:
    node = parse_type_cell(f"[Optional[shared.M]]({REL})")
    assert node.kind is TypeKind.OPTIONAL
    assert node.args[0].via_link and node.args[0].link == REL


def test_external_date_link_is_marked_for_the_swap_rule() -> None:
    assert parse_type_cell(f"[date]({PY_DATE})").via_link
    assert not parse_type_cell("*date*").via_link


def test_deep_nesting_is_parsed_without_recursion_errors() -> None:
    cell = "List[" * 50 + "*str*" + "]" * 50
    node = parse_type_cell(cell)
    assert len([n for n in node.walk() if n.kind is TypeKind.LIST]) == 50


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("List[*str*", "expected ']'"),
        ("Dict[str]", "Dict[...] takes 2 type argument(s), got 1"),
        ("Optional[str, int]", "Optional[...] takes 1 type argument(s), got 2"),
        ("[Optional[str](x.md)", "unbalanced '['"),
        ("*str* extra", "unexpected 'extra' after the type"),
        ("", "expected a type name"),
        ('Literal["open', "unterminated string"),
        ("Literal[foo]", "'foo' is not a literal value"),
    ],
)
def test_malformed_cells_are_rejected_with_a_reason(cell: str, message: str) -> None:
    with pytest.raises(TypeCellError, match=re.escape(message)):
        parse_type_cell(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "List[" * 100 + "*str*" + "]" * 100,
        "Dict[str, " + "List[" * 99 + "*str*" + "]" * 100,
        "List[" * 99 + "Dict[str, int]" + "]" * 99,
    ],
)
def test_a_type_whose_values_nest_past_what_the_runtime_reads_is_rejected(cell: str) -> None:
    """A value of the type, in the object of its field, would nest more than the 100 arrays
    and objects the generated runtime reads with Python code."""
    with pytest.raises(TypeCellError, match="99 lists and dicts"):
        parse_type_cell(cell)


def test_a_type_of_99_lists_and_dicts_is_accepted() -> None:
    node = parse_type_cell("Optional[Dict[str, " + "List[" * 98 + "*str*" + "]" * 100)
    assert len([n for n in node.walk() if n.kind in {TypeKind.LIST, TypeKind.DICT}]) == 99
