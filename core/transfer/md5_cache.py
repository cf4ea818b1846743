"""A persistent md5 cache: a file is hashed once until it changes.

Keyed by absolute path and validated by size, ``mtime_ns`` and inode, so an edited, replaced or
truncated file misses the cache while a resubmit of unchanged files hashes nothing. SQLite (WAL)
because several processes (a host, the CLI, the progress dialog's worker) share it safely.

A damaged cache file is moved aside and rebuilt: the cache only ever saves time, it must never
stop a submission.
"""

import json
import logging
import os
import sqlite3
import threading
import time
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from farmhand.core.paths import create_private_file, farmhand_home
from farmhand.core.transfer.files import LocalFile

LOG = logging.getLogger(__name__)

CACHE_FILENAME = "md5-cache.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS md5 (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    hashed_at REAL NOT NULL
)
"""
# Old SQLite builds (Python 3.7's) allow 999 bound variables per statement.
_BATCH = 500
# Many paths at once: one JSON array bound as one variable, joined on the primary key (a
# join reads 10,000 rows about a quarter faster than ``path IN (SELECT ...)`` here).
_JSON_LOOKUP = (
    "SELECT m.path, m.size, m.mtime_ns, m.inode, m.md5 FROM json_each(?) AS j "
    "JOIN md5 AS m ON m.path = j.value"
)


def default_cache_path() -> str:
    return os.path.join(farmhand_home(), CACHE_FILENAME)


def open_cache(path: Optional[str] = None) -> "Optional[Md5Cache]":
    """The cache, or ``None`` (with a warning) when it cannot be opened at all."""
    try:
        return Md5Cache(path)
    except (OSError, sqlite3.Error) as error:
        LOG.warning("md5 cache unavailable (%s); every file will be hashed", error)
        return None


class Md5Cache:
    """Thread-safe; one connection guarded by a lock (lookups and writes are batched)."""

    def __init__(self, path: Optional[str] = None) -> None:
        self.path = path or default_cache_path()
        self._lock = threading.Lock()
        self._json = True  # until SQLite says it has no json_each
        self._connection = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.OperationalError:
            raise  # locked, unreadable folder...: not damage, leave the file alone
        except sqlite3.DatabaseError as error:
            if not os.path.isfile(self.path):
                raise
            aside = "{}.damaged-{}".format(self.path, int(time.time()))
            LOG.warning("md5 cache %s is unreadable (%s); moved to %s", self.path, error, aside)
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.path + suffix):
                    os.replace(self.path + suffix, aside + suffix)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        folder = os.path.dirname(self.path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        create_private_file(self.path)
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(SCHEMA)
            connection.commit()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def lookup(self, files: Sequence[LocalFile]) -> Dict[str, str]:
        """``{path: md5}`` for the files whose cached record still matches their stat."""
        wanted = {f.path: f for f in files}
        hits: Dict[str, str] = {}
        paths = list(wanted)
        try:
            self._lookup(paths, wanted, hits)
        except sqlite3.Error as error:
            LOG.warning("md5 cache %s lookup failed (%s); hashing without it", self.path, error)
        return hits

    def _lookup(self, paths: List[str], wanted: Dict[str, LocalFile], hits: Dict[str, str]) -> None:
        with self._lock:
            if self._json and len(paths) > _BATCH:
                try:  # one statement for any number of paths (SQLite's JSON functions)
                    cursor = self._connection.execute(_JSON_LOOKUP, (json.dumps(paths),))
                    self._keep_matching(cursor.fetchall(), wanted, hits)
                    return
                except sqlite3.OperationalError:  # an SQLite built without JSON
                    self._json = False
            for start in range(0, len(paths), _BATCH):
                batch = paths[start : start + _BATCH]
                rows = self._connection.execute(
                    "SELECT path, size, mtime_ns, inode, md5 FROM md5 WHERE path IN ({})".format(
                        ",".join("?" * len(batch))
                    ),
                    batch,
                ).fetchall()
                self._keep_matching(rows, wanted, hits)

    @staticmethod
    def _keep_matching(
        rows: List[Tuple[str, int, int, int, str]],
        wanted: Dict[str, LocalFile],
        hits: Dict[str, str],
    ) -> None:
        for path, size, mtime_ns, inode, md5 in rows:
            local = wanted[path]
            if (size, mtime_ns, inode) == (local.size, local.mtime_ns, local.inode):
                hits[path] = md5

    def store(self, entries: Iterable[Tuple[LocalFile, str]]) -> None:
        rows: List[Tuple[str, int, int, int, str, float]] = [
            (local.path, local.size, local.mtime_ns, local.inode, md5, time.time())
            for local, md5 in entries
        ]
        if not rows:
            return
        try:
            with self._lock, self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO md5 (path, size, mtime_ns, inode, md5, hashed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.Error as error:
            LOG.warning("md5 cache %s not updated (%s)", self.path, error)

    def __len__(self) -> int:
        with self._lock:
            row = self._connection.execute("SELECT COUNT(*) FROM md5").fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> "Md5Cache":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
