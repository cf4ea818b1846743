"""The command each application's job runs on the local farm, per chunk of frames.

The scene is the uploaded copy (``$FARMHAND_INPUTS/<project>/...``: the farm places a job's
files there, by their remote path), results go to the job's folder under the farm job's
output path. Each chunk is one arithmetic progression of frames (``start``, ``end``,
``step``), which every renderer below takes as a range.
"""

import shlex
from typing import Any, Callable, Dict, NamedTuple

from farmhand.core.frames import Chunk

BLENDER_FORMATS = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "exr": "OPEN_EXR",
    "openexr": "OPEN_EXR",
    "open_exr": "OPEN_EXR",
    "multilayer": "OPEN_EXR_MULTILAYER",
    "tif": "TIFF",
    "tiff": "TIFF",
    "bmp": "BMP",
    "tga": "TARGA",
    "targa": "TARGA",
    "hdr": "HDR",
}
BLENDER_ENGINES = {
    "cycles": "CYCLES",
    "eevee": "BLENDER_EEVEE",
    "workbench": "BLENDER_WORKBENCH",
}


class TaskContext(NamedTuple):
    scene: str  # the scene's path on the farm, shell-ready (``"$FARMHAND_INPUTS"/...``)
    output_dir: str  # the job's results folder on the farm (absolute)
    params: Dict[str, Any]
    scene_stem: str = "render"  # the scene's file name without extension (``sample``)


def inputs_path(remote_path: str) -> str:
    """A remote path (``/proj/scene.blend``) as the farm sees the uploaded copy, quoted for
    ``/bin/sh``: the variable expands, the path stays one word."""
    return '"$FARMHAND_INPUTS"' + shlex.quote(remote_path)


def _q(text: str) -> str:
    return shlex.quote(text)


def _out(context: TaskContext, prefix_key: str = "output_prefix") -> str:
    return "{}/{}".format(context.output_dir, context.params[prefix_key])


def blender(context: TaskContext, chunk: Chunk) -> str:
    params = context.params
    fmt = params["output_format"]
    words = ["blender", "-b", context.scene, "-o", _q(_out(context) + "####")]
    words += ["-F", BLENDER_FORMATS.get(fmt.lower(), fmt.upper())]
    engine = params.get("engine")
    if engine:
        words += ["-E", BLENDER_ENGINES.get(engine.lower(), engine.upper())]
    words += ["-s", str(chunk.start), "-e", str(chunk.end), "-j", str(chunk.step), "-a"]
    return " ".join(words)


def cinema4d(context: TaskContext, chunk: Chunk) -> str:
    """C4D's ``Commandline``. Without ``output_prefix`` (the seed's own example passes none)
    the images are named after the scene, as C4D names them when the scene sets no path."""
    params = context.params
    image = "{}/{}".format(context.output_dir, params.get("output_prefix") or context.scene_stem)
    words = ["Commandline", "-nogui", "-render", context.scene]
    words += ["-frame", str(chunk.start), str(chunk.end), str(chunk.step)]
    words += ["-oimage", _q(image), "-oformat", _q(params["output_format"].upper())]
    words += ["-oresolution", str(params["output_width"]), str(params["output_height"])]
    if params.get("output_multipass_prefix"):
        words += ["-omultipass", _q(_out(context, "output_multipass_prefix"))]
    return " ".join(words)


# hython runs this with: scene, ROP path, start, end, step, output dir, take, output parm.
HOUDINI_SCRIPT = (
    "import os, sys, hou; a = sys.argv[1:]; hou.hipFile.load(a[0], ignore_load_warnings=True)\n"
    "if a[6]: hou.takes.setCurrentTake(hou.takes.findTake(a[6]))\n"
    "rop = hou.node(a[1])\n"
    "if rop is None: sys.exit('no ROP ' + a[1])\n"
    "if a[7]:\n"
    "    parm = rop.parm(a[7]); name = os.path.basename(parm.unexpandedString())\n"
    "    parm.set(os.path.join(a[5], name))\n"
    "rop.render(frame_range=(int(a[2]), int(a[3]), int(a[4])), verbose=True)\n"
)


def houdini(context: TaskContext, chunk: Chunk) -> str:
    params = context.params
    words = ["hython", "-c", _q(HOUDINI_SCRIPT), context.scene, _q(params["rop_nodepath"])]
    words += [str(chunk.start), str(chunk.end), str(chunk.step), _q(context.output_dir)]
    words += [_q(params.get("take") or ""), _q(params.get("disk_output_path_parm") or "")]
    return " ".join(words)


def maya(context: TaskContext, chunk: Chunk) -> str:
    params = context.params
    words = ["Render"]
    if params.get("renderer"):
        words += ["-r", _q(params["renderer"])]
    words += ["-s", str(chunk.start), "-e", str(chunk.end), "-b", str(chunk.step)]
    words += ["-x", str(params["output_width"]), "-y", str(params["output_height"])]
    words += ["-of", _q(params["output_format"]), "-im", _q(params["output_prefix"])]
    words += ["-rd", _q(context.output_dir)]
    if params.get("camera"):
        words += ["-cam", _q(params["camera"])]
    words.append(context.scene)
    return " ".join(words)


def nuke(context: TaskContext, chunk: Chunk) -> str:
    frames = "{}-{}x{}".format(chunk.start, chunk.end, chunk.step)
    return " ".join(["nuke", "-x", "-F", frames, context.scene])


def vray(context: TaskContext, chunk: Chunk) -> str:
    params = context.params
    if chunk.step == 1:
        frames = "{}-{}".format(chunk.start, chunk.end)
    else:
        frames = ";".join(str(f) for f in range(chunk.start, chunk.end + 1, chunk.step))
    image = "{}.{}".format(_out(context), params["output_format"].lower().lstrip("."))
    words = ["vray", "-display=0", "-sceneFile=" + context.scene, "-imgFile=" + _q(image)]
    words += ["-imgWidth={}".format(params["output_width"])]
    words += ["-imgHeight={}".format(params["output_height"]), _q("-frames=" + frames)]
    if "rt_engine" in params:
        words.append("-rtEngine={}".format(params["rt_engine"]))
    if params.get("remap_file"):
        words.append("-remapPathFile=" + inputs_path(params["remap_file"]))
    return " ".join(words)


COMMANDS: Dict[str, Callable[[TaskContext, Chunk], str]] = {
    "blender": blender,
    "c4d": cinema4d,
    "hou": houdini,
    "maya": maya,
    "nuke": nuke,
    "vray": vray,
}
