"""The `## Values` of an enum doc: a table of names and values, or a bullet list."""

from __future__ import annotations

from generator.model.docs import EnumMemberDoc
from generator.parse.cells import (
    code_span,
    split_row,
    unescape_pipes,
)
from generator.parse.docreader import DocReader, Section
from generator.parse.typecell import is_unicode
from generator.untrusted import InputError, load_json

OPEN_ENUM_NOTE = "this is an open enum"


class ValuesReader(DocReader):
    def values(self, section: Section) -> tuple[tuple[EnumMemberDoc, ...], bool]:
        is_open = False
        members: list[EnumMemberDoc] = []
        span = self.first_table(section)
        for token in section.tokens:
            if token.type == "paragraph_open" and token.map:
                text = " ".join(self.lines[token.map[0] : token.map[1]]).strip().lower()
                is_open = is_open or text.startswith(OPEN_ENUM_NOTE)
        if span is not None:
            for line_index in range(span[0] + 2, span[1]):
                cells = split_row(self.lines[line_index])
                if len(cells) != 2:
                    self.error(
                        line_index,
                        f"enum row has {len(cells)} cells, expected 2 (| `NAME` | value |)",
                    )
                    continue
                name = self.restore(unescape_pipes(code_span(cells[0]) or cells[0]))
                members.append(
                    EnumMemberDoc(name, self.restore(unescape_pipes(cells[1])), self.at(line_index))
                )
            if span[1] - span[0] <= 2:
                self.error(
                    span[0], "the `## Values` table has no rows (an enum needs at least one value)"
                )
            return tuple(members), is_open
        for token in section.tokens:
            if token.type == "list_item_open" and token.map:
                line_index = token.map[0]
                member = self.bullet_member(line_index)
                if member is not None:
                    members.append(member)
        if not members:
            self.error(
                section.line,
                "`## Values` has neither a | Name | Value | table nor a bullet list of values",
            )
        return tuple(members), is_open

    def bullet_member(self, line_index: int) -> EnumMemberDoc | None:
        text = self.lines[line_index].strip()[1:].strip()
        literal = code_span(text)
        if literal is None:
            self.error(
                line_index, f'enum value {text!r} is not a code span (write - `"value"` or - `42`)'
            )
            return None
        value: str | int
        try:
            decoded = load_json(literal, "the value")
        except InputError:  # not JSON, or a JSON value no enum has: the span's text
            decoded = literal
        if isinstance(decoded, bool) or not isinstance(decoded, (str, int)):
            value = literal
        elif isinstance(decoded, str) and not is_unicode(decoded):
            self.error(line_index, f"enum value {literal!r} escapes an unpaired surrogate")
            return None
        else:
            value = decoded
        return EnumMemberDoc("", value, self.at(line_index))
