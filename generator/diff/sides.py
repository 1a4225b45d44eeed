"""The two sides of a diff: two doc trees, or the specs folder at a git revision (read
with git into a temporary folder, nothing checked out) and in the working tree."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from generator.config import Config, SettingsError

# `git ls-tree` modes of regular files; links and submodules are not docs.
_FILE_MODES = frozenset({"100644", "100755"})


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
    """Write the files of `path` at `commit` below `into` (a folder's `.md` files, or the one
    file when `single`); False when the revision has no such path."""
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", path.as_posix())
    entries = []
    for record in (listing or "").split("\0"):
        meta, _, name = record.partition("\t")
        mode, kind, sha = [*meta.split(), "", "", ""][:3]
        relative = _below(PurePosixPath(name), path, single)
        if kind == "blob" and mode in _FILE_MODES and relative is not None:
            entries.append((sha, relative))
    if not entries:
        return False
    blobs = _blobs(top, [sha for sha, _ in entries])
    for (_, relative), data in zip(entries, blobs, strict=True):
        target = into.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return True


def _below(name: PurePosixPath, path: PurePosixPath, single: bool) -> PurePosixPath | None:
    """Where a listed file goes, relative to the folder written; None to leave it out."""
    if single:
        return PurePosixPath(name.name) if name == path else None
    try:
        relative = name.relative_to(path)
    except ValueError:
        return None
    if ".." in relative.parts or not relative.name.endswith(".md"):
        return None
    return relative


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
