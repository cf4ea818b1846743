"""What each farm honours of a payload, so the preview can say what a target will drop.

Every engine honours a different part of the Conductor-compatible payload: Slurm has no
uploads (it reads a shared filesystem), the local farm has no per-task environment, OpenCue
has no notification emails here. A connector declares its ``Capabilities`` once, as a class
attribute, and ``unhonoured`` turns a payload plus those capabilities into warnings that name
the payload field, so a job never loses a setting silently on its way to an engine.
"""

from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from farmhand.core.validation.report import INFO, WARNING, Message

# The job model's default priority: a payload at this priority asks for nothing special.
DEFAULT_PRIORITY = 5


class Feature(NamedTuple):
    key: str
    label: str
    meaning: str


# In the order ``farmhand farms`` and the README table show them.
FEATURES: Tuple[Feature, ...] = (
    Feature("scouts", "scouts", "scout frames run first; the other tasks wait for them"),
    Feature("dependencies", "dependencies", "tasks wait for the tasks they depend on"),
    Feature("uploads", "uploads", "the job's files are sent to the farm"),
    Feature("per_task_env", "per-task env", "a task's own environment variables"),
    Feature("priority", "priority", "the job's priority orders it against other jobs"),
    Feature("max_instances", "max instances", "at most N tasks of the job run at once"),
    Feature("retries", "retries", "failed tasks are run again (autoretry_policy)"),
    Feature("preemptible", "preemptible", "the job may run on preemptible machines"),
    Feature("notify", "notify", "emails when the job ends"),
    Feature("outputs", "outputs", "rendered files are fetched back to output_path"),
)
FEATURE_KEYS = tuple(feature.key for feature in FEATURES)


class Capabilities(object):
    """Which ``FEATURES`` an engine honours; ``notes`` say how, or why not (one line each).

    Unknown feature names are refused, so a typo in a declaration fails at import time
    rather than silently claiming nothing.

    ``scout_stage``: an engine without scouts of its own runs the scout tasks as a first stage
    the rest depends on. Any engine with task dependencies can (the default); one that only
    orders whole jobs (GridMarkets) says so explicitly.
    """

    __slots__ = ("supported", "notes", "scout_stage")

    def __init__(
        self,
        supported: Sequence[str] = (),
        notes: Optional[Mapping[str, str]] = None,
        scout_stage: Optional[bool] = None,
    ) -> None:
        for key in list(supported) + list(notes or {}):
            if key not in FEATURE_KEYS:
                raise ValueError(
                    "unknown capability {!r}; valid capabilities: {}".format(
                        key, ", ".join(FEATURE_KEYS)
                    )
                )
        self.supported = frozenset(supported)
        self.notes: Dict[str, str] = dict(notes or {})
        if scout_stage is None:
            scout_stage = "dependencies" in self.supported
        self.scout_stage = bool(scout_stage) and "scouts" not in self.supported

    def __contains__(self, key: object) -> bool:
        return key in self.supported

    def as_dict(self) -> Dict[str, bool]:
        return {key: key in self.supported for key in FEATURE_KEYS}

    def __repr__(self) -> str:
        return "Capabilities({})".format(", ".join(k for k in FEATURE_KEYS if k in self))


def payload_of(submission: Any) -> Dict[str, Any]:
    """The payload dict of a ``Submission`` (anything with ``to_payload()``) or a payload."""
    if isinstance(submission, Mapping):
        return dict(submission)
    to_payload = getattr(submission, "to_payload", None)
    if callable(to_payload):
        payload = to_payload()
        if isinstance(payload, dict):
            return payload
    raise TypeError("expected a Submission or a payload dict, got {!r}".format(submission))


def _tasks(payload: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    tasks = payload.get("tasks_data") or []
    return [task for task in tasks if isinstance(task, Mapping)]


def _first_task_with(tasks: List[Mapping[str, Any]], key: str) -> Optional[int]:
    for index, task in enumerate(tasks):
        if task.get(key):
            return index
    return None


def _retries(payload: Mapping[str, Any]) -> int:
    policy = payload.get("autoretry_policy") or {}
    if not isinstance(policy, Mapping):
        return 0
    counts = [
        rule.get("max_retries", 0) for rule in policy.values() if isinstance(rule, Mapping)
    ]
    return max([c for c in counts if isinstance(c, int)] or [0])


def _emails(payload: Mapping[str, Any]) -> List[str]:
    notify = payload.get("notify") or {}
    emails = notify.get("emails") if isinstance(notify, Mapping) else notify
    return [str(e) for e in emails or [] if str(e).strip()]


def unhonoured(capabilities: Capabilities, payload: Mapping[str, Any], farm: str) -> List[Message]:
    """Warnings for every part of ``payload`` that ``farm`` will not honour (an info for the
    scout frames an engine without scouts runs as a first stage instead), in payload order.
    """
    messages: List[Message] = []

    def lacks(key: str, field: str, what: str) -> None:
        if key in capabilities:
            return
        note = capabilities.notes.get(key)
        text = "the {} farm will not honour {}".format(farm, what)
        messages.append(Message(WARNING, field, text + ("; " + note if note else "")))

    tasks = _tasks(payload)
    if str(payload.get("scout_frames") or "").strip() and "scouts" not in capabilities:
        if capabilities.scout_stage:
            messages.append(
                Message(
                    INFO,
                    "scout_frames",
                    "the {} farm runs the scout tasks as a first stage that the other tasks"
                    " depend on".format(farm),
                )
            )
        else:
            lacks("scouts", "scout_frames", "the scout frames: every task runs at once")
    dependent = _first_task_with(tasks, "depends_on")
    if dependent is not None:
        lacks(
            "dependencies",
            "tasks_data[{}].depends_on".format(dependent),
            "task dependencies: tasks run in any order",
        )
    uploads = payload.get("upload_paths") or []
    if uploads:
        lacks(
            "uploads",
            "upload_paths",
            "uploads: the {} listed file(s) are not sent".format(len(uploads)),
        )
    with_env = _first_task_with(tasks, "environment")
    if with_env is not None:
        lacks(
            "per_task_env",
            "tasks_data[{}].environment".format(with_env),
            "per-task environments: tasks get only the job's environment",
        )
    priority = payload.get("priority", DEFAULT_PRIORITY)
    if priority != DEFAULT_PRIORITY:
        lacks("priority", "priority", "priority {}: the job runs at the default".format(priority))
    max_instances = payload.get("max_instances") or 0
    if max_instances:
        lacks(
            "max_instances",
            "max_instances",
            "max_instances {}: as many tasks run at once as it has room for".format(
                max_instances
            ),
        )
    retries = _retries(payload)
    if retries:
        lacks(
            "retries",
            "autoretry_policy",
            "automatic retries ({}): a failed task stays failed".format(retries),
        )
    if payload.get("preemptible"):
        lacks("preemptible", "preemptible", "preemptible: the job runs on its usual machines")
    emails = _emails(payload)
    if emails:
        lacks("notify", "notify", "notify: no email goes to {}".format(", ".join(emails)))
    return messages
