"""A Farmhand payload as an Open Job Description job bundle, as AWS Deadline Cloud submits it.

The bundle is a folder::

    template.yaml            the job template (specification jobtemplate-2023-09)
    parameter_values.yaml    priority and retries for the queue (deadline:...)
    asset_references.yaml    the files to upload, the output folder to download
    tasks/<number>.sh        each task's commands and environment (``task_scripts``)

Each stage of the job (``engine_tasks``: the scout tasks first, the rest after them) is one
step whose tasks are the numbers of its Farmhand tasks (an ``INT`` task parameter, ``Task``);
the step runs ``/bin/sh {{Param.TaskScripts}}/{{Task.Param.Task}}.sh``. Keeping the task
commands in scripts rather than in the template keeps them verbatim: a template string is an
OpenJD format string, where ``{{`` starts an expression and has no escape, and a step holds at
most 1,024 listed values; a range of task numbers has neither limit.

Steps wait for whole steps: a task that depends on one task of an earlier stage waits for all
of that stage (``capabilities`` says so in the preview). Priority goes to Deadline's 0-100
scale as ten times Farmhand's (5 -> 50, Deadline's default), clamped.
"""

from typing import Any, Dict, List, Mapping, Tuple

from farmhand.core.connectors.engine_tasks import (
    StagedJob,
    check_environment,
    number_ranges,
    stage_job,
)
from farmhand.core.connectors.openjd.yaml_text import yaml_text
from farmhand.core.connectors.task_scripts import SHELL, TASKS_FOLDER, script_name, task_script
from farmhand.core.errors import InputError

SPECIFICATION = "jobtemplate-2023-09"
TEMPLATE = "template.yaml"
PARAMETER_VALUES = "parameter_values.yaml"
ASSET_REFERENCES = "asset_references.yaml"
TASK_PARAMETER = "Task"
SCRIPTS_PARAMETER = "TaskScripts"
OUTPUT_PARAMETER = "OutputDir"
# Deadline Cloud's limits on a job name; a longer title is cut (it is display text).
MAX_NAME = 128
DEADLINE_PRIORITY_DEFAULT = 50


def job_name(title: str) -> str:
    """The title as an OpenJD job name: one line, no ``{{ }}`` expression, at most 128
    characters (a template name is a format string)."""
    name = " ".join(title.split()) or "Farmhand job"
    name = name.replace("{{", "{ {").replace("}}", "} }")
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 3].rstrip() + "..."
    return name


def range_expression(numbers: List[int]) -> str:
    """``1-3,7``: an OpenJD range expression of task numbers."""
    parts = []
    for first, last in number_ranges(numbers):
        parts.append(str(first) if first == last else "{}-{}".format(first, last))
    return ",".join(parts)


def deadline_priority(priority: Any) -> int:
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InputError("expected a whole number, got {!r}".format(priority), field="priority")
    return max(0, min(100, priority * 10))


def max_retries(payload: Mapping[str, Any]) -> int:
    policy = payload.get("autoretry_policy") or {}
    rule = policy.get("failed") if isinstance(policy, Mapping) else None
    retries = rule.get("max_retries", 0) if isinstance(rule, Mapping) else 0
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InputError(
            "expected a whole number of at least 0, got {!r}".format(retries),
            field="autoretry_policy.failed.max_retries",
        )
    return retries


def _step(staged: StagedJob, number: int) -> Dict[str, Any]:
    stage = staged.stages[number]
    frames = [task.frames for task in stage.tasks if task.frames]
    step: Dict[str, Any] = {"name": stage.name}
    description = "{} Farmhand task(s){}".format(
        len(stage.tasks), "; scout frames" if all(t.scout for t in stage.tasks) else ""
    )
    if frames:
        description += "; frames " + _frames_summary(frames)
    step["description"] = description
    if stage.after:
        step["dependencies"] = [{"dependsOn": staged.stages[n].name} for n in stage.after]
    step["parameterSpace"] = {
        "taskParameterDefinitions": [
            {"name": TASK_PARAMETER, "type": "INT", "range": range_expression(stage.numbers)}
        ]
    }
    step["script"] = {
        "actions": {
            "onRun": {
                "command": SHELL,
                "args": ["{{Param.%s}}/{{Task.Param.%s}}.sh" % (SCRIPTS_PARAMETER, TASK_PARAMETER)],
            }
        }
    }
    return step


