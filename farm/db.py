"""The farm's SQLite database: jobs, tasks, attempts, uploaded file references, outputs.

WAL mode with ``synchronous=NORMAL``: a commit is a write to the log without an fsync, which
survives the farm being killed (``SIGKILL``) and costs microseconds, so the executor can
record every task start and end. One connection, owned by the event loop thread, is the only
writer; the service batches the writes of one loop iteration into one transaction.
"""

import json
import sqlite3
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from farmhand.core.paths import create_private_file

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    project TEXT NOT NULL,
    instance_type TEXT NOT NULL,
    priority INTEGER NOT NULL,
    owner TEXT NOT NULL,
    location TEXT NOT NULL,
    output_path TEXT NOT NULL,
    scout_frames TEXT NOT NULL,
    release_on_scout_success INTEGER NOT NULL,
    environment TEXT NOT NULL,
    env_policies TEXT NOT NULL,
    retry_failed INTEGER NOT NULL,
    retry_preempted INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    payload TEXT NOT NULL,
    task_count INTEGER NOT NULL,
    counts TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    started_at REAL,
    completed_at REAL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE TABLE IF NOT EXISTS tasks (
    job_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    title TEXT NOT NULL,
    frames TEXT NOT NULL,
    commands TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    scout INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    failed_count INTEGER NOT NULL DEFAULT 0,
    preempted_count INTEGER NOT NULL DEFAULT 0,
    exit_code INTEGER,
    started_at REAL,
    completed_at REAL,
    PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attempts (
    job_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    exit_code INTEGER,
    pid INTEGER,
    host TEXT NOT NULL,
    log_path TEXT NOT NULL,
    started_at REAL NOT NULL,
    completed_at REAL,
    PRIMARY KEY (job_id, idx, attempt)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_files (
    job_id INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    destination TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (job_id, destination)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (
    job_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    idx INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    md5 TEXT,
    PRIMARY KEY (job_id, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS outputs_task ON outputs(job_id, idx);
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,
    job_id INTEGER NOT NULL,
    project TEXT NOT NULL,
    location TEXT NOT NULL,
    files TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    transfer_size INTEGER NOT NULL DEFAULT 0,
    bytes_transferred INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_job ON uploads(job_id);
CREATE TABLE IF NOT EXISTS submit_keys (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    job_id INTEGER NOT NULL,
    created_at REAL NOT NULL
) WITHOUT ROWID;
"""

JOB_COLUMNS = (
    "id, kind, title, project, instance_type, priority, owner, location, output_path, "
    "scout_frames, release_on_scout_success, environment, env_policies, retry_failed, "
    "retry_preempted, metadata, payload, task_count, counts, status, revision, created_at, "
    "started_at, "
    "completed_at"
)
TASK_COLUMNS = (
    "job_id, idx, title, frames, commands, depends_on, scout, status, attempts, failed_count, "
    "preempted_count, exit_code, started_at, completed_at"
)
ATTEMPT_COLUMNS = (
    "job_id, idx, attempt, outcome, exit_code, pid, host, log_path, started_at, completed_at"
)

Op = Tuple[str, Sequence[Any]]


class Database:
    def __init__(self, path: str) -> None:
        self.path = path
        create_private_file(path)
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=OFF")
        self.conn.execute("PRAGMA busy_timeout=10000")
        self.conn.executescript(SCHEMA)
        self.conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )

    def close(self) -> None:
        self.conn.close()

    # -- writes -----------------------------------------------------------------------------

    def apply(self, ops: Iterable[Op]) -> None:
        """Run a batch of statements as one transaction (all or nothing)."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            for sql, params in ops:
                conn.execute(sql, params)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def insert_job(
        self,
        job: Dict[str, Any],
        tasks: Sequence[Sequence[Any]],
        files: Sequence[Sequence[Any]],
        upload: Optional[Dict[str, Any]] = None,
        submit_key: Optional[Tuple[str, str]] = None,
    ) -> int:
        """One transaction: the job, all its tasks, its file references, the upload the
        daemon owes it (if any) and the submission's idempotency key with its body digest
        (if any), or nothing: a key is never recorded without its job, nor a job without
        the key it was sent with."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            columns = ", ".join(job)
            marks = ", ".join("?" for _ in job)
            cursor = conn.execute(
                "INSERT INTO jobs({}) VALUES ({})".format(columns, marks), tuple(job.values())
            )
            job_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO tasks(job_id, idx, title, frames, commands, depends_on, scout, "
                "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ((job_id, *row) for row in tasks),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO job_files(job_id, md5, destination, size) "
                "VALUES (?, ?, ?, ?)",
                ((job_id, *row) for row in files),
            )
            if upload is not None:
                row = dict(upload, job_id=job_id)
                conn.execute(
                    "INSERT INTO uploads({}) VALUES ({})".format(
                        ", ".join(row), ", ".join("?" for _ in row)
                    ),
                    tuple(row.values()),
                )
            if submit_key is not None:
                conn.execute(
                    "INSERT INTO submit_keys(key, digest, job_id, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (submit_key[0], submit_key[1], job_id, float(job["created_at"])),
                )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return job_id

    # -- reads ------------------------------------------------------------------------------

    def job(self, job_id: int) -> Optional[sqlite3.Row]:
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT {} FROM jobs WHERE id = ?".format(JOB_COLUMNS), (job_id,)
        ).fetchone()
        return row

    def jobs(
        self,
        low: Optional[int] = None,
        high: Optional[int] = None,
        status: Optional[str] = None,
        limit: int = 1000,
    ) -> List[sqlite3.Row]:
        where = []
        params: List[Any] = []
        if low is not None:
            where.append("id > ?")
            params.append(low)
        if high is not None:
            where.append("id < ?")
            params.append(high)
        if status is not None:
            where.append("status = ?")
            params.append(status)
        sql = "SELECT {} FROM jobs".format(JOB_COLUMNS)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return self.conn.execute(sql, params).fetchall()

    def active_job_ids(self, finished: Sequence[str]) -> List[int]:
        marks = ", ".join("?" for _ in finished)
        rows = self.conn.execute(
            "SELECT id FROM jobs WHERE status NOT IN ({}) ORDER BY id".format(marks),
            tuple(finished),
        )
        return [int(row[0]) for row in rows]

    def tasks(self, job_id: int) -> List[sqlite3.Row]:
        return self.conn.execute(
            "SELECT {} FROM tasks WHERE job_id = ? ORDER BY idx".format(TASK_COLUMNS), (job_id,)
        ).fetchall()

    def task(self, job_id: int, idx: int) -> Optional[sqlite3.Row]:
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT {} FROM tasks WHERE job_id = ? AND idx = ?".format(TASK_COLUMNS),
            (job_id, idx),
        ).fetchone()
        return row

    def attempts(self, job_id: int, idx: Optional[int] = None) -> List[sqlite3.Row]:
        if idx is None:
            return self.conn.execute(
                "SELECT {} FROM attempts WHERE job_id = ? ORDER BY idx, attempt".format(
                    ATTEMPT_COLUMNS
                ),
                (job_id,),
            ).fetchall()
        return self.conn.execute(
            "SELECT {} FROM attempts WHERE job_id = ? AND idx = ? ORDER BY attempt".format(
                ATTEMPT_COLUMNS
            ),
            (job_id, idx),
        ).fetchall()

    def running_attempts(self, job_id: int) -> List[sqlite3.Row]:
        return self.conn.execute(
            "SELECT {} FROM attempts WHERE job_id = ? AND outcome = 'running'".format(
                ATTEMPT_COLUMNS
            ),
            (job_id,),
        ).fetchall()

    def outputs(self, job_id: int, idx: Optional[int] = None) -> List[sqlite3.Row]:
        if idx is None:
            return self.conn.execute(
                "SELECT job_id, path, idx, size, mtime_ns, md5 FROM outputs WHERE job_id = ? "
                "ORDER BY idx, path",
                (job_id,),
            ).fetchall()
        return self.conn.execute(
            "SELECT job_id, path, idx, size, mtime_ns, md5 FROM outputs "
            "WHERE job_id = ? AND idx = ? ORDER BY path",
            (job_id, idx),
        ).fetchall()

    def job_files(self, job_id: int) -> List[sqlite3.Row]:
        return self.conn.execute(
            "SELECT md5, destination, size FROM job_files WHERE job_id = ? ORDER BY destination",
            (job_id,),
        ).fetchall()

    def submit_key(self, key: str) -> Optional[sqlite3.Row]:
        """The job an ``Idempotency-Key`` created (``digest``, ``job_id``), if any."""
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT key, digest, job_id, created_at FROM submit_keys WHERE key = ?", (key,)
        ).fetchone()
        return row

    def upload(self, upload_id: str) -> Optional[sqlite3.Row]:
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT * FROM uploads WHERE id = ?", (upload_id,)
        ).fetchone()
        return row

    def job_upload(self, job_id: int) -> Optional[sqlite3.Row]:
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT * FROM uploads WHERE job_id = ? ORDER BY created_at DESC LIMIT 1", (job_id,)
        ).fetchone()
        return row

    def next_upload(self, location: str) -> Optional[sqlite3.Row]:
        row: Optional[sqlite3.Row] = self.conn.execute(
            "SELECT * FROM uploads WHERE status = 'pending' AND location = ? "
            "ORDER BY created_at LIMIT 1",
            (location,),
        ).fetchone()
        return row

    def status_counts(self) -> Tuple[Dict[str, int], Dict[str, int]]:
        jobs = {
            row[0]: row[1]
            for row in self.conn.execute("SELECT status, COUNT(*) FROM jobs GROUP BY status")
        }
        tasks = {
            row[0]: row[1]
            for row in self.conn.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status")
        }
        return jobs, tasks


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
