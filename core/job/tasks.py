"""The tasks of a job: one ``{command, frames}`` per chunk (and tile), or ``tasks_data`` as given.

Generated tasks come from the task template bound to the job's values once; per task only the
task and tile tokens the template really uses are computed, through one ``str.format`` call.
That, and reading the chunk attributes with ``operator.attrgetter``, is what keeps 100,000
tasks within the payload budget (see ``bench/payload.py``).
"""

import gc
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence

from farmhand.core.errors import InputError
from farmhand.core.frames import Chunk, FramePlan, FrameSpec
from farmhand.core.tokens import Template
from farmhand.core.validation.settings_checks import check_no_nul

Task = Dict[str, Any]

_GETTERS: Dict[str, Callable[[Chunk], Any]] = {
    "chunklength": attrgetter("length"),
    "chunkstart": attrgetter("start"),
    "chunkend": attrgetter("end"),
    "chunkstep": attrgetter("step"),
    "chunktype": attrgetter("chunk_type"),
}


def _getter(name: str, source_count: int) -> Callable[[Chunk], Any]:
    if name in _GETTERS:
        return _GETTERS[name]
    if name == "tile_number":
        return lambda chunk: 1 if chunk.tile is None else chunk.tile
    if name == "chunks":
        repeat = max(1, source_count)
        return lambda chunk: " ".join(("{}:{}".format(chunk.start, chunk.end),) * repeat)
    raise KeyError("{!r} is not a task or tile token".format(name))


class TaskColumns(NamedTuple):
    """Generated tasks as two columns: ``commands[i]`` runs ``frames[i]``."""

    commands: List[str]
    frames: List[str]

    def as_dicts(self) -> List[Task]:
        return [{"command": c, "frames": f} for c, f in zip(self.commands, self.frames)]


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while building many acyclic objects.

    A 100,000-task job allocates a few hundred thousand strings and ints; each allocation
    burst triggers collections that walk every live object (a UI holds many), about a quarter
    of the build time. None of these objects can form a cycle, so nothing is left for the
    collector, which is back on when the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate_tasks(template: Template, plan: FramePlan, source_count: int) -> TaskColumns:
    """One task per chunk x tile; ``template`` must already be bound to the job's values.

    Each used token's values are read for all tasks in one ``map`` (C-level), then the
    commands are rendered in one ``map`` over the template's ``str.format``.
    """
    names = template.tokens
    render = template.renderer(names)
    with paused_gc():
        chunks = list(plan.tasks())
        frames = list(map(str, chunks))
        if names:
            columns = [list(map(_getter(name, source_count), chunks)) for name in names]
            commands = list(map(render, *columns))
        else:
            commands = [render()] * len(chunks)
    return TaskColumns(commands, frames)


def given_tasks(tasks_data: Sequence[Any]) -> List[Task]:
    """``tasks_data`` checked and copied as given (no tokens are expanded in them).

    A task needs a non-empty ``command`` (or the local farm's ``commands`` list) and may have
    ``frames``, a frame spec telling which frames it renders (used to find scout tasks).
    """
    tasks = []
    for index, raw in enumerate(tasks_data):
        where = "tasks_data[{}]".format(index)
        if not isinstance(raw, dict):
            raise InputError("expected an object {{command, frames}}, got {!r}".format(raw), where)
        if "commands" in raw and "command" not in raw:
            commands = raw["commands"]
            if not isinstance(commands, list) or not commands:
                raise InputError(
                    "expected a non-empty list of commands, got {!r}".format(commands),
                    where + ".commands",
                )
        else:
            command = raw.get("command")
            if not isinstance(command, str) or not command.strip():
                raise InputError(
                    "needs a command (a non-empty string), got {!r}".format(command),
                    where + ".command",
                )
            check_no_nul(command, where + ".command")
        frames = raw.get("frames")
        if frames is not None:
            if not isinstance(frames, str):
                raise InputError(
                    'expected a frame spec string such as "8" or "1-10", got {!r}'.format(frames),
                    where + ".frames",
                )
            FrameSpec.parse(frames, where + ".frames")
        tasks.append(dict(raw))
    return tasks


def frames_of_tasks(tasks: Sequence[Task]) -> Optional[FrameSpec]:
    """The union of the tasks' frames, or None when no task says which frames it renders."""
    specs = [FrameSpec.parse(t["frames"]) for t in tasks if t.get("frames")]
    if not specs:
        return None
    return specs[0].union(*specs[1:])


def scout_task_indices(tasks: Sequence[Task], scouts: FrameSpec) -> List[int]:
    """Indices of the given tasks that render a scout frame."""
    if not scouts:
        return []
    return [
        index
        for index, task in enumerate(tasks)
        if task.get("frames") and not FrameSpec.parse(task["frames"]).isdisjoint(scouts)
    ]


__all__ = [
    "Task",
    "TaskColumns",
    "paused_gc",
    "frames_of_tasks",
    "generate_tasks",
    "given_tasks",
    "scout_task_indices",
]
