"""The operations of an SDK page (`docs/sdks/<folder>/README.md`).

A page lists its operations under `### Available Operations`; each has a `## <name>` section
with `### Parameters`, `### Response` and `### Errors`, and v1 pages add `### Example Request
Body` JSON. A description inside a section may carry `##` headings of its own: a section runs
until the heading of the next listed operation.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from generator.model.diagnostics import Diagnostics
from generator.model.docs import DocLocation, ErrorRowDoc, OperationDoc, ParameterDoc, TypeRef
from generator.parse.cells import code_span, description_text, split_row
from generator.parse.sdk_pages import error_row
from generator.parse.typecell import TypeCellError, parse_type_cell
from generator.runtime.keys import attribute_of

# `(*unified_ats_api*)` under the page's title: the SDK path of its operations.
_SDK_PATH = re.compile(r"^\(\*([A-Za-z_][\w.]*)\*\)$")
# `* [name](#anchor) - summary`; a deprecated one is `[~~name~~]`.
_LISTED = re.compile(r"^[*-]\s+\[(?:~~)?([^\]~]+?)(?:~~)?\]\(#([^)]*)\)(?:\s+-\s+(.*))?$")
_DEPRECATED_NOTE = re.compile(r"\s*:warning:\s*\*\*Deprecated\*\*\s*$", re.IGNORECASE)
# `<!-- UsageSnippet language="python" operationID="x" method="get" path="/a" -->`
_SNIPPET = re.compile(r"<!--\s*UsageSnippet\b(.*?)-->")
_SNIPPET_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
_LINKED_TEXT = re.compile(r"^\[([^\[\]()]*)\]$")
# A usage example that pages through results: `res = res.next()`.
_NEXT_PAGE = re.compile(r"\bres\s*=\s*(?:await\s+)?res\.next\(\)")


@dataclass
class _Section:
    """What an operation's section says, as the page is read."""

    method: str
    summary: str
    location: DocLocation
    snippet: dict[str, str] = field(default_factory=dict)
    parameters: list[ParameterDoc] = field(default_factory=list)
    response_text: str = ""
    response: TypeRef | None = None
    response_location: DocLocation | None = None
    errors: list[ErrorRowDoc] = field(default_factory=list)
    request_examples: list[tuple[str, DocLocation]] = field(default_factory=list)
    paginated: bool = False


def sdk_path(relative: str, lines: list[str]) -> str:
    """The SDK path a page shows under its title, else a dotted title's path in snake_case
    (`# Beta.Observability.Traces`), else the page's folder name."""
    title = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if not title:
            if not stripped.startswith("# "):
                break
            title = stripped[2:].strip()
            continue
        found = _SDK_PATH.match(stripped)
        if found:
            return found.group(1)
        break
    parts = title.split(".")
    if len(parts) > 1 and all(part.isidentifier() for part in parts):
        return ".".join(attribute_of(part) for part in parts)
    return posixpath.basename(posixpath.dirname(relative))


def operations(relative: str, lines: list[str], diagnostics: Diagnostics) -> list[OperationDoc]:
    """Every operation the page lists, in the page's order."""
    listed = _listed(lines)
    if not listed:
        return []
    path = sdk_path(relative, lines)
    sections: list[_Section] = []
    current: _Section | None = None
    subsection = ""
    fence: tuple[int, str] | None = None  # opening line, language
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        first = stripped[0]
        if fence is not None:
            if first == "`" and stripped.startswith("```"):
                if (
                    current is not None
                    and subsection == "example request body"
                    and fence[1] == "json"
                ):
                    text = "\n".join(lines[fence[0] + 1 : index])
                    current.request_examples.append((text, DocLocation(relative, fence[0] + 1)))
                fence = None
            elif (
                current is not None
                and "next()" in stripped
                and fence[1] == "python"
                and _NEXT_PAGE.search(stripped)
            ):
                current.paginated = True
            continue
        if first == "`" and stripped.startswith("```"):
            fence = (index, stripped[3:].strip().lower())
            continue
        if first == "#":
            if stripped.startswith("## "):
                name = stripped[3:].strip().strip("~")
                if name in listed and name not in {s.method for s in sections}:
                    current = _Section(name, listed[name], DocLocation(relative, index + 1))
                    sections.append(current)
                    subsection = ""
            elif current is not None and stripped.startswith("### "):
                subsection = stripped[4:].strip().lower()
            continue
        if current is None:
            continue
        location = DocLocation(relative, index + 1)
        _read_line(current, subsection, stripped, location, diagnostics)
    return [_operation(path, section) for section in sections]


