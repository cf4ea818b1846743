"""Farmhand's upload daemon: sends the files of jobs submitted with ``local_upload: false``.

A host that submits without uploading (the seeds' "Use Upload Daemon": the artist goes on
working while the files travel) leaves a job waiting on the farm with the list of files it
needs and the md5s they had when it was submitted. The daemon asks the farm for such work
(``PUT /uploads/client/next``, only its own ``location``'s when it has one), hashes the
files (the md5 cache makes an unchanged file free), checks each against the md5 the job was
submitted with (the seed's ``enforced_md5s``: a file edited since would render something the
artist did not submit, so the upload fails naming it instead), uploads what the farm lacks
with the same code as a submit (``uploads.py``: parallel, retried, resumable) and reports
``finish``; the farm then starts the job. Any failure is reported with ``fail`` and the job
shows it (a retry of the job hands the upload to a daemon again).

Protocol-level, so it serves the local farm and any Conductor-compatible service.
"""

import json
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Optional

from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.connectors.conductor.uploads import (
    UPLOAD_THREADS,
    negotiate,
    upload_all,
    with_retries,
)
from farmhand.core.errors import FarmConnectionError, FarmhandError, InputError
from farmhand.core.transfer.files import LocalFile
from farmhand.core.transfer.hashing import hash_files
from farmhand.core.transfer.md5_cache import Md5Cache
from farmhand.core.transfer.plan import unique_by_md5
from farmhand.core.transfer.progress import ProgressCallback, ProgressEvent

NEXT_PATH = "/uploads/client/next"
# Seconds between two progress reports to the farm.
REPORT_EVERY = 2.0


class DaemonUpload(object):
    """One upload the daemon took: what it was owed and how it went."""

    __slots__ = ("upload_id", "job_id", "files", "uploaded_files", "uploaded_bytes", "error")

    def __init__(self, upload_id: str, job_id: str, files: int) -> None:
        self.upload_id = upload_id
        self.job_id = job_id
        self.files = files
        self.uploaded_files = 0
        self.uploaded_bytes = 0
        self.error = ""  # empty when the farm was told the upload finished

    @property
    def ok(self) -> bool:
        return not self.error


def _owed_files(data: Mapping[str, Any]) -> Dict[str, Optional[str]]:
    files = data.get("upload_files")
    if not isinstance(files, Mapping):
        raise FarmConnectionError(
            "the farm's upload {} has no upload_files: {!r}".format(data.get("id"), data)[:300]
        )
    return {str(path): (str(md5) if md5 else None) for path, md5 in files.items()}


def _local(path: str) -> LocalFile:
    try:
        return LocalFile.from_path(path)
    except OSError as error:
        raise InputError(
            "{} cannot be read ({}); it was there when the job was submitted".format(
                path, error.strerror or error
            ),
            field="upload_files",
        ) from None


def check_enforced(owed: Mapping[str, Optional[str]], md5s: Mapping[str, str]) -> None:
    """Every file must still have the md5 the job was submitted with."""
    changed = [
        "{} (submitted as {}, now {})".format(path, owed[path], md5s[path])
        for path in sorted(owed)
        if owed[path] and md5s[path] != owed[path]
    ]
    if changed:
        raise InputError(
            "changed since the job was submitted, so the farm would render other content than "
            "was submitted: {}; submit the job again".format("; ".join(changed)),
            field="upload_files",
        )


