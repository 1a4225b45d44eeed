"""The lock that serialises runs into one OUTPUT (a second run waits for the first)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.untrusted import make_folders
from generator.write.safepaths import SafePaths, WriteError

LOCK = ".docs2models.lock"


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock of OUTPUT (created if missing); wait while another run holds it.

    The lock file is removed on release. A waiter may then hold a lock on the removed
    file, so it checks after locking that the file it locked is still the one on disk.
    """
    if output.exists() and not output.is_dir():
        raise WriteError(f"{output}: error: OUTPUT is a file, not a folder (point it at a folder)")
    try:
        make_folders(output)
    except OSError as problem:
        raise WriteError(f"{output}: error: cannot create OUTPUT: {problem.strerror}") from None
    path = SafePaths(output).check(LOCK)
    if sys.platform == "win32":  # no flock: runs on Windows are not serialised
        yield
        return
    import fcntl

    waited = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as problem:
            reason = f"{LOCK} is a symlink" if os.path.islink(path) else problem.strerror
            raise WriteError(f"{path}: error: cannot lock OUTPUT: {reason}") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited:
                    print(
                        f"docs2models: waiting for another run to finish writing {output}",
                        file=sys.stderr,
                    )
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                current = False
        except BaseException:
            os.close(fd)
            raise
        if current:
            break
        os.close(fd)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # closing releases the lock
