"""Put generated files in OUTPUT, touching only what changed, all or nothing.

A run holds an exclusive lock on OUTPUT (a second run waits for it), writes every changed
file into a staging folder (a folder OUTPUT lacks is staged whole and moved in one rename),
then commits with a journal (see `journal`). Nothing is read, written or removed through a
symlink or a special file (see `safepaths`); `generate --check` reads OUTPUT as a run does
(`read_held`). The manifest records the hash of every file the tool wrote, its only proof of
having written one: a file at a generated path that the tool did not write is an error, and
one that changed since it was written, or is listed without its hash, is left in place, with
a warning, where the tool would remove it. Paths that differ only in case are refused: a
case-insensitive file system (macOS, Windows) would hold them as one.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.render.distribution import PYPROJECT
from generator.untrusted import FileTooLarge
from generator.write.journal import JOURNAL, STAGING, Journal
from generator.write.lock import LOCK, output_lock
from generator.write.manifest import (
    MANIFEST,
    could_be_written,
    manifest_of,
    read_manifest,
    sha256_of,
)
from generator.write.safepaths import SafePaths, WriteError, case_collisions
from generator.write.snapshot import Snapshot, file_hashes, take_snapshot
from generator.write.staging import Folders, stage

__all__ = [
    "JOURNAL",
    "LOCK",
    "STAGING",
    "Held",
    "Left",
    "WriteError",
    "WriteResult",
    "output_lock",
    "read_held",
    "recover",
    "write_output",
    "written_by_a_run",
]


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    # The stat snapshot of the files OUTPUT holds for this run (with the manifest), taken
    # before another run may write: None unless asked for.
    snapshot: Snapshot | None = None
    # Files and folders an interrupted run left to move or remove, finished by this one.
    recovered: int = 0
    warnings: tuple[str, ...] = ()
    # The sha256 of every file OUTPUT holds for this run, the manifest included.
    hashes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Held:
    """What OUTPUT holds where a run writes and removes, read as a run reads it."""

    # At each path a run writes: the file's bytes (None: nothing there, or a folder).
    files: dict[str, bytes | None]
    # Files at those paths not read, by size: larger than any file a run writes.
    too_large: dict[str, int]
    # The files a run would remove, with their bytes.
    removing: dict[str, bytes]
    # Files read that have other names (hard links, perhaps to a file outside OUTPUT).
    other_names: frozenset[str]


@dataclass(frozen=True)
class Left:
    """What an earlier run left in OUTPUT: the sha256 of each file, and their stat snapshot
    as that run finished. Where a snapshot taken now vouches for it, the files are known
    without reading them."""

    hashes: Mapping[str, str]
    snapshot: Snapshot | None


def written_by_a_run(package: str) -> list[str]:
    """What a run writes in OUTPUT (relative to it): the package, the manifest, the journal
    and its staging folder, the lock and a distribution's pyproject.toml. Nothing else there
    is the tool's."""
    return [package, MANIFEST, JOURNAL, STAGING, LOCK, PYPROJECT]


def recover(output: Path) -> int:
    """What a run does first: finish an interrupted run's journal (see `journal`)."""
    return Journal(output, SafePaths(output)).recover()


INTERRUPTED = "docs2models: the run stopped part way through OUTPUT; the next run finishes it"
UNTOUCHED = "docs2models: OUTPUT was left as it was"


def write_output(
    output: Path, files: dict[str, str], snapshot: bool = False, left: Left | None = None
) -> WriteResult:
    """Replace changed files, delete files a previous run generated and this one did not;
    with `snapshot`, the stat snapshot of the written tree is taken under the lock; `left`:
    what the last run left, which spares reading the files it vouches for. Raises
    WriteError, with OUTPUT as it was, when OUTPUT cannot be written safely."""
    refuse_case_collisions(output, files)
    with output_lock(output):
        started = time.time_ns()
        paths = SafePaths(output)
        journal = Journal(output, paths)
        try:
            recovered = journal.recover()
            result = _write(output, files, paths, journal, _vouched(output, left))
            taken = take_snapshot(output, [*files, MANIFEST], each=True) if snapshot else None
            if taken is not None:
                # As of the start: a file edited by hand while this run wrote does not pass
                # for what the run left (it is read again next time).
                taken = replace(taken, taken_at=started)
        except OSError as problem:
            raise _failure(output, problem, interrupted=journal.pending()) from None
        except WriteError as problem:
            problem.interrupted = journal.pending()
            raise
        except BaseException as stopped:  # Ctrl-C or SIGTERM: where it left OUTPUT is said
            stopped.add_note(INTERRUPTED if journal.pending() else UNTOUCHED)
            raise
    return replace(result, snapshot=taken, recovered=recovered)


