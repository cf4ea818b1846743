"""Sources that wait for other sources: a host's render graph as task dependencies.

Some hosts render a graph: a Houdini ROP renders its input ROPs first (a geometry cache before
the Mantra ROP that reads it). On a farm that order becomes task dependencies: every source of
the graph gets tasks of its own, one per chunk of the job in which it renders a frame, and
each task ``depends_on`` its inputs' tasks for the same chunk (frame for frame, as a host
renders a chain frame by frame). ``build_with_dependencies`` does it for an adapter: the job
model makes each source's tasks from the job's own template (the source alone in
``<sources>``), and the job is built from those tasks. A graph without edges is left to the
usual build (one task per chunk rendering every source).

A source marked ``whole_range`` (a simulation: each frame needs every earlier one, so it
cannot be split over machines) is one task instead, whose frames are the job's whole range and
whose command renders that range at once (the template's chunk tokens span it); every task
that waits for it waits for that one task. Its inputs are whole-range too: a simulation starts
only when they are complete anyway, and a chunk of them held by the scouts would hold the
simulation, which, holding every frame, is always a scout itself (so it runs first, never
held). Whole-range tasks come first in the job, inputs first.

Host-neutral: the adapter supplies its sources' order, inputs and frames.
"""

from dataclasses import replace
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, TypeVar

from farmhand.core.catalogue import Catalogue
from farmhand.core.frames import FrameSpec
from farmhand.core.host.adapter import HostAdapter, with_upload
from farmhand.core.host.errors import HostError
from farmhand.core.host.job_node import JobNode
from farmhand.core.job.build import build_submission
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission

Node = TypeVar("Node")
Task = Dict[str, Any]


class DependentSource(NamedTuple):
    """One source of a render graph: its name (``<sources>``), the sources it waits for and
    the frames it renders."""

    name: str
    inputs: Sequence[str]
    frames: FrameSpec
    whole_range: bool = False


def whole_range_sources(sources: Sequence[DependentSource]) -> List[str]:
    """The names of the sources rendered as one task: the ones marked ``whole_range`` and,
    transitively, every source they wait for (see the module docstring)."""
    by_name = {source.name: source for source in sources}
    whole: List[str] = []
    waiting = [source.name for source in sources if source.whole_range]
    while waiting:
        name = waiting.pop()
        if name in whole:
            continue
        whole.append(name)
        waiting.extend(by_name[name].inputs if name in by_name else ())
    return [source.name for source in sources if source.name in whole]


def dependency_order(
    roots: Sequence[Node],
    inputs_of: Callable[[Node], List[Node]],
    path_of: Callable[[Node], str],
    what: str = "inputs",
) -> List[Tuple[Node, List[Node]]]:
    """Every node ``roots`` render with the input nodes each waits for, inputs first (depth
    first, inputs in wiring order, as Houdini renders them), each node once; a loop is a
    ``HostError`` of ``what`` naming it."""
    order: List[Tuple[Node, List[Node]]] = []
    done: Dict[str, bool] = {}

    def visit(node: Node, trail: Tuple[str, ...]) -> None:
        path = path_of(node)
        if path in done:
            return
        if path in trail:  # Houdini refuses such wiring; a scene edited by a script may not
            raise HostError(
                "{} are wired in a loop; no order renders them".format(
                    " -> ".join(trail[trail.index(path) :] + (path,))
                ),
                what,
            )
        inputs = inputs_of(node)
        for source in inputs:
            visit(source, trail + (path,))
        done[path] = True
        order.append((node, inputs))

    for root in roots:
        visit(root, ())
    return order


