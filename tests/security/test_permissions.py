"""What holds a secret or the user's paths is owner-only from the moment it exists.

Each test runs with umask 022 (what most users have: new files readable by everyone), so a
file that relied on the umask would show up as 0644 here.
"""

import os
import stat
import threading

import pytest

from farmhand.core.paths import create_private_file, farmhand_home
from farmhand.core.transfer.md5_cache import Md5Cache, default_cache_path
from farmhand.farm import credentials
from farmhand.farm.db import Database
from farmhand.farm.paths import FarmPaths

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("umask_022")]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_farmhand_home_is_private(tmp_path, monkeypatch):
    home = tmp_path / "new" / "home"
    monkeypatch.setenv("FARMHAND_HOME", str(home))
    assert farmhand_home() == str(home)
    assert mode(home) == 0o700


def test_a_farmhand_home_the_user_made_is_left_as_it_is(tmp_path, monkeypatch):
    home = tmp_path / "mine"
    home.mkdir(mode=0o750)
    monkeypatch.setenv("FARMHAND_HOME", str(home))
    farmhand_home()
    assert mode(home) == 0o750


def test_the_md5_cache_and_its_journal_are_private(tmp_path, monkeypatch):
    monkeypatch.setenv("FARMHAND_HOME", str(tmp_path / "home"))
    cache = Md5Cache()
    try:
        cache._connection.execute("INSERT INTO md5 VALUES ('/a', 1, 2, 3, 'x', 0)")
        cache._connection.commit()
        assert cache.path == default_cache_path()
        for suffix in ("", "-wal", "-shm"):
            assert mode(cache.path + suffix) == 0o600, suffix
    finally:
        cache._connection.close()


def test_a_cache_the_user_named_is_private_too(tmp_path):
    path = tmp_path / "elsewhere" / "cache.sqlite3"
    cache = Md5Cache(str(path))
    cache._connection.close()
    assert mode(path) == 0o600


def test_private_files_are_never_visible_with_another_mode(tmp_path):
    """The file is created 0600 in one system call: a watcher polling the folder while it is
    created never sees it readable by others."""
    path = str(tmp_path / "db")
    seen = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            try:
                seen.append(mode(path))
            except FileNotFoundError:
                pass

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(50):
            create_private_file(path)
            db = Database(path)
            db.conn.close()
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.unlink(path + suffix)
    finally:
        stop.set()
        watcher.join()
    assert seen and set(seen) == {0o600}


def test_an_existing_file_is_not_touched(tmp_path):
    path = tmp_path / "kept"
    path.write_text("data")
    os.chmod(str(path), 0o640)
    create_private_file(str(path))
    assert path.read_text() == "data" and mode(path) == 0o640


def test_the_farm_state_is_private(live_farm):
    paths = live_farm.paths
    assert mode(paths.root) == 0o700
    for path in (paths.api_key, paths.secret, paths.db, paths.db + "-wal", paths.db + "-shm"):
        assert mode(path) == 0o600, path
    # Everything else the farm keeps (store, logs, work folders) is behind the 0700 root.
    for folder in (paths.store, paths.logs, paths.work, paths.inputs):
        assert os.path.dirname(os.path.dirname(folder + "/")) == paths.root


def test_a_key_file_loosened_by_hand_is_made_private_again(tmp_path):
    paths = FarmPaths(str(tmp_path / "farm")).ensure()
    credentials.load_or_create_api_key(paths)
    os.chmod(paths.api_key, 0o644)
    credentials.load_or_create_api_key(paths)
    assert mode(paths.api_key) == 0o600


def test_a_farm_root_loosened_by_hand_is_made_private_again(tmp_path):
    paths = FarmPaths(str(tmp_path / "farm"))
    os.makedirs(paths.root, mode=0o755)
    paths.ensure()
    assert mode(paths.root) == 0o700
