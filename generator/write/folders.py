"""Folders below OUTPUT that a run writes in, moves into and removes from, never through a
link, even one made while it runs: each is opened part by part from OUTPUT without following
a link, and its files are reached through it, whatever is done to its path meanwhile. Where
the system opens no folder (Windows), a folder is its path, each part of it checked."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from types import TracebackType

from generator.write.safepaths import refusal

FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
# Whether a folder is held by a descriptor: where the system opens folders and opens files
# relative to one (POSIX).
BY_DESCRIPTOR = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


class Folder:
    """The folder `relative` below OUTPUT (with `make`, made where missing). WriteError for a
    link or a file on the way; FileNotFoundError for a missing part. Use it in `with`."""

    def __init__(self, output: Path, relative: str, make: bool = False) -> None:
        self.descriptor: int | None = None
        self.path = os.fspath(output)
        if BY_DESCRIPTOR:
            self.descriptor = os.open(output, FOLDER_FLAGS)
        opened = ""
        for part in filter(None, relative.split("/")):
            opened = f"{opened}/{part}" if opened else part
            try:
                self._enter(part, make)
            except OSError as problem:
                self.close()
                if problem.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                raise refusal(output, opened, "a symlink or not a folder") from None

    def _enter(self, part: str, make: bool) -> None:
        if self.descriptor is None:
            path = os.path.join(self.path, part)
            if make and not os.path.lexists(path):
                os.mkdir(path)
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), path)
            self.path = path
            return
        try:
            inner = os.open(part, FOLDER_FLAGS, dir_fd=self.descriptor)
        except FileNotFoundError:
            if not make:
                raise
            os.mkdir(part, dir_fd=self.descriptor)
            inner = os.open(part, FOLDER_FLAGS, dir_fd=self.descriptor)
        os.close(self.descriptor)
        self.descriptor = inner

    def name(self, name: str) -> str:
        """What to give the `os` functions, with `dir_fd=self.descriptor`, for `name` in it."""
        return name if self.descriptor is not None else os.path.join(self.path, name)

    def inner(self, name: str) -> Folder | None:
        """Its folder `name`, or None where there is no folder (or a link) of that name."""
        inner = Folder.__new__(Folder)
        inner.path, inner.descriptor = self.path, None
        if self.descriptor is not None:
            inner.descriptor = os.dup(self.descriptor)
        try:
            inner._enter(name, make=False)
        except OSError:
            inner.close()
            return None
        return inner

    def write(self, name: str, data: bytes) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        handle = os.open(self.name(name), flags, 0o666, dir_fd=self.descriptor)
        with os.fdopen(handle, "wb") as file:
            file.write(data)

    def close(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None

    def __enter__(self) -> Folder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def write_below(output: Path, relative: str, data: bytes) -> None:
    """`data` as the file `relative` below OUTPUT, its folders made where missing."""
    folder, _, name = relative.rpartition("/")
    with Folder(output, folder, make=True) as opened:
        opened.write(name, data)
