"""The md5 of a file, base64-encoded: the content id Conductor-compatible services use.

Why base64 and not hex: Conductor's uploads and ``Content-MD5`` headers carry the base64 form,
so the same string serves as cache value, negotiation key and upload header.
"""

import base64
import hashlib
import threading
from typing import Any, Callable, Optional

from farmhand.core.errors import CancelledError

# Big reads keep the per-call overhead negligible next to the hashing itself (and hashlib
# releases the GIL on large buffers, so several threads hash in parallel).
BUFFER_SIZE = 4 * 1024 * 1024


def new_md5() -> "Any":
    """An md5 object that also works where FIPS mode forbids md5 "for security"."""
    try:
        return hashlib.md5(usedforsecurity=False)
    except TypeError:  # Python < 3.9
        return hashlib.md5()


def md5_base64(data: bytes) -> str:
    digest = new_md5()
    digest.update(data)
    return base64.b64encode(digest.digest()).decode("ascii")


_local = threading.local()


def _thread_buffer(size: int) -> bytearray:
    """One read buffer per thread, reused: allocating (and zeroing) megabytes per file would
    cost more than hashing a small file."""
    buffer: Optional[bytearray] = getattr(_local, "buffer", None)
    if buffer is None or len(buffer) != size:
        buffer = bytearray(size)
        _local.buffer = buffer
    return buffer


def file_md5(
    path: str,
    cancel: Optional[threading.Event] = None,
    on_bytes: Optional[Callable[[int], None]] = None,
    buffer_size: int = BUFFER_SIZE,
) -> str:
    """Hash ``path``; ``on_bytes(n)`` after each read; raises ``CancelledError`` when cancelled."""
    digest = new_md5()
    buffer = _thread_buffer(buffer_size)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        while True:
            if cancel is not None and cancel.is_set():
                raise CancelledError("cancelled while hashing {}".format(path))
            count = handle.readinto(buffer)
            if not count:
                break
            digest.update(view[:count])
            if on_bytes is not None:
                on_bytes(count)
    return base64.b64encode(digest.digest()).decode("ascii")
