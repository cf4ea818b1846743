"""Turns a submitted payload into a ``JobSpec``, or a 400 naming the bad field.

It accepts what ciocore's ``conductor_submit.Submit`` posts and what Farmhand's
``Submission.to_payload()`` posts (same keys), plus the farm's own task extensions (argv
commands, several commands per task, ``depends_on``). Keys the farm does not act on are kept
with the job, unknown ones included, because a Conductor-compatible service ignores them too.
"""

import base64
import binascii
import os
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.farm.errors import RequestError
from farmhand.farm.model import Command, JobSpec, RetryPolicy, TaskSpec, UploadRef
from farmhand.farm.scouts import parse_frames

MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_TASKS = 100_000
MAX_COMMANDS_PER_TASK = 1000
MAX_COMMAND_BYTES = 128 * 1024
MAX_UPLOAD_FILES = 100_000
MAX_ENV_VARS = 10_000
MAX_RETRIES = 100
ENV_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
RETRY_KINDS = ("failed", "preempted")


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _string(data: Mapping[str, Any], key: str, default: str = "", limit: int = 4096) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RequestError(
            "expected a string, got {} {}".format(_type_name(value), _describe(value)), field=key
        )
    if len(value) > limit:
        raise RequestError(
            "is {} characters long; the limit is {}".format(len(value), limit), field=key
        )
    return value


def _integer(data: Mapping[str, Any], key: str, default: int, minimum: Optional[int] = None) -> int:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(
            "expected an integer, got {} {}".format(_type_name(value), _describe(value)),
            field=key,
        )
    if minimum is not None and value < minimum:
        raise RequestError("must be >= {}, got {}".format(minimum, value), field=key)
    return value


