"""Real Speakeasy doc trees: every doc parses, and the generated package matches Speakeasy's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Config
from generator.model.diagnostics import Diagnostics, Severity
from generator.model.schema import WireNames
from generator.model.target import Formatter
from generator.parse.tree import parse_tree
from generator.pipeline import generate
from tests.conftest import CORPORA, CORPUS, CORPUS_PACKAGE, SHARED, corpus_docs, shared_missing

# Minutes of real trees and subprocesses: `make test-all` (CI) runs them, `make test` not.
pytestmark = pytest.mark.slow

FIDELITY = SHARED / "tools" / "fidelity.py"
SCORE = re.compile(r"^fidelity (?P<score>[\d.]+)%", re.MULTILINE)

# Floors at the figures reached, per nullability policy: raise them as the generator improves,
# never lower them. docs/fidelity.md explains what each corpus still misses and why.
FIDELITY_FLOORS = {
    ("kombo-v1", "auto"): 99.27,
    ("hightouch-v1", "auto"): 99.32,
    ("airbyte-v1", "auto"): 95.56,
    ("unstructured-v2", "auto"): 99.70,
    ("mistral-v2", "auto"): 98.22,
    ("kombo-v2", "auto"): 97.68,
    ("egain-v2", "auto"): 99.49,
    ("kombo-v1", "lenient"): 99.27,
    ("kombo-v1", "strict"): 99.16,
    ("hightouch-v1", "lenient"): 98.39,
    ("hightouch-v1", "strict"): 99.84,
    ("airbyte-v1", "lenient"): 95.37,
    ("airbyte-v1", "strict"): 96.03,
    ("unstructured-v2", "lenient"): 98.87,
    ("unstructured-v2", "strict"): 100.00,
    ("mistral-v2", "lenient"): 98.22,
    ("mistral-v2", "strict"): 99.10,
    ("kombo-v2", "lenient"): 97.68,
    ("kombo-v2", "strict"): 97.94,
    ("egain-v2", "lenient"): 99.32,
    ("egain-v2", "strict"): 99.57,
}

# What the default policy must reach on each corpus, counted over the facts other than wire
# names (the score these targets were set on); airbyte-v1's const fields carry no sign in the
# docs, which caps it lower.
FIDELITY_TARGETS = {
    "kombo-v1": 98.5,
    "hightouch-v1": 98.5,
    "unstructured-v2": 98.5,
    "mistral-v2": 98.0,
    "kombo-v2": 98.0,
    "airbyte-v1": 95.0,
    "egain-v2": 98.5,
}
WIRE_FACTS = ("wire-in", "wire-out")
# Every corpus: the classes accept the API's own JSON key of nearly every body field (what is
# left are keys the spec renamed, which no naming rule derives: docs/wire-names.md).
WIRE_IN_TARGET = 99.0
# Objects built in Python write the API's key of at least the share of body fields that the
# API's dominant naming convention alone gets right (to one decimal): docs/wire-names.md.
WIRE_OUT_TARGETS = {
    "kombo-v1": 99.4,
    "kombo-v2": 87.4,
    "hightouch-v1": 93.0,
    "unstructured-v2": 100.0,
    "mistral-v2": 95.2,
    "airbyte-v1": 75.5,
    "egain-v2": 96.3,
}


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_doc_of_a_real_tree_parses(corpus: str) -> None:
    diagnostics = Diagnostics()
    tree = parse_tree(corpus_docs(corpus), diagnostics)
    errors = [str(d) for d in diagnostics.sorted() if d.severity is Severity.ERROR]
    assert errors == []
    assert len(tree.docs) > 100


# fidelity.py reads pydantic's `extra="allow"` as the docs allowing additional properties (its
# `__pydantic_extra__` field). Every generated model keeps the keys that feed no field, so that
# nothing of a payload is lost (`unknown_keys = "keep"`): pydantic's config allows extra on every
# class, and the docs' fact is the class's `extra_allowed`. A class whose one difference in the
# fields fact is that extra counts as matched where its `extra_allowed` agrees with the truth.
EXTRA_ONLY = re.compile(r"^(?P<name>[\w.]+): missing \[\] extra \['__pydantic_extra__'\]$")
Stats = dict[str, list[int]]


def score_of(stats: Stats, facts: Callable[[str], bool]) -> float:
    """The score over the kinds of fact that `facts` accepts."""
    matched = sum(counts[0] for fact, counts in stats.items() if facts(fact))
    compared = sum(counts[1] for fact, counts in stats.items() if facts(fact))
    assert compared, f"no facts in {stats}"
    return 100 * matched / compared


def fidelity(corpus: str, output: Path) -> tuple[float, str, Stats]:
    """The score, the report and {fact: [matched, compared]} of a generated corpus."""
    found = output / "fidelity.json"
    result = subprocess.run(
        [
            *(sys.executable, str(FIDELITY), "--truth", str(CORPUS / corpus / "truth.json")),
            *("--docs", str(CORPUS / corpus / "docs"), "--output", str(output)),
            *("--package", CORPUS_PACKAGE, "--json", str(found)),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=output,
    )
    assert SCORE.search(
        result.stdout
    ), f"fidelity.py printed no score:\n{result.stdout}\n{result.stderr}"
    data = json.loads(found.read_text(encoding="utf-8"))
    stats: Stats = data["stats"]
    extra_only = [m["name"] for m in map(EXTRA_ONLY.match, data["misses"]["fields"]) if m]
    stats["fields"][0] += len(extra_only) - len(_extra_allowed(output, extra_only))
    score = round(score_of(stats, lambda fact: True), 2)  # as fidelity.py prints it
    return score, result.stdout, stats


def _extra_allowed(output: Path, names: list[str]) -> list[str]:
    """Of the classes `names` (namespace.Class), those whose docs allow additional properties."""
    check = f"""
