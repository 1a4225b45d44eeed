"""Stage 6: put generated files in OUTPUT, touching only what changed, all or nothing.

A run holds an exclusive lock on OUTPUT (a second run waits for it), writes every
changed file into a staging directory, then commits by atomically creating a journal
that lists the moves and removals, applies them and deletes the journal. A run killed
before the commit leaves every file as it was (the next run discards the staging
directory); one killed after it is completed by the next run before it does anything
else. Files that did not change are not rewritten, files not in the previous manifest
(the user's) are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".docs2models-manifest.json"
LOCK = ".docs2models.lock"
JOURNAL = ".docs2models-journal.json"
STAGING = ".docs2models-staging"


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def read_manifest(output: Path) -> list[str]:
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files", []) if isinstance(data, dict) else []
    return [f for f in files if isinstance(f, str) and _is_safe_relative(f)]


def _is_safe_relative(path: str) -> bool:
    parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    anchored = os.path.isabs(path) or bool(os.path.splitdrive(path)[0])
    return bool(parts) and not anchored and ".." not in parts


def manifest_text(files: dict[str, str]) -> str:
    return json.dumps({"generator": "docs2models", "files": sorted(files)}, indent=1) + "\n"


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock of OUTPUT (created if missing); wait while another run holds it.

    The lock file is removed on release. A waiter may then hold a lock on the removed
    file, so it checks after locking that the file it locked is still the one on disk.
    """
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK
    if sys.platform == "win32":  # no flock: runs on Windows are not serialised
        yield
        return
    import fcntl

    waited = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
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


def write_output(output: Path, files: dict[str, str]) -> WriteResult:
    """Replace changed files, delete files a previous run generated and this one did not."""
    with output_lock(output):
        recover(output)
        changed: list[str] = []
        unchanged = 0
        for relative, text in sorted(files.items()):
            try:
                if (output / relative).read_bytes() == text.encode("utf-8"):
                    unchanged += 1
                    continue
            except OSError:
                pass
            changed.append(relative)
        removed = [
            relative
            for relative in read_manifest(output)
            if relative not in files and (output / relative).is_file()
        ]
        manifest = manifest_text(files)
        try:
            manifest_changed = (output / MANIFEST).read_text(encoding="utf-8") != manifest
        except (OSError, UnicodeDecodeError):
            manifest_changed = True
        if changed or removed or manifest_changed:
            texts = {relative: files[relative] for relative in changed}
            if manifest_changed:
                texts[MANIFEST] = manifest  # moved last: it describes the finished run
            _commit(output, texts, removed)
            recover(output)
    return WriteResult(tuple(changed), tuple(removed), unchanged)


def _commit(output: Path, texts: dict[str, str], removed: list[str]) -> None:
    """Stage every new text, then atomically write the journal that makes the run happen."""
    staging = output / STAGING
    staging.mkdir()
    moves: list[list[str]] = []
    for index, (relative, text) in enumerate(texts.items()):
        name = f"{index}.tmp"
        with open(staging / name, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        moves.append([name, relative])
    journal = staging / "journal.json"
    journal.write_text(json.dumps({"moves": moves, "remove": removed}), encoding="utf-8")
    os.replace(journal, output / JOURNAL)


def recover(output: Path) -> None:
    """Finish the run the journal describes, or discard the staging of an uncommitted one."""
    journal = output / JOURNAL
    staging = output / STAGING
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = None
    except (OSError, ValueError):
        data = {}  # not a journal this module wrote: nothing in it is trusted
    if data is not None:
        made: set[Path] = set()
        for move in data.get("moves", []) if isinstance(data, dict) else []:
            if not (isinstance(move, list) and len(move) == 2):
                continue
            name, relative = (str(part) for part in move)
            source = staging / name
            if "/" in name or not _is_safe_relative(relative) or not source.is_file():
                continue  # moved before the interruption (or not ours)
            target = output / relative
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            os.replace(source, target)
        for relative in data.get("remove", []) if isinstance(data, dict) else []:
            target = output / str(relative)
            if _is_safe_relative(str(relative)) and (target.is_file() or target.is_symlink()):
                target.unlink()
                _remove_empty_parents(target.parent, output)
        journal.unlink()
    if staging.exists():
        shutil.rmtree(staging)


def _remove_empty_parents(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir():
        leftovers = [p for p in directory.iterdir() if p.name != "__pycache__"]
        if leftovers:
            return
        for cache in directory.iterdir():
            for item in cache.iterdir():
                item.unlink()
            cache.rmdir()
        directory.rmdir()
        directory = directory.parent
