"""The module cache, the process pool, the ruff formatter and the no-op fast path."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.config import Config
from generator.incremental import cache
from generator.incremental.cache import DATABASE_NAME, LAYOUT, default_cache_dir
from generator.incremental.workers import map_batches, plan_batches
from generator.model.target import Formatter
from generator.pipeline import FORMAT_POOL_MIN_CHARACTERS, format_runner, generate
from generator.render import format as formatting
from generator.render import package as rendering
from generator.render.format import format_files
from tests.conftest import ROOT, fields_doc, write_docs

MODULES = {
    "pkg/a.py": "x = {'a':1}\n",
    "pkg/b.py": "def f( y ):\n  return y\n",
    "pkg/py.typed": "",
}
FORMATTED = {"pkg/a.py": 'x = {"a": 1}\n', "pkg/b.py": "def f(y):\n    return y\n"}
DOCS = {
    "models/shared/pet.md": fields_doc("Pet", [("name", "*str*", True, "The pet's name.")]),
    "models/shared/owner.md": fields_doc(
        "Owner", [("pet", "[shared.Pet](../../models/shared/pet.md)", False, "")]
    ),
}


def _no_black(texts: list[str]) -> list[str]:
    raise AssertionError(f"black was run on {len(texts)} module(s)")


def _entries(cache: Path, kind: str = "module") -> list[tuple[str, bytes]]:
    """(key, payload) of the store's entries of `kind`, read with SQLite itself."""
    database = cache / LAYOUT / DATABASE_NAME
    if not database.exists():
        return []
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT key, payload FROM entries WHERE kind = ?", (kind,))
        return sorted(rows)


def _damage(cache: Path, payload: bytes) -> None:
    database = cache / LAYOUT / DATABASE_NAME
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE entries SET payload = ? WHERE kind = 'module'", (payload,))


def _pets(tmp_path: Path) -> Config:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(tmp_path, DOCS)
    return Config(
        specs=specs, output=tmp_path / "out", package="pets", cache_dir=tmp_path / "cache", jobs=1
    )


def _generated(tmp_path: Path) -> tuple[Config, dict[str, bytes]]:
    """A first run with a cache, and the Python files it wrote."""
    config = _pets(tmp_path)
    generate(config)
    return config, _tree(config.output)


def _no_rendering(*_: object) -> object:
    raise AssertionError("a template was rendered")


def test_a_cached_module_is_neither_rendered_nor_formatted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, first = _generated(tmp_path)
    # Four modules: two classes, their namespace and the package.
    assert len(_entries(tmp_path / "cache")) == 4
    monkeypatch.setattr(formatting, "black_format", _no_black)
    monkeypatch.setattr(rendering, "environment", _no_rendering)
    generate(config)  # not the no-op path: everything comes from the cache
    assert _tree(config.output) == first


def test_a_module_of_another_package_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _pets(tmp_path)
    generate(config)
    monkeypatch.setattr(rendering, "environment", _no_rendering)
    with pytest.raises(AssertionError, match="rendered"):
        generate(replace(config, package="other", output=tmp_path / "other"))


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xff\xfe", b"0" * 64 + b"\nx = 1\n"])
def test_a_corrupt_entry_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    config, first = _generated(tmp_path)
    entries = _entries(tmp_path / "cache")
    _damage(tmp_path / "cache", damage)
    assert {payload for _, payload in _entries(tmp_path / "cache")} == {damage}
    generate(config)
    assert _tree(config.output) == first
    assert _entries(tmp_path / "cache") == entries


def test_a_database_that_is_not_one_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, first = _generated(tmp_path)
    database = tmp_path / "cache" / LAYOUT / DATABASE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.write_bytes(b"not a database" * 100)
    monkeypatch.setattr(cache, "_STORES", {})  # the next run's process opens it anew
    generate(config)
    assert _tree(config.output) == first
    assert len(_entries(tmp_path / "cache")) == 4


