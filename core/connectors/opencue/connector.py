"""The ``opencue`` farm: a job spec built with pyoutline, launched on Cuebot with pycue.

``export`` writes the spec (``job.xml``) and the task scripts it runs; ``submit`` writes them
under the farm's jobs folder (``FARMHAND_OPENCUE_JOBS``: a folder the render hosts see at the
same path, since every layer runs ``/bin/sh <folder>/tasks/<n>.sh``), checks what Cuebot
would refuse (``cuebot_problems``), then launches the spec with ``opencue.api`` on the Cuebot
named by ``CUEBOT_HOSTS`` (or pycue's own config). The job's show is the payload's project
(``FARMHAND_OPENCUE_SHOW`` overrides), its shot ``metadata.shot`` (or
``FARMHAND_OPENCUE_SHOT``), its layers' service ``FARMHAND_OPENCUE_SERVICE`` (``shell``).

No Cuebot runs on this workstation, so launching and following jobs are not exercised by
Farmhand's tests (there is no stand-in Cuebot); the specs are, against Cuebot's DTD.
pycue and pyoutline are imported only when used.
"""

import os
import threading
import time
from typing import Any, Dict, List, Mapping, Optional

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult, TaskInfo
from farmhand.core.connectors.capabilities import Capabilities, payload_of
from farmhand.core.connectors.folder_engine import (
    jobs_folder,
    new_job_folder,
    unsupported,
    written_paths,
)
from farmhand.core.connectors.native_folder import write_folder
from farmhand.core.connectors.opencue.spec import (
    SPEC_FILE,
    CueSettings,
    cuebot_problems,
    spec_files,
)
from farmhand.core.errors import CancelledError, FarmConnectionError, InputError, UnsupportedError
from farmhand.core.transfer.progress import ProgressCallback

# Cuebot's frame states as the task states every connector reports.
FRAME_STATES = {
    "WAITING": "waiting",
    "DEPEND": "waiting",
    "SETUP": "running",
    "RUNNING": "running",
    "CHECKPOINT": "running",
    "SUCCEEDED": "success",
    "DEAD": "failed",
    "EATEN": "killed",
}


class OpenCueConnector(Connector):
    name = "opencue"
    summary = "OpenCue: a pyoutline job spec launched on the Cuebot in CUEBOT_HOSTS"
    capabilities = Capabilities(
        ("dependencies", "per_task_env", "priority", "retries", "notify"),
        notes={
            "scouts": "the scout tasks are a first layer the other layers depend on",
            "dependencies": "LAYER_ON_LAYER for whole stages, FRAME_ON_FRAME for single tasks",
            "uploads": "render hosts read a shared filesystem; nothing is sent",
            "retries": "at most 1 retry per frame (Cuebot's limit)",
            "notify": "the job's email element",
            "max_instances": "OpenCue limits cores per job and show, not tasks",
            "preemptible": "OpenCue has no preemptible hosts",
            "outputs": "the tasks write their outputs in place",
        },
    )

    def __init__(self, jobs: str, settings: CueSettings, cuebot_hosts: str = "") -> None:
        self.jobs_path = jobs
        self.settings = settings
        self.cuebot_hosts = cuebot_hosts

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "OpenCueConnector":
        env = os.environ if environ is None else environ
        settings = CueSettings(
            show=env.get("FARMHAND_OPENCUE_SHOW", "").strip() or None,
            shot=env.get("FARMHAND_OPENCUE_SHOT", "").strip() or None,
            service=env.get("FARMHAND_OPENCUE_SERVICE", "").strip() or "shell",
        )
        return cls(
            jobs_folder("opencue", "FARMHAND_OPENCUE_JOBS", env),
            settings,
            env.get("CUEBOT_HOSTS", "").strip(),
        )

    def describe(self) -> str:
        return "OpenCue at {}".format(self.cuebot_hosts or "(no CUEBOT_HOSTS)")

    def catalogue(self) -> Catalogue:
        return Catalogue()

    def _files(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]]
    ) -> Dict[str, str]:
        payload = payload_of(submission)
        payload.update(extra or {})
        files, _ = spec_files(payload, os.path.abspath(folder), self.settings)
        return files

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        written = write_folder(folder, self._files(submission, folder, extra))
        return written_paths(written, [SPEC_FILE, "tasks"])

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        if not self.cuebot_hosts and not os.environ.get("OPENCUE_CONFIG_FILE"):
            raise UnsupportedError(
                "the opencue farm needs a Cuebot: set CUEBOT_HOSTS (host[,host...]) or"
                " OPENCUE_CONFIG_FILE",
                self.name,
            )
        title = str(payload_of(submission).get("job_title") or "")
        folder = new_job_folder(self.jobs_path, title)
        files = self._files(submission, folder, extra)
        problems = cuebot_problems(files[SPEC_FILE])
        if problems:
            raise InputError("Cuebot would refuse this job: " + "; ".join(problems), "owner")
        write_folder(folder, files)
        if cancel is not None and cancel.is_set():
            raise CancelledError("submission cancelled; no job was submitted")
        api = self._api()
        try:
            launched = api.launchSpecAndWait(files[SPEC_FILE])
        except Exception as error:  # pycue raises its own CueException family and gRPC errors
            raise FarmConnectionError(
                "Cuebot at {} refused or did not take the job: {}".format(self.cuebot_hosts, error)
            ) from None
        names = [job.name() for job in launched]
        result = SubmitResult(names[0] if names else "", "", {"jobs": names}, 200)
        result.seconds = time.monotonic() - started
        return result

    def _api(self) -> Any:
        try:
            import opencue  # type: ignore[import-untyped]
        except ImportError as error:
            raise UnsupportedError(
                "the opencue farm needs OpenCue's pycue ({}): pip install opencue-pycue".format(
                    error
                ),
                self.name,
            ) from None
        if self.cuebot_hosts:
            opencue.Cuebot.setHosts(self.cuebot_hosts.split(","))
        return opencue.api

    def _job(self, job_id: str) -> Any:
        try:
            return self._api().findJob(job_id)
        except Exception as error:
            raise InputError(
                "no OpenCue job {!r} on {}: {}".format(job_id, self.cuebot_hosts, error), "job_id"
            ) from None

    def jobs(self) -> List[JobInfo]:
        raise unsupported(self.name, "list every OpenCue job", "use CueGUI or cueadmin")

    def status(self, job_id: str) -> JobInfo:
        job = self._job(job_id)
        tasks = []
        for frame in job.getFrames():
            name = self._api().job_pb2.FrameState.Name(frame.state())
            state = FRAME_STATES.get(name, "waiting")
            tasks.append(
                TaskInfo(
                    job_id,
                    str(frame.number()),
                    state,
                    command="{}/tasks/{}.sh".format(self.jobs_path, frame.number()),
                    exit_code=frame.exitStatus(),
                    scout=frame.layer() == "scout",
                )
            )
        counts: Dict[str, int] = {}
        for task in tasks:
            counts[task.status] = counts.get(task.status, 0) + 1
        return JobInfo(job_id, job.name(), str(job.state()), counts, len(tasks), tasks=tasks)

    def logs(self, job_id: str, task_id: str) -> str:
        raise unsupported(self.name, "read frame logs", "CueGUI shows them (the job's log folder)")

    def kill(self, job_id: str) -> None:
        self._job(job_id).kill(reason="killed with Farmhand")

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        self._job(job_id).retryFrames()

    def release(self, job_id: str) -> None:
        raise unsupported(
            self.name, "release held tasks", "its layers start when the layers they depend on end"
        )
