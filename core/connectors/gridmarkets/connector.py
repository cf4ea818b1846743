"""The ``gridmarkets`` farm: a payload sent as a GridMarkets project through the Envoy
service (``GRIDMARKETS_ENVOY_URL``, default ``http://localhost:8090``; credentials in
``GRIDMARKETS_EMAIL`` and ``GRIDMARKETS_ACCESS_KEY``).

``export`` writes the ``/project-submit`` body (``project.json``) without reaching the service
when the metadata names the product (``translate``). Envoy uploads the files, GridMarkets
renders, Envoy downloads the results to ``output_path``; status is the project's. Envoy's
client API has no listing, logs, kill, retry or release: those say so. No Envoy service
runs on this workstation; the tests use a stand-in that answers as the published client
expects. The seed-style library is ``farmhand.api.envoy``.
"""

import json
import os
import threading
import time
from typing import Any, Dict, List, Mapping, Optional

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult
from farmhand.core.connectors.capabilities import Capabilities, payload_of
from farmhand.core.connectors.folder_engine import unsupported
from farmhand.core.connectors.gridmarkets.envoy_service import (
    DEFAULT_URL,
    URL_VARIABLE,
    EnvoyService,
)
from farmhand.core.connectors.gridmarkets.translate import catalogue_from_products, translate
from farmhand.core.connectors.job_request import job_request
from farmhand.core.errors import CancelledError, InputError
from farmhand.core.transfer.progress import ProgressCallback, emit_phase
from farmhand.core.validation.report import INFO, WARNING, Message

EMAIL_VARIABLE = "GRIDMARKETS_EMAIL"
KEY_VARIABLE = "GRIDMARKETS_ACCESS_KEY"
PROJECT_FILE = "project.json"
# Envoy's project states as the states every connector reports.
STATES = {
    "uploading": "pending",
    "uploaded": "pending",
    "submitted": "pending",
    "queued": "pending",
    "running": "running",
    "processing": "running",
    "downloading": "running",
    "completed": "success",
    "failed": "failed",
    "error": "failed",
    "stopped": "killed",
    "cancelled": "killed",
}


