"""Uploads in the Conductor protocol: ask which md5s the farm lacks, send only those.

Single-part files stream with ``Content-MD5`` (the farm verifies before storing); big files go
in the parts the farm asked for, several parts at once, then one ``complete`` call verifies
the whole. The work is a queue of sends (a small file, or one part of a big one) shared by a
few threads, so one big file uses every thread and many small files do too.

Faults, each handled where it happens:

- a dropped connection or a farm answering 5xx: that one send is tried again after a pause
  that doubles (``RETRY_DELAYS``), then the upload stops with an error naming the file,
  the attempts and the last answer. Parts already received are never sent again: a resumed
  multipart upload (the farm hands back an idle session for the same md5, with the parts it
  holds in ``receivedParts``, a Farmhand addition) sends only the parts still missing;
- a farm whose disk is full (507): stopped at once, with the farm's own words;
- a file that changed after it was hashed (its size, mtime or inode differ, or the farm
  found its bytes do not match the md5): not sent under the old md5 but handed back in
  ``UploadReport.changed`` for ``send_files`` to hash again;
- cancel or any other error: every multipart upload still open is aborted (``DELETE``) and
  a single-part PUT is cut mid-body, which the farm discards: nothing partial is left
  behind, and the caller submits no job.
"""

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.errors import CancelledError, FarmConnectionError, InputError
from farmhand.core.transfer.files import LocalFile
from farmhand.core.transfer.plan import FileRangeReader
from farmhand.core.transfer.progress import ProgressCallback, ProgressTracker

NEGOTIATE_PATH = "/api/v2/files/get_upload_urls"
COMPLETE_PATH = "/api/v2/files/multipart/complete"
ABORT_PATH = "/api/v2/files/multipart/{}"
# Entries per negotiation request (the local farm accepts up to 100,000).
NEGOTIATE_BATCH = 10000
UPLOAD_THREADS = 4
# Seconds to wait before each new attempt of a send that failed for a transient reason.
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
# Statuses that say "not now", not "never": sent again after a pause.
_TRANSIENT = (500, 502, 503, 504)
_DISK_FULL = 507


class RetriesExhaustedError(FarmConnectionError):
    """A send kept failing for a transient reason (connection, 5xx). What the farm received
    is kept for a later submit to resume from, unlike after a cancel or a refusal."""


class UploadItem(object):
    """One file the farm asked for: a single PUT, or the parts of a multipart upload."""

    __slots__ = ("local", "md5", "url", "upload_id", "part_size", "parts", "received")

    def __init__(self, local: LocalFile, md5: str) -> None:
        self.local = local
        self.md5 = md5
        self.url = ""  # single part: the pre-signed URL
        self.upload_id = ""  # multipart
        self.part_size = 0
        self.parts: List[Tuple[int, str]] = []  # (number, url) of every part
        self.received: Dict[int, str] = {}  # number -> etag, parts the farm holds

    @property
    def multipart(self) -> bool:
        return bool(self.upload_id)

    def span(self, number: int) -> Tuple[int, int]:
        offset = (number - 1) * self.part_size
        return offset, max(0, min(self.part_size, self.local.size - offset))

    def __repr__(self) -> str:
        kind = "multi" if self.multipart else "single"
        return "UploadItem({!r}, {})".format(self.local.path, kind)


class UploadReport(object):
    __slots__ = ("requested_files", "uploaded_files", "uploaded_bytes", "resumed_bytes", "changed")

    def __init__(self) -> None:
        self.requested_files = 0
        self.uploaded_files = 0
        self.uploaded_bytes = 0
        self.resumed_bytes = 0  # parts the farm already held from an interrupted upload
        self.changed: List[LocalFile] = []  # changed since hashing: not sent, hash again


# -- negotiation -----------------------------------------------------------------------------


