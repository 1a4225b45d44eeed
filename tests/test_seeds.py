"""The project's own specs/: the three seed error docs, end to end, and the committed output/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.model.target import Target
from generator.pipeline import build, diff_output, generate
from tests.conftest import ROOT, run_python

SEED_ERROR = "PostATSCandidatesCandidateIDTagsUnifiedATSAPIResponse503ResponseBody"


def project_config() -> Config:
    config = load_config(ROOT / "pyproject.toml")
    assert config.specs == ROOT / "specs"
    return config


@pytest.mark.parametrize("target", list(Target), ids=[t.value for t in Target])
def test_seed_error_is_raised_from_a_503_body_and_caught_by_the_base(
    target: Target, tmp_path: Path
) -> None:
    config = project_config().with_flags(output=tmp_path, target=target)
    generate(config)
    body = {"error": {"message": "No sync has finished successfully yet"}, "status": "error"}
    run_python(
        f"""
        import json
        from {config.package} import ApiError
        from {config.package}.errors import {SEED_ERROR}, {SEED_ERROR}Data

        body = {json.dumps(body)!r}
        raw = object()
        try:
            raise {SEED_ERROR}.from_response(body.encode(), raw_response=raw)
        except ApiError as error:
            caught = error
        assert type(caught) is {SEED_ERROR}
        assert str(caught) == body
        assert json.loads(str(caught)) == json.loads(body)
        assert caught.raw_response is raw
        assert caught.error.message == "No sync has finished successfully yet"
        assert caught.status.value == "error"
        assert isinstance(caught.data, {SEED_ERROR}Data)
        assert "raw_response" not in caught.data.to_dict()
        """,
        tmp_path,
    )


def test_every_seed_doc_becomes_an_error_with_its_description(tmp_path: Path) -> None:
    config = project_config().with_flags(output=tmp_path)
    generate(config)
    run_python(
        f"""
        from {config.package} import ApiError
        import {config.package}.errors as errors
        names = [n for n in errors.__all__ if n.endswith("ResponseBody")]
        assert len(names) == 3, names
        for name in names:
            cls = getattr(errors, name)
            assert issubclass(cls, ApiError), name
            assert cls.__doc__.startswith("Returned when"), cls.__doc__
        """,
        tmp_path,
    )


def test_committed_output_is_what_the_specs_generate() -> None:
    """Golden test of output/. Regenerate it with `make generate` after changing specs/ or templates/."""
    config = project_config()
    _, files = build(config)
    diff = "".join(diff_output(config, files))
    assert diff == "", f"output/ is stale; run `make generate`:\n{diff[:5000]}"
