"""A user's template that cannot be rendered, or renders a module the formatter rejects, is a
clean error naming where (the template's line; the module and its doc): exit 2, OUTPUT as it
was."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator.render.templates import builtin_templates
from tests.conftest import fields_doc, run_cli, write_docs

DOCS = {
    f"models/shared/m{index}.md": fields_doc(f"M{index}", [("id", "*str*", True, "An id.")])
    for index in range(5)
}


def _generate(tmp_path: Path, *flags: str) -> tuple[int, str]:
    result = run_cli(
        "generate",
        *("--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "out")),
        *("--package", "pets", "--cache-dir", str(tmp_path / "cache")),
        *flags,
    )
    return result.returncode, result.stderr


def _output(tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "out"
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


RUFF = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
NO_RUFF = pytest.mark.skipif(RUFF is None, reason="ruff is not installed")


@pytest.mark.parametrize(
    "formatter",
    [
        ("--formatter", "black", "--jobs", "1"),
        ("--formatter", "black", "--jobs", "2"),  # in worker processes
        pytest.param(("--formatter", "ruff"), marks=NO_RUFF),
        ("--formatter", "none"),  # no formatter: each module still parsed
    ],
)
def test_a_module_the_formatter_rejects_is_a_clean_error(
    tmp_path: Path, formatter: tuple[str, ...]
) -> None:
    write_docs(tmp_path, DOCS)
    code, stderr = _generate(tmp_path, *formatter)
    assert code == 0, stderr
    before = _output(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    model = (builtin_templates() / "model.py.jinja").read_text(encoding="utf-8")
    (templates / "model.py.jinja").write_text(model + "broken = (\n", encoding="utf-8")
    code, stderr = _generate(tmp_path, *formatter, "--templates", str(templates))
    assert code == 2, stderr
    assert "Traceback" not in stderr
    for index in range(5):
        assert f"models/shared/m{index}.md:1: error: " in stderr, stderr
        assert f"pets/shared/m{index}.py" in stderr, stderr
    assert "pets/__init__.py" not in stderr  # its template is fine
    assert _output(tmp_path) == before


@pytest.mark.parametrize(
    ("appended", "why"),
    [
        ("{{ nothing_here }}", "'nothing_here' is undefined"),
        ("{% if %}", "Expected an expression"),
        ('{% include "missing.jinja" %}', "no template named 'missing.jinja'"),
        ("{{ [1] | literal }}", "no literal for list"),
        ("\udcff", "not UTF-8 text"),
    ],
)
def test_a_template_that_cannot_be_rendered_is_a_clean_error(
    tmp_path: Path, appended: str, why: str
) -> None:
    write_docs(tmp_path, DOCS)
    code, stderr = _generate(tmp_path, "--formatter", "none")  # formatting is not the point
    assert code == 0, stderr
    before = _output(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    model = (builtin_templates() / "model.py.jinja").read_text(encoding="utf-8")
    lines = len(model.splitlines())
    text = (model + appended + "\n").encode("utf-8", "surrogateescape")
    (templates / "model.py.jinja").write_bytes(text)
    code, stderr = _generate(tmp_path, "--formatter", "none", "--templates", str(templates))
    assert code == 2, stderr
    assert "Traceback" not in stderr
    line = 1 if "UTF-8" in why else lines + 1
    assert f"model.py.jinja:{line}: error: {why}" in stderr, stderr
    assert stderr.count(" error: ") == 2, stderr  # the problem once, for all five modules
    assert _output(tmp_path) == before


@pytest.mark.parametrize("formatter", ["black", "none", pytest.param("ruff", marks=NO_RUFF)])
@pytest.mark.parametrize(
    ("appended", "why"),
    [
        ("return 5", "'return' outside function"),
        ("from __future__ import braces", "line "),  # "not a chance", where ruff leaves it
        ("nonlocal x", "nonlocal declaration not allowed at module level"),
    ],
)
def test_a_module_that_parses_but_does_not_compile_is_a_clean_error(
    tmp_path: Path, formatter: str, appended: str, why: str
) -> None:
    """What Python's compiler refuses past its parser (and the formatter's) is refused too:
    such a package could not be imported."""
    model = (builtin_templates() / "model.py.jinja").read_text(encoding="utf-8")
    _refused_by_python(tmp_path, formatter, model + appended + "\n", why)


def _refused_by_python(tmp_path: Path, formatter: str, template: str, why: str) -> None:
    """A run whose model template is `template` stops at Python's compiler, saying `why` for
    each doc, with OUTPUT as the run before left it."""
    write_docs(tmp_path, DOCS)
    code, stderr = _generate(tmp_path, "--formatter", formatter)
    assert code == 0, stderr
    before = _output(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "model.py.jinja").write_text(template, encoding="utf-8")
    code, stderr = _generate(tmp_path, "--formatter", formatter, "--templates", str(templates))
    assert code == 2 and "Traceback" not in stderr, stderr
    for index in range(5):
        said = f"models/shared/m{index}.md:1: error: python cannot compile the generated module"
        assert said in stderr and why in stderr, stderr
    assert _output(tmp_path) == before


@pytest.mark.parametrize("formatter", ["black", "none", pytest.param("ruff", marks=NO_RUFF)])
@pytest.mark.parametrize(
    ("template", "why"),
    [
        # Python reads a module's bytes in the encoding it declares; docs2models writes UTF-8.
        ("# coding: ascii\nname = 'é'\n", "'ascii' codec can't decode byte 0xc3"),
        ("# -*- coding: utf-16 -*-\nx = 1\n", "'utf-16-le' codec can't decode"),
        ("# coding: nosuchcodec\nx = 1\n", "unknown encoding: nosuchcodec"),
        # What `python -W error` refuses to import (the tests' own check of every package).
        ("x = 1\ny = x is 1\n", '"is" with a literal'),
        ('x = "\\d"\n', "invalid escape sequence"),
        # Deeper than Python's compiler goes (and, far deeper, than black survives).
        ("x = " + "-" * 5000 + "1\n", "too deeply nested"),
    ],
)
def test_a_module_python_cannot_import_as_written_is_a_clean_error(
    tmp_path: Path, formatter: str, template: str, why: str
) -> None:
    """What Python refuses once the module is a UTF-8 file imported with warnings as errors
    is refused before any formatter reads it."""
    _refused_by_python(tmp_path, formatter, "{% raw %}" + template + "{% endraw %}", why)
