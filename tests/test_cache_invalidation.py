"""Through the CLI: whatever a run's output depends on invalidates what the cache holds for it,
and nothing else does."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.incremental import fingerprint
from generator.parse import tree as doc_parser
from generator.render import format as formatting
from generator.render import package as render
from generator.render.templates import builtin_templates
from tests.conftest import fields_doc, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/shared/owner.md": fields_doc(
        "Owner", [("pet", "[shared.Pet](../../models/shared/pet.md)", False, "")]
    ),
}


class Work:
    """Counts what a run computes: docs parsed, modules rendered, modules formatted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.done: Counter[str] = Counter()
        parse, rendering_of, black = (
            doc_parser.parse_sources,
            render.render_modules,
            formatting.black_format,
        )

        def parsing(sources: list[Any]) -> Any:
            self.done["parse"] += len(sources)
            return parse(sources)

        def rendering(modules: list[Any], *arguments: Any) -> list[str]:
            self.done["render"] += len(modules)
            return rendering_of(modules, *arguments)

        def formatting_(texts: list[str]) -> list[str]:
            self.done["format"] += len(texts)
            return black(texts)

        monkeypatch.setattr(doc_parser, "parse_sources", parsing)
        monkeypatch.setattr(render, "render_modules", rendering)
        monkeypatch.setattr(formatting, "black_format", formatting_)

    def of(self, run: Any) -> dict[str, int]:
        self.done.clear()
        run()
        return dict(self.done)


def _generate(tmp_path: Path, *flags: str, output: str = "out") -> str:
    arguments = ["generate", "--specs", str(tmp_path / "specs"), "--output", str(tmp_path / output)]
    arguments += ["--package", "pets", "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    result = CliRunner().invoke(main, [*arguments, *flags])
    assert result.exit_code == 0, result.output
    return (tmp_path / output / "pets" / "shared" / "pet.py").read_text(encoding="utf-8")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Work:
    write_docs(tmp_path, DOCS)
    counter = Work(monkeypatch)
    # Four modules; the namespace's, rendered in black's form, skips black.
    assert counter.of(lambda: _generate(tmp_path)) == {"parse": 2, "render": 4, "format": 3}
    return counter


def test_a_changed_doc_is_parsed_rendered_and_formatted_again(tmp_path: Path, work: Work) -> None:
    doc = tmp_path / "specs" / "models" / "shared" / "pet.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("pet's", "cat's"), encoding="utf-8")
    assert work.of(lambda: _generate(tmp_path)) == {"parse": 1, "render": 1, "format": 1}
    assert "cat's name" in _generate(tmp_path)


def test_a_changed_template_renders_again(tmp_path: Path, work: Work) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(builtin_templates() / "_fields.jinja", templates / "_fields.jinja")
    flags = ("--templates", str(templates))
    # Other templates: every module is rendered and formatted again.
    assert work.of(lambda: _generate(tmp_path, *flags)) == {"render": 4, "format": 3}
    fields = templates / "_fields.jinja"
    fields.write_text("# fields follow\n" + fields.read_text(encoding="utf-8"), encoding="utf-8")
    assert work.of(lambda: _generate(tmp_path, *flags)) == {"render": 4, "format": 3}
    assert "# fields follow" in _generate(tmp_path, *flags)


def test_a_changed_template_behind_a_symlinked_folder_renders_again(
    tmp_path: Path, work: Work
) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    fields = parts / "fields.jinja"
    shutil.copy(builtin_templates() / "_fields.jinja", fields)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "linked").symlink_to(parts, target_is_directory=True)
    (templates / "_fields.jinja").write_text('{% include "linked/fields.jinja" %}')
    flags = ("--templates", str(templates))
    _generate(tmp_path, *flags)
    fields.write_text("# fields follow\n" + fields.read_text(encoding="utf-8"), encoding="utf-8")
    assert work.of(lambda: _generate(tmp_path, *flags)) == {"render": 4, "format": 3}
    assert "# fields follow" in _generate(tmp_path, *flags)


def test_changed_overrides_and_settings_resolve_again(tmp_path: Path, work: Work) -> None:
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('["shared.Pet.name"]\nwire_name = "petName"\n', encoding="utf-8")
    assert work.of(lambda: _generate(tmp_path, "--overrides", str(overrides))) == {
        "render": 1,
        "format": 1,
    }
    assert 'alias="petName"' in _generate(tmp_path, "--overrides", str(overrides))
    overrides.write_text('["shared.Pet.name"]\nwire_name = "PetName"\n', encoding="utf-8")
    assert 'alias="PetName"' in _generate(tmp_path, "--overrides", str(overrides))
    assert "@dataclasses.dataclass" in _generate(tmp_path, "--target", "dataclasses")


def test_a_new_generator_or_formatter_version_computes_everything_again(
    tmp_path: Path, work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.incremental import stamp

    monkeypatch.setattr(formatting, "black_version", lambda: "99.0")
    monkeypatch.setattr(stamp, "black_version", lambda: "99.0")
    assert work.of(lambda: _generate(tmp_path)) == {"render": 4, "format": 3}
    changed = fingerprint.generator_fingerprint() + " and a change"
    fingerprint.generator_fingerprint.cache_clear()
    monkeypatch.setattr(fingerprint, "generator_fingerprint", lambda: changed)
    assert work.of(lambda: _generate(tmp_path)) == {"parse": 2, "render": 4, "format": 3}


def test_a_users_namespace_template_is_formatted(tmp_path: Path, work: Work) -> None:
    """Only the built-in namespace template is known to render black's form."""
    templates = tmp_path / "templates"
    templates.mkdir()
    own = (builtin_templates() / "namespace_init.py.jinja").read_text(encoding="utf-8")
    (templates / "namespace_init.py.jinja").write_text(own + "x = [1,2]\n", encoding="utf-8")
    # Other templates: every module is formatted again, the namespace's with them.
    assert work.of(lambda: _generate(tmp_path, "--templates", str(templates)))["format"] == 4
    namespace = (tmp_path / "out" / "pets" / "shared" / "__init__.py").read_text(encoding="utf-8")
    assert namespace.endswith("x = [1, 2]\n")


def test_a_template_edited_while_modules_render_cannot_poison_the_cache(
    tmp_path: Path, work: Work, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edit lands after the run has hashed its templates and before Jinja would have read
    them, and is undone after the run: whatever the run wrote, the cache holds it under the
    key of the bytes it rendered from, so a later run into a new OUTPUT renders as a run
    without a cache does."""
    templates = tmp_path / "templates"
    templates.mkdir()
    fields = templates / "_fields.jinja"
    original = (builtin_templates() / "_fields.jinja").read_text(encoding="utf-8")
    fields.write_text(original, encoding="utf-8")
    flags = ("--templates", str(templates))
    rendering = render.render_modules

    def edited_meanwhile(modules: list[Any], *arguments: Any) -> list[str]:
        fields.write_text("# edited during the run\n" + original, encoding="utf-8")
        try:
            return rendering(modules, *arguments)
        finally:
            fields.write_text(original, encoding="utf-8")

    with monkeypatch.context() as during:
        during.setattr(render, "render_modules", edited_meanwhile)
        _generate(tmp_path, *flags)
    later = _generate(tmp_path, *flags, output="new")
    assert "# edited during the run" not in later
    assert later == _generate(tmp_path, *flags, "--no-cache", output="fresh")