def negotiate(
    http: ConductorHttp,
    project: str,
    files: Sequence[LocalFile],
    md5s: Dict[str, str],
    force: bool = False,
) -> List[UploadItem]:
    """What to send for the files the farm does not hold yet (all of them with ``force``,
    a Farmhand addition a service without it ignores)."""
    by_path = {f.path: f for f in files}
    todo: List[UploadItem] = []
    for start in range(0, len(files), NEGOTIATE_BATCH):
        batch = files[start : start + NEGOTIATE_BATCH]
        body: Dict[str, Any] = {
            "project": project,
            "upload_files": [{"path": f.path, "hash": md5s[f.path], "size": f.size} for f in batch],
        }
        if force:
            body["force"] = True
        answer = with_retries(
            partial(http.json, "POST", NEGOTIATE_PATH, expected=(200, 204), json_body=body),
            "asking {} which files it lacks".format(http.url),
        )
        for spec in answer.get("singlePartURLs") or []:
            item = UploadItem(*_known(by_path, md5s, spec, http))
            item.url = str(spec.get("preSignedURL") or "")
            if not item.url:
                raise FarmConnectionError(
                    "the farm at {} gave no preSignedURL for {}".format(http.url, item.local.path)
                )
            todo.append(item)
        for spec in answer.get("multiPartURLs") or []:
            todo.append(_multipart_item(by_path, md5s, spec, http))
    return todo


def _known(
    by_path: Dict[str, LocalFile], md5s: Dict[str, str], spec: Any, http: ConductorHttp
) -> Tuple[LocalFile, str]:
    try:
        local = by_path[spec["filePath"]]
    except (KeyError, TypeError):
        raise FarmConnectionError(
            "the farm at {} asked for a file this submission did not offer: {!r}".format(
                http.url, spec.get("filePath") if isinstance(spec, dict) else spec
            ),
            url=http.absolute(NEGOTIATE_PATH),
        ) from None
    return local, md5s[local.path]


def _multipart_item(
    by_path: Dict[str, LocalFile], md5s: Dict[str, str], spec: Any, http: ConductorHttp
) -> UploadItem:
    item = UploadItem(*_known(by_path, md5s, spec, http))
    try:
        item.upload_id = str(spec["uploadID"])
        item.part_size = int(spec["partSize"])
        item.parts = sorted((int(p["partNumber"]), str(p["url"])) for p in spec.get("parts") or [])
        for part in spec.get("receivedParts") or []:
            item.received[int(part["partNumber"])] = str(part["etag"])
    except (KeyError, TypeError, ValueError):
        raise FarmConnectionError(
            "the farm at {} answered with a malformed multipart upload for {}: {!r}".format(
                http.url, item.local.path, spec
            )[:500],
            url=http.absolute(NEGOTIATE_PATH),
        ) from None
    if item.part_size < 1 or not item.parts:
        raise FarmConnectionError(
            "the farm at {} gave no parts (part size {}) for {}".format(
                http.url, item.part_size, item.local.path
            ),
            url=http.absolute(NEGOTIATE_PATH),
        )
    return item


# -- retries --------------------------------------------------------------------------------


def transient(error: BaseException) -> bool:
    """A failure worth another attempt: the connection dropped, or the farm said 5xx."""
    if not isinstance(error, FarmConnectionError) or isinstance(error, CancelledError):
        return False
    return error.status is None or error.status in _TRANSIENT


def with_retries(
    action: Callable[[], Any],
    what: str,
    stopped: Optional[Callable[[], bool]] = None,
    pause: Optional[threading.Event] = None,
    delays: Optional[Sequence[float]] = None,
) -> Any:
    """``action()``, tried again after each delay while it fails transiently; then an error
    naming ``what``, the number of attempts and the last failure. ``pause`` (set on cancel)
    cuts a wait short."""
    delays = RETRY_DELAYS if delays is None else delays
    waiter = pause or threading.Event()
    for attempt in range(len(delays) + 1):
        try:
            return action()
        except FarmConnectionError as error:
            if stopped is not None and stopped():
                raise CancelledError("{} cancelled".format(what)) from None
            if error.status == _DISK_FULL:
                raise FarmConnectionError(
                    "{}: {}".format(what, error.message), url=error.url, status=error.status
                ) from None
            if not transient(error):
                raise
            if attempt == len(delays):
                raise RetriesExhaustedError(
                    "{} failed {} times; giving up. Last failure: {}".format(
                        what, attempt + 1, error.message
                    ),
                    url=error.url,
                    status=error.status,
                ) from None
            waiter.wait(delays[attempt])
            if stopped is not None and stopped():
                raise CancelledError("{} cancelled".format(what)) from None
    raise AssertionError("unreachable")


