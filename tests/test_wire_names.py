"""Objects built in Python write the API's keys: the evidence the docs carry, in its order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs

ORDER_DOC = fields_doc(
    "Order",
    [
        ("order_id", "*str*", True, ""),
        ("shipping_address", "[shared.Address](../../models/shared/address.md)", False, ""),
        ("line_items", "List[[shared.LineItem](../../models/shared/lineitem.md)]", False, ""),
        ("created_at", "*Optional[str]*", False, ""),
    ],
)
ADDRESS_DOC = fields_doc(
    "Address", [("street_name", "*str*", True, ""), ("postal_code", "*Optional[str]*", False, "")]
)
LINE_ITEM_DOC = fields_doc(
    "LineItem", [("unit_price", "*float*", True, ""), ("product_sku", "*Optional[str]*", False, "")]
)
CUSTOMER_DOC = fields_doc(
    "Customer", [("first_name", "*str*", True, ""), ("last_name", "*Optional[str]*", False, "")]
)


def example_doc(example: dict[str, object]) -> str:
    """A model doc whose `order` row's Example cell is JSON, as Speakeasy writes it in a cell."""
    cell = json.dumps(example, indent=1).replace("\n", "<br/>")
    return "\n".join(
        [
            "# CreateOrderRequest",
            "",
            "## Fields",
            "",
            "| Field | Type | Required | Description | Example |",
            "| --- | --- | --- | --- | --- |",
            f"| `order` | [shared.Order](../../models/shared/order.md) | :heavy_check_mark: | N/A "
            f"| {cell} |",
        ]
    )


EXAMPLE = {
    "orderID": "o-1",
    "shippingAddress": {"streetName": "Main St"},
    "lineItems": [{"unitPrice": 9.5}],
}


def tree(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    return write_docs(
        tmp_path,
        {
            "models/shared/order.md": ORDER_DOC,
            "models/shared/address.md": ADDRESS_DOC,
            "models/shared/lineitem.md": LINE_ITEM_DOC,
            "models/shared/customer.md": CUSTOMER_DOC,
            **(extra or {}),
        },
    )


def generate(tmp_path: Path, specs: Path, *flags: str) -> Path:
    return generate_with_cli(specs, tmp_path / "out", "shop", *flags)


def built_keys(output: Path, code: str) -> object:
    """The `to_dict()` of the object that `code` (an expression) builds."""
    result = run_python(
        f"""
        import json
        from shop.shared import Address, Customer, LineItem, Order
        print(json.dumps({code}.to_dict()))
        """,
        output,
    )
    return json.loads(result.stdout)


def test_keys_of_an_example_cell_are_the_keys_of_the_linked_models(tmp_path: Path) -> None:
    specs = tree(tmp_path, {"models/shared/createorderrequest.md": example_doc(EXAMPLE)})
    output = generate(tmp_path, specs)
    order = built_keys(
        output,
        'Order(order_id="o", created_at="t", shipping_address=Address(street_name="s", '
        'postal_code="p"), line_items=[LineItem(unit_price=1.0, product_sku="k")])',
    )
    # The keys shown, nested objects and list items included; the classes' other fields follow
    # the convention their shown keys follow, and so do classes with no key shown.
    assert order == {
        "orderID": "o",
        "createdAt": "t",
        "shippingAddress": {"streetName": "s", "postalCode": "p"},
        "lineItems": [{"unitPrice": 1.0, "productSku": "k"}],
    }
    assert built_keys(output, 'Customer(first_name="a")') == {"firstName": "a"}
    report = run_cli("report", "--specs", str(specs), "--no-cache")
    assert "wire names: auto: camel (" in report.stdout, report.stdout


def test_descriptions_that_quote_keys_show_the_api_convention(tmp_path: Path) -> None:
    quoting = fields_doc(
        "Totals",
        [
            ("successful_rows", "*Optional[int]*", False, ""),
            ("failed_rows", "*Optional[int]*", False, ""),
        ],
        description="Counts of `successfulRows` and `failedRows` may not add up to `plannedRows`.",
    )
    specs = tree(tmp_path, {"models/shared/totals.md": quoting})
    output = generate(tmp_path, specs)
    assert built_keys(output, 'Customer(first_name="a")') == {"firstName": "a"}


def test_quoted_single_words_and_type_names_are_not_evidence(tmp_path: Path) -> None:
    quoting = fields_doc(
        "Totals",
        [("planned_rows", "*Optional[int]*", False, "")],
        description="Passed to the `LineItem` and `Customer` objects; see `PlannedRows` "
        "and `LastName`.",
    )
    specs = tree(tmp_path, {"models/shared/totals.md": quoting})
    output = generate(tmp_path, specs)
    assert built_keys(output, 'Customer(first_name="a")') == {"first_name": "a"}


def test_mixed_evidence_keeps_the_documented_names_outside_the_classes_it_shows(
    tmp_path: Path,
) -> None:
    snake_quotes = fields_doc(
        "Notes",
        [("note_text", "*Optional[str]*", False, "")],
        description="Use `first_name`, `last_name`, `street_name` and `postal_code`.",
    )
    specs = tree(
        tmp_path,
        {
            "models/shared/createorderrequest.md": example_doc(EXAMPLE),
            "models/shared/notes.md": snake_quotes,
        },
    )
    output = generate(tmp_path, specs)
    assert built_keys(output, 'Customer(first_name="a")') == {"first_name": "a"}
    assert built_keys(output, 'LineItem(unit_price=1.0, product_sku="k")') == {
        "unitPrice": 1.0,
        "productSku": "k",
    }
    report = run_cli("report", "--specs", str(specs), "--no-cache")
    assert "wire names: auto: as documented (" in report.stdout, report.stdout


SDK_PAGE = """
# Orders
(*orders*)

## create

Create an order.

### Example Request Body

```json
{"orderID": "o-1", "shippingAddress": {"streetName": "Main St", "postalCode": "1"}}
```

### Parameters

| Parameter | Type | Required | Description |
| --- | --- | --- | --- |
| `request` | [shared.Order](../../models/shared/order.md) | :heavy_check_mark: | N/A |

## other

```json
{"FIRST_NAME": "a body of a section that links to no doc: no evidence"}
```
"""


def test_the_json_bodies_of_the_sdk_pages_show_the_keys_of_their_class(tmp_path: Path) -> None:
    specs = tree(tmp_path, {"sdks/orders/README.md": SDK_PAGE})
    output = generate(tmp_path, specs)
    order = built_keys(
        output, 'Order(order_id="o", shipping_address=Address(street_name="s", postal_code="p"))'
    )
    assert order == {"orderID": "o", "shippingAddress": {"streetName": "s", "postalCode": "p"}}
    assert built_keys(output, 'Customer(first_name="a")') == {"firstName": "a"}


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("as-documented", {"order_id": "o", "created_at": "t"}),
        ("snake", {"orderID": "o", "created_at": "t"}),
        ("camel", {"orderID": "o", "createdAt": "t"}),
    ],
)
def test_the_setting_chooses_the_convention_where_no_key_is_shown(
    tmp_path: Path, setting: str, expected: dict[str, str]
) -> None:
    specs = tree(tmp_path, {"models/shared/createorderrequest.md": example_doc(EXAMPLE)})
    output = generate(tmp_path, specs, "--wire-names", setting)
    assert built_keys(output, 'Order(order_id="o", created_at="t")') == expected
    report = run_cli("report", "--specs", str(specs), "--no-cache", "--wire-names", setting)
    assert f"wire names: {setting}:" in report.stdout


