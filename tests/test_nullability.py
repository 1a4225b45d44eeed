"""Required List/Dict/date cells, whose docs cannot show a nullable wrapper, under each policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import fields_doc, run_cli, run_python, write_docs

DATE_LINK = "[date](https://docs.python.org/3/library/datetime.html#date-objects)"


def specs_with_evidence(tmp_path: Path, shown: int, nullable: int) -> Path:
    """A tree whose docs show `shown` required fields, `nullable` of them nullable, plus a model
    with a silent required collection and a silent required date."""
    rows = [
        (f"field_{i}", "*Optional[str]*" if i < nullable else "*str*", True, "")
        for i in range(shown)
    ]
    return write_docs(
        tmp_path,
        {
            "models/shared/account.md": fields_doc("Account", rows),
            "models/shared/job.md": fields_doc(
                "Job",
                [
                    ("tags", "List[*str*]", True, ""),
                    ("remote_data", "Dict[str, *Any*]", True, ""),
                    ("closed_at", DATE_LINK, True, ""),
                ],
            ),
        },
    )


def null_accepted(tmp_path: Path, specs: Path, *policy: str) -> dict[str, bool]:
    """Generate, then ask the generated Job which of its silent fields accept null."""
    output = tmp_path / "out"
    result = run_cli(
        "generate", "--specs", str(specs), "--output", str(output), "--package", "jobs", *policy
    )
    assert result.returncode == 0, result.stderr
    checked = run_python(
        """
        import json
        from pydantic import ValidationError
        from jobs.shared import Job
        valid = {"tags": [], "remote_data": {}, "closed_at": "2024-01-01T00:00:00"}
        accepted = {}
        for name in valid:
            try:
                Job.model_validate({**valid, name: None})
                accepted[name] = True
            except ValidationError:
                accepted[name] = False
        print(json.dumps(accepted))
        """,
        output,
    )
    return dict(json.loads(checked.stdout))


def report(specs: Path, *policy: str) -> str:
    result = run_cli("report", "--specs", str(specs), *policy)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("nullability:"))


def test_auto_keeps_collections_tight_for_an_api_that_never_marks_required_fields_nullable(
    tmp_path: Path,
) -> None:
    specs = specs_with_evidence(tmp_path, shown=60, nullable=0)
    accepted = null_accepted(tmp_path, specs)
    assert accepted == {"tags": False, "remote_data": False, "closed_at": True}
    assert report(specs) == (
        "nullability: auto: silent required dates admit null; silent required collections "
        "keep the docs' types (0 of 60 required fields whose nullability the docs show are "
        "nullable)"
    )


def test_auto_lets_collections_admit_null_for_an_api_that_marks_required_fields_nullable(
    tmp_path: Path,
) -> None:
    # Two in sixty is above one in fifty: this API uses null for required values.
    specs = specs_with_evidence(tmp_path, shown=60, nullable=2)
    accepted = null_accepted(tmp_path, specs)
    assert accepted == {"tags": True, "remote_data": True, "closed_at": True}
    assert report(specs).startswith("nullability: auto: silent required collections and dates")


def test_auto_is_lenient_when_the_docs_show_too_few_fields_to_tell(tmp_path: Path) -> None:
    specs = specs_with_evidence(tmp_path, shown=10, nullable=0)
    assert null_accepted(tmp_path, specs) == {"tags": True, "remote_data": True, "closed_at": True}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("lenient", True), ("strict", False)],
)
def test_explicit_policies_ignore_the_evidence(tmp_path: Path, policy: str, expected: bool) -> None:
    specs = specs_with_evidence(tmp_path, shown=60, nullable=0 if expected else 30)
    accepted = null_accepted(tmp_path, specs, "--nullability", policy)
    assert accepted == {"tags": expected, "remote_data": expected, "closed_at": expected}


def test_ir_json_records_the_decision_and_its_evidence(tmp_path: Path) -> None:
    specs = specs_with_evidence(tmp_path, shown=60, nullable=0)
    result = run_cli("ir", "--specs", str(specs))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["nullability"] == {
        "policy": "auto",
        "shown_required": 60,
        "shown_nullable": 0,
        "silent_collections_nullable": False,
        "silent_dates_nullable": True,
    }
    job = next(c for c in document["classes"] if c["name"] == "Job")
    assert [f["nullable"] for f in job["fields"]] == [False, False, True]
