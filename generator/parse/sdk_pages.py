"""What the SDK pages (`docs/sdks/**/README.md`) say about the models: the classes their
`### Errors` tables list, and the JSON bodies of their examples."""

from __future__ import annotations

import posixpath
import re

from generator.model.docs import DocLocation, ErrorListing, ErrorRowDoc, ExampleBody
from generator.model.naming import is_identifier
from generator.parse.cells import split_row

# A link to a doc page: `[models.Name](../../models/name.md)`.
_DOC_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")


def error_listings(relative: str, lines: list[str]) -> list[ErrorListing]:
    """Rows of the `### Errors` tables of an SDK page: `| errors.Name | 4XX | ... |`."""
    listings: list[ErrorListing] = []
    in_errors = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            in_errors = stripped == "### Errors"
            continue
        if not in_errors or not stripped.startswith("|"):
            continue
        row = error_row(split_row(stripped), DocLocation(relative, index + 1))
        if row is not None and row.namespace:
            listings.append(ErrorListing(row.namespace, row.name, row.location))
    return listings


def error_row(cells: list[str], location: DocLocation) -> ErrorRowDoc | None:
    """A row of an `### Errors` table: `| errors.Name | 400, 4XX | application/json |`."""
    if len(cells) < 2:
        return None
    first = cells[0].strip("`* ")
    namespace, _, name = first.rpartition(".")
    if not is_identifier(name) or not all(is_identifier(p) for p in namespace.split(".") if p):
        return None  # the header row, its rule, or a cell that names no class
    statuses = tuple(s.strip() for s in cells[1].split(",") if s.strip())
    content_type = cells[2].replace("\\", "").strip() if len(cells) > 2 else ""
    return ErrorRowDoc(namespace.rpartition(".")[2], name, statuses, content_type, location)


def example_bodies(relative: str, lines: list[str]) -> list[ExampleBody]:
    """Every ```json block of an SDK page, with the docs that its operation's section links
    to (one of them, or a class they refer to, is the class of the body)."""
    blocks: list[tuple[int, int, int]] = []  # first line, end line, section
    sections: list[list[str]] = [[]]
    fence: tuple[int, bool] | None = None  # opening line, is JSON
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith("```"):
                if fence[1]:
                    blocks.append((fence[0], index, len(sections) - 1))
                fence = None
        elif stripped.startswith("```"):
            fence = (index, stripped[3:].strip().lower() == "json")
        else:
            if stripped.startswith("## "):
                sections.append([])
            sections[-1].extend(_linked_docs(relative, line))
    return [
        ExampleBody(
            "\n".join(lines[start + 1 : end]),
            DocLocation(relative, start + 1),
            tuple(sorted(set(sections[section]))),
        )
        for start, end, section in blocks
    ]


def _linked_docs(relative: str, line: str) -> list[str]:
    """Paths (relative to the specs directory) of the docs a line links to."""
    targets = _DOC_LINK.findall(line) if ".md" in line else ()  # most lines link nowhere
    folder = posixpath.dirname(relative)
    found = []
    for target in targets:
        joined = posixpath.normpath(posixpath.join(folder, target))
        if not joined.startswith("../") and not posixpath.isabs(target):
            found.append(joined)
    return found