class GridMarketsConnector(Connector):
    name = "gridmarkets"
    summary = "GridMarkets: a project sent through the Envoy service (GRIDMARKETS_ENVOY_URL)"
    capabilities = Capabilities(
        ("uploads", "max_instances", "outputs"),
        notes={
            "scouts": "the scout frames are a first job of the project; the job of the other"
            " frames depends on it",
            "dependencies": "GridMarkets orders whole jobs, not tasks (farmhand.api.envoy"
            " submits projects of dependent jobs)",
            "uploads": "Envoy uploads the job's files from their folder",
            "per_task_env": "a GridMarkets job has no environment of its own",
            "priority": "GridMarkets has no job priority",
            "max_instances": "the job's instances",
            "retries": "GridMarkets retries by its own rules",
            "preemptible": "GridMarkets chooses its machines",
            "notify": "GridMarkets notifies by the account's settings",
            "outputs": "Envoy downloads the results to output_path",
        },
        scout_stage=True,
    )

    def __init__(
        self, url: str = DEFAULT_URL, email: Optional[str] = None, access_key: Optional[str] = None
    ) -> None:
        self.service = EnvoyService(url, email, access_key)

    @classmethod
    def from_environment(
        cls, environ: Optional[Mapping[str, str]] = None
    ) -> "GridMarketsConnector":
        env = os.environ if environ is None else environ
        return cls(
            env.get(URL_VARIABLE, "").strip() or DEFAULT_URL,
            env.get(EMAIL_VARIABLE, "").strip() or None,
            env.get(KEY_VARIABLE, "").strip() or None,
        )

    def describe(self) -> str:
        return "GridMarkets through the Envoy service at {}".format(self.service.url)

    def close(self) -> None:
        self.service.close()

    def catalogue(self) -> Catalogue:
        return catalogue_from_products(self.service.products())

    def validate(self, submission: Any) -> List[Message]:
        payload = payload_of(submission)
        metadata = payload.get("metadata")
        own_frames = isinstance(metadata, Mapping) and "gridmarkets_frames" in metadata
        messages = []
        for message in super().validate(submission):
            if message.field == "scout_frames":
                message = Message(
                    WARNING if own_frames else INFO,
                    "scout_frames",
                    "the gridmarkets farm will not honour the scout frames: metadata"
                    " gridmarkets_frames names the frames of one job" if own_frames else
                    "the gridmarkets farm renders the scout frames as a first job of the"
                    " project; the job of the other frames depends on it and starts once they"
                    " have rendered (Envoy has no release)",
                )
            messages.append(message)
        if payload.get("tasks_data"):
            messages.append(
                Message(
                    WARNING,
                    "tasks_data",
                    "the gridmarkets farm does not run the tasks' commands: GridMarkets renders"
                    " the scene with the product's own command over all the tasks' frames",
                )
            )
        if payload.get("environment"):
            messages.append(
                Message(WARNING, "environment", "the gridmarkets farm does not set environment")
            )
        return messages

    def _body(
        self, submission: Any, extra: Optional[Mapping[str, Any]], reach: bool
    ) -> Dict[str, Any]:
        request = job_request(submission, extra)
        metadata = request.payload.get("metadata") or {}
        offline = "gridmarkets_app" in metadata and "gridmarkets_app_version" in metadata
        catalogue = None if offline or not reach else self.catalogue()
        _, body = translate(request.payload, request.files, catalogue)
        return body

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        body = self._body(submission, extra, reach=True)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, PROJECT_FILE)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(body, handle, indent=2, sort_keys=True)
            handle.write("\n")
        return [path]

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        if not (self.service.email and self.service.access_key):
            raise InputError(
                "the gridmarkets farm needs {} and {} (the Envoy account)".format(
                    EMAIL_VARIABLE, KEY_VARIABLE
                ),
                field=EMAIL_VARIABLE,
            )
        self.service.validate_auth()
        body = self._body(submission, extra, reach=True)
        credits = self.service.credits_available()
        if credits <= 0:
            raise InputError(
                "the GridMarkets account has {} credits; nothing was submitted".format(credits),
                field="credits",
            )
        if cancel is not None and cancel.is_set():
            raise CancelledError("submission cancelled; no job was submitted")
        emit_phase(progress, "submitting", "sending the project to {}".format(self.describe()))
        answer = self.service.submit(body)
        name = str(body["project_files"]["remoteRoot"]).lstrip("/")
        result = SubmitResult(name, "", answer if isinstance(answer, dict) else {}, 201)
        result.files = len(body["project_files"]["files"])
        result.seconds = time.monotonic() - started
        emit_phase(progress, "done", "project {} submitted".format(name))
        return result

    def status(self, job_id: str) -> JobInfo:
        answer = self.service.project_status(job_id)
        state = STATES.get(str(answer.get("State", "")).lower(), "pending")
        return JobInfo(
            job_id, job_id, state, {state: 1}, 1, created_at=None, raw=dict(answer), tasks=[]
        )

    def jobs(self) -> List[JobInfo]:
        raise unsupported(self.name, "list projects", "Envoy's window lists them")

    def logs(self, job_id: str, task_id: str) -> str:
        raise unsupported(self.name, "read task logs", "GridMarkets' web portal shows them")

    def kill(self, job_id: str) -> None:
        raise unsupported(self.name, "stop a project", "stop it in GridMarkets' web portal")

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        raise unsupported(self.name, "retry tasks", "resubmit the project")

    def release(self, job_id: str) -> None:
        raise unsupported(
            self.name,
            "release scout tasks",
            "the job of the other frames starts once the scout job has rendered",
        )
