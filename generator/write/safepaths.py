"""Paths inside OUTPUT that the tool may read, create, replace or remove: never through a
symlink, never a special file.

OUTPUT is committed to a repository, so whatever lies in it (a symlink, a named pipe, a
planted file) may come in with a pull. Every component of a path below OUTPUT is looked at,
without following links, before anything is read, written or removed there: a link could
show what lies outside OUTPUT (`generate --check` prints what it reads), a named pipe or a
device would block or act when opened.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.model.printable import printable
from generator.untrusted import read_bounded, special_kind

# NAME_MAX, in bytes, of the common file systems (ext4, XFS, Btrfs, APFS): none holds more.
_LONGEST_NAME = 255
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class WriteError(Exception):
    """OUTPUT cannot be written safely, or the file system refused: `path: error: ...`, one
    line for each of `problems`, whatever the paths in it hold (see `printable`).

    `interrupted`: the run had committed and stopped part way; the next run finishes it.
    """

    def __init__(self, problems: str | Sequence[str], interrupted: bool = False) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(printable(line) for line in self.problems))
        self.interrupted = interrupted


class SafePaths:
    """The paths of one OUTPUT, checked component by component (each component once)."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self._base = os.fspath(output)
        self._checked: set[str] = {""}
        # Files read that have other names (hard links): names, perhaps, of a file outside
        # OUTPUT, whose content is then not to be shown.
        self.other_names: set[str] = set()

    def check(self, relative: str) -> Path:
        """`relative` under OUTPUT, after checking that no existing part of it is a symlink
        or a special file."""
        self.verify(relative)
        return self.output / relative

    def read(self, relative: str) -> bytes | None:
        """The bytes of the file at `relative` (None if there is none), checked as `check`
        does; IsADirectoryError for a folder, FileTooLarge, unread, for a file larger than
        any a run writes."""
        self.verify(relative)
        path = os.path.join(self._base, relative)
        try:
            fd = os.open(path, _READ_FLAGS)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as problem:
            if problem.errno != errno.ELOOP:  # a link made since it was checked
                raise
            raise refusal(self.output, relative, "a symlink") from None
        try:
            status = os.fstat(fd)
            mode = status.st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
            if not stat.S_ISREG(mode):  # made since it was checked
                raise refusal(self.output, relative, special_kind(mode) or "not a file")
            if status.st_nlink > 1:
                self.other_names.add(relative)
            return read_bounded(fd)
        finally:
            os.close(fd)

    def verify(self, relative: str) -> None:
        """Check that no existing part of `relative` under OUTPUT is a symlink or a special
        file (a named pipe, a device, a socket)."""
        if relative in self._checked:
            return
        parts = relative.split("/")
        prefix = ""
        for depth, part in enumerate(parts, start=1):
            prefix = f"{prefix}/{part}" if prefix else part
            if prefix in self._checked:
                continue
            try:
                mode = os.lstat(os.path.join(self._base, prefix)).st_mode
            except FileNotFoundError:
                return  # nothing below a missing part exists either
            except NotADirectoryError:
                above = "/".join(parts[: depth - 1])
                if not above:
                    raise WriteError(
                        f"{self.output}: error: OUTPUT is a file, not a folder (point it at "
                        "a folder)"
                    ) from None
                raise WriteError(
                    f"{self.output / above}: error: {above} is a file where docs2models "
                    "writes a folder; move it or delete it"
                ) from None
            except OSError as problem:
                raise WriteError(f"{self.output / prefix}: error: {problem.strerror}") from None
            kind = "a symlink" if stat.S_ISLNK(mode) else special_kind(mode)
            if kind:
                raise refusal(self.output, prefix, kind)
            self._checked.add(prefix)

    def verify_all(self, relatives: Iterable[str]) -> None:
        """`verify` every one of `relatives`, listing each folder once rather than looking
        at each file on its own: as cheap for thousands of files as a stat snapshot. One
        WriteError names every path refused, each once."""
        by_folder: dict[str, list[str]] = {}
        for relative in sorted(relatives):
            folder, _, name = relative.rpartition("/")
            by_folder.setdefault(folder, []).append(name)
        problems: dict[str, None] = {}  # in the order found, each once
        for folder, names in by_folder.items():
            try:
                self.verify(folder)
                kinds = _entry_kinds(os.path.join(self._base, folder), set(names))
            except WriteError as refused:
                problems.update(dict.fromkeys(refused.problems))
                continue
            except OSError:  # missing, or not a folder: said as `verify` says it
                kinds = None
            for name in names:
                relative = f"{folder}/{name}" if folder else name
                try:
                    if kinds is None:
                        self.verify(relative)
                    elif kind := kinds.get(name, ""):
                        raise refusal(self.output, relative, kind)
                except WriteError as refused:
                    problems.update(dict.fromkeys(refused.problems))
        if problems:
            raise WriteError(list(problems))

    def forget(self, relative: str) -> None:
        """`relative` and what is below it changed: check them again when next asked."""
        self._checked = {
            p for p in self._checked if p != relative and not p.startswith(relative + "/")
        }


