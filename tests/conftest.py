"""Shared helpers: write docs to a temporary specs tree, generate, run generated code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Generation caches go to a temporary directory (inherited by CLI subprocesses)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


def shared_missing(reason: str) -> NoReturn:
    """A test without its inputs in `../shared`: skipped, with the reason; under CI
    (`CI=true`), where they are always beside the checkout, it fails instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the shared inputs must be there)")
    pytest.skip(reason)


def corpus_docs(name: str) -> Path:
    docs = CORPUS / name / "docs"
    if not docs.is_dir():
        shared_missing(
            f"corpus {name} not found at {docs} (the shared corpora live beside the checkout)"
        )
    return docs


CORPORA = [
    "kombo-v1",
    "hightouch-v1",
    "airbyte-v1",
    "unstructured-v2",
    "mistral-v2",
    "kombo-v2",
    "egain-v2",
]


@pytest.fixture(scope="session")
def generated_corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Generate a corpus once per session, policy and target; returns the output directory."""
    from generator.config import Config
    from generator.model.schema import Nullability
    from generator.model.target import Target
    from generator.pipeline import generate

    cache: dict[tuple[str, str, str], Path] = {}

    def get(corpus: str, policy: str = "auto", target: str = "pydantic") -> Path:
        if (corpus, policy, target) not in cache:
            output = tmp_path_factory.mktemp(f"{corpus}-{policy}-{target}")
            config = Config(
                specs=corpus_docs(corpus),
                output=output,
                package=CORPUS_PACKAGE,
                nullability=Nullability(policy),
                target=Target(target),
            )
            generate(config)
            cache[(corpus, policy, target)] = output
        return cache[(corpus, policy, target)]

    return get


CORPUS_PACKAGE = "corpus"


def write_docs(root: Path, docs: dict[str, str]) -> Path:
    """Write {relative path: Markdown} under root/specs and return the specs directory."""
    specs = root / "specs"
    for relative, text in docs.items():
        path = specs / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return specs


def fields_doc(name: str, rows: list[tuple[str, str, bool, str]], description: str = "") -> str:
    """A Speakeasy model doc with a Fields table of (field, type cell, required, description)."""
    lines = [f"# {name}", ""]
    if description:
        lines += [description, ""]
    lines += [
        "",
        "## Fields",
        "",
        "| Field | Type | Required | Description |",
        "| --- | --- | --- | --- |",
    ]
    for field, type_cell, required, text in rows:
        marker = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        lines.append(f"| `{field}` | {type_cell} | {marker} | {text or 'N/A'} |")
    return "\n".join(lines)


def run_python(code: str, *paths: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter with `paths` on sys.path; a warning is an error, as
    under `python -W error` (a class that warns at import fails there)."""
    prelude = "import sys\n" + "".join(f"sys.path.insert(0, {str(p)!r})\n" for p in paths)
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"generated code failed:\n{result.stdout}\n{result.stderr}")
    return result


def generate_with_cli(specs: Path, output: Path, package: str, *flags: str) -> Path:
    """`docs2models generate` without a cache, which must succeed; returns `output`."""
    result = run_cli(
        "generate",
        *("--specs", str(specs), "--output", str(output), "--package", package, "--no-cache"),
        *flags,
    )
    assert result.returncode == 0, result.stderr
    return output


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=600,
    )


def checked_in_output(
    script: str, cases: list[dict[str, str]], output: Path
) -> list[dict[str, Any]]:
    """The failures `tests/<script>` reports for `cases`, run in a fresh interpreter that
    sees only the generated package in OUTPUT."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / script)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        cwd=output,
        timeout=900,
        env={"PYTHONPATH": str(output), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def assert_only_known_wrong(
    failures: dict[str, str], known_file: Path, corpus: str, what: str
) -> None:
    """Every failure {where: why} is listed for `corpus` in `known_file`, and every one
    listed still fails."""
    known = json.loads(known_file.read_text(encoding="utf-8")).get(corpus, {})
    unexpected = {where: why for where, why in failures.items() if where not in known}
    fixed = sorted(set(known) - set(failures))
    assert not unexpected, f"{what} that do not validate:\n" + "\n".join(
        f"{where}: {why}" for where, why in sorted(unexpected.items())
    )
    assert not fixed, f"listed as wrong but now valid (remove from {known_file.name}): {fixed}"


def descendants(pid: int) -> set[int]:
    """The processes below `pid`, from Linux's /proc."""
    found: set[int] = set()
    pending = [pid]
    while pending:
        for task in Path(f"/proc/{pending.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            pending.extend(children - found)
            found |= children
    return found


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, waiting for its parent, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
