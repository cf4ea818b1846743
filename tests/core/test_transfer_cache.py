"""The persistent md5 cache: keyed by path, validated by size, mtime_ns and inode."""

import os
import sqlite3

import pytest

from farmhand.core.transfer import LocalFile, Md5Cache, default_cache_path, open_cache


def local(path, content=None):
    if content is not None:
        path.write_bytes(content)
    return LocalFile.from_path(str(path))


def test_default_path_is_under_farmhand_home(farmhand_home):
    assert default_cache_path() == os.path.join(str(farmhand_home), "md5-cache.sqlite3")
    with Md5Cache() as cache:
        assert len(cache) == 0
    assert os.path.exists(os.path.join(str(farmhand_home), "md5-cache.sqlite3"))


def test_hit_survives_reopen(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    with Md5Cache() as cache:
        cache.store([(a, "md5-a")])
    with Md5Cache() as cache:
        assert cache.lookup([a]) == {a.path: "md5-a"}


def test_size_change_misses(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    with Md5Cache() as cache:
        cache.store([(a, "md5-a")])
        assert cache.lookup([local(tmp_path / "a", b"aaaa")]) == {}


def test_mtime_change_misses(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    os.utime(a.path, ns=(a.mtime_ns, a.mtime_ns + 1))
    with Md5Cache() as cache:
        cache.store([(a, "md5-a")])
        assert cache.lookup([local(tmp_path / "a")]) == {}


def test_replaced_file_same_size_and_mtime_misses_by_inode(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    other = tmp_path / "other"
    other.write_bytes(b"bbb")
    os.utime(str(other), ns=(a.mtime_ns, a.mtime_ns))
    keep_inode_busy = tmp_path / "a-old"
    os.link(a.path, str(keep_inode_busy))  # the old inode cannot be reused by the new file
    os.replace(str(other), a.path)
    replaced = local(tmp_path / "a")
    assert (replaced.size, replaced.mtime_ns) == (a.size, a.mtime_ns)
    assert replaced.inode != a.inode
    with Md5Cache() as cache:
        cache.store([(a, "md5-a")])
        assert cache.lookup([replaced]) == {}


@pytest.mark.parametrize("json_functions", [True, False], ids=["json_each", "batches"])
def test_many_files_lookup_at_once_or_in_batches(tmp_path, json_functions):
    files = [local(tmp_path / "f{}".format(i), b"x") for i in range(1234)]
    with Md5Cache() as cache:
        cache._json = json_functions  # False: as with an SQLite built without JSON
        cache.store((f, "m{}".format(i)) for i, f in enumerate(files))
        changed = local(tmp_path / "f7", b"longer now")
        hits = cache.lookup(files[:7] + [changed] + files[8:])
    assert len(hits) == 1233 and changed.path not in hits
    assert hits[files[1000].path] == "m1000"


def test_damaged_cache_is_moved_aside_and_rebuilt(farmhand_home, tmp_path):
    path = default_cache_path()
    with open(path, "wb") as handle:
        handle.write(b"this is not a database" * 100)
    a = local(tmp_path / "a", b"aaa")
    with Md5Cache() as cache:
        assert cache.lookup([a]) == {}
        cache.store([(a, "md5-a")])
        assert cache.lookup([a]) == {a.path: "md5-a"}
    aside = [n for n in os.listdir(str(farmhand_home)) if ".damaged-" in n]
    assert len(aside) == 1


def test_unusable_cache_location_gives_none(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")  # a folder cannot be created under a file, not even by root
    assert open_cache(str(blocker / "sub" / "cache.sqlite3")) is None


def test_cache_path_that_is_a_directory_gives_none(tmp_path):
    # Works as root too: SQLite cannot open a directory as a database.
    target = tmp_path / "dir.sqlite3"
    target.mkdir()
    assert open_cache(str(target)) is None


def test_lookup_after_close_degrades_to_miss(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    cache = Md5Cache()
    cache.store([(a, "md5-a")])
    cache._connection.close()  # simulate a connection lost under us
    assert cache.lookup([a]) == {}
    cache.store([(a, "md5-a")])  # logs, does not raise


def test_concurrent_writers_from_two_connections(tmp_path):
    a = local(tmp_path / "a", b"aaa")
    b = local(tmp_path / "b", b"bbb")
    with Md5Cache() as one, Md5Cache() as two:
        one.store([(a, "md5-a")])
        two.store([(b, "md5-b")])
        assert one.lookup([a, b]) == {a.path: "md5-a", b.path: "md5-b"}
    assert sqlite3.sqlite_version
