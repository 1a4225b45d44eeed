"""A non-editable install works from any directory: the templates ship inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow


def test_wheel_install_generates_from_another_directory(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "output", "__pycache__", "*.egg-info", ".*cache"
        ),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(source)], capture_output=True, text=True
    )
    assert pip.returncode == 0, pip.stderr
    shutil.rmtree(source)  # nothing may be read from the source tree after installation
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [
            str(venv / "bin" / "docs2models"),
            "generate",
            "--specs",
            str(ROOT / "specs"),
            "--output",
            str(elsewhere / "out"),
            "--package",
            "seeds",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
    )
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "seeds" / "_runtime" / "reading.py").is_file()
    assert (elsewhere / "out" / "seeds" / "errors" / "__init__.py").is_file()
