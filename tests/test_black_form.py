"""Modules rendered in black's form skip black: for every visible corpus, black leaves each of
them exactly as it was rendered, so that skipping it changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import black
import pytest

from generator.format import LINE_LENGTH
from tests.conftest import CORPORA, CORPUS_PACKAGE

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("corpus", CORPORA)
def test_namespace_modules_are_in_black_form(
    corpus: str, generated_corpus: Callable[..., Path]
) -> None:
    output = generated_corpus(corpus, "auto") / CORPUS_PACKAGE
    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
    modules = sorted(output.glob("*/__init__.py"))
    assert modules
    for module in modules:
        text = module.read_text(encoding="utf-8")
        assert black.format_str(text, mode=mode) == text, f"black would change {module}"