# -- sending --------------------------------------------------------------------------------


class _ChangedError(Exception):
    """The file is not what was hashed any more: hash it again rather than send it."""


class _Run(object):
    """One ``upload_all``: the shared state of its threads."""

    def __init__(
        self,
        http: ConductorHttp,
        project: str,
        tracker: ProgressTracker,
        cancel: Optional[threading.Event],
        report: UploadReport,
    ) -> None:
        self.http = http
        self.project = project
        self.tracker = tracker
        self.cancel = cancel
        self.report = report
        self.stop = threading.Event()  # set on cancel or on the first failure
        self.lock = threading.Lock()
        self.open_uploads: Set[str] = set()
        self.parts_left: Dict[str, int] = {}  # upload id -> parts still to send
        self.etags: Dict[str, Dict[int, str]] = {}
        self.given_up: Set[str] = set()  # paths found changed: their other sends are skipped

    def stopped(self) -> bool:
        return self.stop.is_set() or (self.cancel is not None and self.cancel.is_set())

    def check_unchanged(self, item: UploadItem) -> None:
        if item.local.path in self.given_up or item.local.changed():
            raise _ChangedError()

    # -- one send ---------------------------------------------------------------------------

    def put(self, item: UploadItem, url: str, offset: int, length: int, md5: str) -> Any:
        """PUT ``length`` bytes of the file from ``offset``, with retries; returns the answer.

        Bytes of an attempt that failed are taken off the progress again."""
        local = item.local
        sent = [0]

        def on_bytes(count: int) -> None:
            sent[0] += count
            self.tracker.advance(local.path, count, local.size)

        def attempt() -> Any:
            self.tracker.advance(local.path, -sent[0], local.size)
            sent[0] = 0
            headers = {"Content-Type": "application/octet-stream"}
            if md5:
                headers["Content-MD5"] = md5
            try:
                body = FileRangeReader(
                    local.path, offset, length, on_bytes, should_stop=self.stopped
                )
            except OSError as error:
                raise _file_error(local.path, error) from None
            with body:
                try:
                    return self.http.request(
                        "PUT", url, expected=(200, 201, 204), data=body, headers=headers
                    )
                except InputError as error:
                    if local.changed():  # the farm found other bytes than the md5 says
                        raise _ChangedError() from None
                    raise _named(error, local.path) from None
                except FarmConnectionError:
                    if self.stopped():
                        raise CancelledError("upload of {} cancelled".format(local.path)) from None
                    if local.changed():
                        raise _ChangedError() from None
                    raise

        return with_retries(attempt, "uploading {}".format(local.path), self.stopped, self.cancel)

    def send_single(self, item: UploadItem) -> None:
        self.check_unchanged(item)
        self.put(item, item.url, 0, item.local.size, item.md5)
        self.file_done(item, item.local.size)

    def send_part(self, item: UploadItem, number: int, url: str) -> None:
        if number == item.parts[0][0] or item.local.path in self.given_up:
            self.check_unchanged(item)
        offset, length = item.span(number)
        response = self.put(item, url, offset, length, "")
        etag = response.headers.get("ETag", "").strip('"')
        with self.lock:
            self.etags[item.upload_id][number] = etag
            self.parts_left[item.upload_id] -= 1
            last = self.parts_left[item.upload_id] == 0
        if last:
            self.complete(item)

    def complete(self, item: UploadItem) -> None:
        parts = [
            {"partNumber": number, "etag": self.etags[item.upload_id][number]}
            for number, _ in item.parts
        ]
        body = {
            "uploadID": item.upload_id,
            "hash": item.md5,
            "completedParts": parts,
            "project": self.project,
        }

        def attempt() -> Any:
            try:
                return self.http.json("POST", COMPLETE_PATH, json_body=body)
            except InputError as error:
                if item.local.changed():  # its bytes no longer hash to the md5
                    raise _ChangedError() from None
                raise _named(error, item.local.path) from None

        with_retries(attempt, "completing the upload of {}".format(item.local.path), self.stopped)
        with self.lock:
            self.open_uploads.discard(item.upload_id)
        self.file_done(item, item.local.size - self.resumed(item))

    def resumed(self, item: UploadItem) -> int:
        return sum(item.span(number)[1] for number in item.received)

    def file_done(self, item: UploadItem, sent: int) -> None:
        with self.lock:
            self.report.uploaded_files += 1
            self.report.uploaded_bytes += sent
        self.tracker.file_done(item.local.path, item.local.size)


