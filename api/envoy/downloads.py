"""Watch files on the local farm: finished results whose remote path matches a watch file's
pattern are fetched from the farm (its download listing and signed URLs, the ones ciocore's
downloader uses), checked against their md5 and written under the watch file's folder.

A result's remote path is ``<project's remote output folder>/<path below the farm job's
output folder>``: ``/proj/render_results/take1/lighting/beauty.0001.png``. One download pass
lists the job's succeeded tasks and fetches what is not downloaded yet (or changed since), so
passes can run as often as wanted: the watcher process after each change of the job,
``get_project_status`` when no watcher runs.
"""

import base64
import hashlib
import os
import time
from typing import Any, Dict, List, Optional, Tuple

import requests

from farmhand.api.envoy.watch_file import WatchFile

CHUNK = 1024 * 1024


def watch_files_of(submission: Dict[str, Any]) -> List[WatchFile]:
    return [WatchFile(p, d) for p, d in submission.get("watch_files") or []]


def listing(http: Any, job_id: str) -> List[Dict[str, Any]]:
    """Every output file of the job's succeeded tasks, as the farm lists them."""
    files: List[Dict[str, Any]] = []
    cursor: Optional[str] = None
    while True:
        params = {"limit": 200}
        if cursor is not None:
            params["start_cursor"] = cursor  # type: ignore[assignment]
        answer = http.json(
            "POST", "/jobs/{}/downloads".format(job_id), expected=(201, 200), params=params,
            json_body={"tids": None},
        )
        for entry in answer.get("downloads") or []:
            files.extend(entry.get("files") or [])
        cursor = answer.get("next_cursor")
        if not cursor:
            return files


def _fetch(url: str, target: str, md5: str, session: requests.Session) -> int:
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    tmp = "{}.{}.part".format(target, os.getpid())
    digest = hashlib.md5()
    size = 0
    try:
        with session.get(url, stream=True, timeout=(10, 300)) as response:
            if response.status_code != 200:
                raise IOError(
                    "the farm answered HTTP {} for {}".format(response.status_code, target)
                )
            with open(tmp, "wb") as handle:
                for block in response.iter_content(CHUNK):
                    digest.update(block)
                    size += len(block)
                    handle.write(block)
        got = base64.b64encode(digest.digest()).decode("ascii")
        if md5 and got != md5:
            raise IOError("{} arrived with md5 {}, the farm recorded {}".format(target, got, md5))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return size


def outside_reason(relative: str, target: str, folder: str) -> str:
    """Why a listed result must not be written (empty when it may): the farm's answer names
    a path that climbs out of the job's outputs (``..``, absolute), or the target's folder
    leads out of the download folder through a symbolic link."""
    if relative.startswith("/") or ".." in relative.split("/"):
        return (
            "refused {!r} from the farm's listing: a result's path must stay below the job's"
            " output folder (no '..', not absolute); nothing was written".format(relative)
        )
    root = os.path.realpath(folder)
    parent = os.path.realpath(os.path.dirname(target))
    if parent != root and not parent.startswith(root.rstrip(os.sep) + os.sep):
        return (
            "refused to write {}: its folder leads to {} through a symbolic link, outside the"
            " download folder {}; nothing was written".format(target, parent, folder)
        )
    return ""


def download_pass(
    http: Any, submission: Dict[str, Any], session: Optional[requests.Session] = None
) -> Tuple[Dict[str, Any], Dict[str, str], int]:
    """Fetch the results not downloaded yet; returns (downloaded: remote path -> {md5, path,
    size}, errors: remote path -> message, bytes fetched)."""
    watch_files = watch_files_of(submission)
    done = submission.get("downloaded") or {}
    base = submission["remote_output_folder"]
    downloaded: Dict[str, Any] = {}
    errors: Dict[str, str] = {}
    fetched = 0
    own = session is None
    session = session or requests.Session()
    session.trust_env = False  # the farm is on this machine
    try:
        for item in listing(http, submission["job_id"]):
            relative = str(item["relative_path"]).replace(os.sep, "/")
            remote = "{}/{}".format(base, relative)
            watch = next((w for w in watch_files if w.matches(remote)), None)
            if watch is None:
                continue
            target = watch.local_path(remote)
            refused = outside_reason(relative, target, watch.download_path)
            if refused:
                errors[remote] = refused
                continue
            known = done.get(remote)
            if known and known.get("md5") == item.get("md5") and os.path.exists(known["path"]):
                continue
            try:
                fetched += _fetch(item["url"], target, item.get("md5") or "", session)
            except (IOError, OSError, requests.RequestException) as error:
                errors[remote] = str(error)
                continue
            downloaded[remote] = {
                "md5": item.get("md5"),
                "path": target,
                "size": item.get("size"),
                "at": time.time(),
            }
    finally:
        if own:
            session.close()
    return downloaded, errors, fetched
