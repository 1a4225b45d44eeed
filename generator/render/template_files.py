"""Which files of a user's templates folder a run reads: those named as a built-in
template is, and those they include, import or extend, each looked up by its name. No
folder there is walked, so a link to a big folder (or to `/`) costs nothing. Free of
Jinja: the no-op check hashes the same files before anything heavy is imported."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from generator.untrusted import InputError, cannot_read, list_tree, read_input

# Larger is no template: tighter than the bound on any file read (see `read_bounded`).
MAX_TEMPLATE_BYTES = 1024 * 1024

# A tag naming other templates, and the quoted names in it (`{% include ["a", "b"] %}`
# too). A name in a string that is no template name only costs a lookup.
_NAMING_TAG = re.compile(rb"\{%[-+]?\s*(?:include|import|from|extends)\b(.*?)%\}", re.DOTALL)
_QUOTED = re.compile(rb"\"([^\"\\]*)\"|'([^'\\]*)'")


def read_reachable(
    folder: Path, known: dict[str, bytes]
) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """The files of `folder` a run may render, by template name -> (path, bytes), from the names of `known` (the built-in templates' sources) on; and the
    problems (`path: error: why`) of those there that cannot be read."""
    problems = _unlistable(folder)
    found: dict[str, tuple[str, bytes]] = {}
    pending, looked_up = sorted(known, reverse=True), set()
    while pending:
        name = pending.pop()
        if name in looked_up:
            continue
        looked_up.add(name)
        path = os.path.join(folder, name)
        try:
            found[name] = (path, _read_template(path))
        except FileNotFoundError:
            pass  # not overridden: the built-in one, if any, stands
        except InputError as problem:
            problems.append(problem.at(path))
        source = found[name][1] if name in found else known.get(name)
        pending.extend(sorted(referenced_names(source or b"") - looked_up, reverse=True))
    return found, problems


def referenced_names(source: bytes) -> set[str]:
    """The template names `source` includes, imports or extends, spelled as a file system
    loader looks them up (`a/./b` is `a/b`); a name no loader accepts (`../x`) is left
    out: rendering reports it."""
    names: set[str] = set()
    for tag in _NAMING_TAG.finditer(source):
        for quoted in _QUOTED.finditer(tag.group(1)):
            raw = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            name = _normalized(raw.decode("utf-8", "replace").split("/"))
            if name:
                names.add(name)
    return names


def _normalized(pieces: Iterable[str]) -> str:
    kept = [piece for piece in pieces if piece and piece != "."]
    if any(piece == ".." or os.sep in piece for piece in kept):
        return ""
    return "/".join(kept)


def _unlistable(folder: Path) -> list[str]:
    """The problem of a templates folder that cannot be listed: its templates would be
    skipped in silence otherwise."""
    try:
        os.scandir(folder).close()
    except OSError as problem:
        return [f"{folder}: error: {cannot_read('the folder', problem)}"]
    return []


def _read_template(path: str) -> bytes:
    """The bytes of the template at `path`; FileNotFoundError if there is none."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise FileNotFoundError(path) from None
    except OSError as problem:
        raise InputError(cannot_read("the template", problem)) from None
    if os.path.isdir(path):
        raise InputError("the template is a folder, not a file")
    return read_input(path, "the template", limit=MAX_TEMPLATE_BYTES)


def user_templates_read(
    folder: Path, builtin_folders: list[Path]
) -> list[tuple[str, bytes | None]]:
    """What a run reads of the user's `folder`, as (path, bytes) and (problem, None) pairs
    in a stable order: for the no-op check, which must not import Jinja."""
    known: dict[str, bytes] = {}
    for builtin in builtin_folders:
        if os.path.isdir(builtin):
            for relative in list_tree(builtin, follow_links=True).files:
                known.setdefault(relative, read_input(os.path.join(builtin, relative)))
    found, problems = read_reachable(folder, known)
    read: list[tuple[str, bytes | None]] = [found[name] for name in sorted(found)]
    return read + [(problem, None) for problem in problems]
