"""The generator's own code as one string: every cached result and the stamp of the last run
depend on it, so a new version of the generator or of its parsers recomputes them.

Callers use `fingerprint.generator_fingerprint()` through this module, so that one patch of
it reaches every cache.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import generator
from generator.write.snapshot import hash_files


@functools.cache
def generator_fingerprint() -> str:
    """The generator's version, its source files and the parsers and renderers it uses."""
    package_dir = Path(generator.__file__).resolve().parent
    sources = hash_files(sorted(package_dir.rglob("*.py")), package_dir)
    packages = " ".join(package_stamp(name) for name in ("markdown_it", "jinja2"))
    return f"docs2models {generator.__version__} {sources} {packages}"


def package_stamp(name: str) -> str:
    """The installed copy of a package (path, size and time of its __init__), not importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name} missing"
    status = os.stat(spec.origin)
    return f"{name} {spec.origin} {status.st_size} {status.st_mtime_ns}"
