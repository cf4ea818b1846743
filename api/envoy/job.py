"""``Job``: one product run (application, version, operation, file, frames) inside a project.

Its application parameters are checked against the seed's table for that application
(``app_params``) when it is made; what depends on the farm (the version, the machine type,
the plugins) is checked when the project is submitted.
"""

import math
import uuid
from typing import Any, Dict, List, Optional, Sequence

from farmhand.api.envoy.app_params import app_spec, check_params
from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.api.envoy.frames import parse_frame_ranges
from farmhand.core.frames import FrameSpec

BUDGET_ACTIONS = ("stop", "suspend", "alert")


class Job(object):
    CREDITS_BUDGET_ACTION_STOP = "stop"
    CREDITS_BUDGET_ACTION_SUSPEND = "suspend"
    CREDITS_BUDGET_ACTION_ALERT = "alert"

    def __init__(
        self,
        name: str,
        app: str,
        app_version: str,
        operation: Optional[str] = None,
        path: str = "",
        instances: int = 1,
        machine_type: str = "",
        plugins: Optional[Sequence[str]] = None,
        **params: Any
    ) -> None:
        spec = app_spec(app)
        if not isinstance(name, str) or not name.strip():
            raise InvalidRequestError("expected a job name, got {!r}".format(name), field="name")
        if not isinstance(app_version, str) or not app_version.strip():
            raise InvalidRequestError(
                "expected a {} version (see the product resolver), got {!r}".format(
                    spec.name, app_version
                ),
                field="app_version",
            )
        operation = spec.default_operation if operation is None else operation
        if operation not in spec.operations:
            raise InvalidRequestError(
                "{} jobs support the operations {}, not {!r}".format(
                    spec.name, ", ".join(spec.operations), operation
                ),
                field="operation",
            )
        if not isinstance(path, str) or not path.strip():
            raise InvalidRequestError(
                "expected the {} file to run, relative to the project's remote folder"
                " ('/<project>/scene.ext'), got {!r}".format(spec.name, path),
                field="path",
            )
        if "\\" in path:
            raise InvalidRequestError(
                "remote paths use forward slashes, got {!r}".format(path), field="path"
            )
        if isinstance(instances, bool) or not isinstance(instances, int) or instances < 1:
            raise InvalidRequestError(
                "expected a whole number of at least 1, got {!r}".format(instances),
                field="instances",
            )
        if machine_type is None:
            machine_type = ""
        if not isinstance(machine_type, str):
            raise InvalidRequestError(
                "expected a machine type id (see get_machines) or '', got {!r}".format(
                    machine_type
                ),
                field="machine_type",
            )
        if plugins is None:
            plugins = []
        elif isinstance(plugins, str):
            plugins = [plugins]
        if not isinstance(plugins, (list, tuple)) or not all(isinstance(p, str) for p in plugins):
            raise InvalidRequestError(
                "expected a list of plugin codes (like ['mtoa']), got {!r}".format(plugins),
                field="plugins",
            )
        check_params(app, params)
        self.frame_spec: FrameSpec = parse_frame_ranges(params["frames"])
        self.id = str(uuid.uuid4())
        self.name = name
        self.app = app
        self.app_version = app_version
        self.operation = operation
        self.path = path
        self.instances = instances
        self.machine_type = machine_type
        self.plugins: List[str] = list(plugins)
        self.params: Dict[str, Any] = dict(params)
        self.dependencies: List["Job"] = []
        self.credits_budget: Optional[Dict[str, Any]] = None
        self.project: Any = None

    def add_dependencies(self, *jobs: "Job") -> None:
        """This job runs once every one of ``jobs`` has finished successfully."""
        for job in jobs:
            if not isinstance(job, Job):
                raise InvalidRequestError(
                    "expected Job objects, got {!r}".format(job), field="dependencies"
                )
            if job is self:
                raise InvalidRequestError(
                    "job {!r} cannot depend on itself".format(self.name), field="dependencies"
                )
            if job not in self.dependencies:
                self.dependencies.append(job)

    def set_credits_budget(self, value: float, action: str = CREDITS_BUDGET_ACTION_STOP) -> None:
        """Stop, suspend or alert once the job has used ``value`` credits."""
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value <= 0
        ):
            raise InvalidRequestError(
                "expected a number of credits above 0, got {!r}".format(value),
                field="credits_budget",
            )
        if action not in BUDGET_ACTIONS:
            raise InvalidRequestError(
                "unknown action {!r}; valid actions: {} (Job.CREDITS_BUDGET_ACTION_STOP,"
                " _SUSPEND, _ALERT)".format(action, ", ".join(BUDGET_ACTIONS)),
                field="credits_budget",
            )
        self.credits_budget = {"value": float(value), "action": action}

    @property
    def gpu(self) -> bool:
        return bool(self.params.get("gpu", False))

    def serialize(self, project: Any = None) -> Dict[str, Any]:
        """The job as the Envoy service takes it (the seed client's form)."""
        project = project or self.project
        params = dict(self.params)
        if project is not None:
            params.setdefault("output_dir_name", project.output_folder_name)
            params.setdefault("output_upload", ["{}/.+".format(project.remote_output_folder)])
        params.setdefault("billing_meta", [self.app] + list(self.plugins))
        data: Dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "app": self.app,
            "app_version": self.app_version,
            "operation": self.operation,
            "path": self.path,
            "instances": self.instances,
            "machine_type": self.machine_type,
            "plugins": list(self.plugins),
            "params": params,
            "dependencies": [job.id for job in self.dependencies],
        }
        if self.credits_budget is not None:
            data["credits_budget"] = dict(self.credits_budget)
        return data

    def __repr__(self) -> str:
        return "Job({!r}, {!r}, {!r})".format(self.name, self.app, self.app_version)
