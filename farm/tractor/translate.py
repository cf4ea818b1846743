"""Turns a Tractor task tree into the farm's job model: tasks, dependency edges, commands.

Tractor's rules, expressed as ``depends_on`` edges between farm tasks:

* a task runs after all its subtasks (a parent waits for its children);
* siblings run in parallel, unless their parent has ``serialsubtasks``: then every task in
  a child's subtree waits until the previous child (its whole subtree) is complete;
* ``Instance {title}`` makes its parent wait for the task with that title as well;
* a task's commands run one after the other (the farm runs a task's command list in order).

A task without commands only groups others: it becomes no farm task, and whoever waits for
it waits for its children instead. Edges are placed on the first tasks of a subtree that can
start (its leaves), which is enough because everything above them waits for them.

Options about where a command may run (service keys, envkeys, tags, slots) mean nothing on a
one-machine farm and are kept with the job as metadata. Options the farm cannot honour
(``UNSUPPORTED``: a paused or delayed job, waiting for other jobs, cleanup and postscript
commands, ``-expand``) refuse the job rather than run it differently than written.
"""

from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from farmhand.farm.model import Command, JobSpec, TaskSpec
from farmhand.farm.tractor.errors import JobScriptError
from farmhand.farm.tractor.tree import (
    ScriptCommand,
    ScriptInstance,
    ScriptJob,
    ScriptTask,
    Where,
)

Node = Union[ScriptTask, ScriptInstance]
DEFAULT_PRIORITY = 5
# Job options kept with the job for listings, not acted on by a one-machine farm.
RECORDED_JOB_OPTIONS = (
    "service",
    "envkey",
    "tags",
    "projects",
    "crews",
    "tier",
    "spoolcwd",
    "comment",
    "metadata",
    "editpolicy",
    "atleast",
    "atmost",
    "maxactive",
    "etalevel",
    "priority",
)


# What the local farm cannot honour. Running such a job anyway would do something the script
# did not ask for (start a paused or delayed job now, skip its cleanup), so it is refused.
UNSUPPORTED = {
    "paused": "it cannot hold a job until it is unpaused",
    "after": "it cannot delay a job until a given time",
    "afterjids": "it cannot make a job wait for other jobs",
    "cleanup": "it does not run cleanup commands",
    "postscript": "it does not run postscript commands",
}


def _unsupported(operator: str, name: str, shown: str, where: Where) -> JobScriptError:
    return _error(
        "{} -{} {} is not supported on the local farm ({}); remove it, or spool to a Tractor"
        " engine (TRACTOR_ENGINE)".format(operator, name, shown, UNSUPPORTED[name]),
        where,
        "-" + name,
    )


def _refuse_unsupported(job: ScriptJob, tasks: Sequence[ScriptTask]) -> None:
    for name in ("paused", "after", "afterjids"):
        if job.options.get(name):
            raw = job.raw[name]
            shown = raw if raw and not any(char.isspace() for char in raw) else "{%s}" % raw
            raise _unsupported("Job", name, shown, job.at[name])
    if job.cleanup:
        raise _unsupported("Job", "cleanup", "{...}", job.at["cleanup"])
    if job.postscript:
        raise _unsupported("Job", "postscript", "{...}", job.at["postscript"])
    for task in tasks:
        if task.cleanup:
            raise _unsupported("Task", "cleanup", "{...}", task.at["cleanup"])


def _error(message: str, where: Where, word: Optional[str] = None) -> JobScriptError:
    return JobScriptError(message, where.line, where.column, word)


