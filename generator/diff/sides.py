"""The two sides of a diff: two doc trees, or the specs folder at a git revision (read
with git into a temporary folder, nothing checked out) and in the working tree."""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from generator.config import Config, SettingsError

# `git ls-tree` modes of regular files and of links; submodules are not docs.
_FILE_MODES = frozenset({"100644", "100755"})
_LINK_MODE = "120000"


@dataclass(frozen=True)
class Side:
    """`label`: "old" or "new"; `shown`: the specs folder as the user named it, which the
    paths of its diagnostics start from (and the overrides file's, for a copy of it)."""

    label: str
    config: Config
    shown: str
    overrides_shown: str = ""

    def where(self, path: str) -> str:
        """A diagnostic's path as the user knows it."""
        if self.config.overrides is not None and path == str(self.config.overrides):
            return self.overrides_shown or path
        return f"{self.shown.rstrip('/')}/{path}"


def tree_sides(config: Config, old: Path, new: Path) -> tuple[Side, Side]:
    """`diff OLD NEW`: the same settings, each with its own specs folder."""
    for label, folder in (("old", old), ("new", new)):
        if not folder.is_dir():
            raise SettingsError(f"{label}: {folder} is not a directory of docs")
    return (
        Side("old", replace(config, specs=old), str(old)),
        Side("new", replace(config, specs=new), str(new)),
    )


