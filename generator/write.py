"""Stage 6: put generated files in OUTPUT, touching only what changed, all or nothing.

A run holds an exclusive lock on OUTPUT (a second run waits for it), writes every
changed file into a staging directory (a folder OUTPUT lacks is staged whole and moved
in one rename), then commits by atomically creating a journal that lists the moves and
removals, applies them and deletes the journal. A run killed before the commit leaves
every file as it was (the next run discards the staging directory); one killed after it
is completed by the next run before it does anything else. Files that did not change are
not rewritten, files not in the previous manifest (the user's) are never touched.
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

from generator.snapshot import Snapshot, take_snapshot

MANIFEST = ".docs2models-manifest.json"
LOCK = ".docs2models.lock"
JOURNAL = ".docs2models-journal.json"
STAGING = ".docs2models-staging"


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    # The stat snapshot of the files OUTPUT holds for this run (with the manifest), taken
    # before another run may write: None unless asked for.
    snapshot: Snapshot | None = None


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


def write_output(output: Path, files: dict[str, str], snapshot: bool = False) -> WriteResult:
    """Replace changed files, delete files a previous run generated and this one did not;
    with `snapshot`, the stat snapshot of the written tree is taken under the lock."""
    with output_lock(output):
        recover(output)
        changed: list[str] = []
        unchanged = 0
        folders = _Folders(output)
        for relative, text in sorted(files.items()):
            if folders.exists(os.path.dirname(relative)):
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
            _commit(output, texts, removed, folders)
            recover(output)
        taken = take_snapshot(output, [*files, MANIFEST]) if snapshot else None
    return WriteResult(tuple(changed), tuple(removed), unchanged, taken)


class _Folders:
    """Which folders of OUTPUT exist, each asked of the file system once."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.known: dict[str, bool] = {"": True}

    def exists(self, folder: str) -> bool:
        found = self.known.get(folder)
        if found is None:
            parent = os.path.dirname(folder)
            found = self.exists(parent) and os.path.isdir(self.output / folder)
            self.known[folder] = found
        return found

    def new_root(self, relative: str) -> str | None:
        """The outermost missing folder on the way to `relative`, if any."""
        root = None
        folder = os.path.dirname(relative)
        while not self.exists(folder):
            root, folder = folder, os.path.dirname(folder)
        return root


def _commit(output: Path, texts: dict[str, str], removed: list[str], folders: _Folders) -> None:
    """Stage every new text, then atomically write the journal that makes the run happen.

    Files of a folder that OUTPUT lacks are staged as that whole folder, which the journal
    moves at once: a new package costs a move per folder, not per file.
    """
    staging = output / STAGING
    staging.mkdir()
    moves: list[list[str]] = []
    staged_roots: dict[str, str] = {}
    made: set[str] = set()
    for index, (relative, text) in enumerate(texts.items()):
        root = folders.new_root(relative)
        if root is None:
            name = f"{index}.tmp"
            moves.append([name, relative])
            path = os.path.join(staging, name)
        else:
            name = staged_roots.get(root, "")
            if not name:
                name = staged_roots[root] = f"{len(staged_roots)}.dir"
                moves.append([name, root])
            path = os.path.join(staging, name, relative[len(root) + 1 :])
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))
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
            staged = source.is_dir() if name.endswith(".dir") else source.is_file()
            if "/" in name or not _is_safe_relative(relative) or not staged:
                continue  # moved before the interruption (or not ours)
            target = output / relative
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            _move(source, target)
        for relative in data.get("remove", []) if isinstance(data, dict) else []:
            target = output / str(relative)
            if _is_safe_relative(str(relative)) and (target.is_file() or target.is_symlink()):
                target.unlink()
                _remove_empty_parents(target.parent, output)
        journal.unlink()
    if staging.exists():
        shutil.rmtree(staging)


def _move(source: Path, target: Path) -> None:
    """`os.replace`, except that a staged folder is merged into one that exists by then."""
    if source.is_dir() and target.is_dir():
        for child in sorted(source.iterdir()):
            _move(child, target / child.name)
        source.rmdir()
        return
    os.replace(source, target)


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
