"""What a connector submits: the payload dict and the local files it needs.

Accepts a ``farmhand.core.job`` Submission (anything with ``to_payload()``; its resolved upload
list is used when it has one) or a raw payload dict (``upload_paths`` are collected: files and
directories). Keeping this in one place means every connector uploads exactly the same files.
"""

import copy
from typing import Any, Dict, List, Mapping, Optional, Sequence

from farmhand.core.errors import InputError
from farmhand.core.transfer.files import LocalFile, collect_files

# Attributes a Submission may expose with its resolved upload file list (first found wins).
_UPLOAD_LIST_ATTRIBUTES = ("upload_files", "uploads", "upload_list")


class JobRequest(object):
    __slots__ = ("payload", "files")

    def __init__(self, payload: Dict[str, Any], files: List[LocalFile]) -> None:
        self.payload = payload
        self.files = files

    @property
    def project(self) -> str:
        return str(self.payload.get("project") or "default")

    @property
    def upload_size(self) -> int:
        return sum(f.size for f in self.files)


def job_request(submission: Any, extra: Optional[Mapping[str, Any]] = None) -> JobRequest:
    if isinstance(submission, Mapping):
        payload = copy.deepcopy(dict(submission))
        paths = _paths(payload.get("upload_paths") or [], "upload_paths")
    elif callable(getattr(submission, "to_payload", None)):
        payload = submission.to_payload()
        if not isinstance(payload, dict):
            raise TypeError("{!r}.to_payload() did not return a dict".format(submission))
        payload = copy.deepcopy(payload)
        paths = _submission_paths(submission, payload)
    else:
        raise TypeError(
            "cannot submit {!r}: expected a Submission or a payload dict".format(submission)
        )
    payload.update(extra or {})
    files = collect_files(paths)
    return JobRequest(payload, files)


def _submission_paths(submission: Any, payload: Dict[str, Any]) -> List[str]:
    for name in _UPLOAD_LIST_ATTRIBUTES:
        value = getattr(submission, name, None)
        if value is None or callable(value):
            continue
        return [_path_of(item) for item in value]
    return _paths(payload.get("upload_paths") or [], "upload_paths")


def _path_of(item: Any) -> str:
    """Upload list entries may be paths or records with a ``path`` attribute/key."""
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping) and "path" in item:
        return str(item["path"])
    path = getattr(item, "path", None)
    if isinstance(path, str):
        return path
    raise TypeError("cannot read a path from upload entry {!r}".format(item))


def _paths(value: Any, field: str) -> List[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InputError(
            "expected a list of paths, got {}".format(type(value).__name__), field=field
        )
    return list(value)
