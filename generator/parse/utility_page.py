"""SDK utility pages: hand-written docs such as `models/utils/retryconfig.md`.

They differ from generated model docs in two ways: their tables read
`| Name | Type | Description | Example |` (no Required column: every row is a
constructor argument, so required), and one page may define further models in
`## Name` sections with a `### Fields` table, linked in-page as `[Name](#name)`.
"""

from __future__ import annotations

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc, DocKind, DocLocation, FieldDoc
from generator.model.naming import ClassName, InvalidName, class_name
from generator.parse.cells import code_span, description_text, split_row, unescape_pipes
from generator.parse.typecell import TypeCellError, parse_type_cell

UTILITY_COLUMNS = ("name", "type", "description")


def is_utility_page(data: bytes) -> bool:
    """True when the first table of the page has the utility header (Name, Type, no Required)."""
    for line in data.split(b"\n"):
        if line.startswith(b"| Field"):
            return False
        if line.startswith(b"| Name "):
            return b"| Type " in line and b"| Required" not in line and b"| Value" not in line
    return False


def parse_utility_page(
    path: str, namespace: str, data: bytes, diagnostics: Diagnostics
) -> Doc | None:
    """The page's first model, with the models of its `## Name` sections as `embedded`."""
    lines = data.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
    models: list[tuple[ClassName, int, list[str], list[FieldDoc]]] = []
    for index, line in enumerate(lines):
        heading = line.lstrip("#").strip()
        level = len(line) - len(line.lstrip("#"))
        if level == 1 or (level == 2 and heading.isidentifier() and heading != "Fields"):
            # Titles and `## Name` sections name classes, checked as a model doc's title is.
            try:
                name = class_name(heading)
            except InvalidName as problem:
                where = DocLocation(path, index + 1)
                diagnostics.error(where, f"class name {heading!r} {problem} (rename the title)")
                return None
            models.append((name, index, [], []))
        elif models and line.startswith("|") and index + 1 < len(lines):
            if split_row(line)[0].lower() == "name" and lines[index + 1].startswith("| -"):
                models[-1][3].extend(_rows(path, lines, index, diagnostics))
        elif models and level == 0 and not models[-1][3] and not line.startswith("|"):
            models[-1][2].append(line)
    if not models:
        diagnostics.error(DocLocation(path, 1), "missing `# ClassName` title on the first line")
        return None
    docs = [
        Doc(
            path,
            namespace,
            name,
            DocKind.MODEL,
            "\n".join(text).strip(),
            False,
            DocLocation(path, line + 1),
            fields=tuple(fields),
        )
        for name, line, text, fields in models
    ]
    return Doc(
        docs[0].path,
        docs[0].namespace,
        docs[0].name,
        DocKind.MODEL,
        docs[0].description,
        False,
        docs[0].location,
        fields=docs[0].fields,
        embedded=tuple(docs[1:]),
    )


def _rows(path: str, lines: list[str], header: int, diagnostics: Diagnostics) -> list[FieldDoc]:
    columns = [cell.lower() for cell in split_row(lines[header])]
    if any(column not in columns for column in UTILITY_COLUMNS):
        diagnostics.error(DocLocation(path, header + 1), "expected | Name | Type | Description |")
        return []
    rows = []
    index = header + 2
    while index < len(lines) and lines[index].startswith("|"):
        cells = split_row(lines[index])
        location = DocLocation(path, index + 1)
        index += 1
        if len(cells) != len(columns):
            diagnostics.error(location, f"row has {len(cells)} cells, expected {len(columns)}")
            continue
        cell = dict(zip(columns, cells, strict=True))
        name = code_span(cell["name"]) or cell["name"]
        type_text = unescape_pipes(cell["type"])
        try:
            type_ref = parse_type_cell(type_text)
        except TypeCellError as exc:
            diagnostics.error(location, f"field `{name}`: cannot read Type {type_text!r}: {exc}")
            continue
        example = cell.get("example", "")
        rows.append(
            FieldDoc(
                name,
                type_text,
                type_ref,
                True,
                description_text(cell["description"]),
                code_span(example) or example,
                False,
                location,
            )
        )
    return rows