def test_the_overrides_file_wins_over_the_examples(tmp_path: Path) -> None:
    specs = tree(tmp_path, {"models/shared/createorderrequest.md": example_doc(EXAMPLE)})
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('["shared.Order.order_id"]\nwire_name = "order-id"\n', encoding="utf-8")
    output = generate(tmp_path, specs, "--overrides", str(overrides))
    assert built_keys(output, 'Order(order_id="o")') == {"order-id": "o"}


def test_objects_read_from_payloads_still_write_the_keys_they_came_with(tmp_path: Path) -> None:
    specs = tree(tmp_path, {"models/shared/createorderrequest.md": example_doc(EXAMPLE)})
    output = generate(tmp_path, specs)
    run_python(
        """
        from shop.shared import Order
        payload = {"order_id": "o", "CreatedAt": "t", "lineItems": [{"unit_price": 1}]}
        assert Order.from_dict(payload).to_dict() == payload
        """,
        output,
    )


def wire_warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": wire names: " in line]


def run_generate(specs: Path, output: Path, *flags: str) -> tuple[int, list[str]]:
    result = run_cli(
        "generate",
        *("--specs", str(specs), "--output", str(output), "--package", "shop", "--no-cache"),
        *flags,
    )
    return result.returncode, wire_warnings(result.stderr)


