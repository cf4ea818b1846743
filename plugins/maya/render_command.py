"""The command a farm task runs to render a chunk of a Maya job.

``Render -r <renderer> -s <chunkstart> -e <chunkend> -b <chunkstep> [-rl <sources>]
-rd <directories> [-cam <camera>] -proj "<pdir>" <render_package>``: the renderer of the
scene (``sw`` for Maya Software... ``file`` for one Maya's ``Render`` has no short name for,
which uses the renderer saved in the scene), the chunk, the layer, the output folder, the
job's camera when it names one, the project (so relative paths resolve), then the package.

The layer is ``<sources>``, which holds the one layer of a job that renders the current
layer or one layer of a one-job-per-layer node. A job for every renderable layer has no
``-rl``: ``Render`` then renders every renderable layer of the package, which are the layers
the job lists (and a comma-separated list could not be a token's value).
"""

import shlex
from typing import Dict

from farmhand.plugins.maya.job_attributes import ALL_LAYERS

RENDERER_FLAGS: Dict[str, str] = {
    "mayaSoftware": "sw",
    "mayaHardware2": "hw2",
    "mayaVector": "vr",
    "arnold": "arnold",
    "redshift": "redshift",
    "vray": "vray",
    "renderman": "renderman",
}


def render_command(renderer: str, layer_mode: str, camera: str = "") -> str:
    parts = [
        "Render -r " + RENDERER_FLAGS.get(renderer, "file"),
        "-s <chunkstart> -e <chunkend> -b <chunkstep>",
    ]
    if layer_mode != ALL_LAYERS:
        parts.append("-rl <sources>")
    parts.append("-rd <directories>")
    if camera:
        parts.append("-cam " + shlex.quote(camera))
    parts.append('-proj "<pdir>" <render_package>')
    return " ".join(parts)
