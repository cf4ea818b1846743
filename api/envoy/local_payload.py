"""A project's jobs as one local-farm job: task groups, dependencies, budgets.

**One farm job per submitted project.** Each Envoy job becomes a group of tasks (its frames
split into at most ``instances`` chunks, one arithmetic progression each); ``add_dependencies``
becomes ``depends_on`` from every task of the dependent job to every task of the jobs it
waits for. The farm already runs such graphs (a failed or killed dependency ends the
dependents' wait, recovery after a restart, kill and retry), and a submit stays one request:
the whole project is created on the farm or none of it, which separate farm jobs linked by
job-level dependencies could not promise without a second scheduler inside the farm. What a
farm job holds once (its instance type) is per group where it matters: each group's budget
names the group's machine type, so its core-seconds use that type's cores.

Credits are core-hours of measured farm time on the local farm (``CORE_SECONDS_PER_CREDIT``).
"""

import math
import os
import re
from typing import Any, Dict, List, Sequence, Tuple

from farmhand.api.envoy.app_params import APPS
from farmhand.api.envoy.commands import COMMANDS, TaskContext, inputs_path
from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.api.envoy.job import Job
from farmhand.api.envoy.local_products import LocalProducts
from farmhand.core.environment import merge_environment
from farmhand.core.errors import EnvironmentMergeError
from farmhand.core.frames import chunk_frames

CORE_SECONDS_PER_CREDIT = 3600.0
FARM_PROJECT = "default"


def job_folder(name: str) -> str:
    """A job's results folder name (its name, made safe for one path component)."""
    folder = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return str(folder or "job")


def remote_scene(project: Any, job: Job) -> str:
    """The job's file as a remote path under the project's remote root."""
    remote = project.remote_file(job.path)
    if not remote.startswith(project.RemoteRoot + "/"):
        raise InvalidRequestError(
            "{!r} is not in the project's remote folder {!r} (job paths start with the project"
            " name: {!r})".format(job.path, project.RemoteRoot, project.RemoteRoot + "/scene.ext"),
            field="jobs[{!r}].path".format(job.name),
        )
    return str(remote)


def _ordered_checked(project: Any) -> List[Job]:
    """The project's jobs, every dependency inside the project and no cycle."""
    jobs = list(project.jobs)
    if not jobs:
        raise InvalidRequestError("the project has no jobs (add them with add_jobs)", "jobs")
    for job in jobs:
        for dep in job.dependencies:
            if dep not in jobs:
                raise InvalidRequestError(
                    "job {!r} depends on job {!r}, which is not in the project".format(
                        job.name, dep.name
                    ),
                    field="jobs[{!r}].dependencies".format(job.name),
                )
    state: Dict[int, int] = {}

    def visit(job: Job, path: Tuple[str, ...]) -> None:
        mark = state.get(id(job), 0)
        if mark == 1:
            raise InvalidRequestError(
                "the job dependencies form a cycle: {}".format(" -> ".join(path + (job.name,))),
                field="jobs[{!r}].dependencies".format(job.name),
            )
        if mark == 2:
            return
        state[id(job)] = 1
        for dep in job.dependencies:
            visit(dep, path + (job.name,))
        state[id(job)] = 2

    for job in jobs:
        visit(job, ())
    return jobs


def job_environment(
    project: Any, products: LocalProducts, package_ids: Sequence[str]
) -> Dict[str, str]:
    """The project's variables with its packages' (a site's package finds its renderer through
    the PATH it declares): the farm takes only their merge policies from its catalogue, the
    values come with the job, as from every Farmhand client."""
    by_id = {p.package_id: p for p in products.catalogue.packages}
    try:
        merged = merge_environment([by_id[i] for i in package_ids], project.environment)
    except EnvironmentMergeError as error:
        raise InvalidRequestError(error.message, field="project_env") from None
    return dict(merged.values)


def build_payload(
    project: Any,
    products: LocalProducts,
    remote_files: Sequence[str],
    upload_files: List[Dict[str, Any]],
    results_dir: str,
) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """The farm payload and, per Envoy job, what the status needs (its task range...)."""
    jobs = _ordered_checked(project)
    available = set(remote_files)
    tasks: List[Dict[str, Any]] = []
    groups: List[Dict[str, Any]] = []
    ranges: Dict[int, Tuple[int, int]] = {}
    package_ids: List[str] = []
    budgets: List[Dict[str, Any]] = []
    shapes = []
    folders = set()
    for job in jobs:
        scene = remote_scene(project, job)
        if scene not in available:
            raise InvalidRequestError(
                "{} is not among the project's files ({}); add it with add_files, or upload"
                " it first".format(scene, len(available)),
                field="jobs[{!r}].path".format(job.name),
            )
        for package_id in products.package_ids(job.app, job.app_version, job.plugins):
            if package_id not in package_ids:
                package_ids.append(package_id)
        shape = products.machine_type(job.machine_type, job.gpu)
        shapes.append(shape)
        folder = job_folder(job.name)
        if folder in folders:
            raise InvalidRequestError(
                "two jobs would write their results to the folder {!r}".format(folder),
                field="jobs[{!r}].name".format(job.name),
            )
        folders.add(folder)
        frames = job.frame_spec
        size = max(1, int(math.ceil(len(frames) / float(job.instances))))
        stem = os.path.splitext(scene.rsplit("/", 1)[-1])[0] or "render"
        context = TaskContext(
            inputs_path(scene), os.path.join(results_dir, folder), job.params, stem
        )
        command = COMMANDS[job.app]
        first = len(tasks)
        for chunk in chunk_frames(frames, size, "progressions"):
            tasks.append(
                {
                    "command": command(context, chunk),
                    "frames": str(chunk),
                    "title": "{} {}".format(job.name, chunk),
                }
            )
        ranges[id(job)] = (first, len(tasks))
        group: Dict[str, Any] = {
            "name": job.name,
            "app": job.app,
            "app_version": job.app_version,
            "operation": job.operation,
            "path": scene,
            "machine_type": shape.name,
            "folder": folder,
            "tasks": [first, len(tasks)],
            "dependencies": [dep.name for dep in job.dependencies],
            "credits_budget": job.credits_budget,
        }
        groups.append(group)
        if job.credits_budget is not None:
            budgets.append(
                {
                    "name": job.name,
                    "tasks": [first, len(tasks)],
                    "instance_type": shape.name,
                    "core_seconds": job.credits_budget["value"] * CORE_SECONDS_PER_CREDIT,
                    "action": job.credits_budget["action"],
                }
            )
    for job in jobs:
        needs = sorted(
            index for dep in job.dependencies for index in range(*ranges[id(dep)])
        )
        if needs:
            for index in range(*ranges[id(job)]):
                tasks[index]["depends_on"] = needs
    widest = max(shapes, key=lambda s: s.cores)
    environment = job_environment(project, products, package_ids)
    payload: Dict[str, Any] = {
        "job_title": "{}: {}".format(project.name, project.submission_name),
        "project": FARM_PROJECT,
        "instance_type": widest.name,
        "output_path": results_dir,
        "tasks_data": tasks,
        "software_package_ids": package_ids,
        "environment": environment,
        "upload_files": upload_files,
        "local_upload": True,
        "metadata": {
            "envoy_project": project.name,
            "envoy_submission": project.submission_name,
            "envoy_jobs": ", ".join(
                "{} ({} {}, {})".format(g["name"], APPS[g["app"]].name, g["app_version"],
                                        g["machine_type"])
                for g in groups
            ),
        },
    }
    if budgets:
        payload["budgets"] = budgets
    return payload, groups
