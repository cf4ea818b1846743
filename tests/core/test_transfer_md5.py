"""md5 (base64) of files: agrees with md5sum, streams in buffers, honours cancel."""

import base64
import hashlib
import subprocess
import threading

import pytest

from farmhand.core.errors import CancelledError
from farmhand.core.transfer import BUFFER_SIZE, file_md5, md5_base64


def md5sum_base64(path):
    """The reference: coreutils' md5sum (hex) converted to Conductor's base64 form."""
    hex_digest = subprocess.check_output(["md5sum", str(path)]).split()[0].decode()
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


@pytest.mark.parametrize(
    "size", [0, 1, 1000, BUFFER_SIZE - 1, BUFFER_SIZE, BUFFER_SIZE + 1, 2 * BUFFER_SIZE + 7]
)
def test_file_md5_matches_md5sum(tmp_path, size):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(bytearray(i % 251 for i in range(size))))
    assert file_md5(str(path)) == md5sum_base64(path)


def test_known_values():
    # RFC 1321 test vectors, base64-encoded.
    empty = bytes.fromhex("d41d8cd98f00b204e9800998ecf8427e")
    assert md5_base64(b"") == base64.b64encode(empty).decode()
    assert md5_base64(b"abc") == base64.b64encode(hashlib.md5(b"abc").digest()).decode()
    assert md5_base64(b"abc") == "kAFQmDzST7DWlj99KOF/cg=="


def test_small_buffers_and_byte_counts(tmp_path):
    path = tmp_path / "data.bin"
    payload = b"farmhand" * 1000
    path.write_bytes(payload)
    counts = []
    assert file_md5(str(path), on_bytes=counts.append, buffer_size=777) == md5_base64(payload)
    assert sum(counts) == len(payload)
    assert max(counts) == 777


def test_cancel_before_start(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 10)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError, match=r"cancelled while hashing .*data\.bin"):
        file_md5(str(path), cancel=cancel)


def test_cancel_between_buffers(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"x" * 10000)
    cancel = threading.Event()
    seen = []

    def on_bytes(count):
        seen.append(count)
        cancel.set()

    with pytest.raises(CancelledError):
        file_md5(str(path), cancel=cancel, on_bytes=on_bytes, buffer_size=1000)
    assert seen == [1000]


def test_missing_file_raises_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        file_md5(str(tmp_path / "missing"))
