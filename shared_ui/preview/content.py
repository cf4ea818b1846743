"""What the preview shows, read from a ``Submission`` in one place.

The dialog and its models only see ``PreviewContent``; this module is the single seam with
the job model's ``Submission`` (payload text, tasks, scout tasks, uploads, validation), so a
change there is a change here only.
"""

import os
from typing import Any, Callable, List, Mapping, Optional, Sequence

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVELS = (ERROR, WARNING, INFO)


class UploadRow(object):
    __slots__ = ("path", "size", "missing", "reason")

    def __init__(
        self, path: str, size: Optional[int], missing: bool, reason: str = ""
    ) -> None:
        self.path = path
        self.size = size
        self.missing = missing
        self.reason = reason

    @property
    def status(self) -> str:
        if not self.missing:
            return "ok"
        return "missing: {}".format(self.reason) if self.reason else "missing"

    @classmethod
    def for_path(cls, path: str) -> "UploadRow":
        try:
            return cls(path, os.path.getsize(path), False)
        except OSError as error:
            return cls(path, None, True, error.strerror or "cannot be read")


class Message(object):
    __slots__ = ("level", "text")

    def __init__(self, level: str, text: str) -> None:
        self.level = level
        self.text = text

    def __repr__(self) -> str:
        return "Message({!r}, {!r})".format(self.level, self.text)


class PreviewContent(object):
    """Everything the preview dialog shows, as plain values."""

    def __init__(
        self,
        payload_text: str,
        tasks: Sequence[Mapping[str, Any]],
        uploads: Sequence[UploadRow],
        messages: Sequence[Message],
        frames_info: str = "",
        is_scout: Optional[Callable[[int], bool]] = None,
        title: str = "",
    ) -> None:
        self.title = title
        self.payload_text = payload_text
        self.tasks = tasks
        self.uploads = list(uploads)
        self.messages = list(messages)
        self.frames_info = frames_info
        self.is_scout = is_scout

    def texts(self, level: str) -> List[str]:
        return [message.text for message in self.messages if message.level == level]

    @property
    def errors(self) -> List[str]:
        return self.texts(ERROR)

    @property
    def warnings(self) -> List[str]:
        return self.texts(WARNING)

    @property
    def infos(self) -> List[str]:
        return self.texts(INFO)

    @classmethod
    def from_submission(cls, submission: Any) -> "PreviewContent":
        """Read a ``farmhand.core.job.Submission``: its exact payload text, its task list
        (shared, not copied), scout tasks, resolved and missing uploads, validation."""
        uploads = [UploadRow.for_path(path) for path in submission.upload_files]
        uploads.extend(
            UploadRow(missing.path, None, True, "{} ({})".format(missing.reason, missing.source))
            for missing in submission.missing_uploads
        )
        messages = [
            Message(message.level, str(message)) for message in submission.validation.messages
        ]
        info = submission.frames_info
        return cls(
            payload_text=submission.payload_json(),
            tasks=submission.tasks,
            uploads=uploads,
            messages=messages,
            frames_info=str(info) if info is not None else "",
            is_scout=submission.is_scout,
            title=str(submission.job_title or ""),
        )
