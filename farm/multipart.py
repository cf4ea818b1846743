"""Multipart uploads: parts written straight into one file, the whole md5 kept as they come.

A big file arrives as numbered parts (ciocore and Farmhand's client send them in order, one
at a time; other clients may not). Each part is written at its offset into one temporary
file, so ``complete`` has nothing to join or copy, and the whole file's md5 continues from
the previous part's while a part streams in. A part that arrives before its predecessors
is hashed into the whole later, from the file (page cache), as soon as the gap is filled; a
part sent again after it was hashed makes ``complete`` hash the whole file again.
``complete`` then only checks the etags and the md5, and the verified file lands in the
store (``landing.py``).

A part's ETag is an opaque tag of the bytes the farm received for it (a new one each time
the part is sent), not the part's own md5: computing that as well would hash every byte
twice, and the whole file's md5 already decides what is stored. A client that wants a part
checked on its own sends ``Content-MD5`` with it.

Sessions live in memory: a farm restart drops them with their files, and the client asks
for upload URLs again. A session of a client that went away (killed, or it gave up after its
connection kept dropping) is handed to the next client that asks to upload the same content,
with the parts it holds (``resumable``): that client sends only the missing parts. A session
is only handed over once no part has arrived for ``RESUME_IDLE`` seconds, so two clients
uploading the same file at the same moment never share one. A session no part has reached
for ``ABANDONED_AFTER`` seconds was abandoned (nobody resumed it): it is dropped with its
file when the next multipart upload starts, so a killed submit does not hold the
bytes it sent until the farm restarts.
"""

import asyncio
import base64
import concurrent.futures
import hashlib
import math
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from aiohttp import StreamReader

from farmhand.farm import direct_io, disk_sync, upload_stream
from farmhand.farm.errors import (
    ConflictError,
    NotFoundError,
    RequestError,
    StorageFullError,
    is_disk_full,
)
from farmhand.farm.store import BlobStore, md5_hex

READ_BUFFER = 4 * 1024 * 1024
# Clients send the parts of one upload back to back; a quarter of an hour without one means
# nobody will complete the upload.
ABANDONED_AFTER = 15 * 60.0
# A session this long without a part arriving has lost its client: another may resume it.
RESUME_IDLE = 2.0


# ASCII digits only: str.isdigit() accepts "³", which int() refuses (a 500; fuzzing)
_NUMBER = re.compile(r"\A[0-9]{1,9}\Z")


@dataclass
class Session:
    upload_id: str
    md5: str  # base64 of the whole file's md5, as announced
    size: int
    part_size: int
    part_count: int
    path: str
    created_at: float = field(default_factory=time.time)
    touched_at: float = 0.0  # time.monotonic() of the start or the last part's end
    etags: Dict[int, str] = field(default_factory=dict)  # received parts: number -> etag
    busy: Set[int] = field(default_factory=set)  # parts being received right now
    whole: Any = field(default_factory=hashlib.md5)  # md5 of parts 1..hashed
    hashed: int = 0
    valid: bool = True  # False once a part already in ``whole`` was sent again
    generation: int = 0  # bumped when a part is sent again: stale catch-ups are dropped
    catching_up: Optional["asyncio.Future[None]"] = None
    closed: bool = False

    def span(self, number: int) -> Tuple[int, int]:
        """(offset, size) of a part."""
        offset = (number - 1) * self.part_size
        return offset, min(self.part_size, self.size - offset)


