"""Staging a run's changed files before its commit: every new text written into the
journal's staging folder (the files of a folder OUTPUT lacks staged as that whole folder,
moved in at once), then the journal that makes the run happen."""

from __future__ import annotations

import os
from pathlib import Path

from generator.write.folders import write_below
from generator.write.journal import Journal
from generator.write.safepaths import SafePaths, WriteError


class Folders:
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


def stage(
    output: Path,
    texts: dict[str, str],
    folders: Folders,
    paths: SafePaths,
    journal: Journal,
    removed: list[str],
) -> None:
    """Stage every new text, then commit the journal that makes the run happen.

    Files of a folder that OUTPUT lacks are staged as that whole folder, which the journal
    moves at once: a new package costs a move per folder, not per file.
    """
    staging = journal.stage().relative_to(output).as_posix()
    moves: list[list[str]] = []
    staged_roots: dict[str, str] = {}
    for index, (relative, text) in enumerate(texts.items()):
        root = folders.new_root(relative)
        if root is None:
            name = f"{index}.tmp"
            moves.append([name, relative])
            path = f"{staging}/{name}"
        else:
            name = staged_roots.get(root, "")
            if not name:
                name = staged_roots[root] = f"{len(staged_roots)}.dir"
                moves.append([name, root])
            path = f"{staging}/{name}/{relative[len(root) + 1 :]}"
        write_below(output, path, text.encode("utf-8"))  # never through a link made meanwhile
    _check_writable(output, [target for _, target in moves] + removed)
    journal.write(moves, removed)


def _check_writable(output: Path, relatives: list[str]) -> None:
    """Before the commit: every folder the journal moves into or removes from can be
    written, so that a read-only folder stops the run with OUTPUT as it was."""
    folders = set()
    for relative in relatives:
        folder = os.path.dirname(relative)
        while folder and not os.path.isdir(output / folder):
            folder = os.path.dirname(folder)
        folders.add(folder)
    for folder in sorted(folders):
        if not os.access(output / folder, os.W_OK):
            raise WriteError(
                f"{output / folder}: error: cannot write in {folder or 'OUTPUT'}: permission "
                "denied (a read-only folder or file system)"
            )
