"""Server job and task records (protocol.md "Listing") as ``JobInfo``/``TaskInfo``.

Lenient on purpose: a Conductor-compatible service may omit Farmhand's extra fields, and a
monitor should still show what is there.
"""

from typing import Any, Dict, List, Mapping, Optional

from farmhand.core.connectors.base import JobInfo, TaskInfo

# Other services' names for the states Farmhand shows.
_STATE_ALIASES = {
    "holding": "held",
    "hold": "held",
    "downloading": "running",
    "uploading": "running",
    "sync_pending": "pending",
    "preempted": "pending",
    "succeeded": "success",
    "finished": "success",
    "error": "failed",
    "canceled": "killed",
    "cancelled": "killed",
}


def task_state(value: Any) -> str:
    state = str(value or "pending").lower()
    return _STATE_ALIASES.get(state, state)


def _float(value: Any) -> Optional[float]:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def job_from_record(record: Mapping[str, Any], tasks: Optional[List[TaskInfo]] = None) -> JobInfo:
    counts: Dict[str, int] = {}
    for state, count in (record.get("tasks") or {}).items():
        key = task_state(state)
        counts[key] = counts.get(key, 0) + int(count or 0)
    if tasks is not None and not counts:
        for task in tasks:
            counts[task.status] = counts.get(task.status, 0) + 1
    task_count = record.get("task_count")
    if task_count is None:
        task_count = len(tasks) if tasks is not None else sum(counts.values())
    revision = record.get("revision")
    return JobInfo(
        job_id=str(record.get("jid") or record.get("id") or ""),
        title=str(record.get("job_title") or record.get("title") or ""),
        status=str(record.get("status") or ""),
        counts=counts,
        task_count=int(task_count),
        output_path=str(record.get("output_path") or ""),
        created_at=_float(record.get("created_at")),
        started_at=_float(record.get("started_at")),
        completed_at=_float(record.get("completed_at")),
        revision=int(revision) if revision is not None else None,
        tasks=tasks,
        raw=dict(record),
    )


def task_from_record(record: Mapping[str, Any]) -> TaskInfo:
    attempts = record.get("attempts")
    if isinstance(attempts, list):
        attempts = len(attempts)
    outputs = []
    for item in record.get("outputs") or []:
        outputs.append(str(item.get("path")) if isinstance(item, Mapping) else str(item))
    exit_code = record.get("exit_code")
    return TaskInfo(
        job_id=str(record.get("jid") or record.get("job_id") or ""),
        task_id=str(record.get("tid") or record.get("task_id") or ""),
        status=task_state(record.get("status")),
        frames=str(record.get("frames") or ""),
        command=_command_text(record),
        attempts=int(attempts or 0),
        duration=_float(record.get("duration")),
        exit_code=int(exit_code) if exit_code is not None else None,
        log=str(record.get("log") or ""),
        outputs=outputs,
        scout=bool(record.get("scout")),
        raw=dict(record),
    )


def _command_text(record: Mapping[str, Any]) -> str:
    command = record.get("command")
    if isinstance(command, list):
        return " ".join(str(c) for c in command)
    return str(command or "")
