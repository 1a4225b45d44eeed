"""One Markdown model doc -> one `Doc` record (or diagnostics)."""

from __future__ import annotations

import difflib
import json
import keyword
import re
from dataclasses import dataclass

from markdown_it.token import Token

from generator.diagnostics import Diagnostics
from generator.ir import (
    Doc,
    DocKind,
    DocLocation,
    EnumMemberDoc,
    FieldDoc,
    UnionVariantDoc,
)
from generator.naming import class_name_problem
from generator.parse.blocks import block_tokens
from generator.parse.cells import (
    code_span,
    description_text,
    split_row,
    strip_deprecation,
    unescape_pipes,
)
from generator.parse.typecell import TypeCellError, is_unicode, parse_type_cell
from generator.parse.utility_page import is_utility_page, parse_utility_page

SECTIONS = ("Fields", "Values", "Supported Types", "Example Usage")
REQUIRED_MARKERS = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}
FIELD_COLUMNS = ("field", "type", "required", "description")
OPEN_ENUM_NOTE = "this is an open enum"
# Bare carriage returns are swapped for a private-use character absent from the doc.
_BARE_CR = 0xE000
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_VARIANT_CODE = re.compile(r"^\s*[A-Za-z_]\w*\s*:\s*(?P<type>.+?)\s*=\s*/\*")
_DEPRECATED_MODEL_NOTE = re.compile(r"^>\s*:warning:\s*\*\*DEPRECATED\*\*")


@dataclass(frozen=True)
class _Section:
    title: str
    line: int  # 0-based line of the `##` heading
    tokens: list[Token]


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def parse_document(path: str, namespace: str, data: bytes, diagnostics: Diagnostics) -> Doc | None:
    """Parse one doc; every problem goes to `diagnostics`.

    A doc with a title and a kind of section is returned even when some of its rows have
    errors (those rows are left out), so that links to it still resolve and the problems
    in its other rows are reported in the same run; None when it has no usable title or
    section.
    """
    if is_utility_page(data):
        return parse_utility_page(path, namespace, data, diagnostics)
    return _DocumentParser(path, namespace, data, diagnostics).parse()


