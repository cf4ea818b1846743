"""The FarmhandJob class's attributes and actions: one table, read by the class declaration,
the job node and the tests.

Clarisse's attribute editor is where an artist edits a job, so the settings the seeds' submitter
shows are attributes of their own, mirrored from ``JobSettings`` (``field``); everything else
lives only in the hidden ``farmhand_settings`` JSON. Attribute names are the seeds' (``title``,
``custom_frames``, ``extra_uploads``, ``packages``, ``email_addresses``...), so an artist who
knows that submitter finds them where they were. Plain data (no ``ix``).
"""

from typing import Any, NamedTuple, Optional, Tuple

from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE
from farmhand.core.validation.settings_checks import LOG_LEVELS

# kinds: how an attribute holds its value
STRING = "string"
BOOL = "bool"
LONG = "long"
CHOICE = "choice"  # a long with fixed presets: (token, label); the setting is the token
DYNAMIC = "dynamic"  # a long whose presets are the farm's names (projects, instance types)
STRING_LIST = "string_list"
REFERENCE_LIST = "reference_list"
ACTION = "action"

NOT_SET = "- not set -"  # the preset label of an empty dynamic choice


class Attribute(NamedTuple):
    name: str
    kind: str
    group: str
    doc: str
    field: str = ""
    choices: Tuple[Tuple[str, str], ...] = ()  # CHOICE: (token, label)
    hidden: bool = False
    read_only: bool = False
    minimum: Optional[int] = None
    filters: Tuple[str, ...] = ()  # REFERENCE_LIST: the classes it takes
    default: Any = None  # overrides the JobSettings default where the seeds differ


SCAN_CHOICES = (("none", "No scan"), ("smart", "Smart sequence"), ("glob", "Glob"))

