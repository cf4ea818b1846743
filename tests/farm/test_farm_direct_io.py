"""The farm writes big upload bodies with O_DIRECT (farm/direct_io.py): the bytes on disk are
exactly the bytes sent, whatever the chunking, offsets and tails; small bodies, a switched-off
farm and file systems without direct I/O take the ordinary path; bad switch values are named."""

import errno
import fcntl
import hashlib
import os

import pytest

from farmhand.core.errors import InputError
from farmhand.farm import direct_io, upload_stream
from farmhand.farm.multipart import hash_range

MIB = 1024 * 1024


def _direct_ok(path: str) -> bool:
    open(path, "wb").close()
    fd = direct_io.open_direct(path, os.O_WRONLY)
    if fd is None:
        return False
    os.close(fd)
    return True


@pytest.fixture
def target(tmp_path):
    path = str(tmp_path / "upload.bin")
    if not _direct_ok(path):
        pytest.skip("this file system refuses O_DIRECT (the ordinary path is tested below)")
    return path


def _write(path: str, offset: int, chunks, expected: int):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        lane = upload_stream.file_lane(fd, path, offset, expected)
        position = offset
        for batch in chunks:
            lane(position, batch)
            position += sum(len(c) for c in batch)
        for step in ("flush", "close"):
            if hasattr(lane, step):
                getattr(lane, step)()
        return lane
    finally:
        os.close(fd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "offset, sizes",
    [
        (0, [3 * MIB + 17]),  # one batch, tail not a whole block
        (0, [1000, 5 * MIB, 4 * MIB + 3, 77]),  # crosses the 8 MiB buffer, odd chunks
        (64 * MIB, [MIB, MIB]),  # a multipart part at an aligned offset
        (12345, [2 * MIB + 1, 9 * MIB]),  # unaligned start: the head goes the ordinary way
    ],
)
def test_big_bodies_go_direct_and_land_byte_exact(target, offset, sizes):
    chunks = [os.urandom(size) for size in sizes]
    body = b"".join(chunks)
    lane = _write(target, offset, [chunks[:1], chunks[1:]], len(body))
    assert isinstance(lane, direct_io.DirectWriter)
    with open(target, "rb") as handle:
        handle.seek(offset)
        assert handle.read() == body
    assert os.path.getsize(target) == offset + len(body)


@pytest.mark.timeout(30)
def test_the_direct_descriptor_really_has_o_direct(target):
    fd = os.open(target, os.O_WRONLY)
    lane = upload_stream.file_lane(fd, target, 0, 4 * MIB)
    try:
        assert isinstance(lane, direct_io.DirectWriter)
        assert fcntl.fcntl(lane.dfd, fcntl.F_GETFL) & os.O_DIRECT
    finally:
        lane.close()
        lane.close()  # twice is harmless
        os.close(fd)


@pytest.mark.timeout(30)
def test_small_bodies_and_unknown_sizes_use_the_page_cache(target):
    for expected in (0, direct_io.DIRECT_FROM - 1):
        lane = _write(target, 0, [[b"x" * 100]], expected)
        assert not isinstance(lane, direct_io.DirectWriter)


@pytest.mark.timeout(30)
def test_switched_off_farm_uses_the_page_cache(target, monkeypatch):
    monkeypatch.setattr(direct_io, "ENABLED", False)
    lane = _write(target, 0, [[os.urandom(2 * MIB)]], 2 * MIB)
    assert not isinstance(lane, direct_io.DirectWriter)


@pytest.mark.timeout(30)
def test_direct_writes_refused_after_open_fall_back_without_losing_bytes(target, monkeypatch):
    real = os.pwritev

    def refuse(fd, buffers, offset):
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
            raise OSError(errno.EINVAL, "Invalid argument")
        return real(fd, buffers, offset)

    monkeypatch.setattr(os, "pwritev", refuse)
    body = os.urandom(9 * MIB + 5)
    _write(target, 0, [[body]], len(body))
    with open(target, "rb") as handle:
        assert handle.read() == body


@pytest.mark.timeout(30)
def test_a_full_disk_is_not_swallowed(target, monkeypatch):
    def full(fd, buffers, offset):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwritev", full)
    fd = os.open(target, os.O_WRONLY)
    lane = upload_stream.file_lane(fd, target, 0, 9 * MIB)
    try:
        with pytest.raises(OSError) as caught:
            lane(0, [os.urandom(9 * MIB)])
        assert caught.value.errno == errno.ENOSPC
    finally:
        lane.close()
        os.close(fd)


@pytest.mark.timeout(30)
def test_batches_out_of_order_are_refused(target):
    fd = os.open(target, os.O_WRONLY)
    lane = upload_stream.file_lane(fd, target, 0, 4 * MIB)
    try:
        with pytest.raises(ValueError, match="batches out of order: 4096 after 0"):
            lane(4096, [b"x"])
    finally:
        lane.close()
        os.close(fd)


@pytest.mark.timeout(60)
def test_hashing_an_early_part_back_reads_directly_and_matches(target, monkeypatch):
    data = os.urandom(5 * MIB + 99)
    with open(target, "wb") as handle:
        handle.write(data)
    for start, end in ((0, len(data)), (MIB, len(data)), (MIB, 3 * MIB + 7)):
        digest = hashlib.md5()
        assert direct_io.read_into_digest(target, start, end, digest, 4 * MIB)
        assert digest.hexdigest() == hashlib.md5(data[start:end]).hexdigest()
        digest = hashlib.md5()
        hash_range(target, start, end, digest)
        assert digest.hexdigest() == hashlib.md5(data[start:end]).hexdigest()
    assert not direct_io.read_into_digest(target, 10, 2 * MIB, hashlib.md5(), 4 * MIB)
    monkeypatch.setattr(direct_io, "ENABLED", False)  # hash_range then reads the usual way
    digest = hashlib.md5()
    hash_range(target, 10, 2 * MIB, digest)
    assert digest.hexdigest() == hashlib.md5(data[10 : 2 * MIB]).hexdigest()
    with pytest.raises(OSError, match="ends 1 bytes early"):
        hash_range(target, MIB, len(data) + 1, hashlib.md5())


@pytest.mark.timeout(30)
def test_reading_past_the_end_directly_is_an_error_naming_the_file(target):
    with open(target, "wb") as handle:
        handle.write(os.urandom(2 * MIB))
    with pytest.raises(OSError, match="upload.bin ends 4096 bytes early"):
        direct_io.read_into_digest(target, 0, 2 * MIB + 4096, hashlib.md5(), 4 * MIB)


def test_a_bad_switch_value_is_named_with_the_choices():
    with pytest.raises(InputError) as caught:
        direct_io._switch("yes")
    assert str(caught.value) == (
        "FARMHAND_FARM_DIRECT_IO: got 'yes'; expected 0 (off) or 1 (on, the default)"
    )
    assert direct_io._switch("0") is False
    assert direct_io._switch("1") is True
    assert direct_io._switch("") is True


@pytest.mark.timeout(30)
def test_filesystems_without_direct_io_take_the_ordinary_path(tmp_path, monkeypatch):
    monkeypatch.setattr(direct_io, "_O_DIRECT", 0)
    path = str(tmp_path / "plain.bin")
    body = os.urandom(3 * MIB + 1)
    lane = _write(path, 0, [[body]], len(body))
    assert not isinstance(lane, direct_io.DirectWriter)
    with open(path, "rb") as handle:
        assert handle.read() == body
