"""The floors a package declares are floors it runs on: `pip install OUTPUT` (with
`--distribution`) into a fresh virtual environment pulls in the declared pydantic, and the
real corpora's payloads validate there as they do under the development pydantic.

Three environments, each shared by both corpora: pydantic at its declared floor (the lowest
release the declared specifier admits), the newest pydantic, and none at all (the dataclasses
target). Only the packages' public API is used (`from_dict`, `to_dict`, payloads.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from generator.model.floors import PYDANTIC, dependencies, requires_python
from generator.model.target import Target
from tests.conftest import SHARED, corpus_docs, run_cli, shared_missing

pytestmark = pytest.mark.slow

CORPORA = ("kombo-v1", "egain-v2")
PAYLOADS = SHARED / "tools" / "payloads.py"
# (name, target): `floor` and `newest` are pydantic releases found in pip's index.
ENVIRONMENTS = (
    ("floor", Target.PYDANTIC),
    ("newest", Target.PYDANTIC),
    ("bare", Target.DATACLASSES),
)
# Bounded, so that an unreachable index is known in seconds rather than after pip's retries.
PROBE = ("--retries", "1", "--timeout", "20")


def _package(corpus: str) -> str:
    return corpus.replace("-", "_")


def _unreachable(reason: str, pip_said: str) -> None:
    """CI must install from the index: there, a missing index fails the test."""
    said = [line for line in pip_said.splitlines() if "experimental" not in line]
    message = f"pip cannot reach the package index: {reason}" + (f" ({said[-1]})" if said else "")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module", autouse=True)
def _shared_present() -> None:
    """The corpora and payloads.py, or a skip that says where they were looked for."""
    for corpus in CORPORA:
        corpus_docs(corpus)
    if not PAYLOADS.is_file():
        shared_missing(
            f"payloads.py not found at {PAYLOADS} (the shared tools live beside the checkout)"
        )


@pytest.fixture(scope="module")
def pydantic_releases() -> list[Version]:
    """pydantic's final releases, as pip's index lists them."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "pydantic", *PROBE],
        capture_output=True,
        text=True,
        timeout=300,
    )
    listed = re.search(r"^Available versions: (.+)$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or listed is None:
        _unreachable("it lists no pydantic release", result.stderr)
    assert listed is not None
    releases = sorted(Version(v) for v in listed.group(1).split(", "))
    floor = _floor(releases)
    if floor is None or floor.release[:2] != PYDANTIC:
        # pip falls back on the other indexes it knows, which may hold a few releases only.
        floor_series = ".".join(map(str, PYDANTIC))
        _unreachable(f"it lists no pydantic {floor_series}.x release", result.stderr)
    return [release for release in releases if not release.is_prerelease]


def _floor(releases: list[Version]) -> Version | None:
    """The lowest release that the pydantic requirement a package declares admits."""
    (requirement,) = dependencies(Target.PYDANTIC)
    admitted = SpecifierSet(requirement.removeprefix("pydantic"))
    return next((v for v in releases if v in admitted and not v.is_prerelease), None)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, Target], Path]:
    """OUTPUT of each corpus and target, generated with --distribution (two at a time)."""
    root = tmp_path_factory.mktemp("floors-outputs")

    def generate(key: tuple[str, Target]) -> Path:
        corpus, target = key
        output = root / f"{corpus}-{target.value}"
        result = run_cli(
            "generate",
            *("--specs", str(corpus_docs(corpus)), "--output", str(output)),
            *("--package", _package(corpus), "--target", target.value),
            *("--distribution", "--jobs", "1", "--no-cache", "-q"),
        )
        assert result.returncode == 0, result.stderr
        return output

    keys = [(corpus, target) for corpus in CORPORA for target in Target]
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(keys, pool.map(generate, keys), strict=True))


@pytest.fixture(scope="module")
def environments(
    tmp_path_factory: pytest.TempPathFactory,
    pydantic_releases: list[Version],
    outputs: dict[tuple[str, Target], Path],
) -> Iterator[Callable[[str], Path]]:
    """The python of each environment: both corpora installed with pip from OUTPUT, with
    the pydantic that pulls in (pinned by a constraints file for `floor`); made two at a
    time, the first as soon as a test asks for any."""
    root = tmp_path_factory.mktemp("floors-venvs")
    pins = {"floor": _floor(pydantic_releases), "newest": pydantic_releases[-1]}
    with ThreadPoolExecutor(2) as pool:
        made = {
            name: pool.submit(_install, root / name, [outputs[c, target] for c in CORPORA], pins)
            for name, target in ENVIRONMENTS
        }
        yield lambda name: made[name].result()