def refusal(output: Path, relative: str, kind: str) -> WriteError:
    return WriteError(
        f"{output / relative}: error: {relative} is {kind}; refusing to read or write "
        "through it (remove it, and docs2models writes a real file or folder there)"
    )


def _entry_kinds(folder: str, names: set[str]) -> dict[str, str]:
    """What each of `names` in `folder` is, where it is a symlink or a special file (the
    folder's listing tells without a look at each file)."""
    kinds: dict[str, str] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in names or entry.is_dir(follow_symlinks=False):
                continue
            if entry.is_symlink():
                kinds[entry.name] = "a symlink"
            elif not entry.is_file(follow_symlinks=False):
                kinds[entry.name] = special_kind(entry.stat(follow_symlinks=False).st_mode)
    return kinds


def case_collisions(relatives: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of paths, among `relatives` and the folders above them, that differ only in
    case (or Unicode form): one path on a case-insensitive file system (macOS, Windows).
    Each pair differs in its last part, the first of the two in sorted order."""
    spellings: dict[str, set[str]] = {}
    for relative in relatives:
        prefix = ""
        for part in relative.split("/"):
            prefix = f"{prefix}/{part}" if prefix else part
            spellings.setdefault(_folded(prefix), set()).add(prefix)
    pairs: list[tuple[str, str]] = []
    for found in spellings.values():
        # Below two spellings of a folder, every path differs too: named once, at the folder.
        by_folder: dict[str, list[str]] = {}
        for path in sorted(found):
            by_folder.setdefault(os.path.dirname(path), []).append(path)
        for first, *others in by_folder.values():
            pairs.extend((first, other) for other in others)
    return sorted(pairs)


def _folded(path: str) -> str:
    return unicodedata.normalize("NFC", path).casefold()


def is_safe_relative(path: str) -> bool:
    """A relative path as docs2models writes one (`a/b.py`: no empty, `.` or `..` part, no
    backslash, no slash at either end), and that a file can have: the system refuses a NUL,
    a character the file system's encoding cannot write (a lone surrogate from JSON) and a
    name longer than any common file system holds."""
    parts = path.split("/")
    canonical = "\\" not in path and all(part not in ("", ".", "..") for part in parts)
    anchored = os.path.isabs(path) or bool(os.path.splitdrive(path)[0])
    return canonical and not anchored and _nameable(parts)


def _nameable(parts: list[str]) -> bool:
    try:
        names = [os.fsencode(part) for part in parts]
    except UnicodeError:
        return False
    return all(b"\0" not in name and len(name) <= _LONGEST_NAME for name in names)


def remove_empty_parents(directory: Path, stop: Path) -> None:
    """Remove `directory` and its parents below `stop` while they hold nothing but caches."""
    while directory != stop and directory.is_dir() and not directory.is_symlink():
        caches = [p for p in directory.iterdir() if _is_cache(p)]
        if len(caches) != sum(1 for _ in directory.iterdir()):
            return
        for cache in caches:
            for item in cache.iterdir():
                if not item.is_file() or item.is_symlink():
                    return  # not the byte code Python left: the user's
            for item in cache.iterdir():
                item.unlink()
            cache.rmdir()
        directory.rmdir()
        directory = directory.parent


def _is_cache(path: Path) -> bool:
    """Python's byte-code folder (a `__pycache__` file or link is not one)."""
    return path.name == "__pycache__" and path.is_dir() and not path.is_symlink()
