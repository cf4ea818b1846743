"""The FarmhandJob ROP's parameters: one table read by the HDA's DialogScript and the job node.

The parameter pane is where a Houdini artist edits a job, so the settings an artist changes
most (title, frames, chunking, scouts, machine, template, uploads policy) are parameters of
their own, mirrored from ``JobSettings`` (see ``farmhand.core.host.job_node``); everything else
lives only in the JSON of ``farmhand_settings`` and is edited in the shared submitter. The
table is plain data (no ``hou``), so the HDA files are generated and checked without Houdini.
"""

from typing import List, NamedTuple, Optional, Sequence, Tuple

from farmhand.core.deps.resolve import SCAN_POLICIES
from farmhand.core.frames.chunking import CHUNK_STRATEGIES
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE

# kinds: how a parameter holds its setting
STRING = "string"  # str setting in a string parm (read unexpanded: $F stays $F)
INTEGER = "integer"  # int setting
TOGGLE = "toggle"  # bool setting
LIST = "list"  # List[str] setting as "a, b" text
BUTTON = "button"  # an action, no setting


class Parm(NamedTuple):
    """One parameter of the ROP; ``field`` is the ``JobSettings`` field it mirrors."""

    name: str
    label: str
    kind: str
    help: str
    field: str = ""
    menu: Tuple[Tuple[str, str], ...] = ()  # (token, label) for a string menu
    minimum: Optional[int] = None
    callback: str = ""  # the PythonModule function a button calls
    join_next: bool = False
    hidden: bool = False
    disable_when: str = ""


# input ROPs rendered as one task / split into chunks against the automatic choice
# (``farmhand.plugins.houdini.simulations``); not settings: they name this scene's ROPs
SIMULATION_PARM = "simulation_rops"
CHUNKED_PARM = "chunked_rops"
SCAN_LABELS = {"none": "No scan", "smart": "Smart sequence", "glob": "Glob"}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