class _Translator(object):
    def __init__(self, job: ScriptJob) -> None:
        self.job = job
        self.tasks: List[ScriptTask] = []  # every task, in script order
        self.by_title: Dict[str, List[ScriptTask]] = {}
        self.index: Dict[int, int] = {}  # id(ScriptTask) -> farm task index
        self.order: List[ScriptTask] = []  # farm tasks, children before parents
        self.depends: Dict[int, Set[int]] = {}
        self.instance_edges: Dict[Tuple[int, int], ScriptInstance] = {}
        self._completion: Dict[int, Tuple[int, ...]] = {}
        self._resolving: Set[int] = set()

    # -- collecting --------------------------------------------------------------------
    def collect(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            if isinstance(node, ScriptTask):
                self.tasks.append(node)
                self.by_title.setdefault(node.title, []).append(node)
                for command in node.commands:
                    if command.options.get("expand"):
                        raise _error(
                            "{} -expand 1 (tasks generated while the job runs) is not supported"
                            " on the local farm".format("Cmd" if command.local else "RemoteCmd"),
                            command.where,
                            "-expand",
                        )
                self.collect(node.children)

    def check_instances(self, nodes: Sequence[Node], ancestors: Tuple[int, ...] = ()) -> None:
        """Every Instance names one task, and not one of its own ancestors."""
        for node in nodes:
            if isinstance(node, ScriptInstance):
                if id(self.referenced(node)) in ancestors:
                    raise _error(
                        "Instance {!r} refers to a task that contains it, so it would wait for"
                        " itself".format(node.title),
                        node.where,
                        node.title,
                    )
            else:
                self.check_instances(node.children, ancestors + (id(node),))

    def number(self, nodes: Sequence[Node]) -> None:
        """Farm indices in post-order: a task's children come before it."""
        for node in nodes:
            if isinstance(node, ScriptTask):
                self.number(node.children)
                if node.commands:
                    self.index[id(node)] = len(self.order)
                    self.order.append(node)
                    self.depends[id(node)] = set()

    # -- what "done" means ---------------------------------------------------------------
    def referenced(self, instance: ScriptInstance) -> ScriptTask:
        matches = self.by_title.get(instance.title, [])
        if not matches:
            titles = sorted(self.by_title)
            shown = ", ".join(repr(title) for title in titles[:10])
            more = " and {} more".format(len(titles) - 10) if len(titles) > 10 else ""
            raise _error(
                "Instance {!r} refers to no task; task titles in this job: {}{}".format(
                    instance.title, shown or "none", more
                ),
                instance.where,
                instance.title,
            )
        if len(matches) > 1:
            raise _error(
                "Instance {!r} is ambiguous: {} tasks have this title (lines {})".format(
                    instance.title,
                    len(matches),
                    ", ".join(str(task.where.line) for task in matches),
                ),
                instance.where,
                instance.title,
            )
        return matches[0]

    def completion(self, node: Node) -> Tuple[int, ...]:
        """The farm tasks whose success means ``node`` is done."""
        if isinstance(node, ScriptInstance):
            target = self.referenced(node)
            if id(target) in self._resolving:
                raise _error(
                    "Instance {!r} refers to a task that contains it, so it would wait for"
                    " itself".format(node.title),
                    node.where,
                    node.title,
                )
            return self.completion(target)
        key = id(node)
        if key in self.index:
            return (self.index[key],)
        if key not in self._completion:
            self._resolving.add(key)
            done: List[int] = []
            for child in node.children:
                done.extend(self.completion(child))
            self._resolving.discard(key)
            self._completion[key] = tuple(sorted(set(done)))
        return self._completion[key]

    # -- edges -----------------------------------------------------------------------------
    def has_farm_task_below(self, task: ScriptTask) -> bool:
        for child in task.children:
            if isinstance(child, ScriptTask) and (
                id(child) in self.index or self.has_farm_task_below(child)
            ):
                return True
        return False

    def link(self, nodes: Sequence[Node], serial: bool, before: Iterable[int]) -> None:
        """Edges for ``nodes`` (siblings) that must wait for ``before`` to be done."""
        waiting = set(before)
        for node in nodes:
            if isinstance(node, ScriptInstance):
                done = self.completion(node)
            else:
                key = id(node)
                if key in self.index:
                    for child in node.children:
                        for dep in self.completion(child):
                            self.depends[key].add(dep)
                            if isinstance(child, ScriptInstance):
                                self.instance_edges[(self.index[key], dep)] = child
                    if not self.has_farm_task_below(node):
                        self.depends[key].update(waiting)
                self.link(node.children, node.serialsubtasks, waiting)
                done = self.completion(node)
            if serial and done:
                waiting = set(before) | set(done)

    def check_acyclic(self) -> None:
        edges = {self.index[id(task)]: self.depends[id(task)] for task in self.order}
        state: Dict[int, int] = {}  # 1 = on the path, 2 = done
        path: List[int] = []

        def visit(start: int) -> None:
            stack = [(start, iter(sorted(edges[start])))]
            state[start] = 1
            path.append(start)
            while stack:
                current, deps = stack[-1]
                advanced = False
                for dep in deps:
                    if state.get(dep) == 1:
                        self.cycle_error(path[path.index(dep) :] + [dep])
                    if dep not in state:
                        state[dep] = 1
                        path.append(dep)
                        stack.append((dep, iter(sorted(edges[dep]))))
                        advanced = True
                        break
                if not advanced:
                    state[current] = 2
                    path.pop()
                    stack.pop()

        for task in range(len(self.order)):
            if task not in state:
                visit(task)

    def cycle_error(self, cycle: List[int]) -> None:
        titles = " waits for ".join(repr(self.order[index].title) for index in cycle)
        for waiter, dep in zip(cycle, cycle[1:]):
            instance = self.instance_edges.get((waiter, dep))
            if instance is not None:
                raise _error(
                    "Instance {!r} makes tasks wait for each other in a cycle: {}".format(
                        instance.title, titles
                    ),
                    instance.where,
                    instance.title,
                )
        first = self.order[cycle[0]]
        raise _error("tasks wait for each other in a cycle: " + titles, first.where, first.title)


def _command(command: ScriptCommand) -> Command:
    return Command(argv=tuple(command.argv))


def to_job_spec(
    job: ScriptJob, owner: str = "", script: str = "", spool: Optional[Dict[str, str]] = None
) -> JobSpec:
    """The farm job for a parsed Tractor job; ``JobScriptError`` for trees the farm cannot run."""
    translator = _Translator(job)
    translator.collect(job.children)
    _refuse_unsupported(job, translator.tasks)
    translator.check_instances(job.children)
    translator.number(job.children)
    if not translator.order:
        raise _error("the job has no commands to run (no task has -cmds)", job.where, "Job")
    translator.link(job.children, job.serialsubtasks, ())
    translator.check_acyclic()
    tasks = tuple(
        TaskSpec(
            commands=tuple(_command(command) for command in task.commands),
            title=task.title,
            depends_on=tuple(sorted(translator.depends[id(task)])),
        )
        for task in translator.order
    )
    metadata = {
        "tractor." + name: _text(job.options[name])
        for name in RECORDED_JOB_OPTIONS
        if name in job.options
    }
    if job.dirmaps:
        metadata["tractor.dirmaps"] = " ".join(
            "{}={}@{}".format(item.src, item.dst, item.zone) for item in job.dirmaps
        )
    priority = job.options.get("priority")
    record: Dict[str, Any] = {"script": script, "spool": dict(spool or {})}
    return JobSpec(
        tasks=tasks,
        title=job.title,
        priority=int(round(priority)) if priority is not None else DEFAULT_PRIORITY,
        owner=owner,
        metadata=metadata,
        payload={"tractor": record},
        kind="tractor",
    )


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)
