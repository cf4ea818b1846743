"""The payload's tasks as an engine needs them: numbered, with their scouts and dependencies
resolved into stages.

Engines that run a job as a handful of task groups (OpenCue layers, OpenJD steps) have no
scout frames and no task-to-task edges of their own. Both become *stages* here: a task waits
for the tasks it names in ``depends_on`` and, when the job has scout frames, every other task
waits for the scout tasks; tasks are then grouped by how long their chain of waits is, so a
stage only ever waits for earlier stages. A task a scout itself waits for does not wait for
the scouts (that would be a cycle): it runs in an early stage like any dependency.

Tasks are numbered from 1 (``number``), the name an engine shows and a task script is stored
under; ``index`` stays the payload's position, the one error messages name.
"""

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec

# A task command: a shell string, or an argv list run without a shell.
Command = Union[str, Tuple[str, ...]]

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class EngineTask(object):
    """One payload task, checked: commands, frames, title, its own environment, the tasks
    it waits for (payload indices) and whether it holds a scout frame."""

    __slots__ = ("index", "commands", "frames", "title", "environment", "depends_on", "scout")

    def __init__(
        self,
        index: int,
        commands: Sequence[Command],
        frames: str = "",
        title: str = "",
        environment: Optional[Mapping[str, str]] = None,
        depends_on: Sequence[int] = (),
        scout: bool = False,
    ) -> None:
        self.index = index
        self.commands = tuple(commands)
        self.frames = frames
        self.title = title
        self.environment = dict(environment or {})
        self.depends_on = tuple(depends_on)
        self.scout = scout

    @property
    def number(self) -> int:
        return self.index + 1

    def label(self) -> str:
        """``task 3 (frames 5-6)``, or the task's own title: what a monitor lists."""
        if self.title:
            return self.title
        if self.frames:
            return "task {} (frames {})".format(self.number, self.frames)
        return "task {}".format(self.number)

    def __repr__(self) -> str:
        return "EngineTask({}{})".format(self.number, " scout" if self.scout else "")


class Stage(object):
    """Tasks that may all run at once, once the stages in ``after`` are done."""

    __slots__ = ("name", "tasks", "after")

    def __init__(self, name: str, tasks: List[EngineTask], after: Tuple[int, ...]) -> None:
        self.name = name
        self.tasks = tasks
        self.after = after

    @property
    def numbers(self) -> List[int]:
        return [task.number for task in self.tasks]

    def __repr__(self) -> str:
        return "Stage({!r}, {} tasks, after={})".format(self.name, len(self.tasks), self.after)


class StagedJob(object):
    """The stages of a job, plus every task-to-task wait (``edges[i]``: the payload indices
    task ``i`` waits for, scouts included), so an engine that can express single waits
    (OpenCue's frame-on-frame) keeps exactly these, and one that cannot waits per stage."""

    __slots__ = ("tasks", "stages", "edges", "stage_of")

    def __init__(
        self,
        tasks: List[EngineTask],
        stages: List[Stage],
        edges: List[Tuple[int, ...]],
        stage_of: List[int],
    ) -> None:
        self.tasks = tasks
        self.stages = stages
        self.edges = edges
        self.stage_of = stage_of

    def waits_between(self, stage: int, earlier: int) -> List[Tuple[int, int]]:
        """(task, dependency) index pairs from tasks of ``stage`` to tasks of ``earlier``."""
        pairs = []
        for task in self.stages[stage].tasks:
            for dep in self.edges[task.index]:
                if self.stage_of[dep] == earlier:
                    pairs.append((task.index, dep))
        return pairs

    def waits_for_whole_stage(self, stage: int, earlier: int) -> bool:
        """Whether every task of ``stage`` waits for every task of ``earlier``."""
        count = len(self.waits_between(stage, earlier))
        return count == len(self.stages[stage].tasks) * len(self.stages[earlier].tasks)


def _where(index: int, key: str = "") -> str:
    return "tasks_data[{}]{}".format(index, "." + key if key else "")


