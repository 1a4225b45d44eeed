"""What a run checks of OUTPUT before it trusts anything there, whatever it goes on to do.

A full run, `generate --check` and a run that finds its inputs and OUTPUT as the last run
left them (which reads no file) all call `refuse_unsafe_output`: none of them may pass an
OUTPUT that another refuses. The checks look at a few fixed paths and, for a run that reads
no file, at the path of every file the last run wrote (a link and a special file are
refused; a folder moved away and linked back keeps the stat of its files), and that the lock
and the manifest are no folders and the staging no file.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from generator.config import Config, SettingsError
from generator.model.naming import WINDOWS_DEVICES, is_identifier
from generator.render.distribution import distribution_problems
from generator.write.journal import STAGING, Journal
from generator.write.lock import LOCK
from generator.write.manifest import MANIFEST, holds_foreign_pyproject
from generator.write.safepaths import SafePaths, WriteError

# Top-level modules the generated code imports besides the standard library's, pydantic's
# own among them (tests/test_reserved_names.py checks them against the installed pydantic's
# requirements): a package of one of these names would replace it.
RUNTIME_DISTRIBUTIONS = frozenset(
    {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"}
)
# Modules Python's `site` imports at every start from wherever they are on the path, and
# the one that setuptools' `distutils-precedence.pth` (in nearly every environment) imports:
# a package so named would run its `__init__` in every interpreter that has it installed.
STARTUP_MODULES = frozenset({"sitecustomize", "usercustomize", "_distutils_hack", "_virtualenv"})
# Top-level modules the standard library gained after Python 3.11, the oldest the package runs
# on, whose `sys.stdlib_module_names` lists only its own: those of 3.12 and 3.13 as they list
# them, and 3.14's as the stdlib-list project does. A test asks every later Python it finds.
LATER_STDLIB_MODULES = frozenset(
    {
        *("_pydatetime", "_pylong", "_sha2"),  # 3.12
        *("_android_support", "_colorize", "_interpchannels", "_interpqueues"),  # 3.13
        *("_interpreters", "_ios_support", "_opcode_metadata", "_pyrepl", "_suggestions"),
        *("_sysconfig", "_wmi"),
        *("_apple_support", "_ast_unparse", "_hmac", "_py_warnings", "_remote_debugging"),  # 3.14
        *("_types", "_zstd", "annotationlib", "compression"),
        "test",  # the regression tests, in the standard library of every Python, listed by none
    }
)
# OUTPUT's bookkeeping paths, each with whether a run keeps a folder there, and what.
_BOOKKEEPING = (
    (LOCK, False, "its lock file"),
    (MANIFEST, False, "its manifest file"),
    (STAGING, True, "a folder of staged files"),
)


def refuse_unsafe_output(config: Config, relatives: Iterable[str] = ()) -> bool:
    """Raise SettingsError for settings that would write over what is not generated (see
    `check_paths`), WriteError for a symlink or a special file at OUTPUT's bookkeeping paths
    or at `relatives`, a folder or a file where the other is kept (see
    `_refuse_misplaced_bookkeeping`), or a journal this machine did not write. True when an interrupted
    run left a journal or staging that the next run finishes (nothing is applied here)."""
    check_paths(config)
    paths = SafePaths(config.output)
    paths.verify_all([LOCK, MANIFEST, STAGING, *relatives])
    _refuse_misplaced_bookkeeping(config.output)
    return Journal(config.output, paths).unfinished()


def _refuse_misplaced_bookkeeping(output: Path) -> None:
    """WriteError for a folder where a run keeps a file (the lock, the manifest) and a file
    where it keeps a folder (the staging): a run would stop at it only part way through."""
    problems = []
    for name, folder, held in _BOOKKEEPING:
        try:
            mode = os.lstat(output / name).st_mode
        except OSError:  # missing (or OUTPUT is no folder: said by `SafePaths`)
            continue
        if stat.S_ISDIR(mode) != folder:
            found = "a file" if folder else "a folder"
            problems.append(
                f"{output / name}: error: {name} is {found} where docs2models keeps {held}; "
                "remove it and run again"
            )
    if problems:
        raise WriteError(problems)


def check_paths(config: Config) -> None:
    """Refuse an OUTPUT whose replacement could destroy what is not generated, or a package
    that cannot be generated (see `output_problems`)."""
    if problems := output_problems(config):
        raise SettingsError("; ".join(problems))


def output_problems(config: Config) -> list[str]:
    """What makes the settings unable to generate a package: a package name that cannot be
    imported, or would shadow what Python imports; an OUTPUT whose replacement could destroy
    what is not generated; distribution settings that are not valid."""
    problems = distribution_problems(config) + _package_problems(config.package)
    try:
        output = config.output.resolve()
        specs = config.specs.resolve()
    except (OSError, RuntimeError):  # a loop of links: said as an unusable path
        return problems
    if output == Path(output.anchor) or output == Path.home().resolve():
        problems.append(f"refusing to write into {output}: choose a dedicated output directory")
    elif output == Path.cwd().resolve():
        problems.append(f"refusing to write into the project root {output}: use a subdirectory")
    elif holds_foreign_pyproject(output):
        problems.append(
            f"refusing to write into the project root {output} (its pyproject.toml is not one "
            "that docs2models wrote): use a subdirectory"
        )
    elif output == specs or specs in output.parents:
        problems.append(f"refusing to write into the specs directory {specs}")
    elif output in specs.parents:
        problems.append(f"output {output} contains the specs directory {specs}")
    return problems


def _package_problems(package: str) -> list[str]:
    if not is_identifier(package):
        return [
            f"package name {package!r} is not an ASCII Python identifier (letters, digits "
            "and `_`, not a digit first, not a keyword): choose another --package"
        ]
    shadowed = sys.stdlib_module_names | LATER_STDLIB_MODULES | RUNTIME_DISTRIBUTIONS
    if package in shadowed | STARTUP_MODULES:
        return [
            f"package name {package!r} would shadow the module {package} that "
            "Python or the generated code imports: choose another --package"
        ]
    if package.startswith("__") or package.lower() in WINDOWS_DEVICES:
        return [
            f"package name {package!r} is Python's own (`__main__`) or a file name Windows "
            "keeps for a device: choose another --package"
        ]
    return []
