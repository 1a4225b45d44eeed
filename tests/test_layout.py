"""The generator's folders are its parts, and the parts depend on each other in one direction.

cli -> pipeline -> parse -> resolve -> render -> write, with `model/` shared by all of them,
`incremental/` wrapped around them by the pipeline and `runtime/` shipped in every generated
package. Read from the source with `ast`: nothing is imported.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
# The stages in the order a doc goes through them: each may import the ones before it.
STAGES = ("parse", "resolve", "render", "write")
# Parts a stage never imports: they drive the stages, or wrap them.
ABOVE_STAGES = ("cli", "pipeline", "incremental", "diff")
# The only modules outside incremental/ that may use it: they hand the stages its pool.
USES_INCREMENTAL = ("generator.cli", "generator.pipeline")
MAX_TOP_LEVEL_FILES = 8
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
ORDER = "parse -> IR -> resolve -> render -> format -> write"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> str:
    """`generator.render.format` -> `render`; `generator.cli` -> `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(module: str, path: Path) -> set[str]:
    """Every module `module` imports (an imported name counts as `module.name`), relative
    imports resolved against its package."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _generator_imports() -> dict[str, set[str]]:
    return {
        module: {name for name in _imports(module, path) if name.split(".")[0] == "generator"}
        for module, path in _sources().items()
    }


def test_the_runtime_imports_nothing_outside_itself() -> None:
    wrong = {
        module: sorted(name for name in names if _part(name) != "runtime")
        for module, names in _generator_imports().items()
        if _part(module) == "runtime"
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_only_the_pipeline_and_the_cli_use_incremental() -> None:
    wrong = {
        module: sorted(name for name in names if _part(name) == "incremental")
        for module, names in _generator_imports().items()
        if _part(module) != "incremental" and module not in USES_INCREMENTAL
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_a_stage_imports_no_later_stage_and_nothing_that_drives_it() -> None:
    wrong: dict[str, list[str]] = {}
    for module, names in _generator_imports().items():
        if _part(module) not in STAGES:
            continue
        at = STAGES.index(_part(module))
        later = {*STAGES[at + 1 :], *ABOVE_STAGES}
        if found := sorted(name for name in names if _part(name) in later):
            wrong[module] = found
    assert wrong == {}


def test_the_records_import_only_records_and_the_runtime() -> None:
    allowed = {"model", "runtime", "", "__version__"}  # "": the package itself, its version
    wrong = {
        module: sorted(name for name in names if _part(name) not in allowed)
        for module, names in _generator_imports().items()
        if _part(module) == "model"
    }
    assert {module: names for module, names in wrong.items() if names} == {}


def test_the_top_level_holds_few_modules_besides_the_parts() -> None:
    files = sorted(entry.name for entry in PACKAGE.iterdir() if entry.is_file())
    assert len(files) <= MAX_TOP_LEVEL_FILES, files


def test_no_module_or_function_is_too_long() -> None:
    too_long: list[str] = []
    for module, path in _sources().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{module}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{module}.{node.name}: {length} lines")
    assert too_long == []


def test_a_constant_has_one_home() -> None:
    """A module-level constant with the same name and value in two modules is one constant
    kept twice: a change to one copy would not reach the other."""
    homes: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for module, path in _sources().items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.lstrip("_").isupper():
                    homes[(target.id, repr(node.value.value))].append(module)
    assert {name: modules for name, modules in homes.items() if len(modules) > 1} == {}


@pytest.mark.parametrize(
    ("package", "place"),
    [
        ("parse", "Stage 1 of six"),
        ("model/docs.py", "Stage 2 of six"),
        ("resolve", "Stage 3 of six"),
        ("render", "Stages 4 and 5 of six"),
        ("write", "Stage 6 of six"),
    ],
)
def test_each_stage_says_its_place_in_the_order(package: str, place: str) -> None:
    path = PACKAGE / package
    if path.is_dir():
        path = path / "__init__.py"
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert docstring.startswith(f"{place} ({ORDER})"), docstring