def _file_error(path: str, error: OSError) -> InputError:
    """A file that cannot be read any more: deleted after the scan, or not readable."""
    reason = error.strerror or str(error)
    return InputError(
        "cannot read {} to upload it ({}); it was there when the job was prepared".format(
            path, reason
        ),
        field="upload_paths",
    )


def _named(error: InputError, path: str) -> InputError:
    """The farm's refusal, saying which file it was about."""
    if path in str(error):
        return error
    return InputError("{}: {}".format(path, error.message), field=error.field)


def _sends(item: UploadItem) -> List[Tuple[UploadItem, int, str]]:
    """(item, part number, url) of every send an item needs; part 0 is the single PUT."""
    if not item.multipart:
        return [(item, 0, item.url)]
    return [(item, number, url) for number, url in item.parts if number not in item.received]


def upload_all(
    http: ConductorHttp,
    project: str,
    todo: Sequence[UploadItem],
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[threading.Event] = None,
    threads: int = UPLOAD_THREADS,
) -> UploadReport:
    """Send every item (see the module docstring); raises on failure or cancel."""
    report = UploadReport()
    report.requested_files = len(todo)
    tracker = ProgressTracker(
        progress, "uploading", sum(item.local.size for item in todo), len(todo)
    )
    tracker.start()
    run = _Run(http, project, tracker, cancel, report)
    queue: List[Tuple[UploadItem, int, str]] = []
    for item in todo:
        if item.multipart:
            run.open_uploads.add(item.upload_id)
            run.etags[item.upload_id] = dict(item.received)
            resumed = run.resumed(item)
            report.resumed_bytes += resumed
            if resumed:
                tracker.skip(item.local.path, resumed, item.local.size)
        sends = _sends(item)
        if item.multipart:
            run.parts_left[item.upload_id] = len(sends)
            if not sends:  # every part is on the farm already: only complete it
                sends = [(item, -1, "")]
        queue.extend(sends)

    def one(send: Tuple[UploadItem, int, str]) -> None:
        item, number, url = send
        try:
            if number == 0:
                run.send_single(item)
            elif number < 0:
                run.check_unchanged(item)
                run.complete(item)
            else:
                run.send_part(item, number, url)
        except _ChangedError:
            with run.lock:
                first = item.local.path not in run.given_up
                if first:
                    run.given_up.add(item.local.path)
                    report.changed.append(item.local)
            if first:
                tracker.file_done(item.local.path, item.local.size)

    if queue:
        executor = ThreadPoolExecutor(max_workers=max(1, min(threads, len(queue))))
        running: "Set[Future[None]]" = set()
        position = 0
        try:
            while position < len(queue) or running:
                while position < len(queue) and len(running) < 2 * threads and not run.stopped():
                    running.add(executor.submit(one, queue[position]))
                    position += 1
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()
            if cancel is not None and cancel.is_set():
                raise CancelledError("upload cancelled; no job was submitted")
        except BaseException as error:
            run.stop.set()
            for future in running:
                future.cancel()
            executor.shutdown(wait=True)
            if not isinstance(error, RetriesExhaustedError):  # else kept for resuming
                abort(http, run.open_uploads)
            raise
        executor.shutdown(wait=True)
    changed_sessions = [
        item.upload_id for item in todo if item.multipart and item.local.path in run.given_up
    ]
    abort(http, set(changed_sessions) & run.open_uploads)
    tracker.finish(
        "{} files uploaded ({} bytes)".format(report.uploaded_files, report.uploaded_bytes)
    )
    return report


def abort(http: ConductorHttp, upload_ids: Set[str]) -> None:
    """Abort multipart uploads (best effort: the farm also drops idle ones)."""
    for upload_id in list(upload_ids):
        try:
            http.request("DELETE", ABORT_PATH.format(upload_id), expected=(200, 204, 404))
        except Exception:  # noqa: BLE001 - a farm that cannot be reached cleans up later
            pass