class MultipartUploads:
    def __init__(self, store: BlobStore, threads: concurrent.futures.Executor) -> None:
        self.store = store
        self.threads = threads
        self.sessions: Dict[str, Session] = {}

    def start(self, md5_b64: str, size: int, part_size: int) -> Session:
        self.drop_abandoned()
        upload_id = uuid.uuid4().hex
        count = max(1, math.ceil(size / part_size))
        session = Session(
            upload_id, md5_b64, size, part_size, count, self.store.new_tmp("multipart")
        )
        session.touched_at = time.monotonic()
        self.sessions[upload_id] = session
        return session

    def resumable(self, md5_b64: str, size: int, part_size: int) -> Optional[Session]:
        """An idle session for the same content and part size, to be resumed, or None."""
        now = time.monotonic()
        for session in self.sessions.values():
            if (
                session.md5 == md5_b64
                and session.size == size
                and session.part_size == part_size
                and not session.busy
                and now - session.touched_at >= RESUME_IDLE
            ):
                session.touched_at = now  # handed out: not to a second client at once
                return session
        return None

    def received(self, session: Session) -> int:
        """Bytes of the parts a session holds."""
        return sum(session.span(number)[1] for number in session.etags)

    def drop_abandoned(self) -> List[str]:
        """Abort the sessions idle for more than ``ABANDONED_AFTER``; returns their ids."""
        now = time.monotonic()
        dropped = [
            upload_id
            for upload_id, session in self.sessions.items()
            if not session.busy
            and session.catching_up is None
            and now - session.touched_at > ABANDONED_AFTER
        ]
        for upload_id in dropped:
            self.abort(upload_id)
        return dropped

    def session(self, upload_id: str) -> Session:
        session = self.sessions.get(upload_id)
        if session is None:
            raise NotFoundError(
                "no multipart upload {!r} (finished, aborted, or the farm restarted);"
                " ask for upload URLs again".format(upload_id)
            )
        return session

    # -- parts ------------------------------------------------------------------------------

    async def put_part(
        self, upload_id: str, number_text: str, content: StreamReader, content_md5: Optional[str]
    ) -> Tuple[int, int, str]:
        """Receive one part; returns (number, size, etag)."""
        session = self.session(upload_id)
        number = int(number_text) if _NUMBER.match(number_text) else 0
        if not 1 <= number <= session.part_count:
            raise RequestError(
                "part {} is out of range (1 to {})".format(number_text, session.part_count),
                field="partNumber",
            )
        if number in session.busy:
            raise ConflictError(
                "part {} of upload {} is being received already".format(number, upload_id)
            )
        offset, expected = session.span(number)
        if session.etags.pop(number, None) is not None:  # sent again: its old bytes go
            session.generation += 1
            if number <= session.hashed:
                session.valid = False
        lanes = []
        digest = None
        if content_md5 is not None:  # the client asks for the part to be checked on its own
            digest = hashlib.md5()
            lanes.append(upload_stream.digest_lane(digest))
        whole = None
        at_front = session.valid and session.catching_up is None and number == session.hashed + 1
        if at_front:
            whole = session.whole.copy()
            lanes.append(upload_stream.digest_lane(whole))
        generation = session.generation
        session.busy.add(number)
        fd = os.open(session.path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            lanes.insert(0, upload_stream.file_lane(fd, session.path, offset, expected))
            try:
                size = await upload_stream.receive(
                    content, lanes, self.threads, offset=offset, limit=expected
                )
            except upload_stream.TooLargeError:
                raise RequestError(
                    "part {} has more bytes than expected ({})".format(number, expected),
                    field="Content-Length",
                ) from None
            except OSError as error:
                if not is_disk_full(error):
                    raise
                raise StorageFullError(
                    "no room left on the farm's disk for part {} of upload {} ({}); the part "
                    "was not kept".format(number, upload_id, error.strerror)
                ) from None
        finally:
            os.close(fd)
            session.busy.discard(number)
            session.touched_at = time.monotonic()
        if size != expected:
            raise RequestError(
                "part {} has {} bytes; expected {}".format(number, size, expected),
                field="Content-Length",
            )
        if digest is not None:
            actual = base64.b64encode(digest.digest()).decode("ascii")
            if actual != content_md5:
                raise RequestError(
                    "Content-MD5 mismatch on part {}: header {} but the bytes hash to {}".format(
                        number, content_md5, actual
                    ),
                    field="Content-MD5",
                )
        if self.sessions.get(upload_id) is not session:
            self.session(upload_id)  # aborted meanwhile: 404
        etag = uuid.uuid4().hex
        session.etags[number] = etag
        if whole is not None and session.generation == generation and session.hashed == number - 1:
            session.whole = whole
            session.hashed = number
        self._catch_up(session)
        return number, size, etag

    def _catch_up(self, session: Session) -> None:
        """Hash parts that came early into the whole md5, from the file, in a thread."""
        if not session.valid or session.closed or session.catching_up is not None:
            return
        first = number = session.hashed + 1
        while number in session.etags and number not in session.busy:
            number += 1
        last = number - 1
        if last < first:
            return
        generation = session.generation
        whole = session.whole.copy()
        start, _ = session.span(first)
        end = sum(session.span(last))
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.threads, hash_range, session.path, start, end, whole)
        session.catching_up = future

        def hashed(done: "asyncio.Future[None]") -> None:
            session.catching_up = None
            if (
                done.exception() is None
                and session.generation == generation
                and session.hashed == first - 1
            ):
                session.whole = whole
                session.hashed = last
            if not session.closed:
                self._catch_up(session)

        future.add_done_callback(hashed)

    # -- completing -------------------------------------------------------------------------

    async def complete(self, body: Dict[str, Any]) -> Tuple[Session, bool]:
        """Check the parts and the whole md5, then store the file; returns the session and
        whether the content was new. A failed check discards the upload."""
        upload_id = body.get("uploadID")
        if not isinstance(upload_id, str):
            raise RequestError("expected the upload id string", field="uploadID")
        session = self.session(upload_id)
        md5 = body.get("hash")
        if md5 != session.md5:
            raise RequestError(
                "hash {!r} is not the md5 this upload was started for ({})".format(
                    md5, session.md5
                ),
                field="hash",
            )
        pairs = _completed_parts(body.get("completedParts"), session.part_count)
        if session.busy:
            raise ConflictError(
                "parts {} of upload {} are still being received; complete once they are"
                " done".format(sorted(session.busy), upload_id)
            )
        del self.sessions[upload_id]
        session.closed = True
        try:
            for position, (number, etag) in enumerate(pairs):
                if number not in session.etags:
                    raise RequestError(
                        "part {} was never uploaded".format(number),
                        field="completedParts[{}]".format(position),
                    )
                if etag.strip('"') != session.etags[number]:
                    raise RequestError(
                        "etag {!r} of part {} is not the one the farm gave for it ({}): the"
                        " part was sent again since".format(etag, number, session.etags[number]),
                        field="completedParts[{}].etag".format(position),
                    )
            while session.catching_up is not None:
                await asyncio.wait([session.catching_up])
                await asyncio.sleep(0)  # its done-callback runs
            whole, start = (session.whole, session.span(session.hashed + 1)[0])
            if not session.valid:
                whole, start = hashlib.md5(), 0
            if start < session.size:
                loop = asyncio.get_running_loop()
                await loop.run_in_executor(
                    self.threads, hash_range, session.path, start, session.size, whole
                )
            actual = base64.b64encode(whole.digest()).decode("ascii")
            if actual != session.md5:
                raise RequestError(
                    "md5 mismatch: the upload was announced as {} but its {} bytes hash to {};"
                    " nothing was stored".format(session.md5, session.size, actual),
                    field="hash",
                )
            return session, self.store.adopt(session.path, md5_hex(session.md5))
        except BaseException:
            disk_sync.unlink_quietly(session.path)
            raise

    def abort(self, upload_id: str) -> None:
        session = self.session(upload_id)
        del self.sessions[upload_id]
        session.closed = True
        disk_sync.unlink_quietly(session.path)  # a part still arriving writes to the unlinked file


