"""What to send: one file per distinct md5, split into parts when the server asks for it.

Two files with the same bytes (a texture copied into two folders) are one object on the server,
so they are negotiated and sent once; the job's ``upload_files`` still lists both paths.
"""

import threading
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

from farmhand.core.errors import CancelledError, InputError
from farmhand.core.transfer.files import LocalFile

# How much one ``read`` of an upload body returns: big enough that the socket, not Python,
# is the bottleneck, small enough that cancel and progress stay responsive.
SEND_CHUNK = 1024 * 1024


class Part(NamedTuple):
    number: int  # 1-based, as multipart protocols count
    offset: int
    length: int


def unique_by_md5(files: Sequence[LocalFile], md5s: Dict[str, str]) -> List[LocalFile]:
    """The first file for each distinct md5, in the given order."""
    seen = set()
    result = []
    for local in files:
        md5 = md5s[local.path]
        if md5 not in seen:
            seen.add(md5)
            result.append(local)
    return result


def split_parts(size: int, part_size: int) -> List[Part]:
    """Consecutive parts of ``part_size`` bytes (the last one shorter); one empty part for 0."""
    if part_size < 1:
        raise InputError(
            "part size must be at least 1 byte, the server sent {}".format(part_size),
            field="partSize",
        )
    if size == 0:
        return [Part(1, 0, 0)]
    return [
        Part(index + 1, offset, min(part_size, size - offset))
        for index, offset in enumerate(range(0, size, part_size))
    ]


class FileRangeReader(object):
    """A streaming request body over ``length`` bytes of a file from ``offset``.

    ``len()`` makes HTTP libraries send a ``Content-Length`` (no chunked encoding), ``read``
    counts progress and honours ``cancel`` (or ``should_stop()``) between chunks. ``read``
    returns up to ``SEND_CHUNK`` bytes even when asked for fewer: http.client and urllib3 ask
    for 8-16 KiB blocks and send whatever comes back, and bigger blocks keep a loopback upload
    near copy speed.
    A file that shrinks under the reader raises ``InputError`` instead of sending short.
    """

    def __init__(
        self,
        path: str,
        offset: int = 0,
        length: Optional[int] = None,
        on_bytes: Optional[Callable[[int], None]] = None,
        cancel: Optional[threading.Event] = None,
        chunk: int = SEND_CHUNK,
        should_stop: Optional[Callable[[], bool]] = None,
    ) -> None:
        self.path = path
        self._handle = open(path, "rb")  # noqa: SIM115 (closed by close/__exit__)  # noqa: SIM115 - closed by close()/__exit__
        self._handle.seek(offset)
        if length is None:
            self._handle.seek(0, 2)
            length = self._handle.tell() - offset
            self._handle.seek(offset)
        self.length = length
        self.remaining = length
        self._on_bytes = on_bytes
        self._cancel = cancel
        self._should_stop = should_stop
        self._chunk = chunk

    def __len__(self) -> int:
        return self.length

    def read(self, size: int = -1) -> bytes:
        if (self._cancel is not None and self._cancel.is_set()) or (
            self._should_stop is not None and self._should_stop()
        ):
            raise CancelledError("upload of {} cancelled".format(self.path))
        if self.remaining <= 0:
            return b""
        want = self.remaining if size is None or size < 0 else max(size, self._chunk)
        data = self._handle.read(min(want, self.remaining))
        if not data:
            raise InputError(
                "{} shrank while it was being uploaded; save it and submit again".format(self.path),
                field="upload_paths",
            )
        self.remaining -= len(data)
        if self._on_bytes is not None:
            self._on_bytes(len(data))
        return data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "FileRangeReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
