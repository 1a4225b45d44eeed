"""A content-addressed store for results that are slow to recompute: one SQLite database.

Every entry is named by the hash of everything that produced it (input text, tool versions,
settings), so an entry can never be stale, only unused. Entries are plain bytes (UTF-8 text
or JSON): nothing read back is unpickled or executed. Each carries a checksum of its kind,
its key and its bytes, so a damaged entry, or one moved under another key, is a miss; the
checksum proves no author, so the cache is trusted like the output it produces (it is made
readable by its owner only). The database prunes itself of entries unused for a while, at
most once a day. Deleting the whole directory is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from generator.untrusted import make_folders

CACHE_DIR_NAME = "docs2models"
# Bumped when the layout of entries changes; old layouts are simply never read again.
LAYOUT = "v2"
DATABASE_NAME = "cache.sqlite3"
# Entries unused for this many days are pruned; and all but today's when the database has
# grown past MAX_BYTES.
KEEP_DAYS = 30
MAX_BYTES = 2 * 1024**3
# A run waits this long for another process's transaction, then goes on without the cache
# (a read finds nothing, a write stores nothing) ...
BUSY_TIMEOUT_SECONDS = 1.0
# ... and does not wait for it again for this long: a run waits once, not once a stage.
BUSY_RETRY_SECONDS = 60.0
# Keys per SELECT: well inside SQLite's smallest limit of bound parameters (999).
_KEYS_PER_QUERY = 900
_DAY_SECONDS = 86_400

T = TypeVar("T")
R = TypeVar("R")

# What the stores could not do since the last `take_notices`, each said once.
_notices: list[str] = []


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/docs2models`, or `~/.cache/docs2models` (the XDG default)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / CACHE_DIR_NAME


def digest(*parts: str | bytes) -> str:
    """The sha256 of `parts`; each part is length-prefixed, so ("ab", "c") != ("a", "bc")."""
    hasher = hashlib.sha256()
    for part in parts:
        # A path's bytes, whatever they are (as `snapshot` keys them), on any machine's locale
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(b"%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()


def _notice(text: str) -> None:
    if text not in _notices:
        _notices.append(text)


def take_notices() -> list[str]:
    """What the stores had to do without (a database locked by another process) since the
    last call; clears them."""
    notices = list(_notices)
    _notices.clear()
    return notices


def _is_damaged(problem: sqlite3.Error) -> bool:
    code = getattr(problem, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def _is_busy(problem: sqlite3.Error) -> bool:
    """Whether `problem` is another connection's lock, which outlasted the busy timeout."""
    code = getattr(problem, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _checksum(kind: str, key: str, payload: bytes) -> bytes:
    return bytes.fromhex(digest("entry", kind, key, payload))


def _today() -> int:
    return int(time.time() // _DAY_SECONDS)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    payload BLOB NOT NULL,
    checksum BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Store:
    """Entries by (kind, key) in `root/<layout>/cache.sqlite3`; every failure is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LAYOUT / DATABASE_NAME
        self._local = threading.local()  # a connection per thread, opened on first use
        self._pid = os.getpid()
        self._pruned = False
        # Until these times (time.monotonic()), the database is locked by another process:
        # it is not read, or not written to, rather than waited for again.
        self._reads_after = 0.0
        self._writes_after = 0.0

    def _connection(self, writing: bool = False) -> sqlite3.Connection | None:
        if os.getpid() != self._pid:  # a forked child never uses its parent's connection
            return None
        now = time.monotonic()
        if now < self._reads_after or (writing and now < self._writes_after):
            return None
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and self._identity() != self._local.identity:
            connection.close()  # the database was deleted or replaced since: start anew
            connection = None
        if connection is None:
            connection = self._open()
            self._local.connection = connection
            self._local.identity = self._identity()
        return connection

    def _identity(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    def _open(self, replace_damaged: bool = True) -> sqlite3.Connection | None:
        try:
            for folder in (self.root, self.path.parent):
                make_folders(folder, mode=0o700)
            if not self._private():
                return None
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        except (OSError, sqlite3.Error) as problem:
            reason = getattr(problem, "strerror", None) or str(problem)
            if isinstance(problem, OSError) and problem.filename:
                reason = f"{problem.filename}: {reason}"
            _notice(
                f"docs2models: cannot use the cache {self.path}: {reason}: this run goes without it"
            )
            return None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
        except sqlite3.DatabaseError as problem:
            connection.close()
            self._unless_locked(problem, writing=False)
            if _is_damaged(problem) and replace_damaged:
                self._remove()
                return self._open(replace_damaged=False)
            return None  # busy, read-only, full: this run goes without a cache
        return connection

    def _private(self) -> bool:
        """Whether only this user can change the cache (its folders and database): one that
        others can write to could have them change what is generated; it goes unused."""
        uid = os.getuid() if hasattr(os, "getuid") else None
        for path in (self.root, self.path.parent, self.path):
            try:
                status = os.stat(path)
            except FileNotFoundError:
                continue
            if status.st_mode & 0o022 or (uid is not None and status.st_uid != uid):
                _notice(
                    f"docs2models: the cache {path} can be changed by another user: this run "
                    "goes without it (make it yours and private, chmod go-w, or use --cache-dir)"
                )
                return False
        return True

    def _remove(self) -> None:
        """Not a database (truncated, overwritten): it holds nothing worth keeping."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def _failed(self, problem: sqlite3.Error, writing: bool) -> None:
        """After a query failed: a database found damaged (its journal still held its first
        pages, so it opened) is removed, for the next use to start a new one."""
        self._unless_locked(problem, writing)
        if _is_damaged(problem):
            with contextlib.suppress(sqlite3.Error):
                self._local.connection.close()
            self._local.connection = None
            self._remove()

    def _unless_locked(self, problem: sqlite3.Error, writing: bool) -> None:
        """After a lock that outlasted the busy timeout: leave the database alone for a
        while (only writing to it, if it could still be read), and say so once."""
        if not _is_busy(problem):
            return
        until = time.monotonic() + BUSY_RETRY_SECONDS
        self._writes_after = until
        if not writing:
            self._reads_after = until
        doing = "stores nothing in it" if writing else "goes on without it"
        _notice(
            f"docs2models: the cache {self.path} is locked by another process: this run {doing}"
        )

    def get(self, kind: str, key: str) -> bytes | None:
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: Sequence[str]) -> dict[str, bytes]:
        """The entries of `keys` that the store holds intact."""
        connection = self._connection()
        found: dict[str, bytes] = {}
        if connection is None or not keys:
            return found
        today, stale = _today(), []
        try:
            for chunk in _chunks(list(dict.fromkeys(keys)), _KEYS_PER_QUERY):
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    "SELECT key, payload, checksum, used FROM entries "
                    f"WHERE kind = ? AND key IN ({marks})",
                    (kind, *chunk),
                )
                for key, payload, checksum, used in rows:
                    if isinstance(payload, bytes) and checksum == _checksum(kind, key, payload):
                        found[key] = payload
                        if used != today:
                            stale.append(key)
            if stale:
                self._touch(connection, kind, stale, today)
        except sqlite3.Error as problem:
            self._failed(problem, writing=False)
            return {}
        return found

    def _touch(self, connection: sqlite3.Connection, kind: str, keys: list[str], day: int) -> None:
        """Mark entries used today, so that pruning keeps them; skipped, not waited for,
        while another process writes."""
        connection.execute("PRAGMA busy_timeout = 0")
        try:
            with contextlib.suppress(sqlite3.Error), _transaction(connection):
                connection.executemany(
                    "UPDATE entries SET used = ? WHERE kind = ? AND key = ?",
                    [(day, kind, key) for key in keys],
                )
        finally:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")

    def put(self, kind: str, key: str, payload: bytes) -> None:
        self.put_many(kind, {key: payload})

    def put_many(self, kind: str, payloads: Mapping[str, bytes]) -> None:
        """Store entries in one transaction; a cache that cannot be written is only slower."""
        connection = self._connection(writing=True)
        if connection is None or not payloads:
            return
        today = _today()
        rows = [
            (kind, key, payload, _checksum(kind, key, payload), today)
            for key, payload in payloads.items()
        ]
        try:
            with _transaction(connection):
                connection.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows
                )
            self._prune_daily(connection, today)
        except sqlite3.Error as problem:
            self._failed(problem, writing=True)

    def _prune_daily(self, connection: sqlite3.Connection, today: int) -> None:
        if self._pruned:
            return
        self._pruned = True
        with _transaction(connection):
            row = connection.execute("SELECT value FROM settings WHERE name = 'pruned'").fetchone()
            if row is not None and row[0] >= today:
                return
            connection.execute("DELETE FROM entries WHERE used < ?", (today - KEEP_DAYS,))
            if self._size(connection) > MAX_BYTES:
                connection.execute("DELETE FROM entries WHERE used < ?", (today,))
            connection.execute("INSERT OR REPLACE INTO settings VALUES ('pruned', ?)", (today,))

    def _size(self, connection: sqlite3.Connection) -> int:
        """Bytes the entries take: the file keeps the pages they freed, for reuse."""
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * size)


