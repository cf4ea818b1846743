"""The ``tractor`` farm: a payload spooled as a Tractor job script.

The job script is what ``farmhand.api.tractor.author`` prints for the payload
(``payload_job``), the ``.alf`` text Tractor users know, spooled over HTTP the way Tractor's
own clients spool (``POST /Tractor/spool``). The engine is ``TRACTOR_ENGINE`` (``host`` or
``host:port``) when set, else the local farm on this workstation, which serves Tractor's spool
route and runs the job for real. ``TRACTOR_SERVICE`` sets the job's service key (which blades
may run it) for a real engine.

Tractor runs on a shared filesystem: nothing is uploaded. Following a job, its logs, killing
and retrying are done through the local farm when that is the engine; a real Tractor engine
is watched in its own Dashboard (its query API needs a Tractor login, which Farmhand does not
hold).

This connector lives with the authoring API it spools (``farmhand.api``), which core may not
import; the registry names it by module path, as every farm.
"""

import os
import threading
import time
from typing import Any, List, Mapping, Optional, Tuple

from farmhand.api.tractor.author.engine import EngineClient, parse_engine
from farmhand.api.tractor.author.errors import AuthorError
from farmhand.api.tractor.payload_job import tractor_script
from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult
from farmhand.core.connectors.capabilities import Capabilities, payload_of
from farmhand.core.connectors.native_folder import write_folder
from farmhand.core.errors import CancelledError, InputError, UnsupportedError
from farmhand.core.transfer.progress import ProgressCallback

SCRIPT_FILE = "job.alf"


class TractorConnector(Connector):
    name = "tractor"
    summary = "a Tractor engine (TRACTOR_ENGINE), else the local farm's Tractor spool route"
    capabilities = Capabilities(
        ("scouts", "dependencies", "per_task_env", "priority"),
        notes={
            "scouts": "a 'Scout frames' task runs before the 'Frames' task (serialsubtasks)",
            "dependencies": "a task's depends_on become its subtasks (Instance when shared)",
            "per_task_env": "each command runs under /usr/bin/env NAME=value",
            "uploads": "Tractor blades read a shared filesystem; nothing is sent",
            "max_instances": "Tractor limits running tasks with its own limits, not per job",
            "retries": "Tractor job scripts have no retry count; retry from the Dashboard",
            "preemptible": "Tractor has no preemptible machines",
            "notify": "Tractor sends no job email from a job script",
            "outputs": "the tasks write their outputs in place",
        },
    )

    def __init__(self, engine: Optional[Tuple[str, int]] = None, service: str = "") -> None:
        self.engine = engine
        self.service = service
        self.client = EngineClient()
        self._local: Optional[Connector] = None

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "TractorConnector":
        env = os.environ if environ is None else environ
        text = env.get("TRACTOR_ENGINE", "").strip()
        try:
            engine = parse_engine(text) if text else None
        except AuthorError as error:
            raise InputError(error.message, field="TRACTOR_ENGINE") from None
        return cls(engine, env.get("TRACTOR_SERVICE", "").strip())

    def describe(self) -> str:
        if self.engine is None:
            return "the local farm's Tractor spool route"
        return "Tractor engine at {}:{}".format(*self.engine)

    def catalogue(self) -> Catalogue:
        if self.engine is None:
            return self._local_farm().catalogue()
        return Catalogue()

    def script(self, submission: Any, extra: Optional[Mapping[str, Any]] = None) -> str:
        payload = payload_of(submission)
        payload.update(extra or {})
        return tractor_script(payload, self.service or None)

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        written = write_folder(folder, {SCRIPT_FILE: self.script(submission, extra)})
        return [os.path.join(written, SCRIPT_FILE)]

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        payload = payload_of(submission)
        payload.update(extra or {})
        script = tractor_script(payload, self.service or None)
        if cancel is not None and cancel.is_set():
            raise CancelledError("submission cancelled; no job was submitted")
        owner = str(payload.get("owner") or "").strip() or None
        host, port = self.engine if self.engine is not None else (None, None)
        jid = self.client.spool(script, block=True, owner=owner, hostname=host, port=port)
        result = SubmitResult(self.job_id_text(jid), "", {"jid": jid}, 200)
        result.seconds = time.monotonic() - started
        return result

    def job_id_text(self, jid: int) -> str:
        """The id the job is followed by: the local farm's own job id for its jid."""
        return str(jid).zfill(5) if self.engine is None else str(jid)

    # -- following a job: through the local farm when it is the engine ---------------------
    def _local_farm(self) -> Connector:
        if self.engine is not None:
            raise UnsupportedError(
                "jobs on the Tractor engine at {}:{} are followed in Tractor's Dashboard;"
                " Farmhand follows Tractor jobs it spooled to the local farm".format(*self.engine),
                self.name,
            )
        if self._local is None:
            from farmhand.core.connectors.conductor.local_connector import LocalFarmConnector

            self._local = LocalFarmConnector.from_environment()
        return self._local

    def jobs(self) -> List[JobInfo]:
        return self._local_farm().jobs()

    def status(self, job_id: str) -> JobInfo:
        return self._local_farm().status(job_id)

    def job(self, job_id: str, wait: float = 0.0, revision: Optional[int] = None) -> JobInfo:
        return self._local_farm().job(job_id, wait, revision)

    def logs(self, job_id: str, task_id: str) -> str:
        return self._local_farm().logs(job_id, task_id)

    def kill(self, job_id: str) -> None:
        self._local_farm().kill(job_id)

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        self._local_farm().retry(job_id, task_id)

    def release(self, job_id: str) -> None:
        self._local_farm().release(job_id)

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()
            self._local = None
