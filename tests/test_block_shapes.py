"""The parser shows markdown-it table rows by their shape only; the block structure it gets
back must be the one of the real text, whatever the lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from generator.parse.blocks import MARKDOWN, block_text, block_tokens

# Lines that decide block structure around tables, and rows with awkward cells.
LINES = [
    "",
    "   ",
    "# Title",
    "## Fields",
    "### `str`",
    "| Field | Type | Required | Description |",
    "| ----- | ---- | -------- | ----------- |",
    "| --- | :-: | ---: |",
    "|---|---|",
    "| - | - | - | - |",
    "|:-|",
    "| --- || --- |",
    "| --- | x |",
    "-- | --",
    "| `a` | *str* | :heavy_check_mark: | text with \\| an escaped pipe |",
    "| `b` | *int* | :heavy_minus_sign: | ends with a backslash \\\\|",
    "| one |",
    "|",
    "||",
    "| a | b",
    "|a|b|c|d|e|",
    "| \\| | \\| |",
    "plain text",
    "text | with | pipes",
    "---",
    "===",
    "> quoted | cell |",
    "- `bullet`",
    "1. item",
    "```python",
    "```",
    "~~~",
    "    | indented | row |",
    "  | two spaces | row |",
    "<div>",
    "<!-- a comment",
    "| a --> b |",
    "<script>",
    "| </script> |",
    "| tab\t|\tcell |",
    "| a | b |\x0b",
]


CELL_TOKENS = {"th_open", "th_close", "td_open", "td_close"}


def structure(tokens: list[Token]) -> list[tuple[object, ...]]:
    """What the parser reads from tokens: blocks, nesting, line maps (of tables and of their
    rows, not of their cells) and heading text."""
    out: list[tuple[object, ...]] = []
    for index, token in enumerate(tokens):
        if token.type in CELL_TOKENS or (index and tokens[index - 1].type in CELL_TOKENS):
            continue
        content = ""
        if token.type == "inline" and index and tokens[index - 1].type == "heading_open":
            content = token.content
        out.append(
            (token.type, token.tag, token.level, tuple(token.map or ()), token.markup, content)
        )
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=30))
def test_row_shapes_keep_the_block_structure(lines: list[str]) -> None:
    real = MARKDOWN.parse("\n".join(lines))
    assert structure(block_tokens(lines)) == structure(real)


@pytest.mark.slow
def test_a_table_missing_too_many_cells_is_cut_where_markdown_it_cuts_it() -> None:
    lines = ["| a | b | c | d | e |", "| - | - | - | - | - |"] + ["| x |"] * 17_000 + ["", "text"]
    real = MARKDOWN.parse("\n".join(lines))
    assert structure(block_tokens(lines)) == structure(real)
    table = next(token for token in real if token.type == "table_open")
    assert table.map is not None and table.map[1] < len(lines) - 2  # markdown-it did cut it


def test_padded_speakeasy_tables_are_shown_by_shape() -> None:
    lines = [
        "# Pet",
        "",
        "## Fields",
        "",
        "| Field      | Type       | Required   | Description |",
        "| ---------- | ---------- | ---------- | ----------- |",
        "| `id`       | *str*      | :heavy_check_mark: | The id. |",
        "| `name`     | *str*      | :heavy_minus_sign: | A \\| pipe. |",
    ]
    text, tables = block_text(lines)
    assert tables == {(4, 8)}
    assert text.split("\n")[4:] == ["|a|", "|-|", "|a|", "|a|"]
    assert structure(block_tokens(lines)) == structure(MARKDOWN.parse("\n".join(lines)))
