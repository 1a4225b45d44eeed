"""`docs2models diff` on real histories: pairs of commits of Speakeasy doc trees in
`../shared/history/<pair>/{old,new}/docs`, each with the changes its Python SDK shows
(`changes.json`), scored with `../shared/tools/score_changes.py`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED, run_cli, shared_missing

HISTORY = SHARED / "history"
SCORER = SHARED / "tools" / "score_changes.py"
PAIRS = ["kombo-2026a", "mistral-2025j", "airbyte-2024a"]
# What no doc can show (docs/diff.md, "Nullability"): scored apart from the other kinds.
NULLABLE = "nullable-changed"
_SCORE = re.compile(r"changes: recall ([\d.]+)% \((\d+)/(\d+)\), precision ([\d.]+)%")


def score(truth: Path, ours: Path, *flags: str) -> tuple[float, float, int, int]:
    """Recall, precision, the changes found and the changes the truth holds."""
    command = [sys.executable, str(SCORER), "--truth", str(truth), "--ours", str(ours), *flags]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = _SCORE.search(output)
    assert found, output
    return float(found[1]), float(found[4]), int(found[2]), int(found[3])


@pytest.fixture(scope="module", params=PAIRS)
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pair's changes as `docs2models diff --format json` gives them, beside its truth."""
    folder = HISTORY / request.param
    if not (folder / "changes.json").is_file() or not SCORER.is_file():
        shared_missing(f"history pair {request.param} or its scorer not found under {SHARED}")
    old, new = folder / "old" / "docs", folder / "new" / "docs"
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    ours = tmp_path_factory.mktemp(request.param) / "ours.json"
    ours.write_text(result.stdout, encoding="utf-8")
    return ours


def test_changes_match_the_sdk(pair: Path, request: pytest.FixtureRequest) -> None:
    truth = HISTORY / request.node.callspec.params["pair"] / "changes.json"
    recall, precision, _, _ = score(truth, pair, "--exclude-kind", NULLABLE)
    assert recall >= 98.0 and precision >= 96.0, (recall, precision)


def test_nullability_changes_the_docs_show(pair: Path, request: pytest.FixtureRequest) -> None:
    """Every nullability change found is the SDK's; the SDK's that are missed are those of
    required collections, whose docs never show null (one in mistral-2025j)."""
    truth = HISTORY / request.node.callspec.params["pair"] / "changes.json"
    kinds = [flag for kind in _other_kinds() for flag in ("--exclude-kind", kind)]
    _, precision, found, expected = score(truth, pair, *kinds)
    assert precision == 100.0
    assert found >= expected - 1, (found, expected)


def _other_kinds() -> list[str]:
    from generator.diff.changes import KINDS

    return [kind for kind in KINDS if kind != NULLABLE]
