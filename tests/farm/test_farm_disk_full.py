"""A farm whose disk is full: uploads that cannot fit are refused before a byte is sent, a
disk that fills up during an upload is a clear 507 with nothing of the upload kept, and the
client says so in one line.

The farm really runs out of space: it is started in its own mount namespace (``unshare``)
with a small tmpfs over its store, so only that farm sees the small disk. The test reaches
the farm's view of its store through ``/proc/<pid>/root``.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
import requests

from farmhand.core.errors import FarmConnectionError
from tests.conftest import require

pytestmark = pytest.mark.timeout(120)

MIB = 1024 * 1024
STORE_SIZE = 8 * MIB

START_WITH_SMALL_STORE = """
import json, subprocess, sys
from farmhand.farm import control
from farmhand.farm.paths import FarmPaths
paths = FarmPaths(sys.argv[1]).ensure()
size = "size=" + sys.argv[2]
subprocess.check_call(["mount", "-t", "tmpfs", "-o", size, "farmhand", paths.store])
url, key = control.start(port=0, slots=1, paths=paths)
print(json.dumps({"url": url, "key": key}))
"""


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def can_mount_in_a_namespace():
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         "mount -t tmpfs -o size=1m probe /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.fixture
def small_farm(farm_factory):
    require(can_mount_in_a_namespace(), "unshare and mount (a private tmpfs for the farm)")
    farm = farm_factory(config={"probe_software": False, "multipart_threshold": 4 * MIB,
                                "part_size": 2 * MIB}, start=False)
    farm.paths.ensure()
    with open(farm.paths.config, "w") as handle:
        json.dump(farm.config, handle)
    out = subprocess.check_output(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c",
         START_WITH_SMALL_STORE, farm.paths.root, str(STORE_SIZE)],
        env=dict(os.environ, FARMHAND_HOME=farm.home),
        timeout=60,
    )
    info = json.loads(out.decode().strip().splitlines()[-1])
    farm.url, farm.api_key = info["url"], info["key"]
    farm.session.headers["Authorization"] = "Bearer " + farm.token()
    farm.seen_store = "/proc/{}/root{}".format(farm.pid, farm.paths.store)
    assert shutil.disk_usage(farm.seen_store).total <= STORE_SIZE  # the farm's small disk
    return farm


def negotiate(farm, path, data):
    return farm.post(
        "/api/v2/files/get_upload_urls",
        {"project": "default",
         "upload_files": [{"path": path, "hash": md5_b64(data), "size": len(data)}]},
    )


def fill(farm, leave=0):
    """Fill the farm's disk, leaving about ``leave`` bytes free."""
    free = shutil.disk_usage(farm.seen_store).free
    with open(os.path.join(farm.seen_store, "filler"), "wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


def leftovers(farm):
    return sorted(os.listdir(os.path.join(farm.seen_store, "tmp")))


def test_an_upload_that_cannot_fit_is_refused_before_a_byte_is_sent(small_farm):
    reply = negotiate(small_farm, "/proj/huge.vdb", os.urandom(16 * MIB))
    assert reply.status_code == 507
    error = reply.json()
    assert error["field"] is None
    assert error["error"].startswith("the farm's disk has ")
    assert error["error"].endswith(
        " free, and the 1 file it lacks need 16.0 MiB; free space on the farm and submit again"
    )
    assert leftovers(small_farm) == []


def test_a_disk_that_fills_during_an_upload_keeps_nothing(small_farm):
    data = os.urandom(3 * MIB)
    reply = negotiate(small_farm, "/proj/tex.exr", data)
    assert reply.status_code == 200, reply.text
    url = reply.json()["singlePartURLs"][0]["preSignedURL"]
    fill(small_farm, leave=MIB)  # someone else filled the disk meanwhile
    put = requests.put(url, data=data, headers={"Content-MD5": md5_b64(data)}, timeout=60)
    assert put.status_code == 507
    assert put.json() == {
        "error": "no room left on the farm's disk for {} (No space left on device); nothing "
        "was stored".format(md5_b64(data)),
        "field": None,
    }
    assert leftovers(small_farm) == []
    os.unlink(os.path.join(small_farm.seen_store, "filler"))
    again = requests.put(url, data=data, headers={"Content-MD5": md5_b64(data)}, timeout=60)
    assert again.status_code == 200, again.text  # the farm is fine once there is room


def test_a_part_that_does_not_fit_is_not_kept_and_abort_cleans_up(small_farm):
    data = os.urandom(6 * MIB)
    reply = negotiate(small_farm, "/proj/cache.abc", data)
    assert reply.status_code == 200, reply.text
    upload = reply.json()["multiPartURLs"][0]
    first = requests.put(upload["parts"][0]["url"], data=data[: 2 * MIB], timeout=60)
    assert first.status_code == 200
    fill(small_farm, leave=MIB // 2)
    second = requests.put(upload["parts"][1]["url"], data=data[2 * MIB : 4 * MIB], timeout=60)
    assert second.status_code == 507
    assert second.json()["error"] == (
        "no room left on the farm's disk for part 2 of upload {} (No space left on device); "
        "the part was not kept".format(upload["uploadID"])
    )
    aborted = small_farm.session.delete(
        small_farm.url + "/api/v2/files/multipart/" + upload["uploadID"], timeout=60
    )
    assert aborted.status_code == 200
    assert leftovers(small_farm) == []


def test_the_client_says_the_farm_is_out_of_disk_space(small_farm, tmp_path):
    from farmhand.core.connectors.conductor.connector import ConductorConnector

    path = tmp_path / "huge.vdb"
    path.write_bytes(os.urandom(16 * MIB))
    client = ConductorConnector(small_farm.url, small_farm.api_key, "local farm")
    try:
        jobs_before = len(client.jobs())
        with pytest.raises(FarmConnectionError) as caught:
            client.submit(small_farm.payload(["true"], upload_paths=[str(path)]))
        assert len(client.jobs()) == jobs_before
    finally:
        client.close()
    message = str(caught.value)
    assert message.startswith(
        "asking {} which files it lacks: the farm at {} is out of disk space: the farm's disk "
        "has ".format(small_farm.url, small_farm.url)
    )
    assert message.endswith("need 16.0 MiB; free space on the farm and submit again")
    assert caught.value.status == 507