import importlib, json
def allowed(name):
    namespace, _, class_name = name.rpartition(".")
    found = getattr(importlib.import_module("{CORPUS_PACKAGE}." + namespace), class_name)
    return getattr(found, "data_model", found).extra_allowed  # an error: its body's
print(json.dumps([name for name in {names!r} if allowed(name)]))
"""
    found = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, cwd=output, check=True
    )
    return list(json.loads(found.stdout))


@pytest.mark.parametrize(("corpus", "policy"), sorted(FIDELITY_FLOORS))
def test_generated_package_matches_speakeasy(
    corpus: str, policy: str, generated_corpus: Callable[..., Path]
) -> None:
    corpus_docs(corpus)
    if not FIDELITY.is_file():
        shared_missing(f"{FIDELITY} not found")
    output = generated_corpus(corpus, policy)
    score, report, stats = fidelity(corpus, output)
    assert "problem:" not in report, report
    assert score >= FIDELITY_FLOORS[(corpus, policy)], (score, report)
    if policy == Config.nullability.value:
        assert score_of(stats, lambda f: f not in WIRE_FACTS) >= FIDELITY_TARGETS[corpus], report
        assert score_of(stats, lambda f: f == "wire-in") >= WIRE_IN_TARGET, report
        wire_out = round(score_of(stats, lambda f: f == "wire-out"), 1)
        assert wire_out >= WIRE_OUT_TARGETS[corpus], report


def matched(stats: Stats, fact: str) -> int:
    """How many facts of a kind a fidelity report matched (out of a count fixed by truth)."""
    return stats[fact][0]


@pytest.mark.parametrize("corpus", CORPORA)
def test_auto_wire_names_beat_every_single_convention(
    corpus: str, generated_corpus: Callable[..., Path], tmp_path: Path
) -> None:
    """`auto` writes at least as many of the API's keys right as any setting that imposes one
    convention (or none): the evidence it reads never costs a key that a convention gets."""
    specs = corpus_docs(corpus)
    if not FIDELITY.is_file():
        shared_missing(f"{FIDELITY} not found")
    auto = matched(fidelity(corpus, generated_corpus(corpus))[2], "wire-out")
    for setting in (WireNames.CAMEL, WireNames.SNAKE, WireNames.AS_DOCUMENTED):
        output = tmp_path / setting.value
        # Wire names are facts of the code, not of its layout: black adds nothing here.
        generate(
            Config(
                specs=specs,
                output=output,
                package=CORPUS_PACKAGE,
                wire_names=setting,
                formatter=Formatter.NONE,
            )
        )
        imposed = matched(fidelity(corpus, output)[2], "wire-out")
        assert (
            auto >= imposed
        ), f"{corpus}: auto writes {auto} keys right, {setting.value} {imposed}"