@contextlib.contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def cached_map(
    store: Store | None,
    kind: str,
    items: Sequence[T],
    keys: Sequence[str] | None,
    compute: Callable[[list[T]], list[R]],
    encode: Callable[[R], bytes],
    decode: Callable[[bytes], R],
) -> list[R]:
    """`compute(items)`, taking from `store` what it already holds and storing the rest.

    `compute` receives only the missing items (each distinct key once) in their order.
    An entry that `decode` rejects (any exception) counts as missing. Without a store
    there is nothing to look up: `keys` may then be None.
    """
    if store is None or keys is None:
        return compute(list(items))
    results: dict[str, R] = {}
    for key, payload in store.get_many(kind, keys).items():
        # A damaged entry is recomputed, whatever decode raised.
        with contextlib.suppress(Exception):
            results[key] = decode(payload)
    missing: dict[str, T] = {}
    for item, key in zip(items, keys, strict=True):
        if key not in results and key not in missing:
            missing[key] = item
    if missing:
        computed = compute(list(missing.values()))
        results.update(zip(missing, computed, strict=True))
        store.put_many(kind, {key: encode(results[key]) for key in missing})
    return [results[key] for key in keys]


_STORES: dict[Path, Store] = {}
_STORES_LOCK = threading.Lock()


def open_store(enabled: bool, directory: Path | None) -> Store | None:
    """The cache to use: None when caching is off (`--no-cache`). One per directory and
    process, so that a run opens its database once."""
    if not enabled:
        return None
    root = directory.expanduser() if directory is not None else default_cache_dir()
    with _STORES_LOCK:
        store = _STORES.get(root)
        if store is None:
            store = _STORES[root] = Store(root)
    return store