class _DocumentParser:
    def __init__(self, path: str, namespace: str, data: bytes, diagnostics: Diagnostics) -> None:
        self.path = path
        self.namespace = namespace
        self.data = data
        self.diagnostics = diagnostics
        self.lines: list[str] = []
        self.bare_cr = chr(_BARE_CR)

    def at(self, line_index: int) -> DocLocation:
        return DocLocation(self.path, line_index + 1)

    def error(self, line_index: int, message: str) -> None:
        self.diagnostics.error(self.at(line_index), message)

    def parse(self) -> Doc | None:
        text = self.decode()
        if text is None:
            return None
        # Bare carriage returns occur inside real cells; keep them out of line splitting.
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        free = (chr(c) for c in range(_BARE_CR, 0xF900) if chr(c) not in text)
        self.bare_cr = next(free, "\r")  # "\r": 6 400 distinct private-use characters
        self.lines = [line.replace("\r", self.bare_cr) for line in self.lines]
        tokens = block_tokens(self.lines)
        title = self.title(tokens)
        if title is None:
            return None
        name, deprecated, title_line = title
        sections = self.sections(tokens, title_line)
        known = [section for section in sections if section.title in SECTIONS]
        first_line = known[0].line if known else len(self.lines)
        # A description is free Markdown: its own `##` headings are part of it. Only a heading
        # after the first known section is one the doc's sections do not explain.
        for section in sections:
            if section.title not in SECTIONS and section.line > first_line:
                self.unknown_section(section)
        description = self.description(title_line + 1, first_line)
        kinds = [s for s in known if s.title in ("Fields", "Values", "Supported Types")]
        if not kinds:
            self.error(
                title_line,
                "no `## Fields`, `## Values` or `## Supported Types` section "
                f"({self.misspelt(sections) or 'add one of them after the description'})",
            )
            return None
        if len(kinds) > 1:
            self.error(
                kinds[1].line,
                f"second kind of section `## {kinds[1].title}` after `## {kinds[0].title}` "
                "(a doc describes one model, enum or union)",
            )
            return None
        section = kinds[0]
        location = self.at(title_line)
        if section.title == "Fields":
            fields = self.fields(section)
            return Doc(
                self.path,
                self.namespace,
                name,
                DocKind.MODEL,
                description,
                deprecated,
                location,
                fields=fields,
            )
        if section.title == "Values":
            members, is_open = self.values(section)
            return Doc(
                self.path,
                self.namespace,
                name,
                DocKind.ENUM,
                description,
                deprecated,
                location,
                members=members,
                open_enum=is_open,
            )
        variants = self.variants(section)
        return Doc(
            self.path,
            self.namespace,
            name,
            DocKind.UNION,
            description,
            deprecated,
            location,
            variants=variants,
        )

    def decode(self) -> str | None:
        if not self.data.strip():
            self.diagnostics.error(
                DocLocation(self.path, 1), "empty file (a doc starts with `# ClassName`)"
            )
            return None
        try:
            return self.data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            line = self.data[: exc.start].count(b"\n") + 1
            self.diagnostics.error(
                DocLocation(self.path, line),
                f"not valid UTF-8 (byte 0x{self.data[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8",
            )
            return None

    def title(self, tokens: list[Token]) -> tuple[str, bool, int] | None:
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1" and token.map:
                raw = tokens[index + 1].content.strip()
                deprecated = raw.startswith("~~") and raw.endswith("~~") and len(raw) > 4
                name = raw[2:-2].strip() if deprecated else raw
                if not is_identifier(name):
                    self.error(
                        token.map[0],
                        f"title {self.restore(raw)!r} is not a valid class name "
                        "(use letters, digits and '_', not starting with a digit)",
                    )
                    return None
                problem = class_name_problem(name)
                if problem:
                    self.error(token.map[0], f"class name {name!r} {problem} (rename the title)")
                    return None
                return name, deprecated, token.map[0]
            if token.type.endswith("_open") and token.level == 0 and token.type != "heading_open":
                break
        self.error(0, "missing `# ClassName` title on the first line")
        return None

    def sections(self, tokens: list[Token], title_line: int) -> list[_Section]:
        sections: list[_Section] = []
        current: _Section | None = None
        for index, token in enumerate(tokens):
            if (
                token.type == "heading_open"
                and token.tag == "h2"
                and token.map
                and token.map[0] > title_line
            ):
                heading = tokens[index + 1].content.strip()
                current = _Section(heading, token.map[0], [])
                sections.append(current)
                continue
            if current is not None:
                current.tokens.append(token)
        return sections

    def misspelt(self, sections: list[_Section]) -> str:
        """A hint for the first heading that looks like a known section, or ''."""
        for section in sections:
            close = difflib.get_close_matches(section.title, SECTIONS, n=1)
            if close:
                return (
                    f"`## {self.restore(section.title)}` on line {section.line + 1}: "
                    f"did you mean `## {close[0]}`?"
                )
        return ""

    def unknown_section(self, section: _Section) -> None:
        close = difflib.get_close_matches(section.title, SECTIONS, n=1)
        hint = f"did you mean `## {close[0]}`? " if close else ""
        self.diagnostics.warning(
            self.at(section.line),
            f"section `## {self.restore(section.title)}` is not read ({hint}known sections: "
            + ", ".join(f"`## {s}`" for s in SECTIONS)
            + "); its content is left out",
        )

    def description(self, start: int, end: int) -> str:
        lines = [line for line in self.lines[start:end] if not _DEPRECATED_MODEL_NOTE.match(line)]
        return self.restore("\n".join(lines).strip())

    def restore(self, text: str) -> str:
        return text.replace(self.bare_cr, "\r")

    def first_table(self, section: _Section) -> tuple[int, int] | None:
        for token in section.tokens:
            if token.type == "table_open" and token.map:
                return token.map[0], token.map[1]
        return None

    def fields(self, section: _Section) -> tuple[FieldDoc, ...]:
        span = self.first_table(section)
        if span is None:
            self.error(
                section.line,
                "`## Fields` has no table (expected | Field | Type | Required | Description |)",
            )
            return ()
        header = [cell.lower() for cell in split_row(self.lines[span[0]])]
        missing = [column for column in FIELD_COLUMNS if column not in header]
        if missing:
            self.error(
                span[0],
                "the Fields table lacks the column(s) "
                + ", ".join(c.capitalize() for c in missing)
                + " (expected | Field | Type | Required | Description | [Example |])",
            )
            return ()
        column = {name: header.index(name) for name in header}
        rows: list[FieldDoc] = []
        for line_index in range(span[0] + 2, span[1]):
            row = self.field_row(line_index, column, len(header))
            if row is not None:
                rows.append(row)
        return tuple(rows)

    def field_row(self, line_index: int, column: dict[str, int], width: int) -> FieldDoc | None:
        cells = split_row(self.lines[line_index])
        if len(cells) != width:
            self.error(
                line_index,
                f"row has {len(cells)} cells but the header has {width} (escape '|' in text as '\\|')",
            )
            return None
        raw_name = unescape_pipes(cells[column["field"]])
        deprecated = raw_name.startswith("~~") and raw_name.endswith("~~")
        name = self.restore((code_span(raw_name.strip("~")) or raw_name.strip("~")).strip())
        if not name:
            self.error(line_index, "empty Field cell (write the field name as `name`)")
            return None
        marker = cells[column["required"]].strip()
        if marker not in REQUIRED_MARKERS:
            self.error(
                line_index,
                f"unknown Required marker {marker!r} (use :heavy_check_mark: or :heavy_minus_sign:)",
            )
            return None
        type_text = unescape_pipes(cells[column["type"]])
        try:
            type_ref = parse_type_cell(type_text)
        except TypeCellError as exc:
            self.error(line_index, f"field `{name}`: cannot read Type {type_text!r}: {exc}")
            return None
        description = self.restore(description_text(cells[column["description"]]))
        deprecation_message = ""
        if deprecated:
            deprecation_message, description = strip_deprecation(description)
        example = (
            self.restore(unescape_pipes(cells[column["example"]])) if "example" in column else ""
        )
        return FieldDoc(
            name,
            type_text,
            type_ref,
            REQUIRED_MARKERS[marker],
            description,
            example,
            deprecated,
            self.at(line_index),
            deprecation_message,
        )

    def values(self, section: _Section) -> tuple[tuple[EnumMemberDoc, ...], bool]:
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
            decoded = json.loads(literal)
        except ValueError:
            decoded = literal
        if isinstance(decoded, bool) or not isinstance(decoded, (str, int)):
            value = literal
        elif isinstance(decoded, str) and not is_unicode(decoded):
            self.error(line_index, f"enum value {literal!r} escapes an unpaired surrogate")
            return None
        else:
            value = decoded
        return EnumMemberDoc("", value, self.at(line_index))

    def variants(self, section: _Section) -> tuple[UnionVariantDoc, ...]:
        variants: list[UnionVariantDoc] = []
        heading: tuple[str, int] | None = None
        for token in section.tokens:
            if token.type == "heading_open" and token.tag == "h3" and token.map:
                heading = (self.lines[token.map[0]].lstrip("#").strip().strip("`"), token.map[0])
            elif token.type == "fence" and token.map:
                line_index = token.map[0] + 1
                match = next(
                    (m for m in map(_VARIANT_CODE.match, self.fence_lines(token)) if m),
                    None,
                )
                if match is not None:
                    type_text = match.group("type")
                elif heading is not None and heading[0]:
                    type_text = heading[0]
                else:
                    self.error(
                        line_index, "union variant has no `name: Type = /* values here */` line"
                    )
                    continue
                variants.append(self.variant(type_text, line_index))
                heading = None
        if not variants:
            self.error(
                section.line,
                "`## Supported Types` lists no variants (### Type headings with a ```python block)",
            )
        return tuple(v for v in variants if v is not None)

    def fence_lines(self, fence: Token) -> list[str]:
        """The lines inside a fenced block, from the doc itself (markdown-it saw row shapes)."""
        assert fence.map is not None
        start, end = fence.map
        closing = self.lines[end - 1].strip() if end - 1 > start else ""
        if len(closing) >= len(fence.markup) and not closing.strip(fence.markup[:1]):
            end -= 1  # the closing fence; an unclosed fence runs to the end of the doc
        return self.lines[start + 1 : end]

    def variant(self, type_text: str, line_index: int) -> UnionVariantDoc:
        try:
            type_ref = parse_type_cell(type_text)
        except TypeCellError as exc:
            self.error(line_index, f"cannot read union variant type {type_text!r}: {exc}")
            type_ref = parse_type_cell("Any")
        return UnionVariantDoc(type_text, type_ref, self.at(line_index))
