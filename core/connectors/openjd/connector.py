"""The ``openjd`` farm: AWS Deadline Cloud, through OpenJD job bundles and the ``deadline`` CLI.

``export`` writes the job bundle (``bundle``); ``submit`` writes it under the farm's jobs
folder (``FARMHAND_OPENJD_JOBS``, else ``FARMHAND_HOME/openjd/jobs``), then runs
``deadline bundle submit --yes --output json <bundle>``, which uploads the files the bundle
lists (job attachments) and creates the job in the farm and queue ``deadline config``
names. Cancelling and retrying go through ``deadline job cancel`` / ``requeue-tasks``;
following a job, its logs and outputs are in Deadline Cloud's monitor (``deadline job get``,
``deadline job logs``, ``deadline job download-output``).

The ``deadline`` CLI (``pip install deadline``, Python 3.8+) and an AWS account are not part of
this workstation's set-up, so submission is not exercised by Farmhand's tests; the bundles are
(``openjd check`` and ``openjd run``).
"""

import json
import os
import threading
import time
from typing import Any, List, Mapping, Optional

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult
from farmhand.core.connectors.capabilities import Capabilities, payload_of
from farmhand.core.connectors.folder_engine import (
    find_tool,
    jobs_folder,
    new_job_folder,
    run_tool,
    unsupported,
    written_paths,
)
from farmhand.core.connectors.native_folder import write_folder
from farmhand.core.connectors.openjd.bundle import bundle_files
from farmhand.core.errors import CancelledError, FarmConnectionError
from farmhand.core.transfer.progress import ProgressCallback

DEADLINE = "deadline"
INSTALL = "pip install deadline, then `deadline config set defaults.farm_id ...` and queue_id"
MONITOR = "use Deadline Cloud's monitor or `deadline job get --job-id ID`"


class OpenJDConnector(Connector):
    name = "openjd"
    summary = "AWS Deadline Cloud: an OpenJD job bundle submitted with the deadline CLI"
    capabilities = Capabilities(
        ("dependencies", "uploads", "per_task_env", "priority", "max_instances", "retries"),
        notes={
            "scouts": "the scout tasks are a first step the other steps depend on",
            "dependencies": "steps wait for whole steps: a task waits for every task of the"
            " steps its dependencies are in",
            "uploads": "listed in asset_references.yaml for job attachments; commands keep"
            " their paths, so workers need the same paths (a shared storage profile)",
            "priority": "Deadline's 0-100 scale, ten times Farmhand's",
            "max_instances": "deadline:maxWorkerCount",
            "retries": "deadline:maxRetriesPerTask (failed tasks)",
            "preemptible": "the queue's fleets decide where jobs run",
            "notify": "Deadline Cloud sends no job email",
            "outputs": "download them with `deadline job download-output`",
        },
    )

    def __init__(self, jobs: str) -> None:
        self.jobs_path = jobs

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "OpenJDConnector":
        env = os.environ if environ is None else environ
        return cls(jobs_folder("openjd", "FARMHAND_OPENJD_JOBS", env))

    def describe(self) -> str:
        return "AWS Deadline Cloud (job bundles in {})".format(self.jobs_path)

    def catalogue(self) -> Catalogue:
        return Catalogue()

    def _payload(self, submission: Any, extra: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
        payload = payload_of(submission)
        payload.update(extra or {})
        return payload

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        files, _ = bundle_files(self._payload(submission, extra))
        written = write_folder(folder, files)
        return written_paths(written, [name for name in files if "/" not in name] + ["tasks"])

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        payload = self._payload(submission, extra)
        files, _ = bundle_files(payload)
        folder = write_folder(new_job_folder(self.jobs_path, str(payload.get("job_title"))), files)
        program = find_tool(
            DEADLINE,
            self.name,
            "AWS Deadline Cloud's CLI",
            INSTALL + "; the job bundle is in " + folder,
        )
        if cancel is not None and cancel.is_set():
            raise CancelledError("submission cancelled; no job was submitted")
        argv = [program, "bundle", "submit", "--yes", "--output", "json"]
        max_instances = payload.get("max_instances") or 0
        if max_instances:
            argv += ["--max-worker-count", str(max_instances)]
        output = run_tool(argv + [folder], self.name)
        answer = _last_json(output)
        job_id = answer.get("jobId") if answer else None
        if not isinstance(job_id, str):
            raise FarmConnectionError(
                "`deadline bundle submit` did not answer with a job id: {!r}".format(
                    output.strip()[-500:]
                )
            )
        result = SubmitResult(job_id, "", dict(answer or {}), 200)
        result.seconds = time.monotonic() - started
        return result

    def jobs(self) -> List[JobInfo]:
        raise unsupported(self.name, "list Deadline Cloud jobs", MONITOR)

    def status(self, job_id: str) -> JobInfo:
        raise unsupported(self.name, "follow Deadline Cloud job {}".format(job_id), MONITOR)

    def logs(self, job_id: str, task_id: str) -> str:
        raise unsupported(
            self.name, "read task logs", "use `deadline job logs --job-id {}`".format(job_id)
        )

    def kill(self, job_id: str) -> None:
        program = find_tool(DEADLINE, self.name, "AWS Deadline Cloud's CLI", INSTALL)
        run_tool([program, "job", "cancel", "--job-id", job_id, "--yes"], self.name)

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        program = find_tool(DEADLINE, self.name, "AWS Deadline Cloud's CLI", INSTALL)
        run_tool([program, "job", "requeue-tasks", "--job-id", job_id, "--yes"], self.name)

    def release(self, job_id: str) -> None:
        raise unsupported(
            self.name, "release held tasks", "its steps start when the steps before them end"
        )


def _last_json(output: str) -> Optional[Mapping[str, Any]]:
    for line in reversed(output.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, Mapping):
                return value
    return None