def read_held(output: Path, files: Mapping[str, str]) -> Held:
    """What OUTPUT holds at the path of each of `files` and at those a run would remove
    (see `Held`): read as a run reads them, refused where a run refuses to write. A file
    with other names is replaced by a run, which leaves the other names alone. Raises
    WriteError."""
    refuse_case_collisions(output, files)
    paths = SafePaths(output)
    held: dict[str, bytes | None] = {}
    too_large: dict[str, int] = {}
    try:
        # First: a manifest that cannot be read is said as such, not as a failed read.
        recorded = _recorded(paths)
        paths.verify_all([*files, *recorded])  # every link or special file, said at once
        for relative in sorted(files):
            try:
                held[relative] = paths.read(relative)
            except IsADirectoryError:
                held[relative] = None
            except FileTooLarge as problem:
                too_large[relative] = problem.size
        removed, _ = _stale(recorded, files, paths)
        removing = {relative: paths.read(relative) or b"" for relative in removed}
    except OSError as problem:
        raise _failure(output, problem) from None
    # As a run refuses to write over them (see `_compare`): files that differ from what a
    # run writes and that the manifest does not vouch for.
    differing = [
        relative
        for relative, data in held.items()
        if data is not None and data != files[relative].encode("utf-8")
    ]
    foreign = [
        relative
        for relative in sorted([*differing, *too_large])
        if relative != MANIFEST and recorded.get(relative) is None
    ]
    if foreign:
        raise _not_written(output, foreign)
    return Held(held, too_large, removing, frozenset(paths.other_names))


def refuse_case_collisions(output: Path, relatives: Iterable[str]) -> None:
    """Refuse paths that a case-insensitive file system would hold as one: every such pair
    named, in one error."""
    pairs = case_collisions(relatives)
    if pairs:
        raise WriteError(
            [
                f"{output / second}: error: {second} and {first} differ only in case: a "
                "case-insensitive file system (macOS, Windows) holds them as one; rename the "
                "folder of docs that one of them is named after"
                for first, second in pairs
            ]
        )


def _failure(output: Path, problem: OSError, interrupted: bool = False) -> WriteError:
    where = problem.filename or output
    return WriteError(f"{where}: error: {problem.strerror or problem}", interrupted)


def _recorded(paths: SafePaths) -> dict[str, str | None]:
    """The manifest's files (see `read_manifest`), once its path is checked."""
    paths.verify(MANIFEST)
    return read_manifest(paths.output)


def _vouched(output: Path, left: Left | None) -> Mapping[str, str]:
    """The hashes of the files of `left` that OUTPUT provably holds still (looked at under
    the lock, after recovery). A file edited after this is seen by the next run: this
    run's snapshot counts as taken when it started writing."""
    if left is None or left.snapshot is None:
        return {}
    now = take_snapshot(output, list(left.hashes), each=True)
    if now is None:
        return {}
    return {name: left.hashes[name] for name in now.vouched(left.snapshot)}


def _write(
    output: Path,
    files: dict[str, str],
    paths: SafePaths,
    journal: Journal,
    known: Mapping[str, str],
) -> WriteResult:
    """`known`: sha256 of files that OUTPUT provably holds, compared without reading them."""
    before = _recorded(paths)
    paths.verify_all([*files, *before])  # every link or special file, said at once
    hashes = file_hashes(files)
    folders = Folders(output)
    changed, unchanged = _compare(files, hashes, known, before, paths, folders)
    removed, warnings = _stale(before, files, paths)
    manifest = manifest_of(hashes)
    hashes[MANIFEST] = sha256_of(manifest.encode("utf-8"))
    manifest_changed = _manifest_changed(paths, known, hashes[MANIFEST], manifest)
    if changed or removed or manifest_changed:
        texts = {relative: files[relative] for relative in changed}
        if manifest_changed:
            texts[MANIFEST] = manifest  # moved last: it describes the finished run
        try:
            stage(output, texts, folders, paths, journal, removed)
        except BaseException:
            if not (output / JOURNAL).exists():  # not committed: OUTPUT is as it was
                shutil.rmtree(output / STAGING, ignore_errors=True)
            raise
        journal.recover()
    return WriteResult(
        tuple(changed), tuple(removed), unchanged, warnings=tuple(warnings), hashes=hashes
    )