def _command(value: Any, field: str) -> Command:
    if isinstance(value, str):
        if not value.strip():
            raise InputError("is empty", field=field)
        if "\x00" in value:
            raise InputError("contains a NUL character", field=field)
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(a, str) for a in value):
        if not value[0]:
            raise InputError("argv[0] (the program) is empty", field=field)
        if any("\x00" in arg for arg in value):
            raise InputError("an argument contains a NUL character", field=field)
        return tuple(value)
    raise InputError(
        "expected a non-empty string or a list of strings, got {!r}".format(value), field=field
    )


def check_environment(value: Any, field: str) -> Dict[str, str]:
    """A ``{NAME: value}`` map of strings whose names a shell can export."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(
            "expected an object of NAME: value strings, got {!r}".format(value), field=field
        )
    checked = {}
    for name, text in value.items():
        if not isinstance(name, str) or not ENV_NAME.match(name):
            raise InputError(
                "{!r} is not a valid variable name (letters, digits and _, not starting with"
                " a digit)".format(name),
                field=field,
            )
        if not isinstance(text, str):
            raise InputError("expected a string, got {!r}".format(text), field=field + "." + name)
        if "\x00" in text:
            raise InputError("contains a NUL character", field=field + "." + name)
        checked[name] = text
    return checked


def _commands(raw: Mapping[str, Any], index: int) -> Tuple[Command, ...]:
    if "command" in raw and "commands" in raw:
        raise InputError("give either 'command' or 'commands', not both", field=_where(index))
    if "commands" in raw:
        items = raw["commands"]
        if not isinstance(items, list) or not items:
            raise InputError(
                "expected a non-empty list of commands, got {!r}".format(items),
                field=_where(index, "commands"),
            )
        return tuple(
            _command(item, "{}[{}]".format(_where(index, "commands"), n))
            for n, item in enumerate(items)
        )
    if "command" not in raw:
        raise InputError("has no 'command'", field=_where(index, "command"))
    return (_command(raw["command"], _where(index, "command")),)


def _frames(raw: Mapping[str, Any], index: int) -> str:
    frames = raw.get("frames", "")
    if frames is None:
        return ""
    if isinstance(frames, int) and not isinstance(frames, bool):
        return str(frames)
    if not isinstance(frames, str):
        raise InputError(
            "expected a frame spec string, got {!r}".format(frames), field=_where(index, "frames")
        )
    if frames.strip():
        FrameSpec.parse(frames, field=_where(index, "frames"))
    return frames.strip()


def _depends(raw: Mapping[str, Any], index: int, count: int) -> Tuple[int, ...]:
    depends = raw.get("depends_on") or []
    field = _where(index, "depends_on")
    if not isinstance(depends, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) for d in depends
    ):
        raise InputError("expected a list of task indices, got {!r}".format(depends), field=field)
    for dep in depends:
        if dep == index:
            raise InputError("a task cannot depend on itself", field=field)
        if not 0 <= dep < count:
            raise InputError(
                "task index {} is out of range (the job has tasks 0 to {})".format(dep, count - 1),
                field=field,
            )
    return tuple(sorted(set(depends)))


def _scout_spec(payload: Mapping[str, Any]) -> Optional[FrameSpec]:
    scout = payload.get("scout_frames") or ""
    if isinstance(scout, list):
        scout = ",".join(str(frame) for frame in scout)
    if not isinstance(scout, str):
        raise InputError("expected a frame spec string, got {!r}".format(scout), "scout_frames")
    if not scout.strip():
        return None
    return FrameSpec.parse(scout, field="scout_frames")


def engine_tasks(payload: Mapping[str, Any]) -> List[EngineTask]:
    """The payload's ``tasks_data`` checked, each task marked scout when its frames hold a
    scout frame (as the local farm decides)."""
    raw_tasks = payload.get("tasks_data")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        raise InputError(
            "expected a non-empty list of tasks, got {!r}".format(raw_tasks), field="tasks_data"
        )
    scouts = _scout_spec(payload)
    tasks = []
    for index, raw in enumerate(raw_tasks):
        if not isinstance(raw, Mapping):
            raise InputError(
                "expected an object with a 'command', got {!r}".format(raw), field=_where(index)
            )
        frames = _frames(raw, index)
        title = raw.get("title") or ""
        if not isinstance(title, str):
            raise InputError("expected a string, got {!r}".format(title), _where(index, "title"))
        scout = bool(scouts is not None and frames and FrameSpec.parse(frames) & scouts)
        tasks.append(
            EngineTask(
                index=index,
                commands=_commands(raw, index),
                frames=frames,
                title=title.strip(),
                environment=check_environment(raw.get("environment"), _where(index, "environment")),
                depends_on=_depends(raw, index, len(raw_tasks)),
                scout=scout,
            )
        )
    return tasks


def _ancestors_of_scouts(tasks: List[EngineTask]) -> Set[int]:
    """Every task some scout task waits for, directly or through others."""
    seen: Set[int] = set()
    todo = [dep for task in tasks if task.scout for dep in task.depends_on]
    while todo:
        index = todo.pop()
        if index in seen:
            continue
        seen.add(index)
        todo.extend(tasks[index].depends_on)
    return seen


def _levels(tasks: List[EngineTask], edges: List[Tuple[int, ...]]) -> List[int]:
    """Each task's longest chain of waits (Kahn's order); a cycle names one of its tasks."""
    count = len(tasks)
    remaining = [len(deps) for deps in edges]
    dependents: List[List[int]] = [[] for _ in range(count)]
    for index, deps in enumerate(edges):
        for dep in deps:
            dependents[dep].append(index)
    level = [0] * count
    ready = [i for i in range(count) if remaining[i] == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for child in dependents[node]:
            level[child] = max(level[child], level[node] + 1)
            remaining[child] -= 1
            if remaining[child] == 0:
                ready.append(child)
    if seen != count:
        stuck = next(i for i in range(count) if remaining[i] > 0)
        raise InputError(
            "the dependencies form a cycle through task {}".format(stuck),
            field=_where(stuck, "depends_on"),
        )
    return level


def _stage_names(groups: List[List[EngineTask]], explicit: bool) -> List[str]:
    """``scout`` and ``render`` for the usual job; numbered ``stage_N`` once the job's own
    dependencies shape it."""
    if not explicit:
        return ["scout" if all(t.scout for t in group) else "render" for group in groups]
    return ["stage_{}".format(n + 1) for n in range(len(groups))]


def stage_job(payload: Mapping[str, Any]) -> StagedJob:
    """The payload's tasks in stages (see the module docstring)."""
    tasks = engine_tasks(payload)
    scout_indices = tuple(task.index for task in tasks if task.scout)
    if len(scout_indices) == len(tasks):
        scout_indices = ()  # every task is a scout: nothing waits for them
    scout_ancestors = _ancestors_of_scouts(tasks) if scout_indices else set()
    edges: List[Tuple[int, ...]] = []
    for task in tasks:
        deps = set(task.depends_on)
        if scout_indices and not task.scout and task.index not in scout_ancestors:
            deps.update(scout_indices)
        edges.append(tuple(sorted(deps)))
    levels = _levels(tasks, edges)
    groups: List[List[EngineTask]] = [[] for _ in range(max(levels) + 1)]
    for task in tasks:
        groups[levels[task.index]].append(task)
    explicit = any(task.depends_on for task in tasks)
    names = _stage_names(groups, explicit)
    stage_of = list(levels)
    stages = []
    for number, group in enumerate(groups):
        after = sorted({stage_of[dep] for task in group for dep in edges[task.index]})
        stages.append(Stage(names[number], group, tuple(after)))
    return StagedJob(tasks, stages, edges, stage_of)


def number_ranges(numbers: Sequence[int]) -> List[Tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: List[Tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
