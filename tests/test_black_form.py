"""Modules rendered in black's form skip the formatter: for every visible corpus, black and
ruff leave each of them exactly as it was rendered, so that skipping them changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import black
import pytest

from generator.render.format import ruff_format
from generator.render.wrap import LINE_LENGTH
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
    texts = [module.read_text(encoding="utf-8") for module in modules]
    for module, text, by_ruff in zip(modules, texts, ruff_format(texts), strict=True):
        assert black.format_str(text, mode=mode) == text, f"black would change {module}"
        assert by_ruff == text, f"ruff would change {module}"