def _completed_parts(parts: Any, count: int) -> List[Tuple[int, str]]:
    if not isinstance(parts, list):
        raise RequestError("expected a list of {partNumber, etag}", field="completedParts")
    pairs = []
    for position, part in enumerate(parts):
        if (
            not isinstance(part, dict)
            or not isinstance(part.get("partNumber"), int)
            or not isinstance(part.get("etag"), str)
        ):
            raise RequestError(
                "expected {partNumber, etag}, got " + repr(part)[:80],
                field="completedParts[{}]".format(position),
            )
        pairs.append((part["partNumber"], part["etag"]))
    numbers = [n for n, _ in pairs]
    if numbers != list(range(1, count + 1)):
        raise RequestError(
            "expected parts 1 to {} in order, got {}".format(count, numbers[:20]),
            field="completedParts",
        )
    return pairs


def hash_range(path: str, start: int, end: int, digest: Any) -> None:
    """Feed bytes ``start`` to ``end`` of a file to ``digest`` (a part that came early)."""
    if end - start >= direct_io.DIRECT_FROM and direct_io.read_into_digest(
        path, start, end, digest, READ_BUFFER
    ):
        return  # the parts were written with direct I/O: not in the page cache
    buffer = bytearray(READ_BUFFER)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            count = handle.readinto(view[: min(left, READ_BUFFER)])
            if not count:
                raise OSError("{} ends {} bytes early".format(path, left))
            digest.update(view[:count])
            left -= count