def test_a_database_overwritten_beside_its_journal_is_replaced(tmp_path: Path) -> None:
    """Its write-ahead journal still holds the first pages, so it opens; its tables are
    damaged: found so when used, it is replaced, not missed in every later run."""
    cache = tmp_path / "cache"
    assert _generate(tmp_path, "--cache-dir", str(cache)).returncode == 0
    database = cache / LAYOUT / DATABASE_NAME
    with contextlib.closing(sqlite3.connect(database)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the tables in the file
    pet = tmp_path / "specs" / "models" / "shared" / "pet.md"
    pet.write_text(fields_doc("Pet", [("label", "*str*", True, "")]), encoding="utf-8")
    assert _generate(tmp_path, "--cache-dir", str(cache)).returncode == 0
    assert Path(f"{database}-wal").stat().st_size > 0  # the first pages, changed, in it
    database.write_bytes(random.Random(0).randbytes(database.stat().st_size))
    for _ in range(2):
        shutil.rmtree(tmp_path / "out")
        assert _generate(tmp_path, "--cache-dir", str(cache)).returncode == 0
    with contextlib.closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert len(_entries(cache)) == 4


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    config, first = _generated(tmp_path)
    shutil.rmtree(tmp_path / "cache")
    generate(config)
    assert _tree(config.output) == first
    assert len(_entries(tmp_path / "cache")) == 4


def test_cache_dir_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "docs2models"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert default_cache_dir() == Path.home() / ".cache" / "docs2models"


def _generate(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    specs = tmp_path / "specs"
    if not specs.is_dir():
        write_docs(tmp_path, DOCS)
    arguments = ["--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "pets"]
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", *arguments, *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def _tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*.py")}


def test_no_cache_reads_and_writes_no_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = _generate(tmp_path, "--no-cache", "--cache-dir", str(cache))
    assert result.returncode == 0, result.stderr
    assert not cache.exists()
    cold = _tree(tmp_path / "out")
    assert _generate(tmp_path, "--cache-dir", str(cache)).returncode == 0
    assert _entries(cache)
    assert _tree(tmp_path / "out") == cold


def test_jobs_give_the_same_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "FORMAT_POOL_MIN_CHARACTERS", 0)
    runner = CliRunner()
    specs = write_docs(tmp_path, DOCS)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        arguments = ["generate", "--specs", str(specs), "--output", str(out), "--package", "p"]
        result = runner.invoke(main, [*arguments, "--jobs", jobs, "--no-cache"])
        assert result.exit_code == 0, result.output
        outputs.append(_tree(out))
    assert outputs[0] == outputs[1]


def _shout(texts: list[str]) -> list[str]:
    return [f"{os.getpid()}:{text.upper()}" for text in texts]


def test_a_pool_keeps_the_order_of_items() -> None:
    items = [f"item{index}" * (index + 1) for index in range(40)]
    results = map_batches(_shout, items, [len(i) for i in items], jobs=2, threshold=0)
    assert [r.split(":", 1)[1] for r in results] == [i.upper() for i in items]
    assert str(os.getpid()) not in {r.split(":", 1)[0] for r in results}  # in the workers
    assert map_batches(_shout, items, [1] * 40, jobs=2, threshold=10**9)[0].startswith(
        f"{os.getpid()}:"
    )


def test_batches_put_the_largest_items_first() -> None:
    batches = plan_batches([10, 500_000, 30, 20], jobs=2)
    assert batches[0] == [1]
    assert sorted(i for batch in batches for i in batch) == [0, 1, 2, 3]


