"""Whether a path setting can be used on this system, before a run reads or writes it: `~`
expanded where it names a home folder, and what the system says of the path."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.untrusted import cannot_read, not_a_file, special_kind

# What the system may say of a path that a run can still use: nothing there yet, or a file
# on the way; each is said where the path is used (a missing specs folder, a file in
# OUTPUT's place).
_USABLE_MISSES = frozenset({errno.ENOENT, errno.ENOTDIR})
_HOW_TO_FIX = {
    errno.ENAMETOOLONG: "choose a shorter path",
    errno.ELOOP: "a symbolic link on the way leads back to itself",
    errno.EACCES: "a folder on the way cannot be searched",
}


def home_expanded(path: Path) -> Path:
    """`path` with a leading `~` (or `~user`) made the home folder (of that user); as it is
    where there is none, which `unusable` then says."""
    if not str(path).startswith("~"):
        return path
    try:
        return path.expanduser()
    except RuntimeError:  # no such user, or no home folder
        return path


def unusable(what: str, path: Path, kind: str = "") -> str | None:
    """`path: error: ...` if the system refuses to look at `path`, or it is not of `kind`
    ("dir" or "file", where it exists; see `Config.unusable_paths`)."""
    if str(path).startswith("~"):  # not expanded: see `home_expanded`
        head = path.parts[0]
        why = "there is no home folder" if head == "~" else "there is no such user"
        return f"{path}: error: cannot expand {head}: {why} (write the full path)"
    try:
        mode = os.stat(path).st_mode
    except OSError as problem:
        if problem.errno == errno.ENOTDIR and kind:
            return f"{path}: error: {what} lies below a file, {_file_above(path)}"
        if problem.errno in _USABLE_MISSES:
            if os.path.islink(path):  # it would be made where the link leads, or fail
                return (
                    f"{path}: error: {what} is a symbolic link to nothing "
                    f"({os.readlink(path)}): remove the link, or make what it names"
                )
            if not _longer_than_allowed(path):
                return None
            problem = OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
        reason = cannot_read(what, problem).replace("cannot read", "cannot use", 1)
        fix = _HOW_TO_FIX.get(problem.errno or 0)
        return f"{path}: error: {reason}" + (f": {fix}" if fix else "")
    except ValueError:  # a NUL character, from a TOML string
        shown = str(path).replace("\0", "\\0")
        return f"{shown}: error: cannot use {what}: no path can hold a NUL character"
    if kind == "dir" and not stat.S_ISDIR(mode):
        found = special_kind(mode) or "a file"
        return f"{path}: error: {what} is {found}, not a folder (point it at a folder)"
    if kind == "file" and stat.S_ISDIR(mode):
        return f"{path}: error: {what} is a folder, not a file (point it at a file)"
    if kind == "file" and not stat.S_ISREG(mode):
        return f"{path}: error: {not_a_file(what, mode)}"
    return None


def _file_above(path: Path) -> Path:
    """The file that a path below it names as a folder."""
    for above in path.absolute().parents:
        if os.path.lexists(above) and not os.path.isdir(above):
            return above
    return path


def _longer_than_allowed(path: Path) -> bool:
    """Whether no file can have `path`, which the system says no more of than that a folder
    on the way is missing (it measures no name below that): a name longer than the file
    system of its nearest existing folder allows, or a whole path longer than a path can be.
    A run would make the folders above such a name, then fail, or go on without a cache."""
    absolute = os.fsencode(os.path.abspath(path))
    existing, missing = absolute, []
    while not os.path.lexists(existing) and existing != os.path.dirname(existing):
        existing, name = os.path.split(existing)
        missing.append(name)
    longest_name = _limit(existing, "PC_NAME_MAX", 255)
    longest_path = _limit(existing, "PC_PATH_MAX", 4096)  # the terminating NUL included
    return len(absolute) >= longest_path or any(len(name) > longest_name for name in missing)


def _limit(path: bytes, name: str, default: int) -> int:
    try:
        return os.pathconf(path, name)
    except (OSError, ValueError, AttributeError):  # a system (Windows) that does not say
        return default
