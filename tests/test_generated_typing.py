"""The generated packages pass `mypy --strict` and ruff, and ship `py.typed`."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CORPORA, CORPUS_PACKAGE, ROOT

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow

# Generated code is laid out by black at 100 columns; long literals stay whole (E501).
RUFF_ARGS = [
    "check",
    "--isolated",
    "--no-cache",
    "--select",
    "E,F,W,I,B",
    "--ignore",
    "E501",
    "--line-length",
    "100",
    "--target-version",
    "py311",
]


def strict_mypy(output: Path, tmp_path: Path, *target: str) -> None:
    """`mypy --strict` of `target` (`-p package` or `-m module`) in OUTPUT passes."""
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), *target],
        capture_output=True,
        text=True,
        cwd=output,
        timeout=900,
    )
    assert mypy.returncode == 0, mypy.stdout[-5000:]


def style_findings(package: Path) -> str:
    """What ruff's pyupgrade, pyflakes and CapWords rules find in every module of a generated
    package, its runtime included; '' when nothing."""
    modules = sorted(str(path.relative_to(package)) for path in package.rglob("*.py"))
    assert modules, f"no class modules under {package}"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"),
            *("--select", "UP,F,N801", "--target-version", "py311", "--output-format", "concise"),
            *modules,
        ],
        capture_output=True,
        text=True,
        cwd=package,
        timeout=300,
    )
    return "" if result.returncode == 0 else result.stdout[-5000:] + result.stderr


def check(output: Path, package: str, tmp_path: Path) -> None:
    assert (output / package / "py.typed").is_file()
    strict_mypy(output, tmp_path, "-p", package)
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", *RUFF_ARGS, package],
        capture_output=True,
        text=True,
        cwd=output,
        timeout=300,
    )
    assert ruff.returncode == 0, ruff.stdout[-5000:]


def test_committed_output_is_typed_and_clean(tmp_path: Path) -> None:
    check(ROOT / "output", "kombo", tmp_path)


@pytest.mark.parametrize("corpus", ["kombo-v1", "mistral-v2"])
def test_corpus_output_is_typed_and_clean(
    corpus: str, generated_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    check(generated_corpus(corpus, "auto"), CORPUS_PACKAGE, tmp_path)


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_output_is_written_for_python_3_11(
    corpus: str, target: str, generated_corpus: Callable[..., Path]
) -> None:
    """No `Optional[X]`, `List[X]`, `Union[A, B]`, `(str, Enum)` where the floor has better,
    nothing unused or undefined, CapWords class names (or a reason why not)."""
    package = generated_corpus(corpus, "auto", target) / CORPUS_PACKAGE
    assert style_findings(package) == ""


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_operations_are_typed(
    corpus: str, generated_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """`mypy --strict` on the operations module of every visible corpus (and all it imports)."""
    strict_mypy(generated_corpus(corpus, "auto"), tmp_path, "-m", f"{CORPUS_PACKAGE}.endpoints")


# The lines of the runtime a pydantic package with operations carries, at most (910 with
# the read key spellings kept on each object, which pickles carry and `==` ignores; 1 006 with
# routing that gives an object pydantic reads as another union variant its own keys back;
# 1 022 with the lock that loads classes one thread at a time; 1 183 with a payload of keys of
# another spelling routed as its types say, read as the same payload in the API's own keys,
# and the values moved after pydantic's validation where no union may hold their object, which
# keeps such payloads about as fast as before; 1 198 with JSON text refused, as pydantic
# refuses it, where a string is not Unicode).
RUNTIME_BUDGET = 1200


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_package_carries_a_small_runtime_and_lists_its_operations(
    corpus: str, generated_corpus: Callable[..., Path]
) -> None:
    package = generated_corpus(corpus, "auto") / CORPUS_PACKAGE
    runtime = sorted((package / "_runtime").glob("*.py"))
    lines = sum(len(path.read_text(encoding="utf-8").splitlines()) for path in runtime)
    assert "operations.py" in {path.name for path in runtime}
    assert lines <= RUNTIME_BUDGET, {
        path.name: len(path.read_text().splitlines()) for path in runtime
    }
    tree = ast.parse((package / "endpoints.py").read_text(encoding="utf-8"))
    public = sorted(
        node.name if isinstance(node, ast.ClassDef) else node.targets[0].id  # type: ignore[attr-defined]
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        or (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name))
    )
    exported = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "__all__"
    )
    assert sorted(exported) == [name for name in public if name != "__all__"]
    assert all(name[0].isupper() for name in exported), exported
