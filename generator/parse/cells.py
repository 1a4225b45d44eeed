"""Table rows and cell text as Speakeasy renders them, and their inverse."""

from __future__ import annotations

import re

_EMPTY_TEXT_LINK = re.compile(r"\[\]\(([^)\s]*)\)")
DEPRECATION_PREFIX = re.compile(r"^:\s*warning\s*:\s*\*\*\s*DEPRECATED\s*\*\*\s*:?", re.IGNORECASE)


def split_row(line: str) -> list[str]:
    """Cells of a pipe-table row; `\\|` stays escaped inside a cell."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "\\" not in text:  # no escapes: the common case, without the per-character loop
        return [cell.strip() for cell in text.split("|")]
    cells: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


def unescape_pipes(text: str) -> str:
    return text.replace("\\|", "|")


def description_text(cell: str) -> str:
    """Invert Speakeasy's cell rendering: `<br/>` was a newline, `[](u)` a bare URL."""
    text = unescape_pipes(cell)
    # Speakeasy renders a newline as `<br/>`; a `<br>` in a cell is HTML from the source text.
    text = text.replace("<br/>", "\n")
    text = _EMPTY_TEXT_LINK.sub(lambda match: match.group(1), text)
    return "" if text.strip() == "N/A" else text.strip()


def strip_deprecation(text: str) -> tuple[str, str]:
    """Split a deprecated field's description into (message, original description)."""
    if not DEPRECATION_PREFIX.match(text):
        return "", text
    message, _, rest = text.partition("\n\n")
    message = DEPRECATION_PREFIX.sub("", message).strip()
    return message, rest.strip()


def code_span(cell: str) -> str | None:
    """The text inside a cell that is exactly one code span, else None."""
    text = cell.strip()
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        inner = text.strip("`")
        return inner.strip() if text.count("`") == 2 else inner
    return None
