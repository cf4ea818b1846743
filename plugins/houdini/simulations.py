"""Which input ROPs are simulations: rendered as one task over the whole frame range.

A simulation's frame N needs frames 1..N-1 computed in the same session (a DOP network steps
forward frame by frame), so it cannot be split into chunks on different machines: it is one
task, and every render chunk reading its cache waits for it
(``farmhand.core.host.source_dependencies``). The choice is automatic and overridden per ROP
by two parameters of the FarmhandJob ROP, each a list of input ROP paths:
``Simulations (one task for all frames)`` and ``Chunked ROPs (not simulations)``.

The automatic choice is deliberately simple: a Geometry ROP (``geometry`` in ROP networks,
its SOP named by ``soppath``; ``rop_geometry`` inside SOPs, its SOP being its first input)
is a simulation when that SOP leads to a DOP network: going up the SOPs' inputs, a node whose
children are DOPs (``childTypeCategory``: a DOP Network SOP, or a solver built on one), or a
node with a ``doppath`` parm (DOP Import, DOP I/O) naming a DOP network. The walk stays in the
SOP network: an Object Merge of a simulated object, a Fetch ROP of a cache, or a render ROP is
chunked unless the artist lists it. A ROP that a simulation waits for is one task too
(``source_dependencies.whole_range_sources``).
"""

from typing import Dict, List, Optional, Sequence, Set

import hou

from farmhand.core.host import HostError
from farmhand.plugins.houdini.parms import CHUNKED_PARM, SIMULATION_PARM, split_list
from farmhand.plugins.houdini.rops import base_type_name

DOP_CATEGORY = "Dop"
DOP_PATH_PARM = "doppath"  # DOP Import / DOP I/O SOPs: the DOP network they read


def cached_sop(rop: "hou.OpNode") -> Optional["hou.OpNode"]:
    """The SOP a Geometry ROP writes (see the module docstring); None for other ROPs."""
    name = base_type_name(rop)
    if name == "geometry":
        parm = rop.parm("soppath")
        path = str(parm.eval()).strip() if parm is not None else ""
        return rop.node(path) if path else None
    if name == "rop_geometry":
        inputs = [node for node in rop.inputs() if node is not None]
        return inputs[0] if inputs else None
    return None


def is_dop_network(node: "hou.OpNode") -> bool:
    category = node.childTypeCategory()
    return category is not None and category.name() == DOP_CATEGORY


def leads_to_dop_network(sop: "hou.OpNode") -> bool:
    """Whether ``sop`` or a node upstream of it is, or reads, a DOP network."""
    seen: Set[str] = set()
    waiting: List["hou.OpNode"] = [sop]
    while waiting:
        node = waiting.pop()
        if node.path() in seen:
            continue
        seen.add(node.path())
        if is_dop_network(node):
            return True
        parm = node.parm(DOP_PATH_PARM)
        if parm is not None:
            target = node.node(str(parm.eval()).strip() or ".")
            if target is not None and target.path() != node.path() and is_dop_network(target):
                return True
        waiting.extend(source for source in node.inputs() if source is not None)
    return False


def detected_simulation(rop: "hou.OpNode") -> bool:
    """The automatic choice (see the module docstring)."""
    sop = cached_sop(rop)
    return sop is not None and leads_to_dop_network(sop)


def simulation_overrides(job: "hou.OpNode", rop_paths: Sequence[str]) -> Dict[str, bool]:
    """ROP path -> whether it is a simulation, as the job's two override parms say; a path
    that is not a ROP the job renders, or listed in both, is a ``HostError`` naming the parm
    and the valid choices."""
    overrides: Dict[str, bool] = {}
    for parm_name, simulation in ((SIMULATION_PARM, True), (CHUNKED_PARM, False)):
        parm = job.parm(parm_name)
        if parm is None:  # a FarmhandJob ROP from before the parms existed
            continue
        for path in split_list(parm.unexpandedString()):
            if path not in rop_paths:
                raise HostError(
                    "{} is not a ROP this job renders; choose from: {}".format(
                        path, ", ".join(rop_paths) or "(no ROP is wired into the job)"
                    ),
                    "{} of {}".format(parm_name, job.path()),
                )
            if overrides.get(path, simulation) != simulation:
                raise HostError(
                    "{} is listed as a simulation and as chunked; keep it in one of {} and "
                    "{}".format(path, SIMULATION_PARM, CHUNKED_PARM),
                    "{} of {}".format(parm_name, job.path()),
                )
            overrides[path] = simulation
    return overrides


def simulation_rops(job: "hou.OpNode", rops: Sequence["hou.OpNode"]) -> List[str]:
    """The paths of ``rops`` (every ROP the job renders) rendered as one task."""
    paths = [rop.path() for rop in rops]
    overrides = simulation_overrides(job, paths)
    return [
        path
        for path, rop in zip(paths, rops)
        if (overrides[path] if path in overrides else detected_simulation(rop))
    ]
