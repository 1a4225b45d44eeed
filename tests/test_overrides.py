"""The overrides file: facts the docs cannot carry, applied in the resolve stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs
from tests.test_generated_typing import style_findings

DOCS = {
    "models/shared/job.md": fields_doc(
        "Job",
        [
            ("job_id", "*str*", True, "The job's id."),
            ("remote_data", "Dict[str, *Any*]", True, ""),
            ("page_size", "*Optional[int]*", False, ""),
            ("status", "[shared.Status](../../models/shared/status.md)", True, ""),
        ],
    ),
    "models/shared/status.md": """
        # Status


        ## Values

        | Name | Value |
        | ---- | ----- |
        | `RUNNING` | running |
    """,
    "models/errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "")]),
    "models/errors/detail.md": fields_doc("Detail", [("text", "*str*", True, "")]),
}

OVERRIDES = """\
# Facts the docs do not carry.
["shared.Job.job_id"]
wire_name = "jobId"

["shared.Job.remote_data"]
nullable = false

[shared.Job.page_size]
default = 100

["shared.Status"]
open = true
rename = "JobStatus"

["errors.NotFound"]
error = false
"""


def generate(tmp_path: Path, overrides: str, *extra: str) -> tuple[int, str]:
    specs = write_docs(tmp_path, DOCS)
    (tmp_path / "overrides.toml").write_text(overrides, encoding="utf-8")
    result = run_cli(
        "generate",
        "--specs",
        str(specs),
        "--output",
        str(tmp_path / "out"),
        "--package",
        "jobs",
        "--nullability",
        "lenient",
        "--overrides",
        str(tmp_path / "overrides.toml"),
        *extra,
    )
    return result.returncode, result.stderr


def test_overrides_change_wire_names_nullability_defaults_enums_errors_and_names(
    tmp_path: Path,
) -> None:
    code, stderr = generate(tmp_path, OVERRIDES)
    assert code == 0, stderr
    run_python(
        """
        from jobs.shared import Job, JobStatus
        from jobs import ApiError
        import jobs.errors as errors
        import jobs.shared as shared

        job = Job.model_validate({"jobId": "j1", "remote_data": {}, "status": "paused"})
        assert job.job_id == "j1"
        assert job.model_dump(by_alias=True)["jobId"] == "j1"
        assert job.page_size == 100
        assert job.status.value == "paused"  # open enum keeps the unknown value
        assert "Status" not in shared.__all__
        try:
            Job.model_validate({"jobId": "j1", "remote_data": None, "status": "running"})
        except Exception as exc:
            assert "remote_data" in str(exc)
        else:
            raise AssertionError("remote_data accepted null although overridden to non-null")
        assert not issubclass(errors.NotFound, ApiError)
        """,
        tmp_path / "out",
    )


def test_bad_overrides_are_reported_with_file_and_line(tmp_path: Path) -> None:
    bad = """\
["shared.Job.job_idd"]
wire_name = "jobId"

["shared.Jobb"]
open = true

["shared.Job.page_size"]
nullable = "yes"
colour = 3
"""
    code, stderr = generate(tmp_path, bad)
    assert code == 2
    path = str(tmp_path / "overrides.toml")
    lines = stderr.splitlines()
    assert f"{path}:1: error: shared.Job has no field 'job_idd' (did you mean 'job_id'?)" in lines
    assert (
        f"{path}:4: error: no class shared.Jobb in the docs (did you mean 'shared.Job'?)" in lines
    )
    assert f"{path}:8: error: nullable must be a bool, not str" in lines
    assert any(
        line.startswith(f"{path}:9: error: unknown field setting 'colour'") for line in lines
    )
    assert not (tmp_path / "out").exists()


def test_overrides_that_are_not_toml_are_an_error(tmp_path: Path) -> None:
    code, stderr = generate(tmp_path, "[shared.Job\nx = 1\n")
    assert code == 2
    assert "error: the overrides file is not valid TOML" in stderr


def test_tables_that_set_nothing_are_errors_that_say_what_they_take(tmp_path: Path) -> None:
    """`error = {}` was meant to make an error class: setting nothing in silence would lose
    what the user meant, as would any table that sets nothing."""
    empty = """\
["errors.NotFound"]
error = {}

["errors.Detail"]

["shared.Job.job_id"]

["shared.Job"]
page_size = {}
status = {wire_name = "state"}
open = {}

["shared.Job.remote_data"]
nullable = {}

