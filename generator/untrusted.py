"""Reading files the tool does not own: settings, overrides, what OUTPUT holds, the cache.

Python's parsers recurse once per level of nesting (tomllib in Python, json in C), so a
file nested thousands of levels deep ends in RecursionError, and an integer longer than
Python converts (4 300 decimal digits by default) in ValueError. TOML's hexadecimal, octal
and binary integers are read without that limit, and fail later, wherever they are written
as text (a message, generated code). Every TOML and JSON text from disk is therefore parsed
here, with a bound on its nesting that the caller chooses and on every integer whatever its
base, and whatever stops it (too deep, too long a number, a syntax error, bytes that are
not UTF-8) becomes one `InputError` saying why, with its line where the parser knows it.

A file is read only if it is a regular file: a named pipe would block the run and a device
could act when opened, so neither is ever opened. Every file, input or OUTPUT's, is read by
`read_bounded`, which refuses one larger than any the tool reads or writes, unread: read
whole, it could exhaust the memory. A folder is listed by `list_tree`, which names every
folder it cannot list rather than leave its files out.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Settings, overrides, OUTPUT's manifest and journal and the no-op stamp nest two to four
# levels: a bound far above what they need, and far below where the parsers' recursion
# stops (about 300 levels for tomllib).
INPUT_DEPTH = 64
# The largest real Speakeasy doc known is 634 KB, the largest file generated from such docs
# 614 KB (a package's `__init__.py`), a settings or overrides file, a manifest or a journal
# less: 25 times that is no real file, and reads fast enough.
MAX_FILE_BYTES = 16 * 1024 * 1024
_MB = 1024 * 1024

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
TOML_CONTAINERS = "arrays and tables"
JSON_CONTAINERS = "arrays and objects"
_TOML_LINE = re.compile(r" \(at line (\d+), column (\d+)\)$")


class InputError(ValueError):
    """An input that cannot be used: `reason` says why, `line` where (0: no line);
    `past_limit`: well-formed, but nested deeper or with longer numbers than is read."""

    def __init__(self, reason: str, line: int = 0, past_limit: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.past_limit = past_limit

    def at(self, path: object) -> str:
        """`path[:line]: error: reason`, as every problem is said."""
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{where}: error: {self.reason}"


class FileTooLarge(OSError):
    """A file of `size` bytes, over the `limit` of what is read (see `read_bounded`)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"{size} bytes, over the limit of {limit // _MB} MB")
        self.size = size
        self.limit = limit

    def reason(self, what: str) -> str:
        """Why `what` is not read, as a problem says it."""
        return f"{what} is {self.size} bytes, over the limit of {self.limit // _MB} MB"


