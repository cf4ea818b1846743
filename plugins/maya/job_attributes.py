"""The farmhandJob node's attributes: one table read by the node type and the job node.

The Attribute Editor is where a Maya artist edits a job, so the settings an artist changes
most are attributes of their own, mirrored from ``JobSettings`` (see
``farmhand.core.host.job_node``; Maya spells them in camelCase); everything else lives only in
the JSON of ``farmhand_settings`` and is edited in the shared submitter. Three attributes are
Maya's own: which render layers the job renders (``renderLayerMode``), the camera, and the
task template Farmhand last wrote (so an untouched template follows the scene). The table is
plain data (no ``maya``), so ``node_type`` builds the attributes from it with Maya's API and
the tests check it without Maya.
"""

from typing import NamedTuple, Tuple

from farmhand.core.deps.resolve import SCAN_POLICIES
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE

# kinds: the Maya attribute type that holds the value
STRING = "string"  # a typed attribute holding string data
BOOL = "bool"  # a numeric attribute of type boolean
LONG = "long"  # a numeric attribute of type int (Maya's long)
ENUM = "enum"  # an enum attribute: the value is the index of the setting in ``choices``

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# renderLayerMode: what a job renders, by index (the order of the Attribute Editor's menu)
CURRENT_LAYER = "current"
ALL_LAYERS = "all"
ONE_JOB_PER_LAYER = "perLayer"
LAYER_MODES = (CURRENT_LAYER, ALL_LAYERS, ONE_JOB_PER_LAYER)
LAYER_MODE_LABELS = (
    "Current Layer",
    "All Renderable Layers (one job)",
    "One Job per Renderable Layer",
)


class JobAttribute(NamedTuple):
    """One attribute of the node; ``field`` is the ``JobSettings`` field it mirrors ("" for
    Maya's own attributes)."""

    name: str
    short_name: str
    kind: str
    nice_name: str
    field: str = ""
    choices: Tuple[str, ...] = ()  # ENUM: the setting values, by index
    labels: Tuple[str, ...] = ()  # ENUM: what the Attribute Editor's menu shows
    minimum: int = 0  # LONG: the smallest value the Attribute Editor offers
    hidden: bool = False  # kept out of the Attribute Editor and the Channel Box
    default: int = 0  # BOOL, LONG, ENUM: a new node's value (an ENUM's index)


SETTINGS = JobAttribute(SETTINGS_ATTRIBUTE, "fhs", STRING, "Settings (JSON)", hidden=True)
RENDER_LAYER_MODE = JobAttribute(
    "renderLayerMode",
    "rlm",
    ENUM,
    "Render Layers",
    choices=LAYER_MODES,
    labels=LAYER_MODE_LABELS,
    default=LAYER_MODES.index(ALL_LAYERS),
)
CAMERA = JobAttribute("camera", "cam", STRING, "Camera")
DEFAULT_TEMPLATE = JobAttribute(
    "farmhandDefaultTemplate", "fdt", STRING, "Farmhand's Task Template", hidden=True
)

MIRRORED: Tuple[JobAttribute, ...] = (
    JobAttribute("jobTitle", "jt", STRING, "Title", "job_title"),
    JobAttribute("project", "prj", STRING, "Project", "project"),
    JobAttribute("instanceType", "ity", STRING, "Instance Type", "instance_type"),
    JobAttribute("preemptible", "pre", BOOL, "Preemptible", "preemptible"),
    JobAttribute("retries", "rty", LONG, "Retries", "retries"),
    JobAttribute("useCustomFrames", "ucf", BOOL, "Use Custom Frames", "use_custom_frames"),
    JobAttribute("frames", "frm", STRING, "Custom Frames", "frames"),
    JobAttribute("chunkSize", "chs", LONG, "Chunk Size", "chunk_size", minimum=1, default=1),
    JobAttribute("bestChunkSize", "bcs", BOOL, "Best Chunk Size", "best_chunk_size"),
    JobAttribute("useScoutFrames", "usf", BOOL, "Use Scout Frames", "use_scout_frames"),
    JobAttribute("scoutFrames", "scf", STRING, "Scout Frames", "scout_frames"),
    JobAttribute("tiles", "tls", LONG, "Tiles", "tiles", minimum=1, default=1),
    JobAttribute("outputPath", "opt", STRING, "Output Path", "output_path"),
    JobAttribute("taskTemplate", "tt", STRING, "Task Template", "task_template"),
    JobAttribute(
        "dependencyScanPolicy",
        "dsp",
        ENUM,
        "Dependency Scan",
        "dependency_scan_policy",
        choices=SCAN_POLICIES,
        labels=("No Scan", "Smart Sequence", "Glob"),
    ),
    JobAttribute("localUpload", "lup", BOOL, "Upload from This Machine", "local_upload"),
    JobAttribute("forceUpload", "fup", BOOL, "Force Upload", "force_upload"),
    JobAttribute("uploadOnly", "uon", BOOL, "Upload Only", "upload_only"),
    JobAttribute(
        "logLevel", "llv", ENUM, "Log Level", "log_level", choices=LOG_LEVELS, labels=LOG_LEVELS
    ),
    JobAttribute("showTracebacks", "stb", BOOL, "Show Tracebacks", "show_tracebacks"),
)

# Every attribute the node type adds, in the Attribute Editor's order.
ATTRIBUTES: Tuple[JobAttribute, ...] = (
    (RENDER_LAYER_MODE, CAMERA) + MIRRORED + (SETTINGS, DEFAULT_TEMPLATE)
)
BY_FIELD = {attribute.field: attribute for attribute in MIRRORED}