[shared]
"""
    code, stderr = generate(tmp_path, empty)
    assert code == 2, stderr
    path = str(tmp_path / "overrides.toml")
    lines = stderr.splitlines()
    expected = [
        f"{path}:2: error: `error = {{}}` sets nothing: error takes true or false "
        "(`error = true`)",
        f'{path}:4: error: ["errors.Detail"] sets nothing (a class takes error, open, rename)',
        f'{path}:6: error: ["shared.Job.job_id"] sets nothing (a field takes default, '
        "nullable, required, wire_name)",
        f"{path}:9: error: `page_size = {{}}` sets nothing (a field takes default, nullable, "
        "required, wire_name)",
        f"{path}:11: error: `open = {{}}` sets nothing: open takes true or false "
        "(`open = true`)",
        f"{path}:14: error: `nullable = {{}}` sets nothing: nullable takes true or false "
        "(`nullable = true`)",
        f'{path}:16: error: ["shared"] sets nothing (settings go under '
        '["namespace.Class"] or ["namespace.Class.field"])',
    ]
    for line in expected:
        assert line in lines, stderr
    assert "state" not in stderr


def test_a_default_the_field_cannot_hold_is_an_error_at_its_line(tmp_path: Path) -> None:
    """A default is written into the class as it is: one of another type would be a value
    the class itself refuses when it reads it back."""
    wrong = """\
["shared.Job.page_size"]
default = "seven"

["shared.Job.job_id"]
default = 5

["shared.Job.status"]
nullable = true
default = "paused"

["shared.Job.remote_data"]
default = "{}"
"""
    code, stderr = generate(tmp_path, wrong)
    assert code == 2, stderr
    path = str(tmp_path / "overrides.toml")
    lines = stderr.splitlines()
    for expected in [
        f'{path}:2: error: default "seven" is not a valid int (the type of shared.Job.page_size)',
        f"{path}:5: error: default 5 is not a valid str (the type of shared.Job.job_id)",
        f'{path}:9: error: default "paused" is not a valid shared.Status (the type of '
        "shared.Job.status)",
        f'{path}:12: error: default "{{}}" is not a valid dict[str, Any] (the type of '
        "shared.Job.remote_data)",
    ]:
        assert any(line.startswith(expected) for line in lines), stderr
    assert not (tmp_path / "out").exists()


def test_a_default_of_the_field_type_is_taken(tmp_path: Path) -> None:
    """A number where an int is documented, one of the values of an enum."""
    docs_overrides = """\
["shared.Job.page_size"]
default = 7

["shared.Job.status"]
default = "running"
"""
    code, stderr = generate(tmp_path, docs_overrides)
    assert code == 0, stderr
    run_python(
        """
        from jobs.shared import Job

        job = Job.model_validate({"job_id": "j", "remote_data": {}})
        assert job.page_size == 7 and job.status == "running", job
        assert Job.model_validate(job.model_dump()) == job
        """,
        tmp_path / "out",
    )


def test_an_empty_wire_name_is_an_error(tmp_path: Path) -> None:
    """No API sends an empty key for a field: `wire_name = ""` is a value left unfilled."""
    code, stderr = generate(tmp_path, '["shared.Job.job_id"]\nwire_name = ""\n')
    assert code == 2, stderr
    path = str(tmp_path / "overrides.toml")
    assert any(
        line.startswith(f"{path}:2: error: wire_name must not be empty")
        for line in stderr.splitlines()
    ), stderr
    assert not (tmp_path / "out").exists()


def test_required_with_a_default_is_an_error(tmp_path: Path) -> None:
    """A field with a default is optional: `required = true` beside one says two things."""
    code, stderr = generate(tmp_path, '["shared.Job.job_id"]\nrequired = true\ndefault = 3\n')
    assert code == 2, stderr
    path = str(tmp_path / "overrides.toml")
    assert any(
        line.startswith(f"{path}:2: error: required = true and a default contradict")
        for line in stderr.splitlines()
    ), stderr
    assert not (tmp_path / "out").exists()


TYPED_DOCS = {
    "models/shared/color.md": (
        "# Color\n\n## Values\n\n| Name | Value |\n| --- | --- |\n"
        "| `RED` | red |\n| `BLUE` | blue |\n"
    ),
    "models/shared/str.md": "# str\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `ONE` | one |\n",
    "models/operations/thing.md": fields_doc(
        "Thing",
        [
            ("e", "[shared.Color](../shared/color.md)", True, ""),
            ("o", "[Optional[shared.Color]](../shared/color.md)", False, ""),
            ("s", "[shared.str](../shared/str.md)", True, ""),
            ("f", "*float*", True, ""),
            ("n", "*Optional[float]*", False, ""),
        ],
    ),
}
TYPED_OVERRIDES = """\
["operations.Thing.e"]
default = "red"

