"""The Conductor-protocol connector: the local farm and any Conductor-compatible service.

Submit = hash (cached, parallel) -> ask which md5s the farm lacks -> upload only those ->
create the job (under one Idempotency-Key, retried: ``create_job``). The job is created only
after every upload was verified by the farm, and never after ``cancel`` is set, so a
cancelled or failed submit leaves no job behind.
"""

import json
import os
import threading
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult
from farmhand.core.connectors.capabilities import Capabilities
from farmhand.core.connectors.conductor import downloads
from farmhand.core.connectors.conductor.create_job import (
    LOST_UPLOAD_ROUNDS,
    create_job,
    lost_upload,
    new_key,
)
from farmhand.core.connectors.conductor.credentials import (
    ApiKey,
    api_key_from_environment,
    parse_api_key,
)
from farmhand.core.connectors.conductor.records import job_from_record, task_from_record
from farmhand.core.connectors.conductor.send_files import send_files, wants_force
from farmhand.core.connectors.conductor.transport import ConductorHttp, FarmRejectedError
from farmhand.core.connectors.job_request import JobRequest, job_request
from farmhand.core.errors import CancelledError, FarmConnectionError, InputError
from farmhand.core.transfer.files import upload_file_entry
from farmhand.core.transfer.hashing import HashReport, hash_files
from farmhand.core.transfer.md5_cache import Md5Cache, open_cache
from farmhand.core.transfer.progress import ProgressCallback, emit_phase


