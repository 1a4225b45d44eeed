"""The no-op stamp vouches for exactly what a run used: inputs edited during a run, templates
behind symlinks, and the outputs' snapshot as the next run checks it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.config import Config
from generator.incremental import stamp
from generator.incremental.cache import Store
from generator.parse import tree as parsing
from generator.pipeline import generate
from generator.render.templates import builtin_templates
from generator.write import files as write
from generator.write import snapshot
from tests.conftest import fields_doc, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/shared/owner.md": fields_doc(
        "Owner", [("pet", "[shared.Pet](../../models/shared/pet.md)", False, "")]
    ),
}


def _config(tmp_path: Path, **settings: Any) -> Config:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(tmp_path, DOCS)
    return Config(
        specs=specs, output=tmp_path / "out", package="pets", cache_dir=tmp_path / "cache", jobs=1
    ).with_flags(**settings)


def _pet_module(tmp_path: Path) -> str:
    return (tmp_path / "out" / "pets" / "shared" / "pet.py").read_text(encoding="utf-8")


def _edited_during(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, path: Path, edit: Callable[[str], str]
) -> None:
    """`module.name` runs with `path` edited, which is then put back as it was."""
    original_function = getattr(module, name)

    def with_edit(*arguments: Any, **keywords: Any) -> Any:
        original = path.read_text(encoding="utf-8")
        path.write_text(edit(original), encoding="utf-8")
        try:
            return original_function(*arguments, **keywords)
        finally:
            path.write_text(original, encoding="utf-8")

    monkeypatch.setattr(module, name, with_edit)


def test_a_doc_edited_and_put_back_during_a_run_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    generate(config)
    doc = config.specs / "models" / "shared" / "pet.md"
    _edited_during(
        monkeypatch, parsing, "parse_tree", doc, lambda text: text.replace("pet's", "edited")
    )
    generate(config)
    assert "edited name" in _pet_module(tmp_path)
    monkeypatch.undo()
    assert not stamp.unchanged(config).unchanged  # no stamp vouches for what the run read
    generate(config)
    assert "edited name" not in _pet_module(tmp_path)
    assert stamp.unchanged(config).unchanged


def test_a_template_edited_and_put_back_during_a_run_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(builtin_templates() / "_fields.jinja", templates / "_fields.jinja")
    config = _config(tmp_path, templates=templates)
    generate(config)
    _edited_during(
        monkeypatch,
        pipeline,
        "_modules",
        templates / "_fields.jinja",
        lambda text: "# edited template\n" + text,
    )
    generate(config)
    assert "# edited template" in _pet_module(tmp_path)
    monkeypatch.undo()
    assert not stamp.unchanged(config).unchanged
    generate(config)
    assert "# edited template" not in _pet_module(tmp_path)


def test_templates_behind_a_symlinked_folder_are_inputs(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    parts.mkdir()
    header = builtin_templates() / "_header.jinja"
    (parts / "header.jinja").write_text(header.read_text(encoding="utf-8"), encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "linked").symlink_to(parts, target_is_directory=True)
    (templates / "_header.jinja").write_text('{% include "linked/header.jinja" %}\n')
    config = _config(tmp_path, templates=templates)
    generate(config)
    assert stamp.unchanged(config).unchanged
    text = (parts / "header.jinja").read_text(encoding="utf-8")
    (parts / "header.jinja").write_text("# from the linked folder\n" + text, encoding="utf-8")
    assert not stamp.unchanged(config).unchanged
    generate(config)
    assert _pet_module(tmp_path).count("# from the linked folder") == 1


def test_the_first_no_op_after_a_run_reads_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    generate(config)
    monkeypatch.setattr(snapshot, "RACY_MARGIN_NS", -(10**18))  # every file counts as old
    monkeypatch.setattr(snapshot, "COARSE_MARGIN_NS", -(10**18))

    def no_reading(*_: object) -> bool:
        raise AssertionError("an output file was read")

    monkeypatch.setattr(stamp, "files_match", no_reading)
    assert stamp.unchanged(config).unchanged


def test_the_outputs_snapshot_is_taken_under_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    locked: list[bool] = []
    take = write.take_snapshot

    def checked(root: Path, relatives: list[str], each: bool = False) -> Any:
        locked.append((root / write.LOCK).exists())
        return take(root, relatives, each)

    monkeypatch.setattr(write, "take_snapshot", checked)
    generate(config)
    assert locked == [True]


@pytest.mark.parametrize(
    "payload", [b'{"classes": Infinity}', b"[" * 100_000, b"\xff", b'{"inputs": 1}']
)
def test_a_damaged_stamp_is_no_stamp(payload: bytes) -> None:
    assert stamp.RunStamp.from_json(payload) is None


def test_check_compares_bytes_not_lines(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    config = _config(tmp_path)
    generate(config)
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    pet.write_bytes(pet.read_bytes().replace(b"\n", b"\r\n"))
    arguments = ["generate", "--check", "--specs", str(config.specs), "--output"]
    arguments += [str(config.output), "--package", "pets", "--cache-dir", str(tmp_path / "c")]
    assert CliRunner().invoke(main, arguments).exit_code == 1
    assert CliRunner().invoke(main, arguments).exit_code == 1  # and no stamp says otherwise


@pytest.mark.parametrize("stats", [[1, 2, 3], [1, 2, 3, 4, 5], "x", {"pets/a.py": 1}])
def test_stored_file_stats_that_do_not_fit_vouch_for_no_file(stats: object) -> None:
    data = {
        "inputs": "d",
        "specs_digest": "s",
        "specs_snapshot": None,
        "files": {"pets/a.py": "h"},
        "classes": 1,
        "messages": [],
        "outputs_snapshot": ["digest", 1, 2, stats],
    }
    loaded = stamp.RunStamp.from_json(json.dumps(data).encode("utf-8"))
    assert loaded is not None and loaded.outputs_snapshot is not None
    assert loaded.outputs_snapshot.stats is None
    now = snapshot.Snapshot("other", 10**19, 3, names=("pets/a.py",), stats=(1, 2, 3, 4))
    assert now.vouched(loaded.outputs_snapshot) == frozenset()


def test_stored_file_stats_of_another_type_match_no_file() -> None:
    earlier = snapshot.Snapshot("d", 10**18, 3, names=("a.py",), stats=("1", 2, 3, 4))  # type: ignore[arg-type]
    now = snapshot.Snapshot("other", 10**19, 3, names=("a.py",), stats=(1, 2, 3, 4))
    assert now.vouched(earlier) == frozenset()
    assert now.vouched(replace(earlier, stats=(1, 2, 3, 4))) == frozenset({"a.py"})


def test_a_run_after_a_stamp_it_cannot_read_is_cold(tmp_path: Path) -> None:
    """A stamp of another layout (an older docs2models) says nothing about the cache: the
    run formats everything, with every worker started at once."""
    config = _config(tmp_path)
    generate(config)
    assert pipeline._last_run(config) is not None
    store = Store(config.cache_dir)
    store.put(stamp.KIND, stamp._stamp_key(config), b'{"inputs": "an older layout"}')
    assert pipeline._last_run(config) is None
