"""What markdown-it is shown of a doc: its block structure, with tables by shape only."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

_DELIMITER_ROW = re.compile(r"[|:\- \t]*\Z")
_DELIMITER_CELL = re.compile(r":?-+:?\Z")
# markdown-it's whitespace set for trimming, and its limit on cells a table may lack.
_MD_TRIM = "\t\n\x0b\x0c\r "
_MAX_AUTOCOMPLETED_CELLS = 0x10000


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Only block structure is needed; cells and headings are read from their raw text.
    md.disable(["inline", "text_join"])
    return md


MARKDOWN = _markdown()


def block_tokens(lines: list[str]) -> list[Token]:
    """markdown-it's block tokens of `lines`, with tables shown to it by their shape only.

    Speakeasy pads rows to hundreds of characters, and markdown-it splits every row into
    cells character by character and makes three tokens per cell. Nothing is read from a
    row's tokens (the parser reads cells from the doc's lines), so a table is shown as a
    one-column table of the same lines. Where markdown-it does not then find each such table
    exactly where it is (a table inside a code fence or an HTML block), the real text is
    parsed instead.
    """
    text, tables = block_text(lines)
    tokens = MARKDOWN.parse(text)
    if tables:
        found = {tuple(t.map) for t in tokens if t.type == "table_open" and t.map}
        if not tables <= found:
            tokens = MARKDOWN.parse("\n".join(lines))
    return tokens


# How deeply markdown-it reads blocks (lists, quotes) one in another; the rest of the doc,
# past a block nested deeper, it skips without a word.
MAX_NESTING: int = MARKDOWN.options["maxNesting"]


def nested_too_deeply(tokens: list[Token]) -> int | None:
    """The index of the line of the block whose content markdown-it skipped, or None."""
    for token in tokens:
        if token.nesting == 1 and token.level >= MAX_NESTING - 1 and token.map:
            return token.map[0]
    return None


def block_text(lines: list[str]) -> tuple[str, set[tuple[int, int]]]:
    """`lines` with every table markdown-it would see as a one-column table of its lines,
    and the (start, end) line span of each such table."""
    out: list[str] = []
    tables: set[tuple[int, int]] = set()
    index = 0
    while index < len(lines):
        end = _table_end(lines, index)
        if end:
            out += ["|a|", "|-|"] + ["|a|"] * (end - index - 2)
            tables.add((index, end))
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out), tables


def _table_end(lines: list[str], start: int) -> int:
    """The end of the table whose header is `lines[start]` when it is one markdown-it reads
    on its own: after a blank line (nothing before it can take its lines), its rows stopping
    at a blank line or the end (nothing after them can join it); else 0."""
    if start + 1 >= len(lines) or lines[start][:1] != "|" or lines[start + 1][:1] != "|":
        return 0
    if start and lines[start - 1].strip(_MD_TRIM):
        return 0
    columns = _row_cells(lines[start])
    if columns == 0 or _delimiter_cells(lines[start + 1]) != columns:
        return 0
    end, missing = start + 2, 0
    while end < len(lines) and lines[end][:1] == "|":
        missing += columns - _row_cells(lines[end])
        if missing > _MAX_AUTOCOMPLETED_CELLS:
            return 0  # markdown-it cuts such a table short: let it see the real rows
        end += 1
    if end < len(lines) and lines[end].strip(_MD_TRIM):
        return 0  # a non-row line may continue the table: let markdown-it decide
    return end


def _row_cells(line: str) -> int:
    """How many cells markdown-it splits a row into: at every `|` not directly after a
    backslash, without the empty cells before a leading and after a trailing pipe."""
    text = line.strip(_MD_TRIM)
    cells = text.count("|") - text.count("\\|") + 1
    if text.startswith("|"):
        cells -= 1
    if cells and text.endswith("|") and not text.endswith("\\|"):
        cells -= 1
    return cells


def _delimiter_cells(line: str) -> int | None:
    """The columns of a delimiter row (`| --- | :-: |`, starting with `|`) as markdown-it
    reads one; None if `line` is not one."""
    if len(line) < 2 or not _DELIMITER_ROW.match(line):
        return None
    parts = line.split("|")
    columns = 0
    for position, part in enumerate(parts):
        cell = part.strip(_MD_TRIM)
        if not cell:
            if position in (0, len(parts) - 1):
                continue
            return None
        if not _DELIMITER_CELL.match(cell):
            return None
        columns += 1
    return columns
