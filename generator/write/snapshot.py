"""Cheap evidence that files did not change: content digests and stat snapshots.

A stat snapshot hashes each file's size, modification and change times and inode. Any
write to a file changes its change time (ctime), which no tool can set back, so an equal
snapshot means the bytes read when it was taken are still there -- unless the file was
written within one tick of the file system clock of the moment it was taken. Such
"racy" files (git's term) are recognised by their recent ctime and re-read instead.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.untrusted import list_tree, read_bounded

DOC_SUFFIX = ".md"
# Files changed this close to a snapshot are read again. Linux stamps files from a clock
# that advances once per tick (at most 10 ms); file systems that keep whole seconds
# (FAT, HFS+, ext3) are recognised by their timestamps and get two seconds.
RACY_MARGIN_NS = 50_000_000
COARSE_MARGIN_NS = 2_000_000_000
_SECOND = 1_000_000_000


@dataclass(frozen=True)
class Snapshot:
    digest: str  # of (name, size, mtime, ctime, inode) for every file, in order
    taken_at: int  # time.time_ns() just before the files were looked at
    newest: int  # the latest ctime (or mtime) among the files
    coarse: bool = False  # every timestamp a whole second
    # Where single files are to be vouched for (see `vouched`): the files' names in order,
    # and four numbers per file (size, mtime, ctime, inode), flat: cheap to store and load.
    names: tuple[str, ...] = ()
    stats: tuple[int, ...] | None = None

    def vouches_for(self, earlier: Snapshot | None) -> bool:
        """True when the files are provably as they were when `earlier` was taken."""
        if earlier is None or earlier.digest != self.digest:
            return False
        return self.newest < earlier.taken_at - self._margin()

    def vouched(self, earlier: Snapshot | None) -> frozenset[str]:
        """The files provably as they were when `earlier` was taken, each on its own: the
        others (say, those written by the run that took `earlier`) are to be read."""
        if self.vouches_for(earlier):
            return frozenset(self.names)
        if earlier is None or earlier.stats is None or self.stats is None:
            return frozenset()
        then = dict(zip(earlier.names, _each_file(earlier.stats), strict=True))
        limit = earlier.taken_at - self._margin()
        return frozenset(
            name
            for name, status in zip(self.names, _each_file(self.stats), strict=True)
            if then.get(name) == status and max(status[1], status[2]) < limit
        )

    def racy(self) -> bool:
        """Whether a file changed so shortly before the snapshot that a later change may
        leave its times as they were."""
        return self.newest >= self.taken_at - self._margin()

    def _margin(self) -> int:
        return COARSE_MARGIN_NS if self.coarse else RACY_MARGIN_NS


def _each_file(stats: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    numbers = iter(stats)
    return zip(numbers, numbers, numbers, numbers, strict=True)


def tree_files(root: Path, follow_links: bool = False) -> list[str]:
    """Every file under root, as sorted `/`-separated relative paths (see `list_tree`)."""
    return list_tree(root, follow_links).files


def take_snapshot(root: Path, relatives: list[str], each: bool = False) -> Snapshot | None:
    """The stat snapshot of `relatives` under root (in sorted order, whatever order they
    come in), with `each` file's stat; None when one of them is missing."""
    base = os.fspath(root)
    return _snapshot(
        [(relative, os.path.join(base, relative)) for relative in sorted(relatives)], each
    )


def paths_snapshot(paths: list[str]) -> Snapshot | None:
    """The stat snapshot of files named by full paths."""
    return _snapshot([(path, path) for path in sorted(paths)])


def _snapshot(files: list[tuple[str, str]], each: bool = False) -> Snapshot | None:
    taken_at = time.time_ns()
    hasher = hashlib.sha256()
    newest = 0
    coarse = True
    stats: list[int] = []
    for name, path in files:
        try:
            status = os.stat(path)
        except OSError:
            return None
        newest = max(newest, status.st_ctime_ns, status.st_mtime_ns)
        coarse = coarse and status.st_mtime_ns % _SECOND == 0 and status.st_ctime_ns % _SECOND == 0
        stat_of = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        if each:
            stats.extend(stat_of)
        hasher.update(b"%s\0%d %d %d %d\n" % (name.encode("utf-8", "surrogateescape"), *stat_of))
    names = tuple(name for name, _ in files) if each else ()
    return Snapshot(
        hasher.hexdigest(),
        taken_at,
        newest,
        coarse and bool(files),
        names,
        tuple(stats) if each else None,
    )


def specs_digest(specs: Path, relatives: list[str], keep: dict[str, bytes] | None = None) -> str:
    """Names and bytes of the docs; other files count by name, size and time.

    `keep` receives the bytes of every doc read, by relative path.
    """
    hasher = hashlib.sha256()
    base = os.fspath(specs)
    for relative in relatives:
        path = os.path.join(base, relative)
        content = read_regular(path) if relative.endswith(DOC_SUFFIX) else None
        if content is not None:
            if keep is not None:
                keep[relative] = content
            data = content
        else:
            try:
                status = os.stat(path)
                data = b"%d %d %d" % (status.st_mode, status.st_size, status.st_mtime_ns)
            except OSError:
                data = b"\0unreadable"
        name = relative.encode("utf-8", "surrogateescape")
        hasher.update(b"%d:%s%d:" % (len(name), name, len(data)))
        hasher.update(data)
    return hasher.hexdigest()


def hash_files(paths: list[Path], base: Path) -> str:
    """One digest of the relative names and bytes of `paths` (others count as unreadable)."""
    hasher = hashlib.sha256()
    for path in paths:
        data = read_regular(os.fspath(path))
        name = path.relative_to(base).as_posix().encode("utf-8", "surrogateescape")
        content = b"\0unreadable" if data is None else data
        hasher.update(b"%d:%s%d:" % (len(name), name, len(content)))
        hasher.update(content)
    return hasher.hexdigest()


def file_hashes(files: dict[str, str]) -> dict[str, str]:
    """sha256 of each text as it is written (UTF-8)."""
    return {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in files.items()}


def files_match(
    root: Path, hashes: Mapping[str, str], vouched: frozenset[str] = frozenset()
) -> bool:
    """True when every file under root has the recorded sha256 (those `vouched` for are
    taken to have it)."""
    base = os.fspath(root)
    for relative, expected in hashes.items():
        if relative in vouched:
            continue
        if relative.startswith("/") or ".." in relative.split("/"):
            return False
        data = read_regular(os.path.join(base, relative))
        if data is None or hashlib.sha256(data).hexdigest() != expected:
            return False
    return True


def read_regular(path: str) -> bytes | None:
    """The bytes of a regular file; None for anything else (a FIFO must not block us) and
    for a file too large to be read (see `read_bounded`)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return read_bounded(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