def _install(venv: Path, packages: list[Path], pins: dict[str, Version | None]) -> Path:
    # Without pip of its own (its bundled copy takes seconds to install): the test's pip
    # installs into it, as `pip install OUTPUT` run there would.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    constraints = []
    if venv.name == "floor":
        pin = venv.parent / "floor-constraints.txt"
        pin.write_text(f"pydantic=={pins['floor']}\n", encoding="utf-8")
        constraints = ["--constraint", str(pin)]
    before = [_listing(package) for package in packages]
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
        + constraints
        + [str(package) for package in packages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A build leaves nothing in OUTPUT: it stays what docs2models wrote.
    assert [_listing(package) for package in packages] == before
    return python


def _listing(output: Path) -> list[str]:
    return sorted(
        str(p.relative_to(output)) for p in output.rglob("*") if "__pycache__" not in p.parts
    )


def _run(python: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )


WHAT_IS_INSTALLED = """
    import importlib.metadata, importlib.util, json, sys
    print(json.dumps({
        "pydantic": importlib.metadata.version("pydantic")
        if importlib.util.find_spec("pydantic") else None,
        "requires": {p: importlib.metadata.requires(p) or [] for p in sys.argv[1:]},
        "requires_python": {
            p: importlib.metadata.metadata(p)["Requires-Python"] for p in sys.argv[1:]
        },
    }))
"""


@pytest.mark.parametrize("name", [name for name, _ in ENVIRONMENTS])
def test_pip_installs_the_package_with_the_pydantic_it_declares(
    name: str,
    environments: Callable[[str], Path],
    pydantic_releases: list[Version],
    tmp_path: Path,
) -> None:
    packages = [_package(corpus) for corpus in CORPORA]
    result = _run(
        environments(name), "-c", textwrap.dedent(WHAT_IS_INSTALLED), *packages, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    installed = json.loads(result.stdout)
    target = dict(ENVIRONMENTS)[name]
    assert installed["requires"] == {package: dependencies(target) for package in packages}
    assert set(installed["requires_python"].values()) == {requires_python()}
    wanted = {
        "floor": str(_floor(pydantic_releases)),
        "newest": str(pydantic_releases[-1]),
        "bare": None,
    }[name]
    assert installed["pydantic"] == wanted


@pytest.fixture(scope="module")
def development_summaries() -> dict[tuple[str, Target], str]:
    """payloads.py's summary of each package under this environment's pydantic (filled
    as the tests ask)."""
    return {}


def _summary(python: Path, corpus: str, output: Path, cwd: Path) -> str:
    """payloads.py's last line for the package in `output` (or, with an empty folder, the
    one installed where `python` looks)."""
    cases = SHARED / "corpus" / corpus / "payloads.json"
    result = _run(
        python,
        str(PAYLOADS),
        *("--cases", str(cases), "--output", str(output), "--package", _package(corpus)),
        cwd=cwd,
    )
    assert result.stdout.strip(), result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", [name for name, _ in ENVIRONMENTS])
def test_the_installed_package_reads_the_real_payloads(
    name: str,
    corpus: str,
    environments: Callable[[str], Path],
    outputs: dict[tuple[str, Target], Path],
    development_summaries: dict[tuple[str, Target], str],
    tmp_path: Path,
) -> None:
    target = dict(ENVIRONMENTS)[name]
    output = outputs[corpus, target]
    reference = development_summaries.get((corpus, target))
    if reference is None:
        reference = _summary(Path(sys.executable), corpus, output, tmp_path)
        development_summaries[corpus, target] = reference
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    summary = _summary(environments(name), corpus, empty, tmp_path)
    validated = re.match(r"payloads: validated (\d+)/(\d+) ", summary)
    assert validated is not None, summary
    assert validated.group(1) == validated.group(2), summary
    assert summary == reference


EVERY_MODULE = """
    import dataclasses, importlib, inspect, json, pkgutil, sys

    package = importlib.import_module(sys.argv[1])
    assert "site-packages" in package.__file__, package.__file__
    prefix = package.__name__ + "."
    names = [info.name for info in pkgutil.walk_packages(package.__path__, prefix)]
    modules = [package, *(importlib.import_module(name) for name in names)]

    def required(model):
        if dataclasses.is_dataclass(model):
            missing = dataclasses.MISSING
            return any(
                field.init and field.default is missing and field.default_factory is missing
                for field in dataclasses.fields(model)
            )
        return any(field.is_required() for field in model.model_fields.values())

    checked = 0
    for module in modules:
        for value in list(vars(module).values()):
            if (
                inspect.isclass(value)
                and issubclass(value, package.GeneratedModel)
                and value.__module__ == module.__name__
                and not required(value)
            ):
                assert value.from_dict({}).to_dict() == {}, value
                checked += 1
    print(json.dumps({"modules": len(modules), "empty": checked}))
"""


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("name", [name for name, _ in ENVIRONMENTS])
def test_every_module_imports_and_every_optional_model_reads_an_empty_object(
    name: str, corpus: str, environments: Callable[[str], Path], tmp_path: Path
) -> None:
    result = _run(
        environments(name), "-c", textwrap.dedent(EVERY_MODULE), _package(corpus), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["modules"] > 50 and counts["empty"] > 10, counts