def base_sides(config: Config, revision: str, checkout: Path) -> tuple[Side, Side]:
    """`diff --base REV`: the specs folder (and the overrides file, when git tracks it) as
    they were at `revision`, written under `checkout`, against the working tree."""
    top = _repository(config.specs)
    specs = _inside(config.specs, top, "the specs directory")
    commit = _git(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if commit is None:
        raise SettingsError(f"--base {revision}: no such commit in the repository {top}")
    commit = commit.strip()
    # The folder keeps its name: it is the namespace of the docs at its top.
    folder = checkout / "specs" / config.specs.resolve().name
    if not _checkout(top, commit, specs, folder):
        raise SettingsError(f"--base {revision}: {specs} holds no docs at that revision")
    overrides = None
    if config.overrides is not None:
        tracked = _tracked(top, config.overrides)
        # Overrides written for the old docs: as they were at the revision, or none then.
        if tracked is None:
            overrides = config.overrides
        elif _checkout(top, commit, tracked, checkout / "overrides", single=True):
            overrides = checkout / "overrides" / tracked.name
    old = replace(config, specs=folder, overrides=overrides)
    return (
        Side("old", old, str(config.specs), str(config.overrides)),
        Side("new", config, str(config.specs)),
    )


def _git(top: Path, *args: str) -> str | None:
    """The output of a git command run in `top`, or None when it fails."""
    result = _run(["git", "-C", str(top), *args])
    return None if result.returncode else result.stdout.decode("utf-8", "surrogateescape")


def _run(command: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(command, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise SettingsError(f"--base needs git, which cannot be run: {exc}") from exc


def _repository(specs: Path) -> Path:
    """The top folder of the git work tree that holds the specs folder."""
    where = specs.resolve()
    while not where.is_dir() and where != where.parent:
        where = where.parent  # a specs folder deleted in the working tree
    top = _git(where, "rev-parse", "--show-toplevel")
    if top is None:
        raise SettingsError(
            f"--base needs a git repository, and {specs} is not inside one (compare two "
            "folders instead: docs2models diff OLD NEW)"
        )
    return Path(top.strip()).resolve()


def _inside(path: Path, top: Path, what: str) -> PurePosixPath:
    try:
        return PurePosixPath(path.resolve().relative_to(top).as_posix())
    except ValueError:
        raise SettingsError(f"--base: {what} {path} is outside the repository {top}") from None


def _tracked(top: Path, path: Path) -> PurePosixPath | None:
    """`path` inside the repository, or None for a file outside it."""
    try:
        return _inside(path, top, "the overrides file")
    except SettingsError:
        return None


def _checkout(
    top: Path, commit: str, path: PurePosixPath, into: Path, single: bool = False
) -> bool:
    """Write the files of `path` at `commit` below `into` (a folder's `.md` files and links,
    or the one file when `single`); False when the revision has no such path."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path.as_posix())
    entries = []
    for record in (listing or "").split("\0"):
        meta, _, name = record.partition("\t")
        mode, kind, sha = [*meta.split(), "", "", ""][:3]
        relative = _below(PurePosixPath(name), path, single)
        wanted = mode in _FILE_MODES or (mode == _LINK_MODE and not single)
        if kind == "blob" and wanted and relative is not None:
            entries.append((mode, sha, relative))
    # A link may lead to any file of the folder, not only to a doc: then all are written.
    linked = any(mode == _LINK_MODE for mode, _, _ in entries)
    entries = [entry for entry in entries if single or linked or _is_doc(entry[2])]
    if not any(single or _is_doc(relative) for _, _, relative in entries):
        return False
    blobs = _blobs(top, [sha for _, sha, _ in entries])
    for (mode, _, relative), data in zip(entries, blobs, strict=True):
        target = into.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == _LINK_MODE:
            link = _Link(path, path / relative, os.fsdecode(data))
            try:
                os.symlink(_copied_link(top, commit, link, into), target)
            except OSError:  # a target no file system takes (too long): it leads nowhere
                os.symlink(into.parent / "nothing", target)
        else:
            target.write_bytes(data)
    return True


def _is_doc(relative: PurePosixPath) -> bool:
    return relative.name.endswith(".md")


@dataclass(frozen=True)
class _Link:
    """A link committed at `path` (in the repository) below the specs folder `specs`."""

    specs: PurePosixPath
    path: PurePosixPath
    leads_to: str


def _copied_link(top: Path, commit: str, link: _Link, into: Path) -> str:
    """Where the copy of a committed link leads, so that the specs reader judges it as it
    judges the link in a working tree: to the same doc or folder when that is inside the
    specs folder (`into` is its copy), else out of the copy, to a folder for a link to a
    folder (reported as leading out) and to no file for a link to a file (never read)."""
    folder = link.path.parent.as_posix()
    leads_to = link.leads_to
    if not leads_to or "\0" in leads_to:
        return str(into.parent / "nothing")
    reached = posixpath.normpath(posixpath.join(folder, leads_to))
    if not posixpath.isabs(leads_to) and _within(reached, link.specs.as_posix()):
        return posixpath.relpath(reached, folder or ".")
    is_folder = _git(top, "cat-file", "-t", f"{commit}:{reached}") == "tree\n"
    if is_folder or os.path.isdir(top / folder / leads_to):
        return str(into.parent)
    return str(into.parent / "nothing")


def _within(path: str, folder: str) -> bool:
    """Whether a normalised path relative to the repository's top lies in `folder`."""
    if folder == ".":
        return path != ".." and not path.startswith("../")
    return path == folder or path.startswith(folder + "/")


def _below(name: PurePosixPath, path: PurePosixPath, single: bool) -> PurePosixPath | None:
    """Where a listed file goes, relative to the folder written; None to leave it out."""
    if single:
        return PurePosixPath(name.name) if name == path else None
    try:
        relative = name.relative_to(path)
    except ValueError:
        return None
    return None if ".." in relative.parts else relative


def _blobs(top: Path, shas: list[str]) -> list[bytes]:
    """The contents of blobs, read with one `git cat-file --batch`."""
    result = _run(
        ["git", "-C", str(top), "cat-file", "--batch"], "".join(f"{s}\n" for s in shas).encode()
    )
    out = result.stdout
    contents = []
    position = 0
    for _ in shas:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        contents.append(out[end + 1 : end + 1 + size])
        position = end + 1 + size + 1  # each content ends with a newline of git's
    return contents
