"""Packs: a run after a run reads each kind of cached result from one entry."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import packs
from generator.cache import Store
from generator.cli import main
from tests.conftest import fields_doc, write_docs

COUNT = 40  # docs: more than a pack may drift by (packs.MIN_DRIFT)


def _docs(marker: str = "") -> dict[str, str]:
    return {
        f"models/shared/m{i}.md": fields_doc(
            f"M{i}", [("id", "*str*", True, f"Id of {i}{marker if i == 0 else ''}.")]
        )
        for i in range(COUNT)
    }


class Recorder:
    """Counts the cache's reads and writes by kind."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        get, put = Store.get, Store.put

        def counted_get(store: Store, kind: str, key: str) -> bytes | None:
            self.reads[kind] += 1
            return get(store, kind, key)

        def counted_put(store: Store, kind: str, key: str, payload: bytes) -> None:
            self.writes[kind] += 1
            put(store, kind, key, payload)

        monkeypatch.setattr(Store, "get", counted_get)
        monkeypatch.setattr(Store, "put", counted_put)

    def clear(self) -> None:
        self.reads.clear()
        self.writes.clear()


def _run(tmp_path: Path, *extra: str) -> dict[str, bytes]:
    out = tmp_path / ("cold" if "--no-cache" in extra else "out")
    arguments = ["generate", "--specs", str(tmp_path / "specs"), "--output", str(out)]
    arguments += ["--package", "p", "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    result = CliRunner().invoke(main, [*arguments, *extra])
    assert result.exit_code == 0, result.output
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.py")}


def test_a_run_after_a_run_reads_packs_not_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_docs(tmp_path, _docs())
    recorder = Recorder(monkeypatch)
    _run(tmp_path)
    assert {"parse-pack", "render-pack", "format-pack"} <= set(recorder.writes)
    recorder.clear()
    write_docs(tmp_path, _docs(" (edited)"))
    edited = _run(tmp_path)
    # Only the edited doc and its module are looked up one by one.
    assert recorder.reads["parse"] == 1
    assert recorder.reads["render"] == 1
    assert recorder.reads["format"] == 1
    assert recorder.reads["parse-pack"] == recorder.reads["render-pack"] == 1
    # One result off the pack is within its drift: it is not rewritten.
    assert not {"parse-pack", "render-pack", "format-pack"} & set(recorder.writes)
    assert edited == _run(tmp_path, "--no-cache")


def test_a_pack_that_drifted_is_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_docs(tmp_path, _docs())
    _run(tmp_path)
    monkeypatch.setattr(packs, "MIN_DRIFT", 0)  # a tenth of 40 results: 4
    recorder = Recorder(monkeypatch)
    for index in range(5):
        path = tmp_path / "specs" / "models" / "shared" / f"m{index}.md"
        path.write_text(path.read_text().replace("Id of", "Key of"))
    _run(tmp_path)
    assert recorder.writes["parse-pack"] == 1
    recorder.clear()
    path.write_text(path.read_text().replace("Key of", "Name of"))
    _run(tmp_path)  # the rewritten pack holds the five docs edited before
    assert recorder.reads["parse"] == 1


def test_a_damaged_pack_is_only_slower(tmp_path: Path) -> None:
    write_docs(tmp_path, _docs())
    first = _run(tmp_path)
    for pack in (tmp_path / "cache").rglob("*-pack/*/*"):
        pack.write_bytes(pack.read_bytes()[:-10] + b"0123456789")
    write_docs(tmp_path, _docs(" (edited)"))
    edited = _run(tmp_path)
    assert edited != first
    assert edited == _run(tmp_path, "--no-cache")