RUFF = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_ruff_formats_every_module(tmp_path: Path) -> None:
    many = {f"pkg/m{i}.py": f"x{i} = {{'a':{i}}}\n" for i in range(6)}
    result = format_files({**MODULES, **many}, Formatter.RUFF)
    assert result["pkg/a.py"] == FORMATTED["pkg/a.py"]
    assert result["pkg/m5.py"] == 'x5 = {"a": 5}\n'
    assert format_files(MODULES, Formatter.RUFF)["pkg/b.py"] == FORMATTED["pkg/b.py"]
    generated = _generate(tmp_path, "--formatter", "ruff", "--cache-dir", str(tmp_path / "c"))
    assert generated.returncode == 0, generated.stderr
    check = subprocess.run(
        [str(RUFF), "format", "--isolated", "--line-length", "100", "--check", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed")
def test_ruff_takes_many_modules_in_several_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    run_ruff = formatting._run_ruff

    def counted(arguments: list[str], text: str | None, cwd: str | None = None) -> str:
        calls.append(arguments)
        return run_ruff(arguments, text, cwd)

    monkeypatch.setattr(formatting, "_run_ruff", counted)
    monkeypatch.setattr(formatting, "RUFF_ARGUMENT_BUDGET", 40)
    many = {f"pkg/m{i}.py": f"x{i} = {{'a':{i}}}\n" for i in range(12)}
    result = format_files(many, Formatter.RUFF)
    assert result == {f"pkg/m{i}.py": f'x{i} = {{"a": {i}}}\n' for i in range(12)}
    assert len(calls) == 2  # 12 short names do not fit in 40 characters; no --version


def test_ruff_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    specs = write_docs(tmp_path, DOCS)
    arguments = ["--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "p"]
    result = CliRunner().invoke(main, ["generate", *arguments, "--formatter", "ruff"])
    assert result.exit_code == 2
    assert "pip install ruff" in result.output
    assert not (tmp_path / "out").exists()


NO_OP_PROBE = """
    import sys
    from click.testing import CliRunner
    from generator.cli import main
    result = CliRunner().invoke(main, ["generate", *sys.argv[1:]])
    assert result.exit_code == 0, result.output
    heavy = sorted({"black", "jinja2", "markdown_it"} & set(sys.modules))
    print(result.output, "heavy:", heavy)
"""


def _probe(tmp_path: Path) -> str:
    arguments = ["--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "out")]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(NO_OP_PROBE), *arguments, "--package", "pets"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_run_with_nothing_changed_imports_no_heavy_module(tmp_path: Path) -> None:
    assert _generate(tmp_path).returncode == 0
    output = _probe(tmp_path)
    assert "(inputs unchanged)" in output
    assert "heavy: []" in output
    check = _generate(tmp_path, "--check")
    assert check.returncode == 0 and "up to date" in check.stderr


def test_a_changed_doc_or_output_file_is_noticed(tmp_path: Path) -> None:
    assert _generate(tmp_path).returncode == 0
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    original = pet.read_bytes()
    pet.write_bytes(original.replace(b"pet's name", b"cat's name"))
    assert "(inputs unchanged)" not in _probe(tmp_path)
    assert pet.read_bytes() == original
    doc = tmp_path / "specs" / "models" / "shared" / "pet.md"
    status = doc.stat()
    # Same size and the old modification time: the change time still gives it away.
    doc.write_bytes(doc.read_bytes().replace(b"pet's name", b"cat's name"))
    os.utime(doc, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert "(inputs unchanged)" not in _probe(tmp_path)
    assert b"cat's name" in pet.read_bytes()
    assert "(inputs unchanged)" in _probe(tmp_path)


def test_snapshots_spare_reading_files_that_cannot_have_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import Config
    from generator.incremental import stamp
    from generator.pipeline import generate
    from generator.write import snapshot

    specs = write_docs(tmp_path, DOCS)
    config = Config(specs=specs, output=tmp_path / "out", package="pets")
    generate(config)
    monkeypatch.setattr(snapshot, "RACY_MARGIN_NS", -(10**18))  # every file counts as old
    monkeypatch.setattr(snapshot, "COARSE_MARGIN_NS", -(10**18))
    assert stamp.unchanged(config).unchanged  # read once, snapshots renewed

    def no_reading(*_: object) -> bool:
        raise AssertionError("an unchanged file was read")

    monkeypatch.setattr(stamp, "files_match", no_reading)
    monkeypatch.setattr(stamp, "specs_digest", no_reading)
    assert stamp.unchanged(config).unchanged
    doc = specs / "models" / "shared" / "pet.md"
    status = doc.stat()
    doc.write_bytes(doc.read_bytes().replace(b"pet's name", b"cat's name"))
    os.utime(doc, ns=(status.st_atime_ns, status.st_mtime_ns))
    with pytest.raises(AssertionError, match="was read"):
        stamp.unchanged(config)


def test_parsed_docs_are_reused_and_only_changed_docs_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import Config
    from generator.model.parsed import DocSource, ParsedDoc
    from generator.parse import tree
    from generator.parse.tree import parse_sources
    from generator.pipeline import analyse

    specs = write_docs(tmp_path, DOCS)
    config = Config(specs=specs, cache_dir=tmp_path / "cache", jobs=1)
    first = analyse(config)
    parsed: list[str] = []

    def counting(sources: list[DocSource]) -> list[ParsedDoc]:
        parsed.extend(source.relative for source in sources)
        return parse_sources(sources)

    monkeypatch.setattr(tree, "parse_sources", counting)
    assert analyse(config) == first
    assert parsed == []
    doc = specs / "models" / "shared" / "pet.md"
    doc.write_text(doc.read_text().replace("pet's name", "cat's name"))
    assert "cat's name" in str(analyse(config).schema)
    assert parsed == ["models/shared/pet.md"]


def test_parsing_in_a_pool_gives_the_same_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import Config
    from generator.pipeline import analyse

    specs = write_docs(tmp_path, DOCS)
    serial = analyse(Config(specs=specs, cache=False, jobs=1))
    monkeypatch.setattr(pipeline, "PARSE_POOL_MIN_BYTES", 0)
    assert analyse(Config(specs=specs, cache=False, jobs=2)) == serial


def test_a_warm_pool_formats_what_it_is_given(tmp_path: Path) -> None:
    from generator.incremental.workers import warm_pool
    from generator.render.format import import_black

    with warm_pool(2, import_black) as pool:
        assert pool is not None
        result = format_files(MODULES, Formatter.BLACK, format_runner(2, pool))
    assert {path: result[path] for path in FORMATTED} == FORMATTED
    with warm_pool(0, import_black) as none:
        assert none is None


def test_a_one_worker_pool_takes_a_few_modules_and_grows_for_a_whole_package() -> None:
    from generator.incremental.workers import warm_pool
    from generator.render.format import import_black

    with warm_pool(1, import_black) as pool:
        assert pool is not None
        result = format_files(MODULES, Formatter.BLACK, format_runner(2, pool))
        assert {path: result[path] for path in FORMATTED} == FORMATTED
        assert pool.size == 1
        many_modules = {f"pkg/m{i}.py": f"x{i} = {{'a':{i}}}\n" * 20 for i in range(300)}
        assert sum(map(len, many_modules.values())) >= FORMAT_POOL_MIN_CHARACTERS
        result = format_files(many_modules, Formatter.BLACK, format_runner(2, pool))
        assert result["pkg/m7.py"].startswith('x7 = {"a": 7}\n')
        assert pool.size == 2  # all `jobs` workers format a whole package


def test_docs_hashed_for_a_run_are_parsed_from_those_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import Config
    from generator.incremental.stamp import read_inputs
    from generator.parse import tree as parse_tree_module
    from generator.pipeline import generate

    specs = write_docs(tmp_path, DOCS)
    config = Config(
        specs=specs, output=tmp_path / "out", package="pets", cache_dir=tmp_path / "cache"
    )
    inputs = read_inputs(config)
    assert set(inputs.docs) == {"models/shared/pet.md", "models/shared/owner.md"}
    reads: list[str] = []
    real_read = parse_tree_module.read_doc

    def counting_read(path: str, root: Path) -> bytes | str:
        reads.append(path)
        return real_read(path, root)

    monkeypatch.setattr(parse_tree_module, "read_doc", counting_read)
    generate(config, inputs)
    assert reads == []  # every doc came from the bytes hashed for the inputs
    assert inputs.docs == {}  # handed over, not kept for the rest of the run


def test_preread_bytes_never_stand_in_for_a_link(tmp_path: Path) -> None:
    from generator.model.diagnostics import Diagnostics
    from generator.parse.tree import parse_tree

    specs = write_docs(tmp_path, DOCS)
    outside = tmp_path / "outside.md"
    outside.write_text(fields_doc("Secret", [("key", "*str*", True, "")]), encoding="utf-8")
    (specs / "models" / "shared" / "secret.md").symlink_to(outside)
    renamed = fields_doc("Pet", [("name", "*str*", True, "Read from the hashed bytes.")])
    preread = {
        "models/shared/pet.md": renamed.encode("utf-8"),
        "models/shared/secret.md": outside.read_bytes(),
    }
    diagnostics = Diagnostics()
    tree = parse_tree(specs, diagnostics, preread=preread)
    pet = next(doc for doc in tree.docs if doc.name == "Pet")
    assert pet.fields[0].description == "Read from the hashed bytes."
    assert all(doc.name != "Secret" for doc in tree.docs)
    assert any("outside the specs directory" in str(d) for d in diagnostics.sorted())


def test_a_pool_started_beside_other_threads_works() -> None:
    """With threads running, forking could copy a lock one of them holds: the work stays
    in this process, whose other threads the caller knows."""
    items = [f"item{index}" for index in range(20)]
    results: list[list[str]] = []
    thread = threading.Thread(
        target=lambda: results.append(
            map_batches(_shout, items, [len(i) for i in items], jobs=2, threshold=0)
        )
    )
    thread.start()
    thread.join(timeout=120)
    assert [r.split(":", 1)[1] for r in results[0]] == [i.upper() for i in items]
    assert {r.split(":", 1)[0] for r in results[0]} == {str(os.getpid())}


@pytest.mark.parametrize("shared", ["root", "layout", "database"])
def test_a_cache_others_can_write_to_goes_unused(tmp_path: Path, shared: str) -> None:
    """Whoever can write the cache can change what is generated: one that other users can
    write to is neither read nor written, and -v says why."""
    folder = tmp_path / "cache"
    assert _generate(tmp_path, "--cache-dir", str(folder)).returncode == 0
    database = folder / LAYOUT / DATABASE_NAME
    path = {"root": folder, "layout": folder / LAYOUT, "database": database}[shared]
    forged = b"x = 'changed by another user'\n"
    with contextlib.closing(sqlite3.connect(database)) as connection, connection:
        for (key,) in connection.execute(
            "SELECT key FROM entries WHERE kind = 'module'"
        ).fetchall():
            connection.execute(
                "UPDATE entries SET payload = ?, checksum = ? WHERE kind = 'module' AND key = ?",
                (forged, cache._checksum("module", key, forged), key),
            )
    path.chmod(path.stat().st_mode | 0o022)
    shutil.rmtree(tmp_path / "out")
    result = _generate(tmp_path, "--cache-dir", str(folder), "-v")
    assert result.returncode == 0, result.stderr
    assert f"the cache {path} can be changed by another user" in result.stderr, result.stderr
    assert "changed by another user'" not in "".join(
        p.read_text() for p in (tmp_path / "out").rglob("*.py")
    )