def _read_line(
    current: _Section,
    subsection: str,
    stripped: str,
    location: DocLocation,
    diagnostics: Diagnostics,
) -> None:
    """What a line of an operation's section outside code blocks and headings adds to it:
    the snippet's attributes, a parameter or error row, the response."""
    first = stripped[0]
    if first == "<":
        snippet = _SNIPPET.search(stripped)
        if snippet and not current.snippet:
            current.snippet = dict(_SNIPPET_ATTRIBUTE.findall(snippet.group(1)))
    elif first == "|":
        if subsection == "parameters":
            parameter = _parameter(split_row(stripped), location)
            if parameter is not None:
                current.parameters.append(parameter)
        elif subsection == "errors":
            row = error_row(split_row(stripped), location)
            if row is not None:
                current.errors.append(row)
    elif subsection == "response" and not current.response_text:
        _read_response(current, stripped, location, diagnostics)


def _listed(lines: list[str]) -> dict[str, str]:
    """{operation name: summary} of the page's `### Available Operations` list."""
    found: dict[str, str] = {}
    in_list = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            in_list = stripped.lower() == "### available operations"
            continue
        match = _LISTED.match(stripped) if in_list else None
        if match:
            name = match.group(1).strip()
            summary = _DEPRECATED_NOTE.sub("", match.group(3) or "").strip()
            if name and name not in found:  # one no Python name calls: a warning, later
                found[name] = summary
    return found


def _read_response(
    section: _Section, text: str, location: DocLocation, diagnostics: Diagnostics
) -> None:
    cell = text.strip()
    if cell.startswith("**") and cell.endswith("**") and len(cell) > 4:
        cell = cell[2:-2].strip()
    bare = _LINKED_TEXT.match(cell)  # `[Any]`: link text without a link
    if bare:
        cell = bare.group(1)
    section.response_text = cell
    section.response_location = location
    try:
        section.response = parse_type_cell(cell)
    except TypeCellError as exc:
        diagnostics.warning(
            location,
            f"the response type of {section.method} is not read ({exc}): its body is read as "
            "any JSON value",
        )


def _parameter(cells: list[str], location: DocLocation) -> ParameterDoc | None:
    if len(cells) < 3:
        return None
    name = code_span(cells[0])
    if not name:
        return None
    try:
        parsed: TypeRef | None = parse_type_cell(cells[1])
    except TypeCellError:
        parsed = None
    required = ":heavy_check_mark:" in cells[2]
    description = description_text(cells[3]) if len(cells) > 3 else ""
    return ParameterDoc(name, cells[1], parsed, required, description, location)


def _operation(path: str, section: _Section) -> OperationDoc:
    snippet = section.snippet
    return OperationDoc(
        sdk_path=path,
        method=section.method,
        summary=section.summary,
        location=section.location,
        operation_id=snippet.get("operationID", ""),
        http_method=snippet.get("method", "").upper(),
        http_path=snippet.get("path", ""),
        parameters=tuple(section.parameters),
        response_text=section.response_text,
        response=section.response,
        response_location=section.response_location,
        errors=tuple(section.errors),
        request_examples=tuple(section.request_examples),
        paginated=section.paginated,
    )
