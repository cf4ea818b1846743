"""A Farmhand payload as a Tractor job, built with ``farmhand.api.tractor.author``.

Tractor orders work by its task tree: a task runs after its subtasks, and a parent with
``serialsubtasks`` runs its children one after the other. So:

* scout frames: the job runs two children in series, ``Scout frames`` (the scout tasks)
  then ``Frames`` (the rest), which is how Tractor users write a "check first" job;
* a task's own ``depends_on``: the tasks it names become its subtasks; a task needed by more
  than one other is written once and referred to elsewhere by ``Instance`` (Tractor's way
  to share a task), so every wait of the payload is kept exactly;
* each command runs as ``/bin/sh -c <command>`` (an argv list as it is), with the job's and
  the task's environment put in front by ``/usr/bin/env NAME=value``: Tractor's job
  script has no environment variables of its own (``envkey`` names blade-side settings);
* the title, priority (Tractor's own number), the project (as a Tractor project) and the
  service key of the engine's blades (when configured) are the job's attributes.

Task titles are unique within the job (``Instance`` refers to a title).
"""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Set

from farmhand.api.tractor.author import Command, Instance, Job, Task
from farmhand.core.connectors.engine_tasks import Command as TaskCommand
from farmhand.core.connectors.engine_tasks import (
    EngineTask,
    StagedJob,
    check_environment,
    stage_job,
)
from farmhand.core.errors import InputError

SHELL = "/bin/sh"
ENV_PROGRAM = "/usr/bin/env"


def command_argv(command: TaskCommand, environment: Mapping[str, str]) -> List[str]:
    argv = [SHELL, "-c", command] if isinstance(command, str) else list(command)
    if not environment:
        return argv
    pairs = ["{}={}".format(name, environment[name]) for name in sorted(environment)]
    return [ENV_PROGRAM] + pairs + argv


def _unique_titles(tasks: Sequence[EngineTask]) -> List[str]:
    titles = [task.label() for task in tasks]
    counts: Dict[str, int] = {}
    for title in titles:
        counts[title] = counts.get(title, 0) + 1
    return [
        title if counts[title] == 1 else "{} [task {}]".format(title, task.number)
        for title, task in zip(titles, tasks)
    ]


def _priority(payload: Mapping[str, Any]) -> float:
    priority = payload.get("priority", 5)
    if isinstance(priority, bool) or not isinstance(priority, (int, float)):
        raise InputError("expected a number, got {!r}".format(priority), field="priority")
    return float(priority)


class _TreeBuilder(object):
    """Task elements for a staged job; each task is written once, then ``Instance``."""

    def __init__(self, staged: StagedJob, environment: Mapping[str, str]) -> None:
        self.staged = staged
        self.environment = environment
        self.titles = _unique_titles(staged.tasks)
        self.written: Set[int] = set()

    def task(self, index: int, with_subtasks: bool) -> Task:
        engine_task = self.staged.tasks[index]
        env = dict(self.environment)
        env.update(engine_task.environment)
        element = Task(title=self.titles[index])
        for command in engine_task.commands:
            element.addCommand(Command(argv=command_argv(command, env)))
        if with_subtasks:
            for dep in self.staged.edges[index]:
                element.addChild(self.node(dep))
        return element

    def node(self, index: int) -> Any:
        if index in self.written:
            return Instance(title=self.titles[index])
        self.written.add(index)
        return self.task(index, with_subtasks=True)


def tractor_job(payload: Mapping[str, Any], service: Optional[str] = None) -> Job:
    """The ``author.Job`` for ``payload`` (see the module docstring)."""
    staged = stage_job(payload)
    environment = check_environment(payload.get("environment"), "environment")
    attributes: Dict[str, Any] = {
        "title": " ".join(str(payload.get("job_title") or "Farmhand job").split()),
        "priority": _priority(payload),
        "comment": "submitted by Farmhand",
    }
    project = str(payload.get("project") or "").strip()
    if project:
        attributes["projects"] = [project]
    if service:
        attributes["service"] = service
    job = Job(**attributes)
    builder = _TreeBuilder(staged, environment)
    explicit = any(task.depends_on for task in staged.tasks)
    scouts = [t.index for t in staged.tasks if t.scout]
    if not explicit and scouts and len(scouts) < len(staged.tasks):
        job.serialsubtasks = True
        first = job.newTask(title="Scout frames")
        rest = job.newTask(title="Frames")
        for task in staged.tasks:
            (first if task.scout else rest).addChild(builder.task(task.index, False))
        return job
    # Tasks no other task waits for are the job's children; the rest hang below them.
    needed = {dep for deps in staged.edges for dep in deps}
    for task in staged.tasks:
        if task.index not in needed:
            job.addChild(builder.node(task.index))
    return job


def tractor_script(payload: Mapping[str, Any], service: Optional[str] = None) -> str:
    """The job script (Tractor's ``.alf`` Tcl text) of ``payload``."""
    return tractor_job(payload, service).asTcl()
