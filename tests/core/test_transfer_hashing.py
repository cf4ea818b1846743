"""Parallel hashing with the persistent cache: a resubmit hashes nothing."""

import threading
import time

import pytest

from farmhand.core.errors import CancelledError, InputError
from farmhand.core.transfer import (
    LocalFile,
    Md5Cache,
    ProgressEvent,
    collect_files,
    hash_files,
    md5_base64,
)


class CountdownEvent(threading.Event):
    """Reports "set" after ``checks`` calls to is_set(): a deterministic mid-run cancel."""

    def __init__(self, checks):
        super().__init__()
        self.checks = checks
        self.lock = threading.Lock()

    def is_set(self):
        with self.lock:
            self.checks -= 1
            return self.checks < 0 or super().is_set()


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    contents = {}
    for index in range(20):
        data = ("file {}\n".format(index) * (index * 5000 + 1)).encode()
        (root / "f{:02d}.txt".format(index)).write_bytes(data)
        contents[str(root / "f{:02d}.txt".format(index))] = data
    return root, contents


def test_hashes_every_file(tree):
    root, contents = tree
    report = hash_files(collect_files([str(root)]))
    assert report.md5s == {path: md5_base64(data) for path, data in contents.items()}
    assert report.hashed_files == 20
    assert report.hashed_bytes == sum(len(d) for d in contents.values())
    assert report.cached_files == 0


def test_second_run_hashes_nothing(tree):
    root, contents = tree
    with Md5Cache() as cache:
        first = hash_files(collect_files([str(root)]), cache=cache)
    with Md5Cache() as cache:  # a new process would open the cache afresh
        second = hash_files(collect_files([str(root)]), cache=cache)
    assert second.md5s == first.md5s
    assert (second.hashed_files, second.hashed_bytes, second.cached_files) == (0, 0, 20)


def test_only_edited_file_is_rehashed(tree):
    root, contents = tree
    with Md5Cache() as cache:
        hash_files(collect_files([str(root)]), cache=cache)
        (root / "f03.txt").write_bytes(b"edited")
        report = hash_files(collect_files([str(root)]), cache=cache)
    assert report.hashed_files == 1
    assert report.md5s[str(root / "f03.txt")] == md5_base64(b"edited")


def test_progress_events_add_up_and_are_serialised(tree):
    root, contents = tree
    events = []
    inside = []

    def on_progress(event):
        assert isinstance(event, ProgressEvent)
        inside.append(1)
        assert len(inside) == 1, "callback called from two threads at once"
        events.append(event)
        time.sleep(0.001)
        inside.pop()

    files = collect_files([str(root)])
    hash_files(files, progress=on_progress, workers=4)
    total = sum(f.size for f in files)
    assert {e.phase for e in events} == {"hashing"}
    assert events[0].bytes_done == 0 and events[0].bytes_total == total
    assert events[-1].bytes_done == total
    assert events[-1].files_done == events[-1].files_total == 20
    assert events[-1].message == "20 files hashed, 0 from the cache"
    done = [e.bytes_done for e in events]
    assert done == sorted(done)
    assert str(events[-1]).startswith("hashing: 20/20 files, 7.0 MiB of 7.0 MiB (")
    assert str(events[-1]).endswith("/s) - 20 files hashed, 0 from the cache")


def test_cached_files_count_as_done_bytes(tree):
    root, contents = tree
    with Md5Cache() as cache:
        hash_files(collect_files([str(root)]), cache=cache)
        events = []
        hash_files(collect_files([str(root)]), cache=cache, progress=events.append)
    assert events[-1].bytes_done == events[-1].bytes_total
    assert events[-1].message == "0 files hashed, 20 from the cache"


def test_cancel_mid_run_raises_and_keeps_finished_work(tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    for index in range(6):
        (root / "f{}".format(index)).write_bytes(bytes(bytearray([index])) * (9 * 1024 * 1024))
    files = collect_files([str(root)])
    cancel = CountdownEvent(checks=8)  # a few buffers in, before everything is read
    with Md5Cache() as cache:
        with pytest.raises(CancelledError):
            hash_files(files, cache=cache, cancel=cancel, workers=2)
        remembered = cache.lookup(files)
    assert len(remembered) < len(files)
    for path, md5 in remembered.items():
        index = int(path[-1])
        assert md5 == md5_base64(bytes(bytearray([index])) * (9 * 1024 * 1024))


def test_cancel_before_start(tree):
    root, _ = tree
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        hash_files(collect_files([str(root)]), cancel=cancel)


def test_file_changed_after_listing_is_an_error(tmp_path):
    path = tmp_path / "growing.bin"
    path.write_bytes(b"a" * 1000)
    local = LocalFile.from_path(str(path))
    with open(str(path), "ab") as handle:  # a render still writing it
        handle.write(b"more")
    with pytest.raises(InputError) as caught:
        hash_files([local])
    assert str(caught.value) == (
        "upload_paths: {} changed while it was being hashed; save it and submit again".format(
            str(path)
        )
    )


def test_failure_of_one_file_stops_the_others(tmp_path):
    root = tmp_path / "files"
    root.mkdir()
    for index in range(4):
        (root / "f{}".format(index)).write_bytes(b"z" * (8 * 1024 * 1024))
    files = collect_files([str(root)])
    (root / "f2").unlink()  # vanishes between collection and hashing
    with pytest.raises(InputError) as caught:
        hash_files(files, workers=2)
    assert str(caught.value) == (
        "upload_paths: cannot read {}: it was deleted after the dependency scan".format(
            root / "f2"
        )
    )
