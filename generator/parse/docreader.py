"""What the readers of a doc's sections share: its lines, where they are, and its problems."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

from generator.model.diagnostics import Diagnostics
from generator.model.docs import DocLocation

# Bare carriage returns are swapped for a private-use character absent from the doc.
BARE_CR = 0xE000


@dataclass(frozen=True)
class Section:
    title: str
    line: int  # 0-based line of the `##` heading
    tokens: list[Token]


class DocReader:
    """One doc's lines (bare carriage returns swapped for `bare_cr`) and its diagnostics."""

    def __init__(self, path: str, namespace: str, data: bytes, diagnostics: Diagnostics) -> None:
        self.path = path
        self.namespace = namespace
        self.data = data
        self.diagnostics = diagnostics
        self.lines: list[str] = []
        self.bare_cr = chr(BARE_CR)

    def at(self, line_index: int) -> DocLocation:
        return DocLocation(self.path, line_index + 1)

    def error(self, line_index: int, message: str) -> None:
        self.diagnostics.error(self.at(line_index), message)

    def restore(self, text: str) -> str:
        return text.replace(self.bare_cr, "\r")

    def first_table(self, section: Section) -> tuple[int, int] | None:
        for token in section.tokens:
            if token.type == "table_open" and token.map:
                return token.map[0], token.map[1]
        return None