def dependent_tasks(
    sources: Sequence[DependentSource], tasks_per_source: Sequence[Sequence[Task]]
) -> List[Task]:
    """The job's tasks: first one task per whole-range source (inputs first), then for each
    chunk one task per other source (inputs first) that renders a frame of it, depending on
    its inputs' tasks of that chunk or their one whole-range task.

    ``tasks_per_source[k]`` are the tasks the job model made for ``sources[k]`` alone: the
    same chunks for every chunked source, one task over the job's frames for a whole-range
    one (``whole_range_sources``). A source that renders no frame of a chunk has no task
    there. A task's ``frames`` are its chunk's, as for a task rendering every source: the
    command renders only the source's own frames of them, and a chunk holding a scout frame
    then makes every task of the chunk a scout, so no scout waits for a held input.
    """
    whole = set(whole_range_sources(sources))
    chunked = [k for k, source in enumerate(sources) if source.name not in whole]
    counts = {len(tasks_per_source[k]) for k in chunked}
    if len(counts) > 1:
        raise ValueError("every source needs the same chunks, got {}".format(sorted(counts)))
    for k, source in enumerate(sources):
        if source.name in whole and len(tasks_per_source[k]) != 1:
            raise ValueError(
                "the whole-range source {} needs one task, got {}".format(
                    source.name, len(tasks_per_source[k])
                )
            )
    position = {source.name: k for k, source in enumerate(sources)}
    once: Dict[int, int] = {}  # whole-range source -> its task
    index: Dict[Tuple[int, int], int] = {}  # (chunked source, chunk) -> its task
    tasks: List[Task] = []

    def add(k: int, made: Task, waits: List[int]) -> Optional[int]:
        if FrameSpec.parse(str(made["frames"])).isdisjoint(sources[k].frames):
            return None
        task: Task = {"command": made["command"], "frames": made["frames"]}
        if waits:
            task["depends_on"] = waits
        tasks.append(task)
        return len(tasks) - 1

    for k, source in enumerate(sources):
        if source.name in whole:
            waits = [once[position[name]] for name in source.inputs if position[name] in once]
            added = add(k, tasks_per_source[k][0], waits)
            if added is not None:
                once[k] = added
    for chunk in range(counts.pop() if counts else 0):
        for k in chunked:
            waits = []
            for name in sources[k].inputs:
                waited = position[name]
                if waited in once:
                    waits.append(once[waited])
                elif (waited, chunk) in index:
                    waits.append(index[(waited, chunk)])
            added = add(k, tasks_per_source[k][chunk], waits)
            if added is not None:
                index[(k, chunk)] = added
    return tasks


def build_with_dependencies(
    adapter: HostAdapter,
    node: JobNode,
    settings: JobSettings,
    catalogue: Optional[Catalogue],
    sources: Sequence[DependentSource],
) -> Submission:
    """``node``'s submission with a task per source and chunk, each waiting for its inputs'
    (see the module docstring): the render package written and uploaded as ``build`` does,
    each source's tasks made from the job's template with that source alone (no scan: only
    the commands are kept; a whole-range source's as one chunk of every frame), then the job
    built from those tasks. Bad frames or a bad
    template are reported by the usual build."""
    package = adapter.render_package_path(node)
    adapter.save_render_package(package)
    context = adapter.context(node, package, catalogue, adapter.job_frames(settings, node))
    settings = with_upload(settings, package)
    alone = replace(settings, dependency_scan_policy="none", upload_paths=[])
    whole = whole_range_sources(sources)
    tasks_per_source = []
    for source in sources:
        one = build_submission(alone, replace(context, sources=[source.name]), catalogue)
        if one.plan is None or not one.tasks:
            return build_submission(settings, context, catalogue)
        if source.name in whole:  # one chunk of every frame (linear keeps it one)
            at_once = replace(
                alone,
                chunk_size=max(1, len(one.plan.frames)),
                chunk_strategy="linear",
                best_chunk_size=False,
                tiles=1,
            )
            one = build_submission(at_once, replace(context, sources=[source.name]), catalogue)
        tasks_per_source.append(one.tasks)
    tasks = dependent_tasks(sources, tasks_per_source)
    return build_submission(replace(settings, tasks_data=tasks), context, catalogue)
