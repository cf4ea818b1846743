"""Input ROPs as task dependencies: a ROP the job renders waits for the ROPs wired into it.

In a ROP network a ROP's inputs render before it (a geometry cache before the Mantra ROP that
reads it): Houdini's own ``render()`` follows the inputs. On a farm that order becomes task
dependencies. Every ROP upstream of the job's inputs gets tasks of its own, one per chunk of
the job in which it renders a frame, and each task ``depends_on`` the tasks of its input ROPs
for the same chunk (frame for frame, as Houdini renders a chain frame by frame); each task
renders only its own ROP (``ignore_inputs``: its inputs are other tasks). A job whose ROPs
have no ROP inputs keeps one task per chunk rendering every ROP (``render_command``).

Plain data in, plain data out (no ``hou``): the adapter supplies the ROPs' dependency order,
their frames and the tasks the job model generated for each ROP alone.
"""

from typing import Any, Callable, Dict, List, Sequence, Tuple, TypeVar

from farmhand.core.frames import FrameSpec
from farmhand.core.host import HostError

Rop = TypeVar("Rop")
Task = Dict[str, Any]


def dependency_order(
    roots: Sequence[Rop], inputs_of: Callable[[Rop], List[Rop]], path_of: Callable[[Rop], str]
) -> List[Tuple[Rop, List[Rop]]]:
    """Every ROP ``roots`` render with the input ROPs each waits for, inputs first (depth
    first, inputs in wiring order, as Houdini renders them), each ROP once."""
    order: List[Tuple[Rop, List[Rop]]] = []
    done: Dict[str, bool] = {}

    def visit(rop: Rop, trail: Tuple[str, ...]) -> None:
        path = path_of(rop)
        if path in done:
            return
        if path in trail:  # Houdini refuses such wiring; a scene edited by a script may not
            raise HostError(
                "the ROPs {} are wired in a loop; no order renders them".format(
                    " -> ".join(trail[trail.index(path) :] + (path,))
                ),
                "input ROPs",
            )
        inputs = inputs_of(rop)
        for source in inputs:
            visit(source, trail + (path,))
        done[path] = True
        order.append((rop, inputs))

    for root in roots:
        visit(root, ())
    return order


def has_dependencies(order: Sequence[Tuple[Any, List[Any]]]) -> bool:
    return any(inputs for _, inputs in order)


def dependent_tasks(
    paths: Sequence[str],
    inputs: Sequence[Sequence[str]],
    frames: Sequence[FrameSpec],
    tasks_per_rop: Sequence[Sequence[Task]],
) -> List[Task]:
    """The job's tasks: for each chunk, one task per ROP (``paths``, inputs first) that
    renders a frame of it, depending on its input ROPs' tasks of that chunk.

    ``tasks_per_rop[k]`` are the tasks the job model made for ``paths[k]`` alone (the same
    chunks for every ROP); ``frames[k]`` the frames the ROP renders; ``inputs[k]`` the paths
    of its input ROPs. A task's ``frames`` are the chunk's frames the ROP renders.
    """
    counts = {len(tasks) for tasks in tasks_per_rop}
    if len(counts) != 1:
        raise ValueError("every ROP needs the same chunks, got {}".format(sorted(counts)))
    position = {path: k for k, path in enumerate(paths)}
    index: Dict[Tuple[int, int], int] = {}
    tasks: List[Task] = []
    for chunk in range(counts.pop()):
        for k in range(len(paths)):
            made = tasks_per_rop[k][chunk]
            rendered = FrameSpec.parse(str(made["frames"])).intersection(frames[k])
            if not rendered:
                continue
            task: Task = {"command": made["command"], "frames": str(rendered)}
            waits = [
                index[(position[source], chunk)]
                for source in inputs[k]
                if (position[source], chunk) in index
            ]
            if waits:
                task["depends_on"] = waits
            index[(k, chunk)] = len(tasks)
            tasks.append(task)
    return tasks
