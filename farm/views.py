"""The JSON shapes of jobs, tasks and attempts (see docs/protocol.md), built from the record."""

import json
import os
from typing import Any, Dict, Iterable, List, Optional

from farmhand.farm.model import TASK_STATES, Command, job_id_text, task_id_text
from farmhand.farm.paths import FarmPaths


def _duration(start: Optional[float], end: Optional[float]) -> Optional[float]:
    if start is None or end is None:
        return None
    return round(end - start, 6)


def upload_json(row: Any) -> Optional[Dict[str, Any]]:
    """The upload a daemon owes a ``local_upload: false`` job, as a job shows it."""
    if row is None:
        return None
    return {
        "id": row["id"],
        "status": row["status"],
        "error": row["error"],
        "files": len(json.loads(row["files"])),
        "transfer_size": row["transfer_size"],
        "bytes_transferred": row["bytes_transferred"],
    }


def job_json(row: Any, upload: Any = None) -> Dict[str, Any]:
    jid = job_id_text(row["id"])
    counts = dict.fromkeys(TASK_STATES, 0)
    counts.update(json.loads(row["counts"]))
    payload = json.loads(row["payload"])
    return {
        "jid": jid,
        "uri": "/jobs/{}".format(jid),
        "kind": row["kind"],
        "job_title": row["title"],
        "title": row["title"],
        "status": row["status"],
        "project": row["project"],
        "instance_type": row["instance_type"],
        "priority": row["priority"],
        "owner": row["owner"],
        "location": row["location"],
        "output_path": row["output_path"],
        "scout_frames": row["scout_frames"],
        "release_on_scout_success": bool(row["release_on_scout_success"]),
        "metadata": json.loads(row["metadata"]),
        "notify": payload.get("notify"),
        "autoretry_policy": {
            "failed": {"max_retries": row["retry_failed"]},
            "preempted": {"max_retries": row["retry_preempted"]},
        },
        "created_at": row["created_at"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "duration": _duration(row["started_at"], row["completed_at"]),
        "revision": row["revision"],
        "task_count": row["task_count"],
        "upload_only": row["task_count"] == 0,
        "tasks": counts,
        "upload": upload_json(upload),
    }


def log_path(paths: FarmPaths, jid: str, index: int, attempt: int) -> Optional[str]:
    if attempt <= 0:
        return None
    return os.path.join(paths.job_log_dir(jid), "{}.{}.log".format(task_id_text(index), attempt))


def output_json(row: Any) -> Dict[str, Any]:
    return {"path": row["path"], "size": row["size"], "md5": row["md5"]}


def task_json(row: Any, paths: FarmPaths, outputs: Iterable[Any] = ()) -> Dict[str, Any]:
    jid = job_id_text(row["job_id"])
    commands = [Command.from_json(c) for c in json.loads(row["commands"])]
    return {
        "jid": jid,
        "tid": task_id_text(row["idx"]),
        "title": row["title"],
        "frames": row["frames"],
        "command": "\n".join(c.text for c in commands),
        "commands": [c.to_json() for c in commands],
        "depends_on": [task_id_text(d) for d in json.loads(row["depends_on"])],
        "scout": bool(row["scout"]),
        "status": row["status"],
        "attempts": row["attempts"],
        "exit_code": row["exit_code"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "duration": _duration(row["started_at"], row["completed_at"]),
        "log": log_path(paths, jid, row["idx"], row["attempts"]),
        "outputs": [output_json(o) for o in outputs],
    }


def attempt_json(row: Any) -> Dict[str, Any]:
    return {
        "attempt": row["attempt"],
        "outcome": row["outcome"],
        "exit_code": row["exit_code"],
        "pid": row["pid"],
        "host": row["host"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "duration": _duration(row["started_at"], row["completed_at"]),
        "log": row["log_path"],
    }


def group_outputs(rows: Iterable[Any]) -> Dict[int, List[Any]]:
    grouped: Dict[int, List[Any]] = {}
    for row in rows:
        grouped.setdefault(row["idx"], []).append(row)
    return grouped
