"""A Farmhand payload as an OpenCue job spec, built with OpenCue's own pyoutline.

Cuebot reads a job as XML (the ``cjsl`` DTD): layers of frames, each layer one command line
in which Cuebot puts the frame number (``#IFRAME#``). Farmhand tasks carry their own
commands, so each stage of the job (``engine_tasks``: the scout tasks, then the rest) is one
layer whose "frames" are its task numbers, and the layer's command runs that task's script::

    /bin/sh <folder>/tasks/#IFRAME#.sh

``<folder>`` is where the spec is written; Cuebot's render hosts must see it at the same
path (a shared filesystem, as pyoutline's own sessions assume). A stage that waits for the
whole of an earlier one gets a ``LAYER_ON_LAYER`` dependency (pyoutline's own); a task's own
``depends_on`` becomes a ``FRAME_ON_FRAME`` dependency on exactly the task it names.

pyoutline needs Python 3.8+ and is imported only here, when a spec is built, so the code a
host imports never needs it. ``cuebot_problems`` checks what Cuebot refuses beyond the DTD
(names, root, the layer and frame limits), so a submit says so before Cuebot is asked.
"""

import re
import shutil
import tempfile
import xml.etree.ElementTree as ElementTree
from typing import Any, Dict, List, Mapping, Optional, Tuple

from farmhand.core.connectors.engine_tasks import StagedJob, check_environment, stage_job
from farmhand.core.connectors.task_scripts import SHELL, TASKS_FOLDER, script_name, task_script
from farmhand.core.errors import FarmhandError, InputError
from farmhand.core.frames import FrameSpec

SPEC_FILE = "job.xml"
# Cuebot's limits (JobSpec.MAX_LAYERS, MAX_FRAMES, FRAME_RETRIES_MAX).
MAX_LAYERS = 1000
MAX_FRAMES = 100000
MAX_RETRIES = 1
_NAME = re.compile(r"^[\w.]{3,}$")
_FRAME_TOKEN = "#IFRAME#"


class PyOutlineMissingError(FarmhandError):
    """pyoutline (``opencue-pyoutline``) is not installed where the OpenCue spec is built."""


def _pyoutline() -> Tuple[Any, Any, Any, Any]:
    try:
        import outline
        import outline.cuerun
        from outline.depend import DependType
        from outline.modules.shell import Shell
    except ImportError as error:
        raise PyOutlineMissingError(
            "building an OpenCue job needs OpenCue's pyoutline ({}); install it with"
            " 'pip install opencue-pyoutline' in the Python that runs Farmhand's farm"
            " tools (it needs Python 3.8 or newer)".format(error)
        ) from None
    return outline, outline.cuerun, DependType, Shell


def cue_name(text: str, fallback: str) -> str:
    """``text`` as a Cuebot name: letters, digits, ``_`` and ``.``, at least 3 characters."""
    name = re.sub(r"[^\w.]+", "_", text.strip(), flags=re.ASCII).strip("_")
    name = re.sub(r"_{2,}", "_", name)
    return name if len(name) >= 3 else fallback


class CueSettings(object):
    """Where the job goes in OpenCue: ``show`` (default: the payload's project), ``shot``
    (default: ``metadata.shot``, else ``farmhand``), the layers' ``service``, ``facility``."""

    __slots__ = ("show", "shot", "service", "facility")

    def __init__(
        self,
        show: Optional[str] = None,
        shot: Optional[str] = None,
        service: str = "shell",
        facility: Optional[str] = None,
    ) -> None:
        self.show = show
        self.shot = shot
        self.service = service
        self.facility = facility


def _checked_name(value: str, field: str, what: str) -> str:
    if not _NAME.match(value.replace("-", "_")):
        raise InputError(
            "{!r} is not a valid OpenCue {} name (letters, digits, _ and ., at least 3"
            " characters)".format(value, what),
            field=field,
        )
    return value


def _retries(payload: Mapping[str, Any]) -> int:
    policy = payload.get("autoretry_policy") or {}
    rule = policy.get("failed") if isinstance(policy, Mapping) else None
    retries = rule.get("max_retries", 0) if isinstance(rule, Mapping) else 0
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InputError(
            "expected a whole number of at least 0, got {!r}".format(retries),
            field="autoretry_policy.failed.max_retries",
        )
    return min(retries, MAX_RETRIES)


def _priority(payload: Mapping[str, Any]) -> int:
    priority = payload.get("priority", 5)
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 0:
        raise InputError(
            "expected a whole number of at least 0, got {!r}".format(priority), field="priority"
        )
    return priority


def _where(payload: Mapping[str, Any], settings: CueSettings) -> Tuple[str, str, str]:
    show = settings.show or str(payload.get("project") or "")
    show_field = "opencue.show" if settings.show else "project"
    metadata = payload.get("metadata") or {}
    shot = settings.shot or (metadata.get("shot") if isinstance(metadata, Mapping) else "")
    shot = shot or "farmhand"
    owner = str(payload.get("owner") or "").strip()
    if not owner:
        raise InputError("is empty; OpenCue runs a job as its owner", field="owner")
    return (
        _checked_name(show, show_field, "show"),
        _checked_name(str(shot), "opencue.shot" if settings.shot else "metadata.shot", "shot"),
        owner,
    )


