"""``get_project_status`` in the seed's shape, from a project's record and its farm job.

``Code``, ``State``, ``Message``, ``BytesDone``, ``BytesTotal``, ``Details`` (one entry per
uploaded file, by remote path, each with ``Name``, ``State``, ``BytesDone``, ``BytesTotal``,
``Speed``) and ``Speed`` are the seed's; Farmhand adds ``Jobs`` (each Envoy job's state,
tasks, credits and budget), ``Downloads`` and ``FarmJob``.

States: ``Uploading`` -> ``Uploaded`` (files only) or ``Submitted`` -> ``Running`` ->
``Completed`` / ``Failed`` / ``Stopped`` (killed, by a user or a budget), and ``Downloading``
while a completed project's results are still being fetched.
"""

from typing import Any, Dict, List, Optional

from farmhand.api.envoy.local_payload import CORE_SECONDS_PER_CREDIT

FARM_STATES = {
    "sync_pending": "Submitted",
    "pending": "Submitted",
    "holding": "Submitted",
    "running": "Running",
    "success": "Completed",
    "failed": "Failed",
    "killed": "Stopped",
    "sync_failed": "Failed",
}


def _details(record: Dict[str, Any]) -> Dict[str, Any]:
    upload = record.get("upload") or {}
    uploading = upload.get("state") == "Uploading"
    details = {}
    for remote, item in sorted((upload.get("files") or {}).items()):
        done = int(item.get("done", 0))
        size = int(item.get("size", 0))
        details[remote] = {
            "Name": remote,
            "State": "Uploading" if uploading and done < size else "Completed",
            "BytesDone": done if uploading else size,
            "BytesTotal": size,
            "Speed": upload.get("speed", 0) if uploading else 0,
        }
    return details


def _job_entries(
    submission: Dict[str, Any], job: Any, budgets: Optional[List[Dict[str, Any]]]
) -> List[Dict[str, Any]]:
    tasks = {t.task_id: t for t in (job.tasks or [])} if job is not None else {}
    by_name = {b.get("name"): b for b in budgets or []}
    entries = []
    for group in submission.get("jobs") or []:
        first, stop = group["tasks"]
        states: Dict[str, int] = {}
        seconds = 0.0
        for index in range(first, stop):
            task = tasks.get(str(index).zfill(3))
            if task is None:
                continue
            states[task.status] = states.get(task.status, 0) + 1
        budget = by_name.get(group["name"])
        entry = {
            "Name": group["name"],
            "App": "{} {}".format(group["app"], group["app_version"]),
            "MachineType": group["machine_type"],
            "Tasks": stop - first,
            "TaskStates": states,
            "Dependencies": group.get("dependencies") or [],
        }
        if budget is not None:
            seconds = float(budget.get("consumed_core_seconds") or 0.0)
            entry["CreditsConsumed"] = round(seconds / CORE_SECONDS_PER_CREDIT, 6)
            entry["CreditsBudget"] = dict(group.get("credits_budget") or {})
            entry["BudgetReached"] = bool(budget.get("reached"))
        entries.append(entry)
    return entries


def project_status(
    record: Dict[str, Any], job: Any = None, budgets: Optional[List[Dict[str, Any]]] = None
) -> Dict[str, Any]:
    upload = record.get("upload") or {}
    details = _details(record)
    total = sum(d["BytesTotal"] for d in details.values())
    done = sum(d["BytesDone"] for d in details.values())
    speed = upload.get("speed", 0) if upload.get("state") == "Uploading" else 0
    status: Dict[str, Any] = {
        "Code": 200,
        "State": "Uploaded",
        "Message": upload.get("message") or "No files uploaded yet.",
        "BytesDone": done,
        "BytesTotal": total,
        "Details": details,
        "Speed": speed,
    }
    submissions = record.get("submissions") or []
    if upload.get("state") == "Uploading":
        status["State"] = "Uploading"
        status["Message"] = "File uploads in progress."
        return status
    if upload.get("state") == "Failed" and not submissions:
        status["State"] = "Failed"
        return status
    if not submissions or job is None:
        return status
    submission = submissions[-1]
    state = FARM_STATES.get(job.status, "Submitted")
    counts = job.counts
    finished = counts.get("success", 0)
    message = {
        "Submitted": "Job submission successful.",
        "Running": "{} of {} tasks done.".format(finished, job.task_count),
        "Completed": "All {} tasks completed.".format(job.task_count),
        "Failed": "{} of {} tasks failed.".format(counts.get("failed", 0), job.task_count),
        "Stopped": "{} of {} tasks were stopped.".format(counts.get("killed", 0), job.task_count),
    }[state]
    reached = [b for b in budgets or [] if b.get("reached")]
    if reached:
        message += " Credits budget reached: {}.".format(
            ", ".join("{} ({})".format(b.get("name"), b.get("action")) for b in reached)
        )
    downloaded = submission.get("downloaded") or {}
    errors = submission.get("download_errors") or {}
    checked = submission.get("downloads_checked_at") or 0
    if (
        state == "Completed"
        and submission.get("watch_files")
        and (errors or checked < (job.completed_at or 0))
    ):
        state = "Downloading"
        message = "All {} tasks completed; downloading results.".format(job.task_count)
        if errors:
            message += " {} download(s) failed and will be retried.".format(len(errors))
    status["State"] = state
    status["Message"] = message
    status["FarmJob"] = job.job_id
    status["Jobs"] = _job_entries(submission, job, budgets)
    status["Downloads"] = {
        "Files": len(downloaded),
        "Errors": errors,
        "WatchFiles": submission.get("watch_files") or [],
    }
    return status