def read_bounded(fd: int, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file open as `fd`, which must hold at most `limit` of them;
    FileTooLarge for a larger one, of which nothing is read. How every file is read."""
    size = os.fstat(fd).st_size
    if size > limit:
        raise FileTooLarge(size, limit)
    with os.fdopen(fd, "rb", closefd=False) as handle:
        # A byte more than its size, not `limit`: a buffer that large for every small file
        # would cost. A file that grew since its size was taken is read on, to the bound.
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise FileTooLarge(max(len(data), os.fstat(fd).st_size), limit)
    return data


def special_kind(mode: int) -> str:
    """What a special file is ('' for a file, a folder or a link)."""
    return next((kind for is_kind, kind in _SPECIAL_KINDS if is_kind(mode)), "")


def cannot_read(what: str, problem: OSError) -> str:
    """Why `what` could not be read, as the system said it (`permission denied`)."""
    reason = problem.strerror or type(problem).__name__
    return f"cannot read {what} ({reason[:1].lower()}{reason[1:]})"


def read_input(
    path: str | Path,
    what: str = "the file",
    follow_links: bool = True,
    limit: int = MAX_FILE_BYTES,
) -> bytes:
    """The bytes of the regular file at `path` (through a link unless `follow_links` is
    false), of at most `limit` bytes; InputError for anything else, a special file never
    opened."""
    try:
        mode = (os.stat if follow_links else os.lstat)(path).st_mode
    except OSError as problem:
        raise InputError(cannot_read(what, problem)) from None
    if not stat.S_ISREG(mode):
        raise InputError(not_a_file(what, mode))
    # Non-blocking: a named pipe put there since the check must not hold the run.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as problem:
        raise InputError(cannot_read(what, problem)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(not_a_file(what, mode))
        return read_bounded(fd, limit)
    except FileTooLarge as problem:
        raise InputError(problem.reason(what)) from None
    except OSError as problem:
        raise InputError(cannot_read(what, problem)) from None
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Listing:
    """What a folder holds, as `/`-separated paths relative to it, each list sorted."""

    files: list[str]  # everything but folders: links to files, named pipes, ...
    links: list[str]  # every symlink, to a file or a folder (or to nothing)
    # Folders that could not be listed ("" for the folder itself), each with why.
    unreadable: list[tuple[str, str]]


def list_tree(root: str | Path, follow_links: bool = False) -> Listing:
    """Every file under `root`. Links to folders are followed only with `follow_links` (as
    Jinja reaches templates), each real folder once, so that a link loop ends. A folder
    that cannot be listed is named, never skipped in silence: its files are inputs too."""
    files: list[str] = []
    links: list[str] = []
    unreadable: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()
    base = os.fspath(root)
    pending = [""]
    while pending:
        relative = pending.pop()
        folder = os.path.join(base, relative) if relative else base
        try:
            if follow_links:
                status = os.stat(folder)
                if (status.st_dev, status.st_ino) in seen:
                    continue
                seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listed:
                entries = list(listed)
        except OSError as problem:
            unreadable.append((relative, cannot_read("the folder", problem)))
            continue
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            is_link = entry.is_symlink()
            if is_link:
                links.append(path)
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.append(path)
            elif follow_links or not is_link:
                pending.append(path)
    return Listing(sorted(files), sorted(links), sorted(unreadable))


def make_folders(path: str | Path, mode: int = 0o777) -> None:
    """`path` and the folders above it that are missing, the last made with `mode`; as
    `os.makedirs(path, mode, exist_ok=True)`, which calls itself once a folder: a folder
    that a user names (OUTPUT, the cache) may lie more levels deep than Python recurses."""
    target = Path(path)
    missing: list[Path] = []
    for folder in (target, *target.parents):
        if os.path.isdir(folder):
            break
        missing.append(folder)
    for depth, folder in enumerate(reversed(missing), start=1):
        try:
            os.mkdir(folder, mode if depth == len(missing) else 0o777)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise


def not_a_file(what: str, mode: int) -> str:
    """Why `what`, of `mode`, is not read as a file."""
    if stat.S_ISDIR(mode):
        return f"{what} is a folder, not a file"
    kind = "a symlink" if stat.S_ISLNK(mode) else special_kind(mode) or "a special file"
    return f"{what} is not a regular file but {kind} (not opened: it could block the run)"


def utf8_text(data: bytes, what: str = "the file") -> str:
    """`data` decoded; InputError (at the line of the first bad byte) if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise InputError(_not_utf8(what, problem), line) from None


def read_toml(
    path: str | Path, what: str, max_depth: int = INPUT_DEPTH
) -> tuple[str, dict[str, Any]]:
    """The text of the TOML file at `path` and its tables, read as `read_input` and
    `load_toml` read them."""
    text = utf8_text(read_input(path, what), what)
    return text, load_toml(text, what, max_depth)


def load_toml(text: str, what: str = "the file", max_depth: int = INPUT_DEPTH) -> dict[str, Any]:
    """The tables of the TOML text of `what`, which must nest at most `max_depth` levels;
    else InputError."""
    try:
        value = tomllib.loads(text)
    except RecursionError:
        raise _too_deep(what, max_depth, TOML_CONTAINERS) from None
    except tomllib.TOMLDecodeError as problem:
        message, line = _toml_position(str(problem))
        raise InputError(f"{what} is not valid TOML: {message}", line) from None
    except ValueError as problem:
        raise _number_problem(what, problem) from None
    check_depth(value, max_depth, TOML_CONTAINERS, what)
    _check_integers(value, what)
    return value


def load_json(data: str | bytes, what: str = "the file", max_depth: int = INPUT_DEPTH) -> Any:
    """The value of the JSON text of `what`, which must nest at most `max_depth` levels;
    else InputError."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise _too_deep(what, max_depth, JSON_CONTAINERS) from None
    except json.JSONDecodeError as problem:
        raise InputError(f"{what} is not valid JSON: {problem.msg}", problem.lineno) from None
    except UnicodeDecodeError as problem:
        raise InputError(_not_utf8(what, problem)) from None
    except ValueError as problem:
        raise _number_problem(what, problem) from None
    # A text with fewer brackets than the bound cannot nest deeper: most never need the walk.
    if isinstance(data, bytes):
        opening = data.count(b"[") + data.count(b"{")
    else:
        opening = data.count("[") + data.count("{")
    if opening > max_depth:
        check_depth(value, max_depth, JSON_CONTAINERS, what)
    return value


def check_depth(value: Any, max_depth: int, containers: str, what: str = "the value") -> None:
    """InputError if the lists and dicts of `value` nest deeper than `max_depth`; level by
    level, without recursion."""
    level = [value] if isinstance(value, dict | list) else []
    for _ in range(max_depth):
        items = (v for c in level for v in (c.values() if isinstance(c, dict) else c))
        level = [v for v in items if isinstance(v, dict | list)]
        if not level:
            return
    raise _too_deep(what, max_depth, containers)


def _too_deep(what: str, max_depth: int, containers: str) -> InputError:
    return InputError(f"{what} is nested deeper than {max_depth} levels of {containers}", 0, True)


def _not_utf8(what: str, problem: UnicodeDecodeError) -> str:
    return f"{what} is not UTF-8 text ({problem.reason} at byte {problem.start})"


def _number_problem(what: str, problem: ValueError) -> InputError:
    """The parsers' other ValueError: an integer longer than Python converts."""
    limit = sys.get_int_max_str_digits()
    if limit and "integer string conversion" in str(problem):
        return _too_long(what, limit)
    return InputError(f"{what} cannot be read: {problem}")


def _check_integers(value: Any, what: str) -> None:
    """InputError if an integer of `value` has more decimal digits than Python converts to
    text: `0x...` was read without the limit, and would fail where it is written."""
    limit = sys.get_int_max_str_digits()
    if not limit:
        return
    # Below 3 bits a digit, an integer has fewer digits than the limit: no power of ten.
    bits = 3 * limit
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, int) and abs(item).bit_length() > bits and abs(item) >= 10**limit:
            raise _too_long(what, limit)


def _too_long(what: str, limit: int) -> InputError:
    reason = (
        f"{what} holds an integer of more than {limit} decimal digits, which Python does not "
        "read"
    )
    return InputError(reason, 0, True)


def _toml_position(message: str) -> tuple[str, int]:
    """tomllib's message without its `(at line N, column M)`, and N (0 if it has none)."""
    found = _TOML_LINE.search(message)
    if found is None:
        return message, 0
    return f"{message[: found.start()]} (column {found.group(2)})", int(found.group(1))
