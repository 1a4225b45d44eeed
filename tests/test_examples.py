"""Every Example cell that is JSON or a Python literal validates against its field's generated type."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.schema import ModelSpec
from generator.pipeline import analyse
from tests.conftest import (
    CORPORA,
    CORPUS_PACKAGE,
    ROOT,
    assert_only_known_wrong,
    checked_in_output,
    corpus_docs,
)

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow

KNOWN_WRONG = ROOT / "tests" / "data" / "wrong_examples.json"


def example_cases(config: Config) -> list[dict[str, str]]:
    schema = analyse(config).schema
    cases = []
    for spec in schema.classes:
        if not isinstance(spec, ModelSpec):
            continue
        cls = spec.key.name + ("Data" if spec.is_error else "")
        for field in spec.fields:
            if field.example.strip():
                cases.append(
                    {
                        "package": config.package,
                        "namespace": spec.key.namespace,
                        "cls": cls,
                        "attribute": field.attribute,
                        "example": field.example,
                        "where": str(field.location),
                    }
                )
    return cases


@pytest.mark.parametrize("corpus", CORPORA)
def test_examples_validate_against_generated_types(
    corpus: str, generated_corpus: Callable[..., Path]
) -> None:
    output = generated_corpus(corpus, "auto")
    config = Config(specs=corpus_docs(corpus), output=output, package=CORPUS_PACKAGE)
    cases = example_cases(config)
    failures = checked_in_output("example_check.py", cases, output)
    reasons = {f["where"]: f"{f['example'][:80]!r}: {f['error']}" for f in failures}
    assert_only_known_wrong(reasons, KNOWN_WRONG, corpus, "examples")
