"""Every `### Example Request Body` of the SDK pages validates against its operation's
request body class, and comes back unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.docs import TypeKind
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

KNOWN_WRONG = ROOT / "tests" / "data" / "wrong_request_examples.json"


def request_cases(config: Config) -> tuple[list[dict[str, str]], list[str]]:
    """The examples with the class they are checked against, and those of operations whose
    request body class the docs do not give."""
    cases, unclassed = [], []
    for operation in analyse(config).schema.operations:
        body = operation.request_body
        for example, location in operation.request_examples:
            if body is None or body.kind is not TypeKind.REF:
                unclassed.append(str(location))
                continue
            cases.append(
                {
                    "package": config.package,
                    "namespace": body.namespace,
                    "cls": body.name,
                    "example": example,
                    "where": str(location),
                }
            )
    return cases, unclassed


@pytest.mark.parametrize("corpus", CORPORA)
def test_request_examples_validate_against_their_body_class(
    corpus: str, generated_corpus: Callable[..., Path]
) -> None:
    output = generated_corpus(corpus, "auto")
    config = Config(specs=corpus_docs(corpus), output=output, package=CORPUS_PACKAGE)
    cases, unclassed = request_cases(config)
    shown = sum(
        page.read_text(encoding="utf-8").count("\n### Example Request Body")
        for page in sorted((corpus_docs(corpus) / "sdks").glob("**/README.md"))
    )
    assert len(cases) == shown, f"{len(cases)} of the {shown} request examples were read"
    assert not unclassed, f"examples of operations without a request body class: {unclassed}"
    failures = checked_in_output("request_example_check.py", cases, output)
    reasons = {f["where"]: str(f["error"]) for f in failures}
    assert_only_known_wrong(reasons, KNOWN_WRONG, corpus, "request examples")
