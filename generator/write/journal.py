"""The journal that makes a run's writes all or nothing, trusted only if this tool wrote it.

A run stages its files in OUTPUT's staging folder, then commits by atomically creating the
journal, which lists the moves and removals; applying it and deleting it finishes the run.
A run killed after the commit is finished by the next one. OUTPUT is committed to
repositories, so a journal may also come in with a pull: it is replayed only if it carries
the run id of this process or a MAC made with this machine's key (created once, readable by
its owner only, outside OUTPUT and the cache). Any other journal is an error that no run
gets past: it is for the user to look at and remove. The staging folder carries the same
proof (its `owner.json`): a run killed before its commit leaves one that the next run
removes, and one that came with OUTPUT is an error, never removed with what it holds.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import stat
from pathlib import Path
from typing import Any

from generator.untrusted import InputError, load_json, read_bounded, read_input
from generator.write.folders import Folder
from generator.write.safepaths import SafePaths, WriteError, is_safe_relative, remove_empty_parents

JOURNAL = ".docs2models-journal.json"
STAGING = ".docs2models-staging"
KEY_NAME = "journal.key"
OWNER = "owner.json"
PART = "owner.json.part"  # the proof, until it is whole: moved to OWNER at once


def state_dir() -> Path:
    """`$XDG_STATE_HOME/docs2models`, or `~/.local/state/docs2models` (the XDG default)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / "docs2models"


def _machine_key() -> bytes | None:
    """This machine's (this user's) key for journals; None where it cannot be kept."""
    path = state_dir() / KEY_NAME
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        return _read_key(path)
    except FileExistsError:  # another run made it meanwhile
        try:
            return _read_key(path)
        except OSError:
            return None
    except OSError:
        return None


