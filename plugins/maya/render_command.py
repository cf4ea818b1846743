"""The command a farm task runs to render a chunk of a Maya job.

``Render -r <renderer> -s <chunkstart> -e <chunkend> -b <chunkstep> [-rl <layers>]
[-cam <camera>] -proj "<pdir>" <render_package>``: the renderer of the scene (``sw`` for
Maya Software... ``file`` for one Maya's ``Render`` has no short name for, which uses the
renderer saved in the scene), the chunk, the job's layers when it names them (without
``-rl``, ``Render`` renders every renderable layer of the package, as a job for all layers
should even when one is made renderable later), its camera when it names one, the project
(so relative paths resolve), then the package.
"""

import shlex
from typing import Dict, List

RENDERER_FLAGS: Dict[str, str] = {
    "mayaSoftware": "sw",
    "mayaHardware2": "hw2",
    "mayaVector": "vr",
    "arnold": "arnold",
    "redshift": "redshift",
    "vray": "vray",
    "renderman": "renderman",
}


def render_command(renderer: str, layers: List[str], camera: str = "") -> str:
    parts = [
        "Render -r " + RENDERER_FLAGS.get(renderer, "file"),
        "-s <chunkstart> -e <chunkend> -b <chunkstep>",
    ]
    if layers:
        parts.append("-rl " + shlex.quote(",".join(layers)))
    if camera:
        parts.append("-cam " + shlex.quote(camera))
    parts.append('-proj "<pdir>" <render_package>')
    return " ".join(parts)
