"""The content-addressed store: uploaded files kept once each, named by their md5.

A file reaches ``store/<hex[:2]>/<hex>`` only by an atomic rename after its bytes were hashed
and matched the md5 it was announced with, so the store never holds a wrong or partial file
and two uploads of the same content keep one copy. Stored files are read-only: tasks see them
through hard links, and a task writing to its input must not corrupt the store.
"""

import base64
import binascii
import hashlib
import os
import shutil
import uuid
from typing import BinaryIO, List, Optional, Sequence, Tuple

from farmhand.farm.errors import RequestError

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
    """Receives one upload: bytes go to a private temporary file and through md5."""

    def __init__(self, store: "BlobStore", md5_b64: str, expected_size: Optional[int]) -> None:
        self.store = store
        self.md5_b64 = md5_b64
        self.hex = md5_hex(md5_b64)
        self.expected_size = expected_size
        self.tmp = os.path.join(store.tmp, "upload-{}".format(uuid.uuid4().hex))
        self.handle: Optional[BinaryIO] = open(self.tmp, "wb")  # noqa: SIM115 (closed in commit/abort)
        self.digest = hashlib.md5()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        assert self.handle is not None
        self.handle.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)

    def abort(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        try:
            os.unlink(self.tmp)
        except FileNotFoundError:
            pass

    def commit(self, content_md5: Optional[str]) -> bool:
        """Verify and store; returns False when the content was already stored.

        Raises ``RequestError`` (and keeps nothing) when the bytes do not match.
        """
        assert self.handle is not None
        self.handle.close()
        self.handle = None
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
    def __init__(self, root: str, tmp: str) -> None:
        self.root = root
        self.tmp = tmp
        os.makedirs(self.tmp, exist_ok=True)

    def path_for_hex(self, hex_digest: str) -> str:
        return os.path.join(self.root, hex_digest[:2], hex_digest)

    def path(self, md5_b64: str) -> str:
        return self.path_for_hex(md5_hex(md5_b64))

    def has(self, md5_b64: str) -> bool:
        return os.path.exists(self.path(md5_b64))

    def writer(self, md5_b64: str, expected_size: Optional[int] = None) -> BlobWriter:
        return BlobWriter(self, md5_b64, expected_size)

    def adopt(self, tmp_path: str, hex_digest: str) -> bool:
        """Move a verified temporary file into place (atomically); False if already there."""
        final = self.path_for_hex(hex_digest)
        if os.path.exists(final):
            os.unlink(tmp_path)
            return False
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.chmod(tmp_path, 0o444)
        with open(tmp_path, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_path, final)
        return True

    def clean_tmp(self) -> int:
        """Remove partial uploads a previous run left behind (farm start)."""
        removed = 0
        for name in os.listdir(self.tmp):
            path = os.path.join(self.tmp, name)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
            removed += 1
        return removed

    # -- multipart --------------------------------------------------------------------------

    def multipart_dir(self, upload_id: str) -> str:
        if not upload_id.isalnum():
            raise RequestError("{!r} is not an upload id".format(upload_id), field="uploadID")
        return os.path.join(self.tmp, "multipart-" + upload_id)

    def part_path(self, upload_id: str, number: int) -> str:
        return os.path.join(self.multipart_dir(upload_id), "{:06d}".format(number))

    def assemble(
        self, upload_id: str, parts: Sequence[Tuple[int, str]], md5_b64: str, size: int
    ) -> bool:
        """Join verified parts in order, check the whole file's md5, store it.

        ``parts`` is ``[(number, etag)]`` in upload order. Raises ``RequestError`` naming the
        bad part or the md5; the upload's parts are removed either way.
        """
        folder = self.multipart_dir(upload_id)
        tmp = os.path.join(self.tmp, "assemble-{}".format(uuid.uuid4().hex))
        digest = hashlib.md5()
        total = 0
        try:
            with open(tmp, "wb") as out:
                for position, (number, etag) in enumerate(parts):
                    path = self.part_path(upload_id, number)
                    if not os.path.exists(path):
                        raise RequestError(
                            "part {} was never uploaded".format(number),
                            field="completedParts[{}]".format(position),
                        )
                    part_digest = hashlib.md5()
                    with open(path, "rb") as handle:
                        for block in iter(lambda: handle.read(COPY_BUFFER), b""):
                            part_digest.update(block)
                            digest.update(block)
                            out.write(block)
                            total += len(block)
                    if etag.strip('"') != part_digest.hexdigest():
                        raise RequestError(
                            "etag {!r} of part {} does not match its bytes ({})".format(
                                etag, number, part_digest.hexdigest()
                            ),
                            field="completedParts[{}].etag".format(position),
                        )
            actual = base64.b64encode(digest.digest()).decode("ascii")
            if actual != md5_b64:
                raise RequestError(
                    "md5 mismatch: the upload was announced as {} but its {} bytes hash to {};"
                    " nothing was stored".format(md5_b64, total, actual),
                    field="hash",
                )
            if size >= 0 and total != size:
                raise RequestError(
                    "size mismatch: announced {} bytes, the parts hold {}".format(size, total),
                    field="completedParts",
                )
            return self.adopt(tmp, md5_hex(md5_b64))
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def abort_multipart(self, upload_id: str) -> None:
        shutil.rmtree(self.multipart_dir(upload_id), ignore_errors=True)

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
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)


def missing(store: BlobStore, md5s: Sequence[str]) -> List[int]:
    """Indices of the md5s the store does not hold."""
    return [i for i, md5 in enumerate(md5s) if not store.has(md5)]