def spec_xml(
    payload: Mapping[str, Any],
    folder: str,
    settings: Optional[CueSettings] = None,
    staged: Optional[StagedJob] = None,
) -> str:
    """The job spec XML for ``payload`` whose task scripts are in ``folder``."""
    settings = settings or CueSettings()
    staged = staged or stage_job(payload)
    show, shot, owner = _where(payload, settings)
    outline, cuerun, depend_type, shell = _pyoutline()
    title = str(payload.get("job_title") or "")
    name = cue_name(title, "farmhand_job")
    layers = []
    session_dir = tempfile.mkdtemp(prefix="farmhand-pyoutline-")
    saved = outline.config.get("outline", "session_dir")
    try:
        # pyoutline writes a session (for its pycuerun wrapper, unused here) while it
        # serializes: keep it out of the user's home.
        outline.config.set("outline", "session_dir", session_dir)
        job = outline.Outline(
            name, shot=shot, show=show, user=owner, facility=settings.facility or None
        )
        command = "{} {}/{}/{}.sh".format(SHELL, folder.rstrip("/"), TASKS_FOLDER, _FRAME_TOKEN)
        for stage in staged.stages:
            layer = shell(
                stage.name,
                command=command,
                range=str(FrameSpec.from_frames(stage.numbers)),
                chunk=1,
                service=settings.service,
            )
            job.add_layer(layer)
            layers.append(layer)
        for number, stage in enumerate(staged.stages):
            for earlier in stage.after:
                if staged.waits_for_whole_stage(number, earlier):
                    layers[number].depend_on(layers[earlier], depend_type.LayerOnLayer)
        launcher = cuerun.OutlineLauncher(
            job,
            user=owner,
            priority=_priority(payload),
            maxretries=_retries(payload),
            pause=False,
            nomail=True,
        )
        text = launcher.serialize(use_pycuerun=False)
    finally:
        outline.config.set("outline", "session_dir", saved)
        shutil.rmtree(session_dir, ignore_errors=True)
    return _completed(text, staged, _emails(payload))


def _emails(payload: Mapping[str, Any]) -> List[str]:
    notify = payload.get("notify") or {}
    emails = notify.get("emails") if isinstance(notify, Mapping) else notify
    return [str(e).strip() for e in emails or [] if str(e).strip()]


def _completed(text: str, staged: StagedJob, emails: List[str]) -> str:
    """pyoutline's XML plus what it has no call for: the notification addresses and the
    frame-on-frame waits of tasks that wait for only part of an earlier stage."""
    doctype_end = text.index("<spec>")
    head, body = text[:doctype_end], text[doctype_end:]
    root = ElementTree.fromstring(body)
    if emails:
        email = ElementTree.Element("email")
        email.text = ",".join(emails)
        user_at = [child.tag for child in root].index("user")
        root.insert(user_at + 1, email)
    job = root.find("job")
    job_name = job.get("name") if job is not None else ""
    depends = root.find("depends")
    if depends is None:
        depends = ElementTree.SubElement(root, "depends")
    for number, stage in enumerate(staged.stages):
        for earlier in stage.after:
            if staged.waits_for_whole_stage(number, earlier):
                continue
            for task_index, dep in staged.waits_between(number, earlier):
                depend = ElementTree.SubElement(
                    depends, "depend", {"type": "FRAME_ON_FRAME", "anyframe": "False"}
                )
                for tag, value in (
                    ("depjob", job_name),
                    ("deplayer", stage.name),
                    ("depframe", "{:04d}-{}".format(task_index + 1, stage.name)),
                    ("onjob", job_name),
                    ("onlayer", staged.stages[earlier].name),
                    ("onframe", "{:04d}-{}".format(dep + 1, staged.stages[earlier].name)),
                ):
                    ElementTree.SubElement(depend, tag).text = value
    body_text = ElementTree.tostring(root, encoding="unicode")
    return head + body_text + "\n"


def spec_files(
    payload: Mapping[str, Any], folder: str, settings: Optional[CueSettings] = None
) -> Tuple[Dict[str, str], StagedJob]:
    """The spec and the task scripts (relative path -> text) for a job written to ``folder``."""
    staged = stage_job(payload)
    environment = check_environment(payload.get("environment"), "environment")
    title = str(payload.get("job_title") or "")
    files = {SPEC_FILE: spec_xml(payload, folder, settings, staged)}
    for task in staged.tasks:
        files[script_name(task.number)] = task_script(task, len(staged.tasks), title, environment)
    return files, staged


def cuebot_problems(text: str) -> List[str]:
    """What Cuebot would refuse in a spec beyond its DTD, one line each (none: it accepts)."""
    root = ElementTree.fromstring(text[text.index("<spec>") :])
    problems = []
    user = (root.findtext("user") or "").strip()
    uid = (root.findtext("uid") or "").strip()
    if user == "root" or uid == "0":
        problems.append(
            "Cuebot refuses jobs launched as root (user {!r}, uid {}); submit as a render"
            " user".format(user, uid or "none")
        )
    for tag in ("show", "shot"):
        value = (root.findtext(tag) or "").strip()
        if not _NAME.match(value.replace("-", "_")):
            problems.append("{} {!r} is not a valid Cuebot name".format(tag, value))
    for job in root.findall("job"):
        layers = job.findall("layers/layer")
        if len(layers) > MAX_LAYERS:
            problems.append("{} layers; Cuebot's limit is {}".format(len(layers), MAX_LAYERS))
        frames = sum(len(FrameSpec(layer.findtext("range") or "")) for layer in layers)
        if frames > MAX_FRAMES:
            problems.append("{} frames; Cuebot's limit is {}".format(frames, MAX_FRAMES))
        names = [layer.get("name") or "" for layer in layers]
        for name in names:
            if not _NAME.match(name.replace("-", "_")):
                problems.append("layer name {!r} is not a valid Cuebot name".format(name))
        if len(set(names)) != len(names):
            problems.append("two layers share a name: {}".format(", ".join(names)))
    return problems
