"""``tasks_data``: each task's command(s), frames and dependencies; or no tasks at all.

A task runs one command (``command``: a shell string, or an argv list) or several in order
(``commands``), may name its frames and the tasks it waits for (``depends_on``, no cycles).
A job without tasks is an upload-only job (``check_upload_only``).
"""

from typing import Any, List, Mapping, Sequence, Tuple

from farmhand.farm.errors import RequestError
from farmhand.farm.model import Command, TaskSpec
from farmhand.farm.payload_values import boolean_field, describe, string_field, type_name
from farmhand.farm.scouts import parse_frames

MAX_TASKS = 100_000
MAX_COMMANDS_PER_TASK = 1000
MAX_COMMAND_BYTES = 128 * 1024


def parse_tasks(data: Mapping[str, Any]) -> Tuple[TaskSpec, ...]:
    """``data["tasks_data"]`` (present) as task specs, dependencies checked."""
    raw_tasks = data["tasks_data"]
    if not isinstance(raw_tasks, list):
        raise RequestError(
            "expected a non-empty list of tasks, got {}".format(describe(raw_tasks)),
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
    return tasks


def parse_command(value: Any, where: str) -> Command:
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
            type_name(value), describe(value)
        ),
        field=where,
    )


def parse_task(raw: Any, index: int, count: int) -> TaskSpec:
    where = "tasks_data[{}]".format(index)
    if not isinstance(raw, dict):
        raise RequestError(
            "expected an object with a 'command', got {} {}".format(type_name(raw), describe(raw)),
            field=where,
        )
    if "command" in raw and "commands" in raw:
        raise RequestError("give either 'command' or 'commands', not both", field=where)
    if "commands" in raw:
        items = raw["commands"]
        if not isinstance(items, list) or not items:
            raise RequestError(
                "expected a non-empty list of commands, got {}".format(describe(items)),
                field=where + ".commands",
            )
        if len(items) > MAX_COMMANDS_PER_TASK:
            raise RequestError(
                "has {} commands; the limit is {}".format(len(items), MAX_COMMANDS_PER_TASK),
                field=where + ".commands",
            )
        commands = tuple(
            parse_command(item, "{}.commands[{}]".format(where, n)) for n, item in enumerate(items)
        )
    elif "command" in raw:
        commands = (parse_command(raw["command"], where + ".command"),)
    else:
        raise RequestError("has no 'command'", field=where + ".command")
    frames = raw.get("frames", "")
    if isinstance(frames, int) and not isinstance(frames, bool):
        frames = str(frames)
    if frames is None:
        frames = ""
    if not isinstance(frames, str):
        raise RequestError(
            "expected a frame spec string, got {} {}".format(type_name(frames), describe(frames)),
            field=where + ".frames",
        )
    parse_frames(frames, where + ".frames")
    title = string_field(raw, "title", "", 1024) if "title" in raw else ""
    depends = raw.get("depends_on", [])
    if depends is None:
        depends = []
    if not isinstance(depends, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in depends
    ):
        raise RequestError(
            "expected a list of task indices, got {}".format(describe(depends)),
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


def check_upload_only(data: Mapping[str, Any], raw_tasks: List[Any]) -> None:
    """A job without tasks is an upload-only job: it must name files to upload.

    Neither ciocore nor Farmhand's ``Submission.to_payload()`` marks an upload-only job:
    both send ``tasks_data: []`` with the files in ``upload_files``, so that is what the
    farm recognises. ``upload_only: true`` (a Farmhand addition) says it explicitly, and
    then ``tasks_data`` must be empty.
    """
    upload_only = boolean_field(data, "upload_only", False)
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
