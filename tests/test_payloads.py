"""Real response bodies of the APIs (`payloads.json` of a corpus) survive the generated classes.

`../shared/tools/payloads.py` runs each body through the package's public API (`from_dict` /
`to_dict`, errors `from_response`) and reports how many validated and how many of their values
came back unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.model.target import Target
from tests.conftest import CORPORA, CORPUS, CORPUS_PACKAGE, SHARED, corpus_docs, shared_missing

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow

PAYLOADS = SHARED / "tools" / "payloads.py"
SUMMARY = re.compile(
    r"^payloads: validated (?P<validated>\d+)/(?P<cases>\d+) .*values kept "
    r"(?P<kept>\d+)/(?P<values>\d+)",
    re.MULTILINE,
)
SUITES = ["kombo-v1", "egain-v2", "airbyte-v1"]
# Shares of cases that validate and of values that come back unchanged, on both targets.
FLOOR = 0.99


@pytest.mark.parametrize("target", [t.value for t in Target])
@pytest.mark.parametrize("corpus", SUITES)
def test_real_payloads_validate_and_keep_their_values(
    corpus: str, target: str, generated_corpus: Callable[..., Path]
) -> None:
    corpus_docs(corpus)
    cases = CORPUS / corpus / "payloads.json"
    if not PAYLOADS.is_file() or not cases.is_file():
        shared_missing(f"{PAYLOADS} or {cases} not found")
    output = generated_corpus(corpus, "auto", target)
    result = subprocess.run(
        [
            sys.executable,
            str(PAYLOADS),
            "--cases",
            str(cases),
            "--output",
            str(output),
            "--package",
            CORPUS_PACKAGE,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = SUMMARY.search(result.stdout)
    assert summary, f"payloads.py printed no summary:\n{result.stdout}\n{result.stderr}"
    validated = int(summary["validated"]) / int(summary["cases"])
    kept = int(summary["kept"]) / int(summary["values"])
    assert validated >= FLOOR and kept >= FLOOR, result.stdout


DISPATCH_CHECK = Path(__file__).resolve().parent / "dispatch_check.py"
ERRORS_CHECK = Path(__file__).resolve().parent / "errors_check.py"


def run_check(script: Path, output: Path, *arguments: str) -> Any:
    """What a check script prints (JSON), run on the package in OUTPUT in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, str(script), CORPUS_PACKAGE, *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=output,
        env={"PYTHONPATH": str(output), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("target", [t.value for t in Target])
@pytest.mark.parametrize("corpus", ["kombo-v1", "egain-v2"])
def test_responses_of_operations_become_their_documented_class(
    corpus: str, target: str, generated_corpus: Callable[..., Path]
) -> None:
    """`parse_response(operation, status, body, content_type)` of every real case returns
    its target class (a list of them) or raises exactly its error class."""
    corpus_docs(corpus)
    cases = CORPUS / corpus / "payloads.json"
    if not cases.is_file():
        shared_missing(f"{cases} not found")
    failures = run_check(DISPATCH_CHECK, generated_corpus(corpus, "auto", target), str(cases))
    assert not failures, "\n".join(f"{f['id']}: {f['target']}: {f['got']}" for f in failures)


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_class_of_a_real_tree_is_usable(
    corpus: str, generated_corpus: Callable[..., Path]
) -> None:
    """Every module imports, every model without a required field reads `{}`, and every error
    class an operation documents is raised, by `from_response` and by `parse_response`, for a
    status of each of its rows, with a body whose values all come back."""
    found = run_check(ERRORS_CHECK, generated_corpus(corpus, "auto"))
    assert found["failures"] == [] and (found["checked"] or not found["documented"]), found
    assert found["modules"] > 100 and found["empty"] > 10, found
