"""The `## Supported Types` of a union doc: one variant per `###` heading and code block."""

from __future__ import annotations

import re

from markdown_it.token import Token

from generator.model.docs import UnionVariantDoc
from generator.parse.docreader import DocReader, Section
from generator.parse.typecell import TypeCellError, parse_type_cell

_VARIANT_CODE = re.compile(r"^\s*[A-Za-z_]\w*\s*:\s*(?P<type>.+?)\s*=\s*/\*")


class VariantsReader(DocReader):
    def variants(self, section: Section) -> tuple[UnionVariantDoc, ...]:
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
