"""Nothing a farm answers or a payload names can make Farmhand write outside its folder.

Downloads (the Envoy watch files and the Conductor connector's ``fetch_outputs``; the CLI
has no download command) refuse listed paths with ``..`` or a leading ``/`` and target
folders that lead elsewhere through a symbolic link. Uploads: the farm refuses a destination with a
``..`` component, and places every upload under the job's inputs folder.
"""

import base64
import hashlib
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests

from farmhand.api.envoy.downloads import download_pass
from farmhand.farm import signing
from farmhand.farm.job_inputs import place_inputs
from farmhand.farm.store import BlobStore

pytestmark = pytest.mark.timeout(120)

CONTENT = b"rendered pixels\n"
MD5 = base64.b64encode(hashlib.md5(CONTENT).digest()).decode("ascii")


class HostileFarm:
    """Answers the download listing with the given relative paths and serves CONTENT for
    every file URL: what a compromised or buggy farm could send."""

    def __init__(self, relative_paths):
        self.relative_paths = relative_paths
        content = CONTENT

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's names)
                self.send_response(200)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}".format(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json(self, method, path, expected=(200,), **kwargs):
        files = [
            {"relative_path": rel, "url": self.url + "/f", "md5": MD5, "size": len(CONTENT)}
            for rel in self.relative_paths
        ]
        return {"downloads": [{"files": files}], "next_cursor": None}

    def send(self, method, url, **kwargs):  # the Conductor transport's plain request
        return requests.request(method, url, timeout=30, **kwargs)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _submission(download_path):
    return {
        "job_id": "00001",
        "remote_output_folder": "/proj/render_results",
        "watch_files": [["/proj/render_results/.+", str(download_path)]],
    }


def _files_under(folder):
    return sorted(
        os.path.relpath(os.path.join(base, name), str(folder))
        for base, _, names in os.walk(str(folder))
        for name in names
    )


def test_listed_paths_that_climb_out_are_refused(tmp_path):
    results = tmp_path / "sandbox" / "results"
    results.mkdir(parents=True)
    farm = HostileFarm(
        ["../../escaped.png", "shot/../../../escaped2.png", "/etc/escaped3.png", "ok/beauty.png"]
    )
    try:
        downloaded, errors, fetched = download_pass(farm, _submission(results))
    finally:
        farm.close()
    assert list(downloaded) == ["/proj/render_results/ok/beauty.png"]
    assert fetched == len(CONTENT)
    assert _files_under(tmp_path) == ["sandbox/results/ok/beauty.png"]
    assert sorted(errors) == [
        "/proj/render_results/../../escaped.png",
        "/proj/render_results//etc/escaped3.png",
        "/proj/render_results/shot/../../../escaped2.png",
    ]
    assert errors["/proj/render_results/../../escaped.png"] == (
        "refused '../../escaped.png' from the farm's listing: a result's path must stay below"
        " the job's output folder (no '..', not absolute); nothing was written"
    )


def test_a_symbolic_link_in_the_download_folder_is_not_followed_out(tmp_path):
    results = tmp_path / "results"
    elsewhere = tmp_path / "elsewhere"
    results.mkdir()
    elsewhere.mkdir()
    (results / "shot").symlink_to(elsewhere, target_is_directory=True)
    farm = HostileFarm(["shot/beauty.png", "fine/beauty.png"])
    try:
        downloaded, errors, _ = download_pass(farm, _submission(results))
    finally:
        farm.close()
    assert list(downloaded) == ["/proj/render_results/fine/beauty.png"]
    assert os.listdir(str(elsewhere)) == []
    message = errors["/proj/render_results/shot/beauty.png"]
    assert message == (
        "refused to write {}: its folder leads to {} through a symbolic link, outside the"
        " download folder {}; nothing was written".format(
            results / "shot" / "beauty.png", elsewhere, results
        )
    )


def test_a_download_folder_that_is_itself_a_link_is_fine(tmp_path):
    real = tmp_path / "big-disk"
    real.mkdir()
    link = tmp_path / "results"
    link.symlink_to(real, target_is_directory=True)
    farm = HostileFarm(["a/beauty.png"])
    try:
        downloaded, errors, _ = download_pass(farm, _submission(link))
    finally:
        farm.close()
    assert errors == {} and list(downloaded) == ["/proj/render_results/a/beauty.png"]
    assert (real / "a" / "beauty.png").read_bytes() == CONTENT


def _token(farm):
    key = json.loads(farm.api_key)
    reply = requests.post(
        farm.url + "/api/oauth_jwt",
        data={"client_id": key["client_id"], "client_secret": key["private_key"]},
        timeout=30,
    )
    return reply.json()["access_token"]