class ConductorConnector(Connector):
    name = "conductor"
    summary = "a Conductor-compatible service at $CONDUCTOR_URL (key in CONDUCTOR_API_KEY)"
    capabilities = Capabilities(
        ("scouts", "uploads", "priority", "max_instances", "retries", "preemptible", "notify"),
        notes={
            "dependencies": "the Conductor protocol has no task dependencies",
            "per_task_env": "the Conductor protocol has one environment per job",
            "outputs": "fetched on request (Connector.fetch_outputs) or by the service's own"
            " downloader, not to output_path by themselves",
        },
    )

    # Pauses between attempts to create the job (None: create_job's doubling pauses).
    submit_retry_delays: Optional[Sequence[float]] = None

    def __init__(
        self,
        url: str,
        api_key: Union[ApiKey, str, Mapping[str, Any]],
        label: str = "",
        cache: Optional[Md5Cache] = None,
    ) -> None:
        if not isinstance(api_key, ApiKey):
            api_key = parse_api_key(api_key, label or url)
        self.http = ConductorHttp(url, api_key)
        self.label = label or "Conductor-compatible service"
        self._cache = cache
        self._own_cache = cache is None

    @classmethod
    def from_environment(
        cls, environ: Optional[Mapping[str, str]] = None
    ) -> "ConductorConnector":
        """The service ``CONDUCTOR_URL`` names, with the key in ``CONDUCTOR_API_KEY`` (or
        ``CONDUCTOR_API_KEY_PATH``), as Conductor's own tools find it."""
        env = os.environ if environ is None else environ
        url = (env.get("CONDUCTOR_URL") or "").strip()
        if not url:
            raise InputError(
                "the conductor farm needs CONDUCTOR_URL (and CONDUCTOR_API_KEY) to be set",
                field="farm",
            )
        return cls.at_url(url, env)

    @classmethod
    def at_url(cls, url: str, environ: Optional[Mapping[str, str]] = None) -> "ConductorConnector":
        """A Conductor-compatible service at ``url``; its key from the environment."""
        env = os.environ if environ is None else environ
        rest = url.split("://", 1)[1] if "://" in url else ""
        if not url.startswith(("http://", "https://")) or not rest.split("/", 1)[0] or " " in url:
            raise InputError("farm URL {!r} has no host".format(url), field="farm")
        key = api_key_from_environment(env)
        if key is None:
            raise InputError(
                "no API key for {}: set CONDUCTOR_API_KEY (or CONDUCTOR_API_KEY_PATH)".format(
                    url
                ),
                field="api_key",
            )
        return cls(url, key, "Conductor-compatible service")

    @classmethod
    def over(cls, http: ConductorHttp, label: str) -> "ConductorConnector":
        """A connector on a transport that already holds a token (the local farm's, which
        was exchanged to check that the farm answers): no second exchange."""
        connector = cls(http.url, http.api_key, label)
        connector.http = http  # the one made above holds no connection yet
        return connector

    @property
    def url(self) -> str:
        return self.http.url

    def describe(self) -> str:
        return "{} at {}".format(self.label, self.http.url)

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        """The protocol's native form is the payload itself: ``payload.json`` as it would be
        sent, before uploads add their md5s."""
        return [write_payload(submission, folder, extra)]

    def close(self) -> None:
        self.http.close()
        if self._own_cache and self._cache is not None:
            self._cache.close()
            self._cache = None

    def _md5_cache(self) -> Optional[Md5Cache]:
        if self._cache is None and self._own_cache:
            self._cache = open_cache()
        return self._cache

    # -- catalogue --------------------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        projects = self.http.json("GET", "/api/v1/projects/").get("data") or []
        types = self.http.json("GET", "/api/v1/instance-types").get("data") or []
        packages = (
            self.http.json("GET", "/api/v1/ee/packages", params={"all": "true"}).get("data") or []
        )
        return Catalogue(
            projects=tuple(
                str(p["name"])
                for p in projects
                if isinstance(p, Mapping) and p.get("status", "active") == "active"
            ),
            instance_types=tuple(InstanceType.from_dict(t) for t in types),
            packages=tuple(SoftwarePackage.from_dict(p) for p in packages),
        )

    # -- submit -----------------------------------------------------------------------------

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        request = job_request(submission, extra)
        _check_cancel(cancel)
        self.http.token()  # bad credentials fail before any file is read
        report = hash_files(
            request.files, cache=self._md5_cache(), progress=progress, cancel=cancel
        )
        _check_cancel(cancel)
        response, uploaded_files, uploaded_bytes = self._upload_and_create(
            submission, request, report, progress, cancel
        )
        try:
            body = response.json()
            job_id = str(body["jobid"])
        except (ValueError, KeyError, TypeError):
            raise FarmConnectionError(
                "the farm at {} accepted the job but its answer has no jobid: {!r}".format(
                    self.url, response.text[:200]
                ),
                url=response.url,
                status=response.status_code,
            ) from None
        result = SubmitResult(
            job_id, str(body.get("uri") or "/jobs/" + job_id), body, response.status_code
        )
        result.files = len(request.files)
        result.hashed_files = report.hashed_files
        result.cached_files = report.cached_files
        result.uploaded_files = uploaded_files
        result.uploaded_bytes = uploaded_bytes
        result.seconds = time.monotonic() - started
        emit_phase(progress, "done", "job {} submitted".format(job_id))
        return result

    def _upload_and_create(
        self,
        submission: Any,
        request: JobRequest,
        report: HashReport,
        progress: Optional[ProgressCallback],
        cancel: Optional[threading.Event],
    ) -> Tuple[Any, int, int]:
        """Send what the farm lacks, then create the job under one Idempotency-Key.

        A farm killed after it verified an upload but before the file reached its store
        forgets the file (``farm/landing.py``) and refuses the job naming its md5; nothing
        was created, so the files it lacks are sent again and the job is created with the
        same key, at most ``LOST_UPLOAD_ROUNDS`` times. Returns the answer and the totals.
        """
        payload = request.payload
        sending = bool(request.files) and payload.get("local_upload", True) is not False
        force = wants_force(submission, payload)
        key = new_key()
        uploaded_files = uploaded_bytes = 0
        for round_number in range(LOST_UPLOAD_ROUNDS + 1):
            if sending:
                uploads = send_files(
                    self.http,
                    request,
                    report,
                    self._md5_cache(),
                    progress,
                    cancel,
                    force=force and round_number == 0,
                )
                uploaded_files += uploads.uploaded_files
                uploaded_bytes += uploads.uploaded_bytes
            payload["upload_files"] = [
                upload_file_entry(local, report.md5s[local.path]) for local in request.files
            ]
            payload["upload_size"] = request.upload_size
            if request.files:
                payload.setdefault("local_upload", True)
            _check_cancel(cancel)
            emit_phase(progress, "submitting", "creating the job on {}".format(self.describe()))
            try:
                response = create_job(self.http, payload, key=key, delays=self.submit_retry_delays)
            except FarmRejectedError as error:
                if not (sending and round_number < LOST_UPLOAD_ROUNDS and lost_upload(error)):
                    raise
                emit_phase(
                    progress,
                    "uploading",
                    "{} no longer holds files it had received ({}); sending them again".format(
                        self.describe(), error.message
                    ),
                )
                continue
            return response, uploaded_files, uploaded_bytes
        raise AssertionError("unreachable")

    # -- jobs -------------------------------------------------------------------------------

    def jobs(self) -> List[JobInfo]:
        data = self.http.json("GET", "/api/v1/jobs").get("data") or []
        return [job_from_record(record) for record in data if isinstance(record, Mapping)]

    def job(self, job_id: str, wait: float = 0.0, revision: Optional[int] = None) -> JobInfo:
        """The job without its tasks; the farm holds the answer (long poll) until its
        revision changes, at most ``wait`` seconds."""
        params: Dict[str, Any] = {}
        if wait > 0 and revision is not None:
            params = {"wait": wait, "revision": revision}
        data = self.http.json("GET", "/api/v1/jobs/{}".format(_job_id(job_id)), params=params)
        return job_from_record(_record(data, self.url))

    def status(self, job_id: str) -> JobInfo:
        jid = _job_id(job_id)
        job = self.http.json("GET", "/api/v1/jobs/{}".format(jid))
        tasks = self.http.json("GET", "/api/v1/jobs/{}/tasks".format(jid)).get("data") or []
        return job_from_record(
            _record(job, self.url), [task_from_record(t) for t in tasks if isinstance(t, Mapping)]
        )

    def fetch_outputs(self, job_id: str, destination: str) -> List[str]:
        """The job's outputs from the service's listing (signed URLs, md5 checked)."""
        return downloads.fetch_outputs(self.http, _job_id(job_id), destination)

    def logs(self, job_id: str, task_id: str) -> str:
        jid, tid = _job_id(job_id), _task_id(task_id)
        data = self.http.json(
            "GET", "/get_log_file", params={"job": jid, "task": tid, "num_lines[]": "0"}
        )
        chunks = []
        for entry in data.get("logs") or []:
            lines = entry.get("log") if isinstance(entry, Mapping) else None
            if isinstance(lines, list):
                chunks.append("\n".join(str(line) for line in lines))
            elif isinstance(lines, str):
                chunks.append(lines)
        text = "\n".join(chunk.rstrip("\n") for chunk in chunks)
        return text + "\n" if text else ""

    def kill(self, job_id: str) -> None:
        self._jobs_action("kill", job_id)

    def release(self, job_id: str) -> None:
        self._jobs_action("release", job_id)

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        if task_id is None:
            self._jobs_action("retry", job_id)
        else:
            self.http.json(
                "PUT",
                "/tasks_multi",
                json_body={
                    "action": "retry",
                    "jobid": _job_id(job_id),
                    "taskids": [_task_id(task_id)],
                },
            )

    def _jobs_action(self, action: str, job_id: str) -> None:
        self.http.json(
            "PUT", "/jobs_multi", json_body={"action": action, "jobids": [_job_id(job_id)]}
        )


