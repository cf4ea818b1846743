"""A job's rendered files fetched from a Conductor-compatible service to a local folder.

Why: a remote service keeps outputs on its own storage; the protocol lists them per task
(``POST /jobs/<jid>/downloads``, paged by a cursor) with a signed URL, the size and the md5
of each file. ``fetch_outputs`` copies them under a destination folder by their path relative
to the job's output folder, checks every byte against the listed md5 before the file takes
its name (a half-downloaded or corrupted file never looks finished), and skips files already
there with the same md5, so a second call after an interruption only fetches what is missing.
"""

import base64
import hashlib
import os
import tempfile
from typing import Any, Dict, Iterator, List, Mapping, Optional

from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.errors import FarmConnectionError, InputError

PAGE = 50
CHUNK = 1024 * 1024


def listed_files(http: ConductorHttp, job_id: str) -> Iterator[Mapping[str, Any]]:
    """Every output file the service lists for the job (all its succeeded tasks)."""
    cursor: Optional[str] = None
    while True:
        params: Dict[str, Any] = {"limit": PAGE}
        if cursor:
            params["start_cursor"] = cursor
        answer = http.json(
            "POST",
            "/jobs/{}/downloads".format(job_id),
            expected=(200, 201),
            json_body={"tids": None},
            params=params,
        )
        for entry in answer.get("downloads") or []:
            for item in entry.get("files") or [] if isinstance(entry, Mapping) else []:
                if isinstance(item, Mapping):
                    yield item
        cursor = answer.get("next_cursor") or None
        if not cursor:
            return


def target_path(destination: str, relative: Any, job_id: str) -> str:
    """Where a listed file goes: under ``destination``, never outside it."""
    text = str(relative or "").replace("\\", "/")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if not parts or ".." in parts or text.startswith("/"):
        raise FarmConnectionError(
            "the farm listed an output of job {} at {!r}, which is not a path inside the"
            " job's output folder; nothing was written for it".format(job_id, relative)
        )
    return os.path.join(destination, *parts)


def check_no_link_out(root: str, path: str, job_id: str) -> None:
    """A symbolic link inside the destination must not lead a download elsewhere."""
    real_root = os.path.realpath(root)
    parent = os.path.realpath(os.path.dirname(path))
    if parent != real_root and not parent.startswith(real_root.rstrip(os.sep) + os.sep):
        raise FarmConnectionError(
            "refused to write output {} of job {}: its folder leads to {} through a symbolic"
            " link, outside {}; nothing was written for it".format(path, job_id, parent, root)
        )


def md5_of(path: str) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("ascii")


def fetch_file(http: ConductorHttp, item: Mapping[str, Any], path: str, job_id: str) -> bool:
    """Download one listed file to ``path``; False when it was already there, unchanged."""
    expected = str(item.get("md5") or "")
    if expected and os.path.isfile(path) and md5_of(path) == expected:
        return False
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    response = http.send("GET", str(item.get("url") or ""), stream=True)
    if response.status_code != 200:
        raise FarmConnectionError(
            "the farm answered {} for output {} of job {}; nothing was written for it".format(
                response.status_code, item.get("relative_path"), job_id
            ),
            status=response.status_code,
        )
    digest = hashlib.md5()
    handle, temporary = tempfile.mkstemp(prefix=".farmhand-", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            for block in response.iter_content(CHUNK):
                digest.update(block)
                out.write(block)
        got = base64.b64encode(digest.digest()).decode("ascii")
        if expected and got != expected:
            raise FarmConnectionError(
                "output {} of job {} arrived with md5 {}, the farm listed {}; it was not"
                " kept".format(item.get("relative_path"), job_id, got, expected)
            )
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    finally:
        response.close()
    return True


def fetch_outputs(http: ConductorHttp, job_id: str, destination: str) -> List[str]:
    """Copy every listed output of the job under ``destination``; the paths fetched or found
    already there, in listing order."""
    if not isinstance(destination, str) or not destination.strip():
        raise InputError(
            "expected a folder to fetch the outputs to, got {!r}".format(destination),
            field="destination",
        )
    root = os.path.abspath(os.path.expanduser(destination))
    if os.path.exists(root) and not os.path.isdir(root):
        raise InputError("{} is not a folder".format(root), field="destination")
    paths = []
    for item in listed_files(http, job_id):
        path = target_path(root, item.get("relative_path"), job_id)
        check_no_link_out(root, path, job_id)
        fetch_file(http, item, path, job_id)
        paths.append(path)
    return paths