ATTRIBUTES: Tuple[Attribute, ...] = (
    # actions, at the top of the attribute editor
    Attribute(
        "connect",
        ACTION,
        "actions",
        "Connect to the farm: fill the project and "
        "instance type menus and detect the packages this project needs.",
    ),
    Attribute(
        "preview",
        ACTION,
        "actions",
        "Write the render package and show exactly what would be submitted.",
    ),
    Attribute(
        "submit",
        ACTION,
        "actions",
        "Submit the job; if it has errors or warnings the preview opens first.",
    ),
    # general
    Attribute(
        "title",
        STRING,
        "general",
        "The title the farm shows. Tokens such as <job> "
        "and <sequence> are filled in at submission.",
        field="job_title",
    ),
    Attribute(
        "images",
        REFERENCE_LIST,
        "general",
        "Images or layers to render. Each must have Render to Disk on and a file name in Save As.",
        filters=("Image", "Layer"),
    ),
    Attribute(
        "project",
        DYNAMIC,
        "general",
        "The farm project. Press Connect to fill the menu with the farm's projects.",
        field="project",
    ),
    # frames
    Attribute(
        "use_custom_frames",
        BOOL,
        "frames",
        "Render the frames typed in Custom Frames "
        "for every image; when off, each image renders its own frame range.",
        field="use_custom_frames",
    ),
    Attribute(
        "custom_frames",
        STRING,
        "frames",
        "Frames to render: a comma-separated list of "
        "progressions such as 1001-1200 or 1,7,10-20,30-60x3.",
        field="frames",
    ),
    Attribute(
        "chunk_size",
        LONG,
        "frames",
        "How many frames one task renders.",
        field="chunk_size",
        minimum=1,
    ),
    Attribute(
        "best_chunk_size",
        ACTION,
        "frames",
        "Even out the chunks: the smallest chunk "
        "size that keeps the number of tasks (100 frames at 33 become 4 tasks of 25).",
    ),
    Attribute(
        "use_scout_frames",
        BOOL,
        "frames",
        "Render the scout frames first and hold the other tasks until you release them.",
        field="use_scout_frames",
    ),
    Attribute(
        "scout_frames",
        STRING,
        "frames",
        "Frames to render first. Every task holding a scout frame starts; the rest wait.",
        field="scout_frames",
    ),
    Attribute(
        "tiles",
        LONG,
        "frames",
        "Split each frame into this many tiles, each rendered by its own task.",
        field="tiles",
        minimum=1,
    ),
    Attribute(
        "frames_info",
        STRING,
        "frames",
        "What the frame settings give: frames, tasks and scout tasks.",
        read_only=True,
    ),
    # machines
    Attribute(
        "instance_type",
        DYNAMIC,
        "machines",
        "The machine shape each task runs on. "
        "Press Connect to fill the menu with the farm's instance types.",
        field="instance_type",
    ),
    Attribute(
        "preemptible",
        BOOL,
        "machines",
        "Cheaper machines the provider may stop at any "
        "time; a stopped task starts again from scratch.",
        field="preemptible",
    ),
    Attribute(
        "retries",
        LONG,
        "machines",
        "How many times a failed task is tried again.",
        field="retries",
        minimum=0,
    ),
    # uploads
    Attribute(
        "dependency_scan_policy",
        CHOICE,
        "upload",
        "How the files the project reads "
        "are found: no scan (extra uploads only), smart sequence (the frames rendered, "
        "sequence offsets applied) or glob (every file of a sequence on disk).",
        field="dependency_scan_policy",
        choices=SCAN_CHOICES,
    ),
    Attribute(
        "local_upload",
        BOOL,
        "upload",
        "Upload from this session rather than leaving the files to an upload daemon.",
        field="local_upload",
    ),
    Attribute(
        "force_upload",
        BOOL,
        "upload",
        "Upload every file even when the farm already has it.",
        field="force_upload",
    ),
    Attribute(
        "upload_only", BOOL, "upload", "Upload the files and start no tasks.", field="upload_only"
    ),
    Attribute(
        "manage_extra_uploads",
        ACTION,
        "upload",
        "Choose files to upload besides the "
        "ones the dependency scan finds, or keep what the scan finds.",
    ),
    Attribute(
        "extra_uploads",
        STRING_LIST,
        "upload",
        "Files uploaded in addition to the dependency scan's.",
        field="upload_paths",
    ),
    # software and environment
    Attribute(
        "choose_packages",
        ACTION,
        "environment",
        "Choose the packages (Clarisse version) the farm makes available to the tasks.",
    ),
    Attribute(
        "packages",
        STRING_LIST,
        "environment",
        "Ids of the farm packages the tasks run with.",
        field="software_package_ids",
    ),
    Attribute(
        "manage_extra_environment",
        ACTION,
        "environment",
        "Check the extra environment and show the environment the tasks will get.",
    ),
    Attribute(
        "extra_environment",
        STRING_LIST,
        "environment",
        "Extra variables, one per "
        "entry: NAME=value replaces the packages' value, NAME+=value appends to it, "
        "NAME=+value prepends.",
        field="extra_environment",
    ),
    # task
    Attribute(
        "task_template",
        STRING,
        "task",
        "The command each task runs; <chunks>, "
        "<sources>, <render_package> and the other tokens are filled in per task.",
        field="task_template",
    ),
    Attribute(
        "output_path",
        STRING,
        "task",
        "The folder the farm copies the rendered images back to.",
        field="output_path",
    ),
    # notification
    Attribute("notify", BOOL, "notification", "Send an email when the job completes."),
    Attribute(
        "email_addresses",
        STRING,
        "notification",
        "Comma-separated addresses to email when the job completes.",
        field="notify",
    ),
    # debug
    Attribute(
        "log_level",
        CHOICE,
        "debug",
        "How much Farmhand logs.",
        field="log_level",
        choices=tuple((level, level.capitalize()) for level in LOG_LEVELS),
    ),
    Attribute(
        "show_tracebacks",
        BOOL,
        "debug",
        "Show the full traceback of a software error.",
        field="show_tracebacks",
    ),
    Attribute(
        SETTINGS_ATTRIBUTE,
        STRING,
        "farmhand",
        "Every setting of the job as JSON; the attributes above win over it.",
        hidden=True,
    ),
)

MIRRORED: Tuple[Attribute, ...] = tuple(a for a in ATTRIBUTES if a.field)
MIRRORED_FIELDS: Tuple[str, ...] = tuple(a.field for a in MIRRORED)
ACTIONS: Tuple[str, ...] = tuple(a.name for a in ATTRIBUTES if a.kind == ACTION)
# what an attribute change updates: frames_info from these
FRAME_ATTRIBUTES = (
    "images",
    "use_custom_frames",
    "custom_frames",
    "chunk_size",
    "use_scout_frames",
    "scout_frames",
    "tiles",
)


def attribute(name: str) -> Attribute:
    for item in ATTRIBUTES:
        if item.name == name:
            return item
    raise KeyError(name)


def attribute_of_field(field: str) -> Attribute:
    for item in MIRRORED:
        if item.field == field:
            return item
    raise KeyError(field)
