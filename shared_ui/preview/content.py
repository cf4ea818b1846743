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
    __slots__ = ("path", "size", "missing")

    def __init__(self, path: str, size: Optional[int], missing: bool) -> None:
        self.path = path
        self.size = size
        self.missing = missing

    @property
    def status(self) -> str:
        return "missing" if self.missing else "ok"

    @classmethod
    def for_path(cls, path: str) -> "UploadRow":
        try:
            return cls(path, os.path.getsize(path), False)
        except OSError:
            return cls(path, None, True)


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
    ) -> None:
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