@pytest.mark.parametrize(
    "destination",
    ["../../../escaped.txt", "/proj/../../../../escaped.txt", "proj/..", "a\\..\\..\\b"],
)
def test_the_farm_refuses_upload_destinations_that_climb(live_farm, destination):
    headers = {"Authorization": "Bearer " + _token(live_farm)}
    types = requests.get(live_farm.url + "/api/v1/instance-types", headers=headers, timeout=30)
    payload = {
        "job_title": "climb",
        "project": "default",
        "instance_type": types.json()["data"][0]["name"],
        "output_path": "",
        "tasks_data": [{"command": "true", "frames": "1"}],
        "upload_files": [{"destination": destination, "md5": MD5, "st_size": len(CONTENT)}],
    }
    reply = requests.post(live_farm.url + "/jobs/", json=payload, headers=headers, timeout=30)
    assert reply.status_code == 400, reply.text
    assert reply.json() == {
        "error": "{!r} has a '..' component: an upload's path may not climb out of the job's"
        " inputs folder".format(destination),
        "field": "upload_files[0].destination",
    }
    jobs = requests.get(live_farm.url + "/api/v1/jobs", headers=headers, timeout=30).json()
    assert jobs["data"] == []


def test_inputs_are_placed_under_the_jobs_folder_whatever_the_destination(tmp_path):
    """Defence in depth below the route's check: the placing code itself cannot climb."""
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    (tmp_path / "store" / "tmp").mkdir(parents=True, exist_ok=True)
    writer = store.writer(MD5, len(CONTENT))
    writer.write(CONTENT)
    writer.commit(None)
    inputs = tmp_path / "inputs"
    place_inputs(store, str(inputs), "00001", [(MD5, "../../../escaped.txt")])
    assert not (tmp_path / "escaped.txt").exists()
    assert (inputs / "escaped.txt").read_bytes() == CONTENT
    store.close()


def test_store_routes_only_take_md5_names(live_farm):
    """A signed URL for an object name that is not an md5 writes nothing."""
    with open(live_farm.paths.secret, "rb") as handle:
        secret = handle.read().strip()
    before = _files_under(live_farm.paths.root)
    for name in ("..", "....", "zz" * 16, "2e2e2f2e2e2f"):
        path = "/api/v2/files/objects/{}/4".format(name)
        query = signing.signed_query(secret, "PUT", path)
        reply = requests.put(live_farm.url + path + "?" + query, data=b"evil", timeout=30)
        # '..' is folded away by the client's URL handling: no route, so 401 like any other.
        assert reply.status_code in ((401,) if name == ".." else (400, 404)), reply.text
    time.sleep(0.1)
    after = _files_under(live_farm.paths.root)
    assert [f for f in after if f not in before and f.startswith("store")] == []


@pytest.mark.parametrize(
    "relative", ["../../escaped.png", "shot/../../escaped.png", "/etc/escaped.png"]
)
def test_conductor_fetch_outputs_refuses_paths_out_of_the_folder(tmp_path, relative):
    from farmhand.core.connectors.conductor.downloads import fetch_outputs
    from farmhand.core.errors import FarmConnectionError

    results = tmp_path / "sandbox" / "results"
    farm = HostileFarm([relative])
    try:
        with pytest.raises(FarmConnectionError) as caught:
            fetch_outputs(farm, "00001", str(results))
    finally:
        farm.close()
    assert str(caught.value) == (
        "the farm listed an output of job 00001 at {!r}, which is not a path inside the"
        " job's output folder; nothing was written for it".format(relative)
    )
    assert _files_under(tmp_path) == []


def test_conductor_fetch_outputs_does_not_follow_a_link_out(tmp_path):
    from farmhand.core.connectors.conductor.downloads import fetch_outputs
    from farmhand.core.errors import FarmConnectionError

    results = tmp_path / "results"
    elsewhere = tmp_path / "elsewhere"
    results.mkdir()
    elsewhere.mkdir()
    (results / "shot").symlink_to(elsewhere, target_is_directory=True)
    farm = HostileFarm(["fine/beauty.png", "shot/beauty.png"])
    try:
        with pytest.raises(FarmConnectionError) as caught:
            fetch_outputs(farm, "00001", str(results))
    finally:
        farm.close()
    assert str(caught.value) == (
        "refused to write output {} of job 00001: its folder leads to {} through a symbolic"
        " link, outside {}; nothing was written for it".format(
            results / "shot" / "beauty.png", elsewhere, results
        )
    )
    assert os.listdir(str(elsewhere)) == []
    assert (results / "fine" / "beauty.png").read_bytes() == CONTENT
