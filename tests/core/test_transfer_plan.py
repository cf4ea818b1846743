"""Upload planning: parts, dedupe by md5, and the streaming body reader."""

import threading

import pytest

from farmhand.core.errors import CancelledError, InputError
from farmhand.core.transfer import FileRangeReader, LocalFile, Part, split_parts, unique_by_md5


def test_split_parts():
    assert split_parts(10, 4) == [Part(1, 0, 4), Part(2, 4, 4), Part(3, 8, 2)]
    assert split_parts(8, 4) == [Part(1, 0, 4), Part(2, 4, 4)]
    assert split_parts(3, 4) == [Part(1, 0, 3)]
    assert split_parts(0, 4) == [Part(1, 0, 0)]


@pytest.mark.parametrize("bad", [0, -5])
def test_split_parts_rejects_bad_part_size(bad):
    with pytest.raises(InputError) as caught:
        split_parts(10, bad)
    assert str(caught.value) == (
        "partSize: part size must be at least 1 byte, the server sent {}".format(bad)
    )


def test_unique_by_md5_keeps_first(tmp_path):
    paths = []
    for name in "abc":
        (tmp_path / name).write_bytes(b"same" if name != "b" else b"other")
        paths.append(LocalFile.from_path(str(tmp_path / name)))
    md5s = {paths[0].path: "m1", paths[1].path: "m2", paths[2].path: "m1"}
    assert unique_by_md5(paths, md5s) == [paths[0], paths[1]]


def test_reader_streams_a_range_in_big_blocks(tmp_path):
    path = tmp_path / "data"
    data = bytes(bytearray(range(256))) * 4096  # 1 MiB
    path.write_bytes(data)
    counted = []
    reader = FileRangeReader(
        str(path), offset=1000, length=300000, on_bytes=counted.append, chunk=65536
    )
    with reader as body:
        assert len(body) == 300000
        blocks = []
        while True:
            block = body.read(8192)
            if not block:
                break
            blocks.append(block)
    assert b"".join(blocks) == data[1000:301000]
    assert max(len(b) for b in blocks) == 65536  # asked for 8 KiB, got the big block
    assert sum(counted) == 300000


def test_reader_whole_file(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"hello")
    with FileRangeReader(str(path)) as body:
        assert len(body) == 5
        assert body.read() == b"hello"
        assert body.read() == b""


def test_reader_cancel(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"x" * 100)
    cancel = threading.Event()
    with FileRangeReader(str(path), cancel=cancel, chunk=10) as body:
        assert body.read(10) == b"x" * 10
        cancel.set()
        with pytest.raises(CancelledError, match="upload of .*data cancelled"):
            body.read(10)


def test_reader_file_shrinks(tmp_path):
    path = tmp_path / "data"
    path.write_bytes(b"x" * 100)
    with FileRangeReader(str(path), chunk=10) as body:
        with open(str(path), "r+b") as handle:
            handle.truncate(20)
        body.read(10)
        body.read(10)
        with pytest.raises(InputError) as caught:
            body.read(10)
    assert str(caught.value) == (
        "upload_paths: {} shrank while it was being uploaded; save it and submit again".format(
            str(path)
        )
    )