def _read_key(path: Path) -> bytes:
    """The key file's bytes, read as every file is (see `read_bounded`); OSError if it
    cannot be read."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return read_bounded(fd)
    finally:
        os.close(fd)


def _mac(key: bytes, body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, text, hashlib.sha256).hexdigest()


class Journal:
    """The journal of one OUTPUT, for one run (its id is random)."""

    def __init__(self, output: Path, paths: SafePaths) -> None:
        self.output = output
        self.paths = paths
        self.run = secrets.token_hex(16)
        # OUTPUT holds a journal that a run finishes: this run's, or one it trusted.
        self._committed = False

    def pending(self) -> bool:
        """Whether a run stopped part way leaves a journal that the next run finishes (a
        journal that is refused is no such journal)."""
        return self._committed and os.path.lexists(self.output / JOURNAL)

    def stage(self) -> Path:
        """This run's staging folder, made with the proof that this tool made it."""
        staging = self.paths.check(STAGING)
        staging.mkdir()
        with Folder(self.output, STAGING) as folder:
            folder.write(PART, self._signed({"staging": True}).encode())
            fd = folder.descriptor
            os.replace(folder.name(PART), folder.name(OWNER), src_dir_fd=fd, dst_dir_fd=fd)
        return staging

    def write(self, moves: list[list[str]], removed: list[str]) -> None:
        """Commit: the journal, written atomically from the staging folder."""
        body = self._signed({"moves": moves, "remove": removed}).encode()
        with Folder(self.output, STAGING) as staging, Folder(self.output, "") as root:
            staging.write("journal.json", body)
            os.replace(
                staging.name("journal.json"),
                root.name(JOURNAL),
                src_dir_fd=staging.descriptor,
                dst_dir_fd=root.descriptor,
            )
        self._committed = True

    def _signed(self, body: dict[str, Any]) -> str:
        """`body` with this run's id and, where this machine keeps a key, its MAC."""
        body = {"run": self.run, **body}
        key = _machine_key()
        if key is not None:
            body["mac"] = _mac(key, body)
        return json.dumps(body)

    def unfinished(self) -> bool:
        """Whether OUTPUT holds a journal or staging that the next run finishes or discards;
        WriteError for a journal or staging this tool did not write (see `recover`). Applies
        nothing."""
        body, left_staging = self._left()
        return body is not None or left_staging

    def recover(self) -> int:
        """Finish the run the journal describes, or discard the staging of an uncommitted
        one; the number of files and folders moved or removed."""
        body, left_staging = self._left()
        done = 0
        if body is not None:
            self._committed = True
            done = self._replay(body)
            self.paths.check(JOURNAL).unlink()
        if left_staging:
            shutil.rmtree(self.paths.check(STAGING))
        return done

    def _left(self) -> tuple[dict[str, Any] | None, bool]:
        """The journal a run left (None: none) and whether it left a staging folder;
        WriteError naming each of them that this tool did not write."""
        journal, staging = self.paths.check(JOURNAL), self.paths.check(STAGING)
        problems = []
        body = None
        if os.path.lexists(journal):
            body, why = self._proven(journal, "moves")
            if body is None:
                problems.append(
                    f"{journal}: error: {JOURNAL} was not written by docs2models on this "
                    f"machine ({why}): nothing in it was applied, and no run applies it. Look "
                    f"at what it lists, then remove it (and {STAGING}, if there is one) and "
                    "run again"
                )
        left_staging = os.path.lexists(staging)
        if left_staging and not _left_by_a_kill(staging):
            owner, why = self._proven(staging / OWNER, "staging")
            if owner is None:
                problems.append(
                    f"{staging}: error: {STAGING} was not made by docs2models on this machine "
                    f"({why}): nothing in it was removed. Look at what it holds, then remove "
                    "it and run again"
                )
        if problems:
            raise WriteError(problems)
        return body, left_staging

    def _proven(self, path: Path, kind: str) -> tuple[dict[str, Any] | None, str]:
        """The body of a file this tool wrote (this run, or with this machine's MAC), which
        holds `kind`; or None and why it is not trusted."""
        why = "it came with the folder?"
        try:
            body = load_json(read_input(path, "it", follow_links=False), "it")
        except InputError as problem:
            body, why = None, problem.reason
        if isinstance(body, dict) and kind in body:
            mac = body.pop("mac", None)
            key = _machine_key()
            if body.get("run") == self.run or (
                isinstance(mac, str)
                and key is not None
                and hmac.compare_digest(mac, _mac(key, body))
            ):
                return body, ""
        return None, why

    def _replay(self, body: dict[str, Any]) -> int:
        staging = self.output / STAGING
        done = 0
        for move in body.get("moves", []):
            if not (isinstance(move, list) and len(move) == 2):
                continue
            name, relative = (str(part) for part in move)
            source = staging / name
            staged = source.is_dir() if name.endswith(".dir") else source.is_file()
            if "/" in name or not is_safe_relative(relative) or not staged:
                continue  # moved before the interruption
            self.paths.check(relative)
            folder, _, name = relative.rpartition("/")
            with Folder(self.output, folder, make=True) as into:
                _move(source, into, name)
            self.paths.forget(relative)
            done += 1
        for relative in body.get("remove", []):
            if not is_safe_relative(str(relative)):
                continue
            target = self.paths.check(str(relative))
            folder, _, name = str(relative).rpartition("/")
            try:
                with Folder(self.output, folder) as held:
                    at = held.name(name)
                    status = os.stat(at, dir_fd=held.descriptor, follow_symlinks=False)
                    if stat.S_ISDIR(status.st_mode):
                        continue
                    os.unlink(at, dir_fd=held.descriptor)
                    done += 1
            except FileNotFoundError:
                continue
            remove_empty_parents(target.parent, self.output)
        return done


def _left_by_a_kill(path: Path) -> bool:
    """Whether `path` is a folder that holds nothing but what a run killed as it made its
    staging folder leaves: nothing, or its proof written part way."""
    try:
        return set(os.listdir(path)) <= {PART}
    except OSError:
        return False


def _move(source: Path, folder: Folder, name: str) -> None:
    """`os.replace` to `name` in `folder`, except that a staged folder is merged into one
    that exists by then."""
    inner = folder.inner(name) if source.is_dir() else None
    if inner is not None:
        with inner:
            for child in sorted(source.iterdir()):
                _move(child, inner, child.name)
        source.rmdir()
        return
    os.replace(source, folder.name(name), dst_dir_fd=folder.descriptor)
