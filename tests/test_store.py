"""The cache store: plain bytes bound to their keys, one database, pruned; a cache that
someone else wrote can only make a run slower, never run code or change the output."""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.incremental import cache as caching
from generator.incremental.cache import DATABASE_NAME, KEEP_DAYS, LAYOUT, Store, cached_map, digest
from tests.conftest import ROOT, fields_doc, write_docs

DOCS = {
    f"models/shared/m{index}.md": fields_doc(
        f"M{index}",
        [
            ("id", "*str*", True, f"Id of {index}."),
            ("next", f"[Optional[shared.M{(index + 1) % 5}]](m{(index + 1) % 5}.md)", False, ""),
        ],
    )
    for index in range(5)
}


class Planted:
    """Unpickling it creates a file: proof that code from the cache ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, (f"touch {self.marker}",))


def _database(cache: Path) -> Path:
    return cache / LAYOUT / DATABASE_NAME


def _rows(cache: Path) -> list[tuple[str, str, bytes]]:
    with contextlib.closing(sqlite3.connect(_database(cache))) as connection:
        return sorted(connection.execute("SELECT kind, key, payload FROM entries"))


def _rewrite(cache: Path, rows: list[tuple[str, str, bytes]]) -> None:
    """Store `rows` with checksums as the store computes them: a forger's best."""
    with contextlib.closing(sqlite3.connect(_database(cache))) as connection, connection:
        for kind, key, payload in rows:
            checksum = bytes.fromhex(digest("entry", kind, key, payload))
            connection.execute(
                "UPDATE entries SET payload = ?, checksum = ? WHERE kind = ? AND key = ?",
                (payload, checksum, kind, key),
            )


def _generate(tmp_path: Path, *flags: str) -> dict[str, bytes]:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(tmp_path, DOCS)
    out = tmp_path / ("cold" if "--no-cache" in flags else "out")
    arguments = ["--specs", str(specs), "--output", str(out), "--package", "pets"]
    arguments += ["--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", *arguments, *flags],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.py"))}


def _edit_a_doc(tmp_path: Path) -> None:
    """A change that makes the next run look into the cache (not the no-op path)."""
    doc = tmp_path / "specs" / "models" / "shared" / "m0.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_a_cache_of_pickles_changes_nothing(tmp_path: Path) -> None:
    """Every entry a pickle that runs code when loaded, with the checksum the store computes
    for it: nothing runs, and the output is what a run without a cache writes."""
    _generate(tmp_path)
    cache = tmp_path / "cache"
    rows = [row for row in _rows(cache) if row[0] != "runs"]
    assert {kind for kind, _, _ in rows} == {"parse", "module"}
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(Planted(marker))
    _rewrite(cache, [(kind, key, payload) for kind, key, _ in rows])
    _edit_a_doc(tmp_path)
    assert _generate(tmp_path) == _generate(tmp_path, "--no-cache")
    assert not marker.exists()


def test_entries_swapped_with_each_other_are_misses(tmp_path: Path) -> None:
    """Each entry's payload and checksum moved to the next entry of its kind."""
    _generate(tmp_path)
    database = _database(tmp_path / "cache")
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        rows = sorted(connection.execute("SELECT kind, key, payload, checksum FROM entries"))
        by_kind: dict[str, list[tuple[str, str, bytes, bytes]]] = {}
        for row in rows:
            by_kind.setdefault(row[0], []).append(row)
        for kind, group in by_kind.items():
            for index, (_, key, _, _) in enumerate(group):
                _, _, payload, checksum = group[(index + 1) % len(group)]
                connection.execute(
                    "UPDATE entries SET payload = ?, checksum = ? WHERE kind = ? AND key = ?",
                    (payload, checksum, kind, key),
                )
    _edit_a_doc(tmp_path)
    assert _generate(tmp_path) == _generate(tmp_path, "--no-cache")


