"""The ROPs a FarmhandJob renders: the nodes wired into its inputs, their frames and outputs.

Each input ROP is a source (``<sources>`` lists their paths). Its frames are its own
``Valid Frame Range``: ``trange`` off renders the current frame, on (or strict) renders
``f1``-``f2`` by ``f3``. Its output is the parm its type writes its images or files to
(``vm_picture`` for Mantra, ``RS_outputFileNamePrefix`` for Redshift...), read unexpanded with
the frame variables kept, so the folder is the same for every frame.
"""

import os
from typing import List, Optional, Sequence, Tuple, cast

import hou

from farmhand.core.frames import FrameSpec
from farmhand.plugins.houdini.paths import expand_path

# ROP type name (without namespace or version) -> the parm holding what it writes
OUTPUT_PARMS = {
    "ifd": "vm_picture",
    "karma": "picture",
    "usdrender_rop": "outputimage",
    "opengl": "picture",
    "Redshift_ROP": "RS_outputFileNamePrefix",
    "arnold": "ar_picture",
    "ris": "ri_display_0_name",
    "vray_renderer": "SettingsOutput_img_file_path",
    "octane_rop": "HO_img_fileName",
    "geometry": "sopoutput",
    "rop_geometry": "sopoutput",
    "alembic": "filename",
    "rop_alembic": "filename",
    "usd": "lopoutput",
    "usd_rop": "lopoutput",
    "comp": "copoutput",
    "rop_comp": "copoutput",
    "filmboxfbx": "sopoutput",
    "rop_fbx": "sopoutput",
}


def base_type_name(node: "hou.OpNode") -> str:
    """``Redshift_ROP`` for ``Redshift_ROP``, ``ris`` for ``ris::3.0``, ``karma`` for
    ``karma``: the type's name without namespace and version."""
    components = node.type().nameComponents()
    return components[2] if len(components) > 2 and components[2] else node.type().name()


def input_rops(job: "hou.OpNode") -> List["hou.OpNode"]:
    """The ROPs wired into ``job``, in input order, each once; empty inputs skipped."""
    found: List["hou.OpNode"] = []
    for node in job.inputs():
        if node is not None and all(node.path() != seen.path() for seen in found):
            found.append(node)
    return found


def rop_range(rop: "hou.OpNode") -> Tuple[int, int, int]:
    """(first, last, step) the ROP renders by itself (see the module docstring)."""
    trange = rop.parm("trange")
    values = rop.parmTuple("f")
    if values is None or (trange is not None and int(trange.eval()) == 0):
        frame = int(round(hou.frame()))
        return frame, frame, 1
    evaluated = cast(Sequence[float], values.eval())
    first, last, step = (int(round(float(v))) for v in evaluated[:3])
    return first, max(first, last), max(1, step)


def rop_frames(rop: "hou.OpNode") -> FrameSpec:
    first, last, step = rop_range(rop)
    return FrameSpec.from_progressions([(first, last, step)])


def is_rop(node: "hou.OpNode") -> bool:
    """A render node: in a ROP network (``Driver``), or a ROP inside SOPs/LOPs (``rop_*``,
    ``*_rop``)."""
    name = base_type_name(node)
    return (
        node.type().category().name() == "Driver"
        or name.startswith("rop_")
        or name.lower().endswith("_rop")
    )


def output_parm(rop: "hou.OpNode") -> Optional["hou.Parm"]:
    if not is_rop(rop):
        return None
    name = OUTPUT_PARMS.get(base_type_name(rop))
    if name is not None:
        parm = rop.parm(name)
        if parm is not None:
            return parm
    return None


def output_path(rop: "hou.OpNode") -> str:
    """The ROP's output, absolute, frame variables kept; empty when it writes nothing known."""
    parm = output_parm(rop)
    if parm is None:
        return ""
    text = parm.unexpandedString().strip()
    if not text or text in ("ip", "md") or text.startswith("op:"):  # ip, md: to MPlay
        return ""
    return expand_path(text)


def output_directory(rop: "hou.OpNode") -> str:
    path = output_path(rop)
    return os.path.dirname(path) if path else ""