PARMS: Tuple[Parm, ...] = (
    Parm(
        "open_submitter",
        "Open Submitter",
        BUTTON,
        "Open the Farmhand submitter for this job: every setting, packages, environment, "
        "extra uploads, preview and submit.",
        callback="open_submitter",
        join_next=True,
    ),
    Parm(
        "preview",
        "Preview",
        BUTTON,
        "Save the render package and show exactly what would be submitted.",
        callback="preview",
        join_next=True,
    ),
    Parm(
        "submit",
        "Submit",
        BUTTON,
        "Submit the job; if it has errors or warnings the preview opens first.",
        callback="submit",
    ),
    Parm(
        "job_title",
        "Title",
        STRING,
        "The title the farm shows. Tokens such as <job> and <sequence> are filled in at "
        "submission.",
        field="job_title",
    ),
    Parm(
        "project",
        "Project",
        STRING,
        "The farm project the job belongs to.",
        field="project",
    ),
    Parm(
        "use_custom_frames",
        "Use Custom Frames",
        TOGGLE,
        "Render the frames typed below instead of the frame ranges of the ROPs connected to "
        "this node's inputs.",
        field="use_custom_frames",
    ),
    Parm(
        "frames",
        "Custom Frames",
        STRING,
        "Frames to render: a comma-separated list of progressions such as 1001-1200 or "
        "1,7,10-20,30-60x3.",
        field="frames",
        disable_when="{ use_custom_frames == 0 }",
    ),
    Parm(
        "chunk_size",
        "Chunk Size",
        INTEGER,
        "How many frames one task renders.",
        field="chunk_size",
        minimum=1,
    ),
    Parm(
        "chunk_strategy",
        "Chunk Strategy",
        STRING,
        "How frames are grouped into tasks.",
        field="chunk_strategy",
        menu=tuple((name, name.capitalize()) for name in CHUNK_STRATEGIES),
    ),
    Parm(
        SIMULATION_PARM,
        "Simulations (one task for all frames)",
        LIST,
        "Comma-separated paths of input ROPs rendered as one task over the whole frame "
        "range, that every task waiting for them waits for: a simulation cannot be split "
        "into chunks. A Geometry ROP caching a DOP network is one already; list it under "
        "Chunked ROPs to split it.",
    ),
    Parm(
        CHUNKED_PARM,
        "Chunked ROPs (not simulations)",
        LIST,
        "Comma-separated paths of input ROPs split into chunks even though they cache a DOP "
        "network (their frames do not depend on earlier ones).",
    ),
    Parm(
        "use_scout_frames",
        "Use Scout Frames",
        TOGGLE,
        "Render the scout frames first and hold the other tasks until you release them.",
        field="use_scout_frames",
    ),
    Parm(
        "scout_frames",
        "Scout Frames",
        STRING,
        "Frames to render first. A task that holds any scout frame is started; the rest wait.",
        field="scout_frames",
        disable_when="{ use_scout_frames == 0 }",
    ),
    Parm(
        "instance_type",
        "Instance Type",
        STRING,
        "The machine shape each task runs on (the farm's instance type name).",
        field="instance_type",
    ),
    Parm(
        "preemptible",
        "Preemptible",
        TOGGLE,
        "Cheaper machines the provider may stop at any time; a stopped task starts again "
        "from scratch.",
        field="preemptible",
    ),
    Parm(
        "retries",
        "Retries",
        INTEGER,
        "How many times a failed task is tried again before it is marked failed.",
        field="retries",
        minimum=0,
    ),
    Parm(
        "priority",
        "Priority",
        INTEGER,
        "The job's priority on the farm.",
        field="priority",
        minimum=0,
    ),
    Parm(
        "task_template",
        "Task Template",
        STRING,
        "The command each task runs; <chunkstart>, <chunkend>, <render_package> and the "
        "other tokens are filled in per task.",
        field="task_template",
    ),
    Parm(
        "output_path",
        "Output Path",
        STRING,
        "The folder the farm copies the rendered files back to.",
        field="output_path",
    ),
    Parm(
        "dependency_scan_policy",
        "Dependency Scan",
        STRING,
        "How files the scene reads are found: no scan (extra uploads only), smart sequence "
        "(the frames rendered) or glob (every file of a sequence on disk).",
        field="dependency_scan_policy",
        menu=tuple((name, SCAN_LABELS[name]) for name in SCAN_POLICIES),
    ),
    Parm(
        "local_upload",
        "Local Upload",
        TOGGLE,
        "Upload from this session rather than leaving the files to an upload daemon.",
        field="local_upload",
    ),
    Parm(
        "force_upload",
        "Force Upload",
        TOGGLE,
        "Upload every file even when the farm already has it.",
        field="force_upload",
    ),
    Parm(
        "upload_only",
        "Upload Only",
        TOGGLE,
        "Upload the files and start no tasks.",
        field="upload_only",
    ),
    Parm(
        "notify",
        "Email Addresses",
        LIST,
        "Comma-separated addresses that get an email when the job completes.",
        field="notify",
    ),
    Parm(
        "log_level",
        "Log Level",
        STRING,
        "How much Farmhand logs.",
        field="log_level",
        menu=tuple((name, name.capitalize()) for name in LOG_LEVELS),
    ),
    Parm(
        "show_tracebacks",
        "Show Tracebacks",
        TOGGLE,
        "Show the full traceback of a software error in the submitter.",
        field="show_tracebacks",
    ),
    Parm(
        SETTINGS_ATTRIBUTE,
        "Settings",
        STRING,
        "Every setting of the job as JSON; the parameters above win over it.",
        hidden=True,
    ),
)

MIRRORED: Tuple[Parm, ...] = tuple(parm for parm in PARMS if parm.field)
MIRRORED_FIELDS: Tuple[str, ...] = tuple(parm.field for parm in MIRRORED)
BUTTONS: Tuple[Parm, ...] = tuple(parm for parm in PARMS if parm.kind == BUTTON)


def parm_of(field: str) -> Parm:
    for parm in MIRRORED:
        if parm.field == field:
            return parm
    raise KeyError(field)


def join_list(values: Sequence[str]) -> str:
    return ", ".join(values)


def split_list(text: str) -> List[str]:
    """``"a@x.com, b@x.com"`` -> the addresses; empty pieces are dropped."""
    return [piece.strip() for piece in text.split(",") if piece.strip()]
