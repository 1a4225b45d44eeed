"""Format generated modules with black (in-process, in a pool) or ruff.

black is imported, and ruff run to format, only when there is a module to format.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.model.runner import Runner, in_process
from generator.model.target import Formatter
from generator.render.wrap import LINE_LENGTH

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
    """The formatter is not installed, cannot run, or rejected generated modules;
    `problems`: one line for each module it rejected."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class _RuffFailed(FormatterError):
    """ruff ran and failed; `stderr`: what it said."""

    def __init__(self, stderr: str) -> None:
        super().__init__(f"ruff failed on a generated module:\n{stderr}")
        self.stderr = stderr


@dataclass(frozen=True)
class Rejected:
    """Why the formatter would not format a module (in place of its text)."""

    reason: str


class ModulesRejected(FormatterError):
    """A tool rejected generated modules (the formatter, or Python's compiler: `verb` says
    what it could not do); `rejected` says why, by module path."""

    def __init__(self, tool: str, rejected: Mapping[str, str], verb: str = "format") -> None:
        self.tool = tool
        self.verb = verb
        self.rejected = dict(rejected)
        super().__init__(
            f"{tool} rejected {len(rejected)} generated module(s); nothing was written",
            [f"{path}: error: {tool}: {why}" for path, why in self.rejected.items()],
        )

    def explained(self, docs: Mapping[str, str], hint: str) -> FormatterError:
        """The same error, each module named by the doc it comes from where `docs` (a
        `path:line` by module path) knows it, with `hint` on how to fix it."""
        problems = []
        for path, why in sorted(self.rejected.items()):
            doing = f"{self.tool} cannot {self.verb} the generated module {path}"
            if path in docs:
                problems.append(f"{docs[path]}: error: {doing} of this doc ({why}): {hint}")
            else:
                problems.append(f"docs2models: error: {doing} ({why}): {hint}")
        return FormatterError(str(self), problems)


def _one_line(reason: str) -> str:
    """A formatter's message on one line, without the caret under the source it quotes."""
    lines = (line.strip() for line in reason.splitlines())
    return "; ".join(line.removeprefix("error: ") for line in lines if line.strip("^"))


def format_files(
    files: dict[str, str],
    formatter: Formatter,
    run: Runner = in_process,
    in_black_form: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Every `.py` text of `files` formatted (with black, where `run` says); other files
    (and empty modules) as they are. `in_black_form`: modules rendered as black (and ruff,
    which writes black's form) writes them, which the formatter would leave as they are: its
    cost is in reading them, not in changing them, so they skip it. Raises ModulesRejected
    naming every module the formatter rejects."""
    paths = [
        path
        for path, text in files.items()
        if path.endswith(".py") and text and path not in in_black_form
    ]
    texts = [files[path] for path in paths]
    if not texts:
        return dict(files)
    # A module Python cannot import is refused before a formatter reads it: black, given a
    # module nested deeper than Python's compiler goes, may crash its process. Modules left
    # out above (`in_black_form`) come from a built-in template, whose output the tests
    # import.
    uncompiled = {
        path: why for path, text in zip(paths, texts, strict=True) if (why := _compile_error(text))
    }
    if uncompiled:
        raise ModulesRejected("python", uncompiled, verb="compile")
    formatted: Sequence[str | Rejected]
    if formatter is Formatter.NONE:
        formatted = texts
    elif formatter is Formatter.RUFF:
        formatted = ruff_format(texts)
    else:
        formatted = run(black_each, texts, [len(text) for text in texts])
    rejected = {
        path: _one_line(text.reason)
        for path, text in zip(paths, formatted, strict=True)
        if isinstance(text, Rejected)
    }
    if rejected:
        raise ModulesRejected(formatter.value, rejected)
    result = dict(files)
    result.update(
        (path, text) for path, text in zip(paths, formatted, strict=True) if isinstance(text, str)
    )
    return result


def _compile_error(text: str) -> str | None:
    """Why Python cannot import `text` as the UTF-8 file it is written as, with warnings as
    errors (None: it can). Its bytes are compiled, as an import reads them: a coding comment
    that declares another encoding counts."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a SyntaxWarning is then a SyntaxError
            compile(text.encode("utf-8", "surrogatepass"), "<module>", "exec", dont_inherit=True)
    except SyntaxError as problem:  # a decoding error has no line
        return f"line {problem.lineno}: {problem.msg}" if problem.lineno else problem.msg
    except ValueError as problem:  # a NUL character
        return str(problem)
    except (RecursionError, MemoryError):
        return "too deeply nested for Python's compiler"
    return None


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


def black_each(texts: list[str]) -> list[str | Rejected]:
    """`black_format` of each module on its own: a module black rejects (it cannot parse
    it, or fails on it in any other way) does not hide what it makes of the others."""
    formatted: list[str | Rejected] = []
    for text in texts:
        try:
            formatted.extend(black_format([text]))
        except Exception as failure:  # whatever black raised, the module is reported
            formatted.append(Rejected(str(failure) or type(failure).__name__))
    return formatted


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


def ruff_format(texts: list[str]) -> list[str | Rejected]:
    """`ruff format -` for a few modules, else `ruff format` over files in a temporary dir;
    each module ruff rejects is Rejected."""
    import tempfile

    if len(texts) <= RUFF_STDIN_LIMIT:
        return [_ruff_one(text) for text in texts]
    with tempfile.TemporaryDirectory(prefix="docs2models-ruff-", dir=_scratch()) as directory:
        # Short plain names, relative to ruff's working directory: few calls, and no
        # generated name can match ruff's default excludes.
        names = [f"{index}.py" for index in range(len(texts))]
        for name, text in zip(names, texts, strict=True):
            with open(os.path.join(directory, name), "wb") as handle:
                handle.write(text.encode("utf-8"))
        rejected: dict[str, Rejected] = {}
        for batch in _argument_batches(names, RUFF_ARGUMENT_BUDGET):
            try:
                _run_ruff(["format", *RUFF_ARGS, *batch], None, cwd=directory)
            except _RuffFailed as failure:
                rejected.update(_rejected_files(failure, batch))
        formatted: list[str | Rejected] = []
        for name in names:
            with open(os.path.join(directory, name), "rb") as handle:
                formatted.append(rejected.get(name) or handle.read().decode("utf-8"))
        return formatted


def _ruff_one(text: str) -> str | Rejected:
    try:
        return _run_ruff(["format", *RUFF_ARGS, "-"], text)
    except _RuffFailed as failure:
        return Rejected(failure.stderr)


def _rejected_files(failure: _RuffFailed, names: list[str]) -> dict[str, Rejected]:
    """Why ruff rejected each of `names`, from its messages (which name the file); a
    failure that names none of them is not a module's."""
    mentioned = re.compile(r"(?<![\w.])(\d+\.py)\b")
    reasons: dict[str, list[str]] = {}
    for line in failure.stderr.splitlines():
        found = mentioned.search(line)
        if found is not None and found.group(1) in names:
            without_name = line[: found.start()] + line[found.end() :].removeprefix(":")
            reasons.setdefault(found.group(1), []).append(without_name.replace("  ", " ").strip())
    if not reasons:
        raise failure
    return {name: Rejected("; ".join(lines)) for name, lines in reasons.items()}


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
        raise _RuffFailed(completed.stderr.strip())
    return completed.stdout
