"""A submission's files on their way to the farm: negotiate, upload, and never an old md5.

The md5s a job is submitted with must be the md5s of the bytes the farm stores (the seed's
"md5 enforcement"). A file can change between its hashing and its upload (an artist saves
the scene again while a big texture folder uploads), so after the upload every file is
looked at again (one ``stat`` each: size, mtime and inode against the ones hashed); a file
that changed, or that ``upload_all`` refused to send because it changed, is hashed again and
offered again under its new md5. A file that keeps changing is an error naming it. The job's
``upload_files`` then carry the new stat records and md5s.
"""

import threading
from typing import Any, Dict, List, Optional, Set

from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.connectors.conductor.uploads import (
    UPLOAD_THREADS,
    UploadReport,
    negotiate,
    upload_all,
)
from farmhand.core.connectors.job_request import JobRequest
from farmhand.core.errors import InputError
from farmhand.core.transfer.files import LocalFile
from farmhand.core.transfer.hashing import HashReport, hash_files
from farmhand.core.transfer.md5_cache import Md5Cache
from farmhand.core.transfer.plan import unique_by_md5
from farmhand.core.transfer.progress import ProgressCallback

# Rounds of "upload, then hash what changed meanwhile" before a file counts as never still.
ROUNDS = 3


def wants_force(submission: Any, payload: Any) -> bool:
    """``force_upload`` from the settings of a Submission, or from a payload dict."""
    settings = getattr(submission, "settings", None)
    if settings is not None and getattr(settings, "force_upload", False):
        return True
    return bool(isinstance(payload, dict) and payload.get("force_upload"))


def _restat(local: LocalFile) -> LocalFile:
    try:
        return LocalFile.from_path(local.path)
    except OSError as error:
        raise InputError(
            "{} changed after it was hashed and cannot be read any more ({})".format(
                local.path, error.strerror or error
            ),
            field="upload_paths",
        ) from None


def send_files(
    http: ConductorHttp,
    request: JobRequest,
    hashed: HashReport,
    cache: Optional[Md5Cache] = None,
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[threading.Event] = None,
    force: bool = False,
    threads: int = UPLOAD_THREADS,
) -> UploadReport:
    """Upload what the farm lacks (everything with ``force``); updates ``request.files``
    and ``hashed.md5s`` for files that changed meanwhile. Returns the totals."""
    total = UploadReport()
    offer = unique_by_md5(request.files, hashed.md5s)
    for _ in range(ROUNDS):
        todo = negotiate(http, request.project, offer, hashed.md5s, force=force)
        report = upload_all(http, request.project, todo, progress, cancel, threads)
        total.requested_files += report.requested_files
        total.uploaded_files += report.uploaded_files
        total.uploaded_bytes += report.uploaded_bytes
        total.resumed_bytes += report.resumed_bytes
        changed = {local.path for local in report.changed}
        changed.update(local.path for local in request.files if local.changed())
        if not changed:
            return total
        offer = _hash_again(request, hashed, changed, cache, progress, cancel)
        total.changed.extend(f for f in request.files if f.path in changed)
    raise InputError(
        "{} kept changing while it was being uploaded ({} attempts); save the scene, wait for "
        "the writes to end, and submit again".format(
            ", ".join(sorted(changed)[:5]) + (" and others" if len(changed) > 5 else ""),
            ROUNDS,
        ),
        field="upload_paths",
    )


def _hash_again(
    request: JobRequest,
    hashed: HashReport,
    changed: Set[str],
    cache: Optional[Md5Cache],
    progress: Optional[ProgressCallback],
    cancel: Optional[threading.Event],
) -> List[LocalFile]:
    """New stat records and md5s for the changed files; returns them (one per md5)."""
    fresh: Dict[str, LocalFile] = {}
    for index, local in enumerate(request.files):
        if local.path in changed:
            again = fresh.get(local.path) or _restat(local)
            fresh[local.path] = again
            request.files[index] = again
    report = hash_files(list(fresh.values()), cache=cache, progress=progress, cancel=cancel)
    hashed.md5s.update(report.md5s)
    hashed.hashed_files += report.hashed_files
    hashed.hashed_bytes += report.hashed_bytes
    return unique_by_md5(list(fresh.values()), hashed.md5s)
