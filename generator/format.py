"""Stage 5: format generated modules with black (in-process, in a pool) or ruff.

black is imported, and ruff run to format, only when there is a module to format.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from generator.target import Formatter
from generator.workers import Runner, in_process

LINE_LENGTH = 100
TARGET_VERSION = "py311"
# `ruff format` on a directory beats one process per module from this many modules on.
RUFF_STDIN_LIMIT = 3
# Characters of file names per `ruff format` call: well inside Windows' 32 767-character
# command line (every platform's tightest), so one call takes about 3 000 modules.
RUFF_ARGUMENT_BUDGET = 30_000
RUFF_ARGS = (
    "--isolated",
    "--line-length",
    str(LINE_LENGTH),
    "--target-version",
    TARGET_VERSION,
)


class FormatterError(Exception):
    """The formatter is not installed or rejected a generated module."""


def format_files(
    files: dict[str, str],
    formatter: Formatter,
    run: Runner = in_process,
    in_black_form: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Every `.py` text of `files` formatted (with black, where `run` says); other files
    (and empty modules) as they are. `in_black_form`: modules rendered as black (and ruff,
    which writes black's form) writes them, which the formatter would leave as they are: its
    cost is in reading them, not in changing them, so they skip it."""
    if formatter is Formatter.NONE:
        return dict(files)
    paths = [
        path
        for path, text in files.items()
        if path.endswith(".py") and text and path not in in_black_form
    ]
    texts = [files[path] for path in paths]
    if not texts:
        return dict(files)
    if formatter is Formatter.RUFF:
        formatted = ruff_format(texts)
    else:
        formatted = run(black_format, texts, [len(text) for text in texts])
    result = dict(files)
    result.update(zip(paths, formatted, strict=True))
    return result


def formatter_fingerprint(formatter: Formatter) -> str:
    """What, besides the text, decides the formatted output: tool, version, settings."""
    if formatter is Formatter.BLACK:
        return f"black {black_version()} line-length={LINE_LENGTH} target={TARGET_VERSION}"
    if formatter is Formatter.RUFF:
        return f"{ruff_version()} {' '.join(RUFF_ARGS)}"
    return "none"


def black_version() -> str:
    """black's version without importing black (which takes longer than a cache hit)."""
    try:
        return str(importlib.import_module("_black_version").version)
    except (ImportError, AttributeError):
        from importlib.metadata import version as installed_version

        return installed_version("black")


def import_black() -> None:
    """Make black ready in a pool worker before the first module arrives."""
    import black  # noqa: F401


def black_format(texts: list[str]) -> list[str]:
    """black's output for each module (module level: it runs in pool workers too)."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    return [black.format_str(text, mode=mode) for text in texts]


def find_ruff() -> str:
    """The `ruff` executable beside this Python (a virtualenv) or on PATH."""
    name = "ruff.exe" if os.name == "nt" else "ruff"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    import shutil

    found = shutil.which("ruff")
    if found is None:
        raise FormatterError(
            "--formatter ruff needs the `ruff` executable, found neither beside "
            f"{sys.executable} nor on PATH: install it (`pip install ruff`) or use "
            "--formatter black"
        )
    return found


def ruff_version() -> str:
    return _run_ruff(["--version"], None).strip()


def ruff_format(texts: list[str]) -> list[str]:
    """`ruff format -` for a few modules, else `ruff format` over files in a temporary dir."""
    import tempfile

    if len(texts) <= RUFF_STDIN_LIMIT:
        return [_run_ruff(["format", *RUFF_ARGS, "-"], text) for text in texts]
    with tempfile.TemporaryDirectory(prefix="docs2models-ruff-", dir=_scratch()) as directory:
        # Short plain names, relative to ruff's working directory: few calls, and no
        # generated name can match ruff's default excludes.
        names = [f"{index}.py" for index in range(len(texts))]
        for name, text in zip(names, texts, strict=True):
            with open(os.path.join(directory, name), "wb") as handle:
                handle.write(text.encode("utf-8"))
        for batch in _argument_batches(names, RUFF_ARGUMENT_BUDGET):
            _run_ruff(["format", *RUFF_ARGS, "--quiet", *batch], None, cwd=directory)
        formatted = []
        for name in names:
            with open(os.path.join(directory, name), "rb") as handle:
                formatted.append(handle.read().decode("utf-8"))
        return formatted


def _argument_batches(names: list[str], budget: int) -> list[list[str]]:
    """`names` in consecutive groups whose lengths (one space each) fit in `budget`."""
    batches: list[list[str]] = [[]]
    used = 0
    for name in names:
        if batches[-1] and used + len(name) + 1 > budget:
            batches.append([])
            used = 0
        batches[-1].append(name)
        used += len(name) + 1
    return batches


def _scratch() -> str | None:
    """A RAM-backed directory for ruff's files (creating files on disk is slow), unless
    TMPDIR names one; None: the platform's temporary directory."""
    shared_memory = "/dev/shm"
    if "TMPDIR" not in os.environ and os.access(shared_memory, os.W_OK | os.X_OK):
        return shared_memory
    return None


def _run_ruff(arguments: list[str], text: str | None, cwd: str | None = None) -> str:
    import subprocess

    try:
        completed = subprocess.run(
            [find_ruff(), *arguments],
            input=text,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError as exc:
        raise FormatterError(f"cannot run ruff: {exc}") from exc
    if completed.returncode != 0:
        raise FormatterError(f"ruff failed on a generated module:\n{completed.stderr.strip()}")
    return completed.stdout
