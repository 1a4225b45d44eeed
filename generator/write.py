"""Stage 6: put generated files in OUTPUT atomically, touching only what changed."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".docs2models-manifest.json"


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
    parts = Path(path).parts
    return bool(parts) and not Path(path).is_absolute() and ".." not in parts


def manifest_text(files: dict[str, str]) -> str:
    return json.dumps({"generator": "docs2models", "files": sorted(files)}, indent=1) + "\n"


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_output(output: Path, files: dict[str, str]) -> WriteResult:
    """Replace changed files, delete files a previous run generated and this one did not."""
    written: list[str] = []
    unchanged = 0
    for relative, text in sorted(files.items()):
        target = output / relative
        try:
            if target.read_bytes() == text.encode("utf-8"):
                unchanged += 1
                continue
        except OSError:
            pass
        _atomic_write(target, text)
        written.append(relative)
    removed = []
    for relative in read_manifest(output):
        if relative not in files and (output / relative).is_file():
            (output / relative).unlink()
            removed.append(relative)
            _remove_empty_parents((output / relative).parent, output)
    manifest = manifest_text(files)
    try:
        current = (output / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        current = ""
    if current != manifest:
        _atomic_write(output / MANIFEST, manifest)
    return WriteResult(tuple(written), tuple(removed), unchanged)


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
