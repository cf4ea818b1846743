"""Uploads in the Conductor protocol: ask which md5s the farm lacks, send only those.

Single-part files stream with ``Content-MD5`` (the farm verifies before storing); big files go
in the parts the farm asked for, then one ``complete`` call verifies the whole. Parallel across
files on a few threads. On cancel or error every multipart upload still open is aborted
(``DELETE``) and a single-part PUT is cut mid-body, which the farm discards: nothing partial is
left behind, and the caller submits no job.
"""

import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Dict, List, Optional, Sequence, Set

from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.errors import CancelledError, FarmConnectionError
from farmhand.core.transfer.files import LocalFile
from farmhand.core.transfer.plan import FileRangeReader
from farmhand.core.transfer.progress import ProgressCallback, ProgressTracker

NEGOTIATE_PATH = "/api/v2/files/get_upload_urls"
COMPLETE_PATH = "/api/v2/files/multipart/complete"
ABORT_PATH = "/api/v2/files/multipart/{}"
# Entries per negotiation request (the local farm accepts up to 100,000).
NEGOTIATE_BATCH = 10000
UPLOAD_THREADS = 4


class UploadReport(object):
    __slots__ = ("requested_files", "uploaded_files", "uploaded_bytes")

    def __init__(self) -> None:
        self.requested_files = 0
        self.uploaded_files = 0
        self.uploaded_bytes = 0


def negotiate(
    http: ConductorHttp, project: str, files: Sequence[LocalFile], md5s: Dict[str, str]
) -> List[Dict[str, Any]]:
    """The upload instructions for the files the farm does not hold yet.

    Each item is ``{"kind": "single"|"multi", "file": LocalFile, "md5": ..., "spec": {...}}``.
    """
    by_path = {f.path: f for f in files}
    todo: List[Dict[str, Any]] = []
    for start in range(0, len(files), NEGOTIATE_BATCH):
        batch = files[start : start + NEGOTIATE_BATCH]
        body = {
            "project": project,
            "upload_files": [{"path": f.path, "hash": md5s[f.path], "size": f.size} for f in batch],
        }
        answer = http.json("POST", NEGOTIATE_PATH, expected=(200, 204), json_body=body)
        for spec in answer.get("singlePartURLs") or []:
            local = _known(by_path, spec, http)
            todo.append({"kind": "single", "file": local, "md5": md5s[local.path], "spec": spec})
        for spec in answer.get("multiPartURLs") or []:
            local = _known(by_path, spec, http)
            todo.append({"kind": "multi", "file": local, "md5": md5s[local.path], "spec": spec})
    return todo


def _known(by_path: Dict[str, LocalFile], spec: Dict[str, Any], http: ConductorHttp) -> LocalFile:
    try:
        return by_path[spec["filePath"]]
    except (KeyError, TypeError):
        raise FarmConnectionError(
            "the farm at {} asked for a file this submission did not offer: {!r}".format(
                http.url, spec.get("filePath") if isinstance(spec, dict) else spec
            ),
            url=http.absolute(NEGOTIATE_PATH),
        ) from None


def upload_all(
    http: ConductorHttp,
    project: str,
    todo: Sequence[Dict[str, Any]],
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[threading.Event] = None,
    threads: int = UPLOAD_THREADS,
) -> UploadReport:
    report = UploadReport()
    report.requested_files = len(todo)
    tracker = ProgressTracker(progress, "uploading", sum(t["file"].size for t in todo), len(todo))
    tracker.start()
    stop = threading.Event()  # set on cancel or on the first failure: the others stop too
    open_multipart: Set[str] = set()
    lock = threading.Lock()

    def stopped() -> bool:
        return stop.is_set() or (cancel is not None and cancel.is_set())

    def one(item: Dict[str, Any]) -> int:
        local: LocalFile = item["file"]

        def on_bytes(count: int) -> None:
            tracker.advance(local.path, count, local.size)

        if item["kind"] == "single":
            _put_single(http, item, on_bytes, stopped)
        else:
            upload_id = str(item["spec"].get("uploadID"))
            with lock:
                open_multipart.add(upload_id)
            _put_multipart(http, project, item, on_bytes, stopped)
            with lock:
                open_multipart.discard(upload_id)
        tracker.file_done(local.path, local.size)
        return local.size

    if todo:
        executor = ThreadPoolExecutor(max_workers=max(1, min(threads, len(todo))))
        running: "Set[Future[int]]" = set()
        try:
            queue = list(todo)
            while queue or running:
                while queue and len(running) < 2 * threads and not stopped():
                    running.add(executor.submit(one, queue.pop(0)))
                if not running:
                    break
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    report.uploaded_bytes += future.result()
                    report.uploaded_files += 1
            if cancel is not None and cancel.is_set():
                raise CancelledError("upload cancelled; no job was submitted")
        except BaseException:
            stop.set()
            for future in running:
                future.cancel()
            executor.shutdown(wait=True)
            _abort(http, open_multipart)
            raise
        executor.shutdown(wait=True)
    tracker.finish(
        "{} files uploaded ({} bytes)".format(report.uploaded_files, report.uploaded_bytes)
    )
    return report


def _put_single(http: ConductorHttp, item: Dict[str, Any], on_bytes: Any, stopped: Any) -> None:
    local: LocalFile = item["file"]
    spec = item["spec"]
    url = spec.get("preSignedURL")
    if not url:
        raise FarmConnectionError(
            "the farm at {} gave no preSignedURL for {}".format(http.url, local.path)
        )
    body = FileRangeReader(local.path, 0, local.size, on_bytes, should_stop=stopped)
    with body:
        try:
            http.request(
                "PUT",
                url,
                expected=(200, 201, 204),
                data=body,
                headers={"Content-MD5": item["md5"], "Content-Type": "application/octet-stream"},
            )
        except FarmConnectionError:
            if stopped():
                raise CancelledError("upload of {} cancelled".format(local.path)) from None
            raise


def _put_multipart(
    http: ConductorHttp, project: str, item: Dict[str, Any], on_bytes: Any, stopped: Any
) -> None:
    local: LocalFile = item["file"]
    spec = item["spec"]
    part_size = int(spec["partSize"])
    completed = []
    for part in sorted(spec.get("parts") or [], key=lambda p: int(p["partNumber"])):
        number = int(part["partNumber"])
        offset = (number - 1) * part_size
        length = max(0, min(part_size, local.size - offset))
        body = FileRangeReader(local.path, offset, length, on_bytes, should_stop=stopped)
        with body:
            try:
                response = http.request(
                    "PUT",
                    part["url"],
                    expected=(200, 201, 204),
                    data=body,
                    headers={"Content-Type": "application/octet-stream"},
                )
            except FarmConnectionError:
                if stopped():
                    raise CancelledError("upload of {} cancelled".format(local.path)) from None
                raise
        completed.append(
            {"partNumber": number, "etag": response.headers.get("ETag", "").strip('"')}
        )
    http.json(
        "POST",
        COMPLETE_PATH,
        json_body={
            "uploadID": spec["uploadID"],
            "hash": item["md5"],
            "completedParts": completed,
            "project": project,
        },
    )


def _abort(http: ConductorHttp, upload_ids: Set[str]) -> None:
    for upload_id in list(upload_ids):
        try:
            http.request("DELETE", ABORT_PATH.format(upload_id), expected=(200, 204, 404))
        except Exception:  # best effort: the farm also drops stale parts on start
            pass