def _compare(
    files: Mapping[str, str],
    hashes: Mapping[str, str],
    known: Mapping[str, str],
    before: Mapping[str, str | None],
    paths: SafePaths,
    folders: Folders,
) -> tuple[list[str], int]:
    """The files to write, and how many OUTPUT holds as they are to be; WriteError for a
    file at a generated path that the tool did not write."""
    changed: list[str] = []
    unchanged = 0
    foreign: list[str] = []
    for relative, text in sorted(files.items()):
        if relative in known:  # the tool's file, as the last run left it
            # Checked even so: a folder moved elsewhere and linked back keeps the stat of
            # its files.
            paths.verify(relative)
            if known[relative] == hashes[relative]:
                unchanged += 1
            else:
                changed.append(relative)
            continue
        paths.verify(relative)
        if not folders.exists(os.path.dirname(relative)):
            changed.append(relative)
            continue
        try:
            current = paths.read(relative)
        except IsADirectoryError:
            foreign.append(relative)
            continue
        except FileTooLarge:  # larger than any file a run writes: not what it wrote
            (changed if before.get(relative) is not None else foreign).append(relative)
            continue
        if current is None:
            changed.append(relative)
        elif current == text.encode("utf-8") and relative not in paths.other_names:
            unchanged += 1
        elif before.get(relative) is not None:
            changed.append(relative)  # the tool's file, edited by hand: generated again
        else:
            foreign.append(relative)
    if foreign:
        raise _not_written(folders.output, foreign)
    return changed, unchanged


def _not_written(output: Path, foreign: Iterable[str]) -> WriteError:
    return WriteError(
        [
            f"{output / relative}: error: {relative} was not written by docs2models; move it "
            "or delete it"
            for relative in foreign
        ]
    )


def _manifest_changed(
    paths: SafePaths, known: Mapping[str, str], expected: str, manifest: str
) -> bool:
    """Whether OUTPUT's manifest differs from `manifest` (whose sha256 is `expected`)."""
    if known.get(MANIFEST) == expected:
        return False
    # Read before, by `read_manifest`: a manifest that cannot be read stopped the run there.
    return paths.read(MANIFEST) != manifest.encode("utf-8")


def _stale(
    before: Mapping[str, str | None], files: Mapping[str, str], paths: SafePaths
) -> tuple[list[str], list[str]]:
    """The files the last run wrote that this one does not, which it removes: those that
    still hold what was written. The others are left in place, each with a warning."""
    removed: list[str] = []
    warnings: list[str] = []
    for relative, recorded in sorted(before.items()):
        if relative in files:
            continue
        held = _held_sha256(paths, relative)
        if held is None:
            continue
        if not could_be_written(relative):
            reason = "listed in the manifest, but no run writes such a file"
        elif recorded is None:
            reason = "listed in the manifest without its hash, so not known to be generated"
        elif held == recorded:
            removed.append(relative)
            continue
        else:
            reason = "changed since docs2models wrote it"
        warnings.append(
            f"{paths.output / relative}: warning: {reason}; left in place (delete it if it "
            "is no longer needed)"
        )
    return removed, warnings


def _held_sha256(paths: SafePaths, relative: str) -> str | None:
    """The sha256 of the file OUTPUT holds at `relative` (None: none there, or a folder);
    "" for one larger than any file a run writes, which matches no recorded hash."""
    try:
        data = paths.read(relative)
    except IsADirectoryError:
        return None
    except FileTooLarge:
        return ""
    return None if data is None else sha256_of(data)