["operations.Thing.o"]
default = "blue"
wire_name = "otherColor"

["operations.Thing.s"]
default = "one"

["operations.Thing.f"]
default = 1

["operations.Thing.n"]
default = -3
"""


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_a_default_is_written_as_a_value_of_the_field_type(tmp_path: Path, target: str) -> None:
    """An enum's value is its member, and an integer a float where the field is a float:
    the attribute of an object built without the field has the documented type."""
    specs = write_docs(tmp_path, TYPED_DOCS)
    (tmp_path / "overrides.toml").write_text(TYPED_OVERRIDES, encoding="utf-8")
    output = generate_with_cli(
        specs,
        tmp_path / "out",
        "lib",
        "--overrides",
        str(tmp_path / "overrides.toml"),
        "--target",
        target,
        "--wire-names",
        "snake",
    )
    run_python(
        """
        from lib.operations import Thing
        from lib.shared import Color, str as Word

        thing = Thing()
        assert type(thing.e) is Color and thing.e is Color.RED, repr(thing.e)
        assert type(thing.o) is Color and thing.o is Color.BLUE, repr(thing.o)
        assert type(thing.s) is Word and thing.s is Word.ONE, repr(thing.s)
        assert type(thing.f) is float and thing.f == 1.0, repr(thing.f)
        assert type(thing.n) is float and thing.n == -3.0, repr(thing.n)
        read = Thing.from_dict({})
        assert read == thing and Thing.from_dict(thing.to_dict()) == thing
        assert Thing.from_dict({"e": "blue"}).e is Color.BLUE
        assert Thing.from_dict({"otherColor": "red"}).o is Color.RED
        """,
        output,
    )
    assert style_findings(output / "lib") == ""


def test_an_integer_default_too_large_for_a_float_field_is_an_error(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, TYPED_DOCS)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(f'["operations.Thing.f"]\ndefault = 2{"0" * 308}\n', encoding="utf-8")
    result = run_cli(
        "generate",
        "--specs",
        str(specs),
        "--output",
        str(tmp_path / "out"),
        "--package",
        "lib",
        "--overrides",
        str(overrides),
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{overrides}:2: error: default 2000" in result.stderr
    assert "is not a valid float" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_default_on_a_field_no_toml_value_fits_says_so(tmp_path: Path) -> None:
    docs = {
        "models/shared/event.md": fields_doc(
            "Event",
            [
                ("at", "[date](https://example.com/#date-objects)", False, ""),
                ("amount", "*Decimal*", False, ""),
            ],
        )
    }
    specs = write_docs(tmp_path, docs)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(
        '["shared.Event.at"]\ndefault = "2024-01-01"\n\n["shared.Event.amount"]\ndefault = "1.5"\n',
        encoding="utf-8",
    )
    result = run_cli("lint", "--specs", str(specs), "--overrides", str(overrides))
    assert result.returncode == 2, result.stderr
    for line, field in ((2, "at"), (5, "amount")):
        assert f"{overrides}:{line}: error: a " in result.stderr, result.stderr
        assert f"(shared.Event.{field}) takes no default from the overrides" in result.stderr


def test_two_fields_may_swap_their_keys_but_not_share_one(tmp_path: Path) -> None:
    swap = '["shared.Job.job_id"]\nwire_name = "page_size"\n["shared.Job.page_size"]\nwire_name = "job_id"\n'
    code, stderr = generate(tmp_path, swap)
    assert code == 0, stderr
    run_python(
        """
        from jobs.shared import Job
        job = Job.model_validate(
            {"page_size": "j", "job_id": 3, "remote_data": {}, "status": "running"}
        )
        assert (job.job_id, job.page_size) == ("j", 3), job
        """,
        tmp_path / "out",
    )
    code, stderr = generate(tmp_path / "shared", '["shared.Job.job_id"]\nwire_name = "page_size"\n')
    assert code == 2, stderr
    assert (
        "wire_name 'page_size' is the JSON key of shared.Job.job_id and shared.Job.page_size"
        in (stderr)
    ), (stderr)


def test_a_setting_outside_any_table_is_named(tmp_path: Path) -> None:
    code, stderr = generate(tmp_path, 'wire_name = "a"\n')
    assert code == 2, stderr
    assert (
        f"{tmp_path / 'overrides.toml'}:1: error: `wire_name` outside any table" in stderr
    ), stderr