def write_payload(
    submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
) -> str:
    """``folder/payload.json``: the payload's canonical text (``Submission.payload_json``)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "payload.json")
    payload_json = getattr(submission, "payload_json", None)
    if callable(payload_json) and not extra:
        text = str(payload_json())
    else:
        payload = dict(submission) if isinstance(submission, Mapping) else submission.to_payload()
        payload.update(extra or {})
        text = json.dumps(payload, indent=2, sort_keys=True) + "\n"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _check_cancel(cancel: Optional[threading.Event]) -> None:
    if cancel is not None and cancel.is_set():
        raise CancelledError("submission cancelled; no job was submitted")


def _record(answer: Mapping[str, Any], url: str) -> Mapping[str, Any]:
    data = answer.get("data")
    if not isinstance(data, Mapping):
        raise FarmConnectionError("the farm at {} answered without a job record".format(url))
    return data


def _numbered(what: str, value: Any, width: int, examples: str) -> str:
    """An id as the farm writes it (zero-padded to ``width``), from ``42`` or ``"00042"``."""
    text = str(value).strip()
    if not text.isdigit():
        raise InputError(
            "{} id {!r} is not a number ({} ids look like {})".format(what, value, what, examples),
            field=what,
        )
    return text.zfill(width)


def _job_id(value: Any) -> str:
    return _numbered("job", value, 5, "00042 or 42")


def _task_id(value: Any) -> str:
    return _numbered("task", value, 3, "003 or 3")
