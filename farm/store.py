"""The content-addressed store: uploaded files kept once each, named by their md5.

A file reaches ``store/<hex[:2]>/<hex>`` only after its bytes were hashed and matched the
md5 it was announced with, and only once they are on disk (``landing.py`` says why and in
which order), so the store never holds a wrong or partial file and two uploads of the same
content keep one copy. Stored files are read-only: tasks see them through hard links, and a
task writing to its input must not corrupt the store.
"""

import asyncio
import base64
import binascii
import hashlib
import os
import shutil
import uuid
from typing import Iterable, Optional

from farmhand.core.paths import create_private_file
from farmhand.farm import disk_sync
from farmhand.farm.errors import RequestError
from farmhand.farm.landing import Lander

COPY_BUFFER = 1024 * 1024


def md5_hex(md5_b64: str) -> str:
    try:
        digest = base64.b64decode(md5_b64, validate=True)
    except (binascii.Error, ValueError):
        digest = b""
    if len(digest) != 16:
        raise RequestError("{!r} is not an md5 (base64 of 16 bytes)".format(md5_b64), field="md5")
    return digest.hex()


def md5_b64_of_hex(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def file_md5(path: str) -> str:
    """base64 md5 of a file, as ciocore computes it."""
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(COPY_BUFFER), b""):
            digest.update(block)
    return base64.b64encode(digest.digest()).decode("ascii")


class BlobWriter:
    """Receives one single-part upload: bytes go to a private temporary file and through
    md5 (``upload_stream.receive`` feeds ``fd``/``digest`` off the loop; ``write`` is the
    plain way); ``commit`` verifies and hands the file to the store."""

    def __init__(self, store: "BlobStore", md5_b64: str, expected_size: Optional[int]) -> None:
        self.store = store
        self.md5_b64 = md5_b64
        self.hex = md5_hex(md5_b64)
        self.expected_size = expected_size
        self.tmp = store.new_tmp("upload")
        self.fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self.digest = hashlib.md5()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        os.pwrite(self.fd, chunk, self.size)
        self.digest.update(chunk)
        self.size += len(chunk)

    def _close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def abort(self) -> None:
        self._close()
        disk_sync.unlink_quietly(self.tmp)

    def commit(self, content_md5: Optional[str]) -> bool:
        """Verify and store; returns False when the content was already stored.

        Raises ``RequestError`` (and keeps nothing) when the bytes do not match.
        """
        self._close()
        actual = base64.b64encode(self.digest.digest()).decode("ascii")
        try:
            if content_md5 is not None and content_md5 != actual:
                raise RequestError(
                    "Content-MD5 mismatch: the header says {} but the {} bytes received hash to"
                    " {}; nothing was stored".format(content_md5, self.size, actual),
                    field="Content-MD5",
                )
            if actual != self.md5_b64:
                raise RequestError(
                    "md5 mismatch: this URL is for {} but the {} bytes received hash to {};"
                    " nothing was stored".format(self.md5_b64, self.size, actual),
                    field="Content-MD5",
                )
            if self.expected_size is not None and self.size != self.expected_size:
                raise RequestError(
                    "size mismatch: expected {} bytes, received {}; nothing was stored".format(
                        self.expected_size, self.size
                    ),
                    field="Content-Length",
                )
        except RequestError:
            self.abort()
            raise
        return self.store.adopt(self.tmp, self.hex)


class BlobStore:
    """``background``: verified files land in a thread, in batches (the farm); otherwise
    ``adopt`` makes each durable and stores it before returning (tools, tests)."""

    def __init__(self, root: str, tmp: str, background: bool = False) -> None:
        self.root = root
        self.tmp = tmp
        os.makedirs(self.tmp, exist_ok=True)
        self.lander = Lander(root, self.path_for_hex, background)

    def path_for_hex(self, hex_digest: str) -> str:
        return os.path.join(self.root, hex_digest[:2], hex_digest)

    def path(self, md5_b64: str) -> str:
        """Where the content is once stored (see ``settled`` for content still landing)."""
        return self.path_for_hex(md5_hex(md5_b64))

    def has(self, md5_b64: str) -> bool:
        """Stored or landing: either way the client need not send it again."""
        hex_digest = md5_hex(md5_b64)
        return self.lander.is_landing(hex_digest) or os.path.exists(self.path_for_hex(hex_digest))

    def new_tmp(self, kind: str) -> str:
        return os.path.join(self.tmp, "{}-{}".format(kind, uuid.uuid4().hex))

    def writer(self, md5_b64: str, expected_size: Optional[int] = None) -> BlobWriter:
        return BlobWriter(self, md5_b64, expected_size)

    def adopt(self, tmp_path: str, hex_digest: str) -> bool:
        """Take a verified temporary file into the store; False (and the temporary file is
        removed) when the same content is already stored or landing."""
        if self.lander.land(hex_digest, tmp_path):
            return True
        disk_sync.unlink_quietly(tmp_path)
        return False

    async def settled(self, md5s: Iterable[str]) -> None:
        """Wait until none of these contents is still landing: each is then stored (durable
        under its name) or, if landing failed, absent."""
        if self.lander.idle():
            return
        hexes = {md5_hex(md5) for md5 in md5s}
        loop = asyncio.get_running_loop()
        done: "asyncio.Future[None]" = loop.create_future()

        def wake() -> None:
            if not done.done():
                done.set_result(None)

        def landed() -> None:  # called from the lander's thread
            loop.call_soon_threadsafe(wake)

        self.lander.when_landed(hexes, landed)
        await done

    def close(self) -> None:
        """Land everything verified so far (a clean stop keeps every finished upload)."""
        self.lander.close()

    def clean_tmp(self) -> int:
        """Remove partial and not yet landed uploads a previous run left behind (start)."""
        removed = 0
        for name in os.listdir(self.tmp):
            path = os.path.join(self.tmp, name)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
            removed += 1
        return removed

    # -- giving files to tasks --------------------------------------------------------------

    def link_or_copy(self, md5_b64: str, target: str, allow_link: bool) -> None:
        """Place a stored file at ``target`` (a hard link inside the farm, a copy outside)."""
        source = self.path(md5_b64)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = "{}.farmhand-{}".format(target, uuid.uuid4().hex[:8])
        if allow_link:
            try:
                os.link(source, tmp)
                os.replace(tmp, target)
                return
            except OSError:
                pass
        create_private_file(tmp)  # 0600 before a byte is copied, whatever the umask
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        except BaseException:
            disk_sync.unlink_quietly(tmp)
            raise