class UploadDaemon(object):
    """Takes uploads from the farm and sends them; ``serve`` loops until ``stop`` is set."""

    def __init__(
        self,
        http: ConductorHttp,
        location: str = "",
        cache: Optional[Md5Cache] = None,
        progress: Optional[ProgressCallback] = None,
        threads: int = UPLOAD_THREADS,
        stop: Optional[threading.Event] = None,
    ) -> None:
        self.http = http
        self.location = location
        self.cache = cache
        self.progress = progress
        self.threads = threads
        self.stop = stop or threading.Event()

    def next_upload(self) -> Optional[Dict[str, Any]]:
        """The oldest upload owed to this daemon's location (now marked as being sent)."""
        body = {"location": self.location or None}
        response = with_retries(
            lambda: self.http.request("PUT", NEXT_PATH, expected=(200, 201, 204), json_body=body),
            "asking {} for uploads".format(self.http.url),
            self.stop.is_set,
            self.stop,
        )
        if response.status_code == 204 or not response.content:
            return None
        try:
            data = response.json()["data"]
        except (ValueError, KeyError, TypeError):
            raise FarmConnectionError(
                "the farm at {} answered {} with {!r}".format(
                    self.http.url, NEXT_PATH, response.text[:200]
                )
            ) from None
        if not isinstance(data, dict) or "id" not in data:
            raise FarmConnectionError(
                "the farm at {} answered {} without an upload id".format(self.http.url, NEXT_PATH)
            )
        return data

    def run_once(self) -> Optional[DaemonUpload]:
        """Take and send one upload; None when the farm owes nothing to this daemon."""
        data = self.next_upload()
        if data is None:
            return None
        return self.send(data)

    def send(self, data: Mapping[str, Any]) -> DaemonUpload:
        """Send one upload and tell the farm how it went (finish, or fail with the reason)."""
        upload_id = str(data["id"])
        owed = _owed_files(data)
        result = DaemonUpload(upload_id, str(data.get("job_id") or ""), len(owed))
        try:
            self._send(upload_id, str(data.get("project") or "default"), owed, result)
        except FarmhandError as error:
            result.error = str(error)
            self._fail(upload_id, result.error)
        return result

    def _send(
        self, upload_id: str, project: str, owed: Dict[str, Optional[str]], result: DaemonUpload
    ) -> None:
        files = [_local(path) for path in sorted(owed)]
        report = hash_files(files, cache=self.cache, progress=self.progress, cancel=self.stop)
        check_enforced(owed, report.md5s)
        reporter = _FarmReporter(self.http, upload_id, sum(f.size for f in files), self.progress)
        todo = negotiate(self.http, project, unique_by_md5(files, report.md5s), report.md5s)
        sent = upload_all(self.http, project, todo, reporter, self.stop, self.threads)
        if sent.changed:
            raise InputError(
                "changed while the daemon uploaded it: {}; submit the job again".format(
                    ", ".join(sorted(f.path for f in sent.changed))
                ),
                field="upload_files",
            )
        result.uploaded_files = sent.uploaded_files
        result.uploaded_bytes = sent.uploaded_bytes
        finished = {
            path: {"source": path, "md5": report.md5s[path]} for path in sorted(owed)
        }
        self.http.json(
            "POST",
            "/uploads/{}/finish".format(upload_id),
            json_body={
                "upload_id": upload_id,
                "status": "server_pending",
                "upload_files": finished,
            },
        )

    def _fail(self, upload_id: str, message: str) -> None:
        try:
            self.http.request(
                "POST",
                "/uploads/{}/fail".format(upload_id),
                data=message.encode("utf-8"),
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
        except FarmhandError:  # the farm owes it again after a restart; nothing else to do
            pass

    def serve(
        self,
        poll: float = 5.0,
        once: bool = False,
        on_upload: Optional[Callable[[DaemonUpload], None]] = None,
    ) -> List[DaemonUpload]:
        """Send uploads as the farm owes them, asking every ``poll`` seconds when it owes
        none, until ``stop`` is set (``once``: until it owes none). Returns what was sent."""
        done: List[DaemonUpload] = []
        while not self.stop.is_set():
            result = self.run_once()
            if result is None:
                if once:
                    break
                self.stop.wait(poll)
                continue
            done.append(result)
            if on_upload is not None:
                on_upload(result)
        return done


class _FarmReporter(object):
    """A progress callback that also tells the farm how far the upload got (the job's
    ``upload`` shows it), at most every ``REPORT_EVERY`` seconds."""

    def __init__(
        self,
        http: ConductorHttp,
        upload_id: str,
        total: int,
        progress: Optional[ProgressCallback],
    ) -> None:
        self.http = http
        self.upload_id = upload_id
        self.total = total
        self.progress = progress
        self.last = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        if self.progress is not None:
            self.progress(event)
        now = time.monotonic()
        if now - self.last < REPORT_EVERY and not event.message:
            return
        self.last = now
        body = {
            "upload_id": self.upload_id,
            "transfer_size": self.total,
            "bytes_transfered": event.bytes_done,  # (sic: the protocol's spelling)
        }
        try:
            self.http.request(
                "POST",
                "/uploads/{}/update".format(self.upload_id),
                data=json.dumps(body).encode("utf-8"),
                headers={"Content-Type": "application/json"},
            )
        except FarmhandError:  # progress is a courtesy: the upload goes on
            pass
