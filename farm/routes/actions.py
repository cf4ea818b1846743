"""Kill, retry and release: ciocore's ``jobs_multi``/``tasks_multi`` and the REST form.

A kill answers once the killed tasks have ended and are recorded as killed, so what a client
does next (``retry`` straight after ``kill``, a listing) sees them ended.
"""

import functools
from typing import Any, Callable, Dict, List, Tuple

from aiohttp import web

from farmhand.farm import views
from farmhand.farm.actions import JobActions
from farmhand.farm.context import context_of
from farmhand.farm.errors import ConflictError, RequestError
from farmhand.farm.http_util import json_response, object_body, read_json
from farmhand.farm.ids import parse_job_id, parse_task_index
from farmhand.farm.model import job_id_text, task_id_text

routes = web.RouteTableDef()

JOB_ACTIONS: Dict[str, Callable[[JobActions, int], int]] = {
    "kill": JobActions.kill_job,
    "retry": JobActions.retry_job,
    "release": JobActions.release_job,
}
TASK_ACTIONS: Dict[str, Callable[[JobActions, int, int], int]] = {
    "kill": JobActions.kill_task,
    "retry": JobActions.retry_task,
}
PAST = {"kill": "killed", "retry": "retried", "release": "released"}


def _action(body: Dict[str, Any], valid: Dict[str, Any]) -> str:
    action = body.get("action")
    # A list or object is unhashable: ``in`` would raise TypeError, a 500 (found by fuzzing).
    if not isinstance(action, str) or action not in valid:
        raise RequestError(
            "unknown action {!r}; valid actions: {}".format(action, ", ".join(valid)),
            field="action",
        )
    return str(action)


def _ids(body: Dict[str, Any], key: str) -> List[Any]:
    ids = body.get(key)
    if not isinstance(ids, list) or not ids:
        raise RequestError("expected a non-empty list of ids, got {!r}".format(ids), field=key)
    return ids


def _apply(items: List[Tuple[str, Callable[[], int]]]) -> Tuple[int, List[str], str]:
    """Apply an action to each item; items it does not apply to are reported, not fatal.

    Each single action checks before it changes anything, so an item that conflicts is left
    exactly as it was. Only when no item could be acted on is the whole request a 409.
    """
    count = 0
    done: List[str] = []
    conflicts: List[str] = []
    for name, apply in items:
        try:
            count += apply()
            done.append(name)
        except ConflictError as error:
            conflicts.append(str(error))
    if conflicts and not done:
        raise ConflictError("; ".join(conflicts))
    skipped = " Skipped: {}".format("; ".join(conflicts)) if conflicts else ""
    return count, done, skipped


@routes.put("/jobs_multi")
async def jobs_multi(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    body = object_body(await read_json(request, 1024 * 1024))
    action = _action(body, JOB_ACTIONS)
    job_ids = [parse_job_id(j) for j in _ids(body, "jobids")]
    for job_id in job_ids:
        farm.job_row(job_id)  # every id must exist before anything changes
    count, done, skipped = _apply(
        [(job_id_text(j), functools.partial(JOB_ACTIONS[action], farm.actions, j)) for j in job_ids]
    )
    if action == "kill":
        for job_id in job_ids:
            await farm.wait_until_ended(job_id)
    farm.flush()
    message = "Jobs {} have been {} ({} tasks).".format(done, PAST[action], count)
    return json_response({"body": "success", "message": message + skipped})


@routes.put("/tasks_multi")
async def tasks_multi(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    body = object_body(await read_json(request, 1024 * 1024))
    action = _action(body, TASK_ACTIONS)
    job_id = parse_job_id(body.get("jobid"))
    indices = [parse_task_index(t) for t in _ids(body, "taskids")]
    for index in indices:
        farm.task_row(job_id, index)
    count, done, skipped = _apply(
        [
            (task_id_text(i), functools.partial(TASK_ACTIONS[action], farm.actions, job_id, i))
            for i in indices
        ]
    )
    if action == "kill":
        await farm.wait_until_ended(job_id, indices)
    farm.flush()
    listed = "".join("\n\t{}".format(name) for name in done)
    message = " {} Tasks set to {!r}{}".format(count, action, listed)
    return json_response({"body": "success", "message": message + skipped})


@routes.post("/api/v1/jobs/{jid}/{action}")
async def job_action(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    action = _action(dict(request.match_info), JOB_ACTIONS)
    job_id = parse_job_id(request.match_info["jid"])
    farm.job_row(job_id)
    JOB_ACTIONS[action](farm.actions, job_id)
    if action == "kill":
        await farm.wait_until_ended(job_id)
    return json_response({"data": views.job_json(farm.job_row(job_id))})


@routes.post("/api/v1/jobs/{jid}/tasks/{tid}/{action}")
async def task_action(request: web.Request) -> web.Response:
    context = context_of(request)
    farm = context.farm
    action = _action(dict(request.match_info), TASK_ACTIONS)
    job_id = parse_job_id(request.match_info["jid"])
    index = parse_task_index(request.match_info["tid"])
    farm.task_row(job_id, index)
    TASK_ACTIONS[action](farm.actions, job_id, index)
    if action == "kill":
        await farm.wait_until_ended(job_id, [index])
    row = farm.task_row(job_id, index)
    return json_response(
        {"data": views.task_json(row, context.paths, farm.db.outputs(job_id, index))}
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
