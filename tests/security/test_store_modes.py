"""Uploaded content is owner-only from its first byte: the temporary file a single-part
upload streams into, a multipart upload's growing file, the stored file (read-only, so a
task's hard link cannot write through) and a task's copy. The farm folder is 0700 as well;
these do not rely on it. ``O_DIRECT`` paths (``direct_io.open_direct``) only reopen files
made here, never create one. Runs with umask 022, where a file relying on the umask would
be 0644.
"""

import base64
import hashlib
import os
import stat
import threading

import pytest
import requests

from farmhand.farm.store import BlobStore

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("umask_022")]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


class ModeWatch(object):
    """Records the mode of every file seen under ``root`` until stopped."""

    def __init__(self, root):
        self.root = root
        self.seen = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.look()

    def look(self):
        for folder, _dirs, names in os.walk(self.root):
            for name in names:
                try:
                    self.seen.setdefault(mode(os.path.join(folder, name)), set()).add(name)
                except OSError:  # renamed or removed meanwhile
                    pass

    def stop(self):
        self._stop.set()
        self._thread.join(10)
        self.look()
        return self.seen


def test_uploads_are_owner_only_from_the_first_byte_to_the_store(start_live_farm):
    farm = start_live_farm(config={"multipart_threshold": 1000, "part_size": 400})
    headers = {"Authorization": "Bearer " + farm.token()}
    small, large = b"small scene\n" * 10, bytes(range(256)) * 5  # 120 and 1280 bytes
    watch = ModeWatch(farm.paths.store)
    try:
        reply = requests.post(
            farm.url + "/api/v2/files/get_upload_urls",
            json={
                "project": "default",
                "upload_files": [
                    {"path": "/p/small", "hash": md5_b64(small), "size": len(small)},
                    {"path": "/p/large", "hash": md5_b64(large), "size": len(large)},
                ],
            },
            headers=headers,
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        answer = reply.json()
        single = answer["singlePartURLs"][0]
        reply = requests.put(single["preSignedURL"], data=small, timeout=30)
        assert reply.status_code == 200, reply.text
        upload = answer["multiPartURLs"][0]
        parts = []
        for number, part in enumerate(upload["parts"], 1):
            piece = large[(number - 1) * 400 : number * 400]
            reply = requests.put(part["url"], data=piece, timeout=30)
            assert reply.status_code == 200, reply.text
            if number == 1:  # the multipart file exists and has its first part
                partial = os.listdir(farm.paths.store_tmp)
                assert partial and {
                    mode(os.path.join(farm.paths.store_tmp, n)) for n in partial
                } == {0o600}
            parts.append({"partNumber": number, "etag": reply.headers["ETag"].strip('"')})
        reply = requests.post(
            farm.url + "/api/v2/files/multipart/complete",
            json={"uploadID": upload["uploadID"], "hash": upload["md5"], "completedParts": parts},
            headers=headers,
            timeout=30,
        )
        assert reply.status_code == 200, reply.text
        store = BlobStore(farm.paths.store, farm.paths.store_tmp)
        for data in (small, large):
            path = store.path(md5_b64(data))
            for _ in range(1000):  # landing is in the background: a few milliseconds
                if os.path.exists(path):
                    break
                threading.Event().wait(0.01)
            assert mode(path) == 0o400, path
    finally:
        seen = watch.stop()
    assert set(seen) <= {0o600, 0o400}, seen
    assert 0o600 in seen and 0o400 in seen


def test_a_task_gets_the_stored_file_owner_only_linked_or_copied(tmp_path):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    data = b"texture"
    writer = store.writer(md5_b64(data), len(data))
    assert mode(writer.tmp) == 0o600
    writer.write(data)
    assert writer.commit(None) is True
    assert mode(store.path(md5_b64(data))) == 0o400
    linked, copied = str(tmp_path / "work" / "linked"), str(tmp_path / "out" / "copied")
    store.link_or_copy(md5_b64(data), linked, allow_link=True)
    store.link_or_copy(md5_b64(data), copied, allow_link=False)
    assert mode(linked) == 0o400  # the stored file itself: read-only
    assert mode(copied) == 0o600  # the task's own copy: writable, still owner-only
    with open(copied, "rb") as handle:
        assert handle.read() == data
    assert os.listdir(os.path.dirname(copied)) == ["copied"]  # no temporary file left
