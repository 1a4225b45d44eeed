"""One Markdown model doc -> one `Doc` record (or diagnostics)."""

from __future__ import annotations

import difflib
import re

from markdown_it.token import Token

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc, DocKind, DocLocation
from generator.model.naming import (
    INVALID_CLASS_NAME,
    ClassName,
    InvalidName,
    class_name,
    is_identifier,
)
from generator.parse.blocks import MAX_NESTING, block_tokens, nested_too_deeply
from generator.parse.docreader import BARE_CR, Section
from generator.parse.enum_values import ValuesReader
from generator.parse.fields_table import FieldsReader
from generator.parse.union_variants import VariantsReader
from generator.parse.utility_page import is_utility_page, parse_utility_page

SECTIONS = ("Fields", "Values", "Supported Types", "Example Usage")
_DEPRECATED_MODEL_NOTE = re.compile(r"^>\s*:warning:\s*\*\*DEPRECATED\*\*")


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


class _DocumentParser(FieldsReader, ValuesReader, VariantsReader):
    """The title, description and sections of a doc; each kind of section has its reader."""

    def parse(self) -> Doc | None:
        if not self.read_lines():
            return None
        tokens = block_tokens(self.lines)
        if (deep := nested_too_deeply(tokens)) is not None:
            self.error(
                deep,
                f"lists or quotes nested deeper than {MAX_NESTING} blocks (lists: 10 one in "
                "another): Markdown is not read past them, and the rest of the doc would be "
                "lost (flatten the nesting)",
            )
            return None
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
        kind = self.kind_section(known, sections, title_line)
        if kind is None:
            return None
        head = (self.path, self.namespace, name)
        common = (description, deprecated, self.at(title_line))
        if kind.title == "Fields":
            return Doc(*head, DocKind.MODEL, *common, fields=self.fields(kind))
        if kind.title == "Values":
            members, is_open = self.values(kind)
            return Doc(*head, DocKind.ENUM, *common, members=members, open_enum=is_open)
        return Doc(*head, DocKind.UNION, *common, variants=self.variants(kind))

    def read_lines(self) -> bool:
        """The doc's lines, with bare carriage returns kept out of line splitting (they occur
        inside real cells); False when the doc cannot be read as text."""
        text = self.decode()
        if text is None:
            return False
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        free = (chr(c) for c in range(BARE_CR, 0xF900) if chr(c) not in text)
        self.bare_cr = next(free, "\r")  # "\r": 6 400 distinct private-use characters
        self.lines = [line.replace("\r", self.bare_cr) for line in self.lines]
        return True

    def kind_section(
        self, known: list[Section], sections: list[Section], title_line: int
    ) -> Section | None:
        """The one section that says what the doc is (fields, values or variants), or None
        with an error where there is none or more than one."""
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
        return kinds[0]

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

    def title(self, tokens: list[Token]) -> tuple[ClassName, bool, int] | None:
        for index, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h1" and token.map:
                raw = tokens[index + 1].content.strip()
                deprecated = raw.startswith("~~") and raw.endswith("~~") and len(raw) > 4
                name = raw[2:-2].strip() if deprecated else raw
                if not is_identifier(name):
                    self.error(token.map[0], f"title {self.restore(raw)!r} {INVALID_CLASS_NAME}")
                    return None
                try:
                    return class_name(name), deprecated, token.map[0]
                except InvalidName as problem:
                    self.error(token.map[0], f"class name {name!r} {problem} (rename the title)")
                    return None
            if token.type.endswith("_open") and token.level == 0 and token.type != "heading_open":
                break
        self.error(0, "missing `# ClassName` title on the first line")
        return None

    def sections(self, tokens: list[Token], title_line: int) -> list[Section]:
        sections: list[Section] = []
        current: Section | None = None
        for index, token in enumerate(tokens):
            if (
                token.type == "heading_open"
                and token.tag == "h2"
                and token.map
                and token.map[0] > title_line
            ):
                heading = tokens[index + 1].content.strip()
                current = Section(heading, token.map[0], [])
                sections.append(current)
                continue
            if current is not None:
                current.tokens.append(token)
        return sections

    def misspelt(self, sections: list[Section]) -> str:
        """A hint for the first heading that looks like a known section, or ''."""
        for section in sections:
            close = difflib.get_close_matches(section.title, SECTIONS, n=1)
            if close:
                return (
                    f"`## {self.restore(section.title)}` on line {section.line + 1}: "
                    f"did you mean `## {close[0]}`?"
                )
        return ""

    def unknown_section(self, section: Section) -> None:
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