def _boolean(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RequestError(
            "expected true or false, got {} {}".format(_type_name(value), _describe(value)),
            field=key,
        )
    return value


def _string_map(data: Mapping[str, Any], key: str, limit: int) -> Dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise RequestError(
            "expected an object of strings, got {} {}".format(_type_name(value), _describe(value)),
            field=key,
        )
    if len(value) > limit:
        raise RequestError("has {} entries; the limit is {}".format(len(value), limit), field=key)
    result = {}
    for name, item in value.items():
        if not isinstance(item, str):
            raise RequestError(
                "expected a string, got {} {}".format(_type_name(item), _describe(item)),
                field="{}.{}".format(key, name),
            )
        result[str(name)] = item
    return result


def _command(value: Any, where: str) -> Command:
    if isinstance(value, str):
        if not value.strip():
            raise RequestError("is empty", field=where)
        if "\x00" in value:
            raise RequestError("contains a NUL character", field=where)
        size = len(value.encode("utf-8"))
        if size > MAX_COMMAND_BYTES:
            raise RequestError(
                "is {} bytes; the limit is {}".format(size, MAX_COMMAND_BYTES), field=where
            )
        return Command(shell=value)
    if isinstance(value, list) and value and all(isinstance(arg, str) for arg in value):
        if not value[0]:
            raise RequestError("argv[0] (the program) is empty", field=where)
        if any("\x00" in arg for arg in value):
            raise RequestError("an argument contains a NUL character", field=where)
        size = sum(len(arg.encode("utf-8")) + 1 for arg in value)
        if size > MAX_COMMAND_BYTES:
            raise RequestError(
                "is {} bytes; the limit is {}".format(size, MAX_COMMAND_BYTES), field=where
            )
        return Command(argv=tuple(value))
    raise RequestError(
        "expected a non-empty string or a list of strings, got {} {}".format(
            _type_name(value), _describe(value)
        ),
        field=where,
    )


def parse_task(raw: Any, index: int, count: int) -> TaskSpec:
    where = "tasks_data[{}]".format(index)
    if not isinstance(raw, dict):
        raise RequestError(
            "expected an object with a 'command', got {} {}".format(
                _type_name(raw), _describe(raw)
            ),
            field=where,
        )
    if "command" in raw and "commands" in raw:
        raise RequestError("give either 'command' or 'commands', not both", field=where)
    if "commands" in raw:
        items = raw["commands"]
        if not isinstance(items, list) or not items:
            raise RequestError(
                "expected a non-empty list of commands, got {}".format(_describe(items)),
                field=where + ".commands",
            )
        if len(items) > MAX_COMMANDS_PER_TASK:
            raise RequestError(
                "has {} commands; the limit is {}".format(len(items), MAX_COMMANDS_PER_TASK),
                field=where + ".commands",
            )
        commands = tuple(
            _command(item, "{}.commands[{}]".format(where, n)) for n, item in enumerate(items)
        )
    elif "command" in raw:
        commands = (_command(raw["command"], where + ".command"),)
    else:
        raise RequestError("has no 'command'", field=where + ".command")
    frames = raw.get("frames", "")
    if isinstance(frames, int) and not isinstance(frames, bool):
        frames = str(frames)
    if frames is None:
        frames = ""
    if not isinstance(frames, str):
        raise RequestError(
            "expected a frame spec string, got {} {}".format(_type_name(frames), _describe(frames)),
            field=where + ".frames",
        )
    parse_frames(frames, where + ".frames")
    title = _string(raw, "title", "", 1024) if "title" in raw else ""
    depends = raw.get("depends_on", [])
    if depends is None:
        depends = []
    if not isinstance(depends, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in depends
    ):
        raise RequestError(
            "expected a list of task indices, got {}".format(_describe(depends)),
            field=where + ".depends_on",
        )
    for dep in depends:
        if dep == index:
            raise RequestError("a task cannot depend on itself", field=where + ".depends_on")
        if not 0 <= dep < count:
            raise RequestError(
                "task index {} is out of range (the job has tasks 0 to {})".format(dep, count - 1),
                field=where + ".depends_on",
            )
    return TaskSpec(
        commands=commands,
        frames=frames,
        title=title,
        depends_on=tuple(sorted(set(depends))),
    )


def check_acyclic(tasks: Sequence[TaskSpec]) -> None:
    """Kahn's algorithm; names one task of the cycle so the author can find it."""
    remaining = [len(t.depends_on) for t in tasks]
    dependents: List[List[int]] = [[] for _ in tasks]
    for index, task in enumerate(tasks):
        for dep in task.depends_on:
            dependents[dep].append(index)
    ready = [i for i, n in enumerate(remaining) if n == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for child in dependents[node]:
            remaining[child] -= 1
            if remaining[child] == 0:
                ready.append(child)
    if seen != len(tasks):
        stuck = next(i for i, n in enumerate(remaining) if n > 0)
        raise RequestError(
            "the dependencies form a cycle through task {}".format(stuck),
            field="tasks_data[{}].depends_on".format(stuck),
        )


def is_md5_base64(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return len(base64.b64decode(text, validate=True)) == 16
    except (binascii.Error, ValueError):
        return False


def upload_file_objects(value: Any, shape: str) -> List[Tuple[str, Dict[str, Any]]]:
    """``upload_files`` as ``[(where, object)]``: a list of at most ``MAX_UPLOAD_FILES``
    objects (of the ``shape`` the message names), in a job payload and in an upload-URL
    request alike."""
    if not isinstance(value, list):
        raise RequestError(
            "expected a list of {} objects, got {}".format(shape, _type_name(value)),
            field="upload_files",
        )
    if len(value) > MAX_UPLOAD_FILES:
        raise RequestError(
            "has {} files; the limit is {}".format(len(value), MAX_UPLOAD_FILES),
            field="upload_files",
        )
    items = []
    for index, item in enumerate(value):
        where = "upload_files[{}]".format(index)
        if not isinstance(item, dict):
            raise RequestError("expected an object, got {}".format(_describe(item)), field=where)
        items.append((where, item))
    return items


def parse_uploads(value: Any, local_upload: bool = True) -> Tuple[UploadRef, ...]:
    """The files a job needs. With ``local_upload`` false an md5 may be null: the upload
    daemon (ciocore's ``conductor uploader``) hashes and sends the file after the submit."""
    if value is None:
        return ()
    refs = []
    for where, item in upload_file_objects(value, "{md5, destination}"):
        destination = item.get("destination")
        if not isinstance(destination, str) or not destination:
            raise RequestError(
                "expected a file path, got {}".format(_describe(destination)),
                field=where + ".destination",
            )
        md5 = item.get("md5")
        if md5 is None and not local_upload:
            pass
        elif not is_md5_base64(md5):
            raise RequestError(
                "{} is not an md5 (base64 of 16 bytes) for {}".format(_describe(md5), destination),
                field=where + ".md5",
            )
        size = item.get("st_size", -1)
        if isinstance(size, bool) or not isinstance(size, int):
            raise RequestError("expected an integer size", field=where + ".st_size")
        refs.append(
            UploadRef(md5=None if md5 is None else str(md5), destination=destination, size=size)
        )
    return tuple(refs)


def parse_retry(value: Any) -> RetryPolicy:
    if not value:
        return RetryPolicy()
    if not isinstance(value, dict):
        raise RequestError(
            "expected {{'failed': {{'max_retries': n}}, 'preempted': {{...}}}}, got {}".format(
                _describe(value)
            ),
            field="autoretry_policy",
        )
    counts = {"failed": 0, "preempted": 1}
    for kind, rule in value.items():
        where = "autoretry_policy.{}".format(kind)
        if kind not in RETRY_KINDS:
            raise RequestError(
                "unknown kind {!r}; valid kinds: {}".format(kind, ", ".join(RETRY_KINDS)),
                field=where,
            )
        if not isinstance(rule, dict) or "max_retries" not in rule:
            raise RequestError(
                "expected {{'max_retries': n}}, got {}".format(_describe(rule)), field=where
            )
        number = rule["max_retries"]
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not (0 <= number <= MAX_RETRIES)
        ):
            raise RequestError(
                "expected an integer from 0 to {}, got {}".format(MAX_RETRIES, _describe(number)),
                field=where + ".max_retries",
            )
        counts[kind] = number
    # A restart of the farm is never the task's fault: it gets at least one more try.
    return RetryPolicy(failed=counts["failed"], preempted=max(1, counts["preempted"]))


def check_upload_only(data: Mapping[str, Any], raw_tasks: List[Any]) -> None:
    """A job without tasks is an upload-only job: it must name files to upload.

    Neither ciocore nor Farmhand's ``Submission.to_payload()`` marks an upload-only job:
    both send ``tasks_data: []`` with the files in ``upload_files``, so that is what the
    farm recognises. ``upload_only: true`` (a Farmhand addition) says it explicitly, and
    then ``tasks_data`` must be empty.
    """
    upload_only = _boolean(data, "upload_only", False)
    if upload_only and raw_tasks:
        raise RequestError(
            "an upload-only job runs no tasks, but tasks_data has {}; leave tasks_data empty"
            " or set upload_only to false".format(len(raw_tasks)),
            field="upload_only",
        )
    files = data.get("upload_files")
    if not raw_tasks and not (isinstance(files, list) and files):
        raise RequestError(
            "expected a non-empty list of tasks, got [] (a job without tasks is an upload-only"
            " job, and this one names no upload_files)",
            field="tasks_data",
        )


def parse_payload(
    data: Any, catalogue: Catalogue, account_env: Sequence[Mapping[str, str]] = ()
) -> JobSpec:
    if not isinstance(data, dict):
        raise RequestError(
            "the payload must be a JSON object, got {}".format(_type_name(data)), field="payload"
        )
    for key in ("tasks_data", "instance_type", "project"):
        if key not in data:
            raise RequestError("is required", field=key)
    raw_tasks = data["tasks_data"]
    if not isinstance(raw_tasks, list):
        raise RequestError(
            "expected a non-empty list of tasks, got {}".format(_describe(raw_tasks)),
            field="tasks_data",
        )
    check_upload_only(data, raw_tasks)
    if len(raw_tasks) > MAX_TASKS:
        raise RequestError(
            "has {} tasks; the limit is {}".format(len(raw_tasks), MAX_TASKS), field="tasks_data"
        )
    tasks = tuple(parse_task(raw, i, len(raw_tasks)) for i, raw in enumerate(raw_tasks))
    if any(t.depends_on for t in tasks):
        check_acyclic(tasks)

    instance_type = _string(data, "instance_type")
    names = [i.name for i in catalogue.instance_types]
    if instance_type not in names:
        raise RequestError(
            "unknown instance type {!r}; this farm offers: {}".format(
                instance_type, ", ".join(names)
            ),
            field="instance_type",
        )
    project = _string(data, "project")
    if project not in catalogue.projects:
        raise RequestError(
            "unknown project {!r}; this farm has: {} (add projects in the farm's"
            " config.json)".format(project, ", ".join(catalogue.projects)),
            field="project",
        )
    package_ids = data.get("software_package_ids") or []
    if not isinstance(package_ids, list) or not all(isinstance(p, str) for p in package_ids):
        raise RequestError(
            "expected a list of package ids, got {}".format(_describe(package_ids)),
            field="software_package_ids",
        )
    known = {p.package_id: p for p in catalogue.packages}
    policies: Dict[str, str] = {}
    for entry in account_env:
        policies[entry["name"]] = entry.get("merge_policy", "exclusive")
    for index, package_id in enumerate(package_ids):
        if package_id not in known:
            raise RequestError(
                "unknown software package id {!r}; this farm has: {}".format(
                    package_id,
                    ", ".join("{} ({})".format(p.package_id, p.label) for p in known.values())
                    or "(none)",
                ),
                field="software_package_ids[{}]".format(index),
            )
        for env in known[package_id].environment:
            policies[env.name] = env.merge_policy

    environment = _string_map(data, "environment", MAX_ENV_VARS)
    for name, value in environment.items():
        if not ENV_NAME.match(name):
            raise RequestError(
                "{!r} is not a valid variable name (letters, digits and _, not starting with"
                " a digit)".format(name),
                field="environment",
            )
        if "\x00" in value:
            raise RequestError("contains a NUL character", field="environment." + name)

    output_path = _string(data, "output_path", "", 4096)
    if output_path and not os.path.isabs(output_path):
        raise RequestError("{!r} is not an absolute path".format(output_path), field="output_path")
    scout = data.get("scout_frames", "")
    if isinstance(scout, list) and all(isinstance(f, int) for f in scout):
        scout = ",".join(str(f) for f in scout)
    if scout is None:
        scout = ""
    if not isinstance(scout, str):
        raise RequestError(
            "expected a frame spec string, got {}".format(_describe(scout)), field="scout_frames"
        )
    parse_frames(scout, "scout_frames")
    _integer(data, "chunk_size", 1, minimum=1)
    local_upload = _boolean(data, "local_upload", True)
    _boolean(data, "preemptible", False)
    uploads = parse_uploads(data.get("upload_files"), local_upload)
    metadata = _string_map(data, "metadata", 1000)
    notify = data.get("notify")
    if notify is not None and not isinstance(notify, (dict, list)):
        raise RequestError(
            "expected {{'emails': [...]}} or a list of addresses, got {}".format(_describe(notify)),
            field="notify",
        )
    return JobSpec(
        tasks=tasks,
        title=_string(data, "job_title", "Untitled job", 1024) or "Untitled job",
        project=project,
        instance_type=instance_type,
        priority=_integer(data, "priority", 5),
        owner=_string(data, "owner", "", 256),
        location=_string(data, "location", "", 256),
        output_path=os.path.normpath(output_path) if output_path else "",
        scout_frames=scout,
        release_on_scout_success=_boolean(data, "release_on_scout_success", False),
        environment=environment,
        env_policies=policies,
        retry=parse_retry(data.get("autoretry_policy")),
        uploads=uploads,
        local_upload=local_upload,
        metadata=metadata,
        payload=dict(data),
    )
