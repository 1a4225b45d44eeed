"""The manifest: the files a run wrote in OUTPUT, each with its sha256, the tool's only proof
of having written one (see `files`)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from generator.render.distribution import PYPROJECT
from generator.render.endpoints import MODULE as ENDPOINTS
from generator.untrusted import InputError, load_json, read_input
from generator.write.safepaths import SafePaths, WriteError, is_safe_relative
from generator.write.snapshot import file_hashes

MANIFEST = ".docs2models-manifest.json"
# A sha256 as `sha256_of` writes it: a recorded hash of any other form proves nothing.
_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def read_manifest(output: Path) -> dict[str, str | None]:
    """The files the last run wrote, with their sha256 (None from a manifest without, and
    for a hash that is not a sha256: one planted to pass a user's file off as generated).
    WriteError for a manifest that cannot be read (unreadable, too large, not a regular
    file) or is not JSON: which files are the tool's is unknown."""
    path = os.path.join(output, MANIFEST)
    try:
        data = load_json(_manifest_bytes(path), "the manifest")
    except InputError as problem:
        raise WriteError(
            f"{problem.at(path)}; it records which files docs2models wrote: restore it from "
            "version control, or delete it (files that differ from what a run writes are "
            "then refused as not written by docs2models)"
        ) from None
    files = data.get("files", []) if isinstance(data, dict) else []
    if isinstance(files, list):  # the first manifests listed names only
        return {f: None for f in files if isinstance(f, str) and is_safe_relative(f)}
    if not isinstance(files, dict):
        return {}
    return {f: _sha256_or_none(h) for f, h in files.items() if is_safe_relative(f)}


def could_be_written(relative: str) -> bool:
    """Whether a run could have written `relative`, whatever its package was named: the
    package's `__init__.py`, endpoints module (`endpoints`, or `endpoints_` beside a namespace
    so named) and `py.typed`, a module of one of its namespaces or of its runtime, or a
    distribution's pyproject.toml."""
    *folders, name = relative.split("/")
    if not folders:
        return name == PYPROJECT
    if len(folders) == 1:
        return name in ("__init__.py", "py.typed") or bool(_ENDPOINTS.fullmatch(name))
    module = name.removesuffix(".py")
    return (
        len(folders) == 2
        and all(folder.isidentifier() and not folder.startswith("__") for folder in folders)
        and name.endswith(".py")
        and module.isidentifier()
        and (module == "__init__" or not module.startswith("__"))
    )


_ENDPOINTS = re.compile(re.escape(ENDPOINTS) + r"_*\.py")


def _manifest_bytes(path: str) -> bytes:
    """The manifest's bytes (`{}` where there is none yet); InputError for one that cannot
    be read: taken for missing, it would make every generated file a user's, and a run
    would write over it."""
    if not os.path.lexists(path):
        return b"{}"
    return read_input(path, "the manifest", follow_links=False) or b"{}"


def _sha256_or_none(recorded: object) -> str | None:
    return recorded if isinstance(recorded, str) and _SHA256.fullmatch(recorded) else None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, str]) -> str:
    return manifest_of(file_hashes(files))


def manifest_of(hashes: Mapping[str, str]) -> str:
    ordered = {path: hashes[path] for path in sorted(hashes)}
    return json.dumps({"generator": "docs2models", "files": ordered}, indent=1) + "\n"


def holds_foreign_pyproject(output: Path) -> bool:
    """Whether OUTPUT holds a pyproject.toml other than the one a run wrote there: a
    project's own, which marks OUTPUT as a project's root."""
    try:
        if (output / PYPROJECT).is_symlink():
            return True
        data = SafePaths(output).read(PYPROJECT)
    except WriteError:  # OUTPUT is a file, or a named pipe is there: said where it is written
        return False
    except OSError as problem:
        # A path too long for the system is said where it is written; an unreadable file
        # may be a project's.
        return problem.errno != errno.ENAMETOOLONG
    if data is None:
        return False
    # The manifest's word alone is not enough: one that came with a pull may list any file.
    return read_manifest(output).get(PYPROJECT) != sha256_of(data)