def _frames_summary(frames: List[str]) -> str:
    if len(frames) <= 3:
        return ", ".join(frames)
    return "{}, ... {}".format(", ".join(frames[:2]), frames[-1])


def template(payload: Mapping[str, Any], staged: StagedJob) -> Dict[str, Any]:
    parameters: List[Dict[str, Any]] = [
        {
            "name": SCRIPTS_PARAMETER,
            "type": "PATH",
            "objectType": "DIRECTORY",
            "dataFlow": "IN",
            "default": TASKS_FOLDER,
            "description": "The job's task scripts (tasks/<number>.sh in the job bundle)",
        }
    ]
    output_path = str(payload.get("output_path") or "")
    if output_path:
        parameters.append(
            {
                "name": OUTPUT_PARAMETER,
                "type": "PATH",
                "objectType": "DIRECTORY",
                "dataFlow": "OUT",
                "description": "Where the tasks write their outputs (output_path; its value"
                " is in parameter_values.yaml: a default path must be relative)",
            }
        )
    return {
        "specificationVersion": SPECIFICATION,
        "name": job_name(str(payload.get("job_title") or "")),
        "parameterDefinitions": parameters,
        "steps": [_step(staged, n) for n in range(len(staged.stages))],
    }


def job_parameter_values(payload: Mapping[str, Any]) -> Dict[str, str]:
    """The template's own parameters that have no default (``openjd run -p NAME=VALUE``)."""
    output_path = str(payload.get("output_path") or "")
    return {OUTPUT_PARAMETER: output_path} if output_path else {}


def parameter_values(payload: Mapping[str, Any]) -> Dict[str, Any]:
    values: List[Dict[str, Any]] = [
        {"name": name, "value": value} for name, value in job_parameter_values(payload).items()
    ]
    return {
        "parameterValues": values
        + [
            {
                "name": "deadline:priority",
                "value": deadline_priority(payload.get("priority", 5)),
            },
            {"name": "deadline:maxRetriesPerTask", "value": max_retries(payload)},
            {"name": "deadline:targetTaskRunStatus", "value": "READY"},
        ]
    }


def asset_references(payload: Mapping[str, Any]) -> Dict[str, Any]:
    uploads = payload.get("upload_paths") or []
    if not isinstance(uploads, list) or not all(isinstance(p, str) for p in uploads):
        raise InputError("expected a list of paths, got {!r}".format(uploads), "upload_paths")
    output_path = str(payload.get("output_path") or "")
    return {
        "assetReferences": {
            "inputs": {"directories": [], "filenames": sorted(set(uploads))},
            "outputs": {"directories": [output_path] if output_path else []},
            "referencedPaths": [],
        }
    }


def bundle_files(payload: Mapping[str, Any]) -> Tuple[Dict[str, str], StagedJob]:
    """Every file of the bundle (relative path -> text) and the stages they were made from."""
    staged = stage_job(payload)
    environment = check_environment(payload.get("environment"), "environment")
    title = str(payload.get("job_title") or "")
    files = {
        TEMPLATE: yaml_text(template(payload, staged)),
        PARAMETER_VALUES: yaml_text(parameter_values(payload)),
        ASSET_REFERENCES: yaml_text(asset_references(payload)),
    }
    for task in staged.tasks:
        files[script_name(task.number)] = task_script(task, len(staged.tasks), title, environment)
    return files, staged
