"""The `## Fields` table of a model doc: one `FieldDoc` per row."""

from __future__ import annotations

from generator.model.docs import FieldDoc
from generator.parse.cells import (
    code_span,
    description_text,
    split_row,
    strip_deprecation,
    unescape_pipes,
)
from generator.parse.docreader import DocReader, Section
from generator.parse.typecell import TypeCellError, parse_type_cell

REQUIRED_MARKERS = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}
FIELD_COLUMNS = ("field", "type", "required", "description")


class FieldsReader(DocReader):
    def fields(self, section: Section) -> tuple[FieldDoc, ...]:
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
