"""A specs directory -> a `DocTree`: every model doc and every `### Errors` listing."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.ir import Doc, DocLocation, DocTree, ErrorListing, SkippedDoc
from generator.parse.cells import split_row
from generator.parse.document import is_identifier, parse_document

SDK_PAGES = "sdks"


def discover(specs: Path) -> list[Path]:
    """Every `.md` file under specs, in a fixed order whatever the file system returns."""
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(specs):
        subdirectories.sort()
        found.extend(Path(directory) / name for name in files if name.endswith(".md"))
    return sorted(found, key=lambda p: p.relative_to(specs).as_posix())


def is_sdk_page(relative: str) -> bool:
    return relative.split("/", 1)[0] == SDK_PAGES or relative.rsplit("/", 1)[-1] == "README.md"


def parse_tree(specs: Path, diagnostics: Diagnostics) -> DocTree:
    docs: list[Doc] = []
    listings: list[ErrorListing] = []
    skipped: list[SkippedDoc] = []
    for path in discover(specs):
        relative = path.relative_to(specs).as_posix()
        data = path.read_bytes()
        if is_sdk_page(relative):
            listings.extend(error_listings(relative, data))
            continue
        namespace = path.parent.name if path.parent != specs else specs.resolve().name
        if not is_identifier(namespace):
            diagnostics.error(
                DocLocation(relative, 1),
                f"folder name {namespace!r} is not a valid Python package name (rename the folder)",
            )
            continue
        if is_hand_written_page(data):
            skipped.append(SkippedDoc(relative, namespace))
            continue
        doc = parse_document(relative, namespace, data, diagnostics)
        if doc is not None:
            docs.append(doc)
    return DocTree(tuple(docs), tuple(listings), tuple(skipped))


def is_hand_written_page(data: bytes) -> bool:
    """SDK utility pages (e.g. RetryConfig) use | Name | Type | Description | tables, not model docs."""
    for line in data.split(b"\n"):
        if line.startswith(b"| Field") or line.startswith(b"| Name ") or line.startswith(b"##"):
            if line.startswith(b"| Name ") and b"| Required" not in line and b"| Value" not in line:
                return True
            if line.startswith(b"| Field"):
                return False
    return False


def error_listings(relative: str, data: bytes) -> list[ErrorListing]:
    """Rows of the `### Errors` tables of an SDK page: `| errors.Name | 4XX | ... |`."""
    listings: list[ErrorListing] = []
    lines = data.decode("utf-8", errors="replace").split("\n")
    in_errors = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#"):
            in_errors = stripped == "### Errors"
            continue
        if not in_errors or not stripped.startswith("|"):
            continue
        first = split_row(stripped)[0].strip("`*")
        namespace, _, name = first.rpartition(".")
        if namespace and is_identifier(name):
            listings.append(ErrorListing(namespace, name, DocLocation(relative, index + 1)))
    return listings