def test_auto_without_evidence_says_once_that_it_writes_the_attributes(tmp_path: Path) -> None:
    specs = tree(tmp_path)
    output = tmp_path / "out"
    code, warnings = run_generate(specs, output)
    assert code == 0 and len(warnings) == 1, warnings
    # At the first field it concerns, in the `path:line: warning:` form; it names the setting.
    assert warnings[0].startswith(
        "models/shared/address.md:8: warning: wire names: the docs show none of the API's "
        "JSON keys"
    ), warnings
    assert "`street_name` here, 10 field(s) in all" in warnings[0]
    assert 'wire_names = "camel"' in warnings[0] and "--wire-names camel" in warnings[0]
    assert built_keys(output, 'Customer(first_name="a")') == {"first_name": "a"}
    lint = run_cli("lint", "--specs", str(specs))
    assert lint.returncode == 0 and wire_warnings(lint.stdout) == warnings, lint.stdout
    # --strict: an error, and OUTPUT stays as it was.
    before = {p: p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}
    result = run_cli(
        "generate", "--specs", str(specs), "--output", str(output), "--package", "shop", "--strict"
    )
    assert result.returncode == 2
    assert "models/shared/address.md:8: error: wire names: " in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()} == before


@pytest.mark.parametrize("setting", ["camel", "snake", "as-documented"])
def test_a_wire_names_setting_silences_the_warning(tmp_path: Path, setting: str) -> None:
    lint = run_cli("lint", "--specs", str(tree(tmp_path)), "--wire-names", setting, "--strict")
    assert lint.returncode == 0 and wire_warnings(lint.stdout) == [], lint.stdout


def test_evidence_of_one_convention_needs_no_warning(tmp_path: Path) -> None:
    specs = tree(tmp_path, {"models/shared/createorderrequest.md": example_doc(EXAMPLE)})
    assert run_generate(specs, tmp_path / "out") == (0, [])


def test_one_word_fields_need_no_warning(tmp_path: Path) -> None:
    specs = write_docs(
        tmp_path, {"models/shared/tag.md": fields_doc("Tag", [("id", "*str*", True, "")])}
    )
    assert run_generate(specs, tmp_path / "out") == (0, [])


def test_evidence_of_two_conventions_is_said_with_its_counts(tmp_path: Path) -> None:
    snake_quotes = fields_doc(
        "Notes",
        [("note_text", "*Optional[str]*", False, "")],
        description="Use `first_name`, `last_name` and `postal_code`.",
    )
    specs = tree(
        tmp_path,
        {
            "models/shared/createorderrequest.md": example_doc(EXAMPLE),
            "models/shared/notes.md": snake_quotes,
        },
    )
    code, warnings = run_generate(specs, tmp_path / "out")
    assert code == 0 and len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "models/shared/customer.md:8: warning: wire names: the keys the docs show or quote "
        "follow no one convention (4 camel, 3 snake)"
    ), warnings


def test_classes_whose_keys_the_docs_show_need_no_warning(tmp_path: Path) -> None:
    """The decision is made per class: where every class with a key to decide shows its own
    convention, nothing falls back to the attributes, whatever the tree as a whole shows."""
    quotes = fields_doc(
        "Notes", [("text", "*str*", True, "")], description="Send `postal_code` and `product_sku`."
    )
    specs = write_docs(
        tmp_path,
        {
            "models/shared/order.md": ORDER_DOC,
            "models/shared/address.md": ADDRESS_DOC,
            "models/shared/lineitem.md": LINE_ITEM_DOC,
            "models/shared/createorderrequest.md": example_doc(EXAMPLE),
            "models/shared/notes.md": quotes,
        },
    )
    assert run_generate(specs, tmp_path / "out") == (0, [])


def test_a_one_word_key_in_capitals_is_no_convention(tmp_path: Path) -> None:
    """`ID` is how camelCase and PascalCase APIs write an acronym: a class whose example shows
    only such a key follows the API's convention, not UPPER_CASE."""
    tag = fields_doc("Tag", [("id", "*str*", True, ""), ("tag_name", "*Optional[str]*", False, "")])
    tagged = "\n".join(
        [
            "# Tagged",
            "",
            "## Fields",
            "",
            "| Field | Type | Required | Description | Example |",
            "| --- | --- | --- | --- | --- |",
            '| `tag` | [shared.Tag](../../models/shared/tag.md) | :heavy_check_mark: | N/A | {"ID": "t"} |',
        ]
    )
    specs = tree(
        tmp_path,
        {
            "models/shared/createorderrequest.md": example_doc(EXAMPLE),
            "models/shared/tag.md": tag,
            "models/shared/tagged.md": tagged,
        },
    )
    output = generate(tmp_path, specs)
    keys = run_python(
        """
        import json
        from shop.shared import Tag
        print(json.dumps(Tag(id="t", tag_name="n").to_dict()))
        """,
        output,
    )
    assert json.loads(keys.stdout) == {"ID": "t", "tagName": "n"}
    report = run_cli("report", "--specs", str(specs), "--no-cache")
    assert "follow a convention: 4 camel;" in report.stdout, report.stdout
