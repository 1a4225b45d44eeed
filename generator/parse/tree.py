"""A specs directory -> a `DocTree`: every model doc, and what the SDK pages say."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc, DocLocation, DocTree, ErrorListing, ExampleBody, OperationDoc
from generator.model.naming import WINDOWS_DEVICES, is_identifier
from generator.model.parsed import DocSource, ParsedDoc
from generator.parse.document import parse_document
from generator.parse.operations import operations
from generator.parse.sdk_pages import error_listings, example_bodies
from generator.untrusted import InputError, Listing, list_tree, read_input

SDK_PAGES = "sdks"


def discover(specs: Path, listing: Listing | None = None) -> list[tuple[str, str]]:
    """Every `.md` file under specs as (path, path relative to specs with `/` separators),
    in a fixed order whatever the file system returns; `listing`: specs as listed.

    Symbolic links to directories are not followed (see `escaping_links`).
    """
    base = os.fspath(specs)
    files = (listing or list_tree(specs)).files
    return [
        (os.path.join(base, relative), relative) for relative in files if relative.endswith(".md")
    ]


def escaping_links(specs: Path, listing: Listing | None = None) -> list[Path]:
    """Symbolic links under specs to directories outside it: reported, never followed."""
    root = specs.resolve()
    links = [specs / relative for relative in (listing or list_tree(specs)).links]
    return [path for path in links if path.is_dir() and not _inside(path.resolve(), root)]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def display_path(relative: str) -> str:
    """A path that prints: bytes of a file name that are not UTF-8 shown escaped (`\\xff`),
    so that two such names, or one and a name that holds U+FFFD, print apart."""
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_doc(path: str, root: Path) -> bytes | str:
    """The bytes of a doc, or why it is not read: never outside `root`, only regular files.

    `discover` does not descend into linked directories, so only the file itself can be a
    link; one that is not is inside `root` without resolving every component of its path.
    """
    real: str | Path = path
    if os.path.islink(path):
        real = Path(os.path.realpath(path))
        if os.path.islink(real):  # a loop: the path resolves to no file
            return "symbolic link that leads back to itself (not read): fix or remove the link"
        if not _inside(real, root):
            return "symbolic link to a file outside the specs directory (not read)"
    try:
        # Not through a link: what `real` names was checked to be inside `root`.
        return read_input(real, "the doc", follow_links=False)
    except InputError as problem:
        return problem.reason


def is_sdk_page(relative: str) -> bool:
    return relative.split("/", 1)[0] == SDK_PAGES or relative.rsplit("/", 1)[-1] == "README.md"


def parse_sources(sources: list[DocSource]) -> list[ParsedDoc]:
    """Each doc parsed on its own (module level, so that worker processes can run it)."""
    parsed: list[ParsedDoc] = []
    for source in sources:
        found = Diagnostics()
        doc = parse_document(source.relative, source.namespace, source.data, found)
        parsed.append((doc, found))
    return parsed


def parse_tree(
    specs: Path,
    diagnostics: Diagnostics,
    parse: Callable[[list[DocSource]], list[ParsedDoc]] = parse_sources,
    preread: Mapping[str, bytes] | None = None,
) -> DocTree:
    """`parse` turns the model docs into records; the pipeline passes one that caches.

    `preread` holds docs' bytes already read (by relative path); they are used instead of
    reading the file again, except for a link, which is always checked and read here.
    """
    sources: list[DocSource] = []
    listings: list[ErrorListing] = []
    bodies: list[ExampleBody] = []
    found_operations: list[OperationDoc] = []
    pages: set[str] = set()
    root = specs.resolve()
    listing = list_tree(specs)
    _report_folders(specs, listing, diagnostics)
    for path, raw_relative in discover(specs, listing):
        relative = display_path(raw_relative)
        pages.add(relative)
        folder, _, name = raw_relative.rpartition("/")
        if display_path(name) != name:
            diagnostics.error(
                DocLocation(relative, 1), "file name is not valid UTF-8 (rename the file)"
            )
            continue
        known = preread.get(raw_relative) if preread else None
        data = known if known is not None and not os.path.islink(path) else read_doc(path, root)
        if isinstance(data, str):
            diagnostics.error(DocLocation(relative, 1), data)
            continue
        if is_sdk_page(relative):
            lines = data.decode("utf-8", errors="replace").split("\n")
            listings.extend(error_listings(relative, lines))
            bodies.extend(example_bodies(relative, lines))
            found_operations.extend(operations(relative, lines, diagnostics))
            continue
        namespace = folder.rpartition("/")[2] if folder else root.name
        problem = namespace_problem(namespace)
        if problem:
            diagnostics.error(
                DocLocation(relative, 1),
                f"folder name {display_path(namespace)!r} {problem} (rename the folder)",
            )
            continue
        sources.append(DocSource(relative, namespace, data))
    return DocTree(
        _model_docs(parse(sources), diagnostics),
        tuple(listings),
        tuple(bodies),
        tuple(found_operations),
        pages=frozenset(pages),
    )


def _model_docs(parsed: list[ParsedDoc], diagnostics: Diagnostics) -> tuple[Doc, ...]:
    """The docs parsed, each followed by the docs embedded in it (a utility page's models)."""
    docs: list[Doc] = []
    for doc, found in parsed:
        diagnostics.extend(found)
        if doc is not None:
            docs.append(doc)
            docs.extend(doc.embedded)
    return tuple(docs)


def _report_folders(specs: Path, listing: Listing, diagnostics: Diagnostics) -> None:
    """Folders whose docs a run cannot read: those it cannot list (never skipped: their
    classes would vanish from OUTPUT), and links that leave the specs."""
    for folder, why in listing.unreadable:
        diagnostics.error(DocLocation(display_path(folder) if folder else str(specs), 0), why)
    for link in escaping_links(specs, listing):
        diagnostics.error(
            DocLocation(display_path(link.relative_to(specs).as_posix()), 1),
            "symbolic link to a directory outside the specs directory (not followed)",
        )


def namespace_problem(namespace: str) -> str:
    """Why a folder name cannot name a generated subpackage, or ''."""
    if not is_identifier(namespace):
        return "is not a valid Python package name"
    if namespace.startswith("__"):
        return "is reserved by the generated package"
    if namespace.lower() in WINDOWS_DEVICES:
        return "is a name Windows keeps for a device: no checkout there could hold the folder"
    return ""