def test_an_entry_moved_under_another_key_is_a_miss(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    store.put("format", "a", b"text of a")
    store.put("format", "b", b"text of b")
    with (
        contextlib.closing(sqlite3.connect(_database(tmp_path / "cache"))) as connection,
        connection,
    ):
        connection.execute("DELETE FROM entries WHERE key = 'b'")
        connection.execute("UPDATE entries SET key = 'b' WHERE key = 'a'")
    assert Store(tmp_path / "cache").get_many("format", ["a", "b"]) == {}


@pytest.mark.parametrize("damage", ["bare pickle", "truncated", "empty"])
def test_a_damaged_database_is_an_empty_one(tmp_path: Path, damage: str) -> None:
    _generate(tmp_path)
    database = _database(tmp_path / "cache")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker = tmp_path / "code-ran"
    if damage == "bare pickle":
        database.write_bytes(pickle.dumps(Planted(marker)))
    elif damage == "truncated":
        database.write_bytes(database.read_bytes()[:1000])
    else:
        database.write_bytes(b"")
    _edit_a_doc(tmp_path)
    assert _generate(tmp_path) == _generate(tmp_path, "--no-cache")
    assert not marker.exists()
    assert {kind for kind, _, _ in _rows(tmp_path / "cache")} >= {"parse", "module"}


def test_entries_unused_for_a_month_are_pruned_once_a_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = int(time.time() // 86_400)
    store = Store(tmp_path / "cache")
    store.put_many("format", {"old": b"o", "recent": b"r"})
    with (
        contextlib.closing(sqlite3.connect(_database(tmp_path / "cache"))) as connection,
        connection,
    ):
        connection.execute("UPDATE entries SET used = ? WHERE key = 'old'", (day - KEEP_DAYS - 1,))
        connection.execute("UPDATE entries SET used = ? WHERE key = 'recent'", (day - 2,))
        connection.execute("UPDATE settings SET value = ? WHERE name = 'pruned'", (day - 1,))
    Store(tmp_path / "cache").put("format", "new", b"n")
    assert [key for _, key, _ in _rows(tmp_path / "cache")] == ["new", "recent"]
    # Pruned today already: an entry that ages now stays until tomorrow's first run.
    with (
        contextlib.closing(sqlite3.connect(_database(tmp_path / "cache"))) as connection,
        connection,
    ):
        connection.execute("UPDATE entries SET used = ? WHERE key = 'recent'", (0,))
    Store(tmp_path / "cache").put("format", "newer", b"n")
    assert len(_rows(tmp_path / "cache")) == 3
    # Reading an entry keeps it: its day of use is today's.
    monkeypatch.setattr(caching, "_today", lambda: day + KEEP_DAYS + 1)
    assert Store(tmp_path / "cache").get("format", "new") == b"n"
    Store(tmp_path / "cache").put("format", "newest", b"n")
    assert [key for _, key, _ in _rows(tmp_path / "cache")] == ["new", "newest"]


def test_cached_map_computes_only_what_the_store_lacks(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    computed: list[list[str]] = []

    def shout(items: list[str]) -> list[str]:
        computed.append(items)
        return [item.upper() for item in items]

    def run(items: list[str]) -> list[str]:
        return cached_map(
            store, "shout", items, items, shout, str.encode, lambda data: data.decode()
        )

    assert run(["a", "b", "a"]) == ["A", "B", "A"]
    assert run(["b", "c"]) == ["B", "C"]
    assert computed == [["a", "b"], ["c"]]


def test_an_unwritable_cache_is_only_slower(tmp_path: Path) -> None:
    blocker = tmp_path / "cache" / LAYOUT
    blocker.parent.mkdir()
    blocker.write_text("a file where the cache's folder should be", encoding="utf-8")
    store = Store(tmp_path / "cache")
    store.put("format", "a", b"x")
    assert store.get("format", "a") is None
    assert _generate(tmp_path) == _generate(tmp_path, "--no-cache")


def test_a_busy_database_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _database(tmp_path / "cache")
    database.parent.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(database)) as holder:
        holder.executescript(caching._SCHEMA)
        holder.execute("INSERT INTO settings VALUES ('mine', 1)")
        holder.commit()
        holder.execute("BEGIN EXCLUSIVE")  # another process, writing for a long while
        monkeypatch.setattr(caching, "BUSY_TIMEOUT_SECONDS", 0.1)
        busy = Store(tmp_path / "cache")
        busy.put("format", "b", b"lost")  # a miss, not a crash
        assert busy.get("format", "b") is None
        holder.execute("ROLLBACK")
    with contextlib.closing(sqlite3.connect(database)) as connection:
        assert connection.execute("SELECT value FROM settings WHERE name = 'mine'").fetchone()


@pytest.mark.parametrize("cache_before", ["warm", "new"])
def test_a_cache_locked_by_another_process_is_skipped_after_a_short_wait(
    tmp_path: Path, cache_before: str
) -> None:
    """Another process holds the database's write lock for the whole run ("warm": a cache of
    earlier runs, which may still be read; "new": one it has only begun to create, which
    cannot): the run goes without what it cannot use, says so once with -v, and writes what
    a run without a cache writes."""
    expected = _generate(tmp_path, "--no-cache")
    if cache_before == "warm":
        _generate(tmp_path)
        _edit_a_doc(tmp_path)  # a run that looks into the cache and has entries to store
    database = _database(tmp_path / "cache")
    database.parent.mkdir(parents=True, exist_ok=True)
    arguments = ["--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "o")]
    arguments += ["--package", "pets", "--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    with contextlib.closing(sqlite3.connect(database, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "-v", *arguments],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        elapsed = time.monotonic() - started
        holder.execute("ROLLBACK")
    assert result.returncode == 0, result.stderr
    assert elapsed < 10, result.stderr
    assert result.stderr.count("locked by another process") == 1, result.stderr
    out = tmp_path / "o"
    assert {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.py"))} == expected
