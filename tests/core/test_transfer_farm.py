"""The client as a host runs it (Python 3.7 to 3.13): submit with an upload to the real local
farm, resubmit without sending content, follow the job, read its log.

The farm runs in its own process on the main virtualenv's Python (it needs aiohttp and
Python >= 3.8); this interpreter only imports ``farmhand.core``, as a DCC would.
"""

import os
import sys


def test_host_python_submits_uploads_once_and_follows(client_farm, tmp_path):
    scene = tmp_path / "scene.txt"
    scene.write_bytes(b"frame data " * 100000)
    with client_farm.connector() as client:
        payload = {
            "job_title": "host python {}.{}".format(*sys.version_info[:2]),
            "project": "default",
            "instance_type": client.catalogue().instance_types[0].name,
            "tasks_data": [{"command": "wc -c {}".format(scene), "frames": "1"}],
            "output_path": "",
            "upload_paths": [str(scene)],
        }
        first = client.submit(payload)
        assert (first.uploaded_files, first.uploaded_bytes) == (1, 1100000)
        before = client_farm.bytes_written()
        second = client.submit(payload)
        assert (second.hashed_files, second.uploaded_bytes) == (0, 0)
        assert client_farm.bytes_written() - before < 256 * 1024
        states = [job.status for job in client.follow(second.job_id, timeout=5)]
        assert states[-1] == "success"
        assert "1100000" in client.logs(second.job_id, "0")
    assert os.path.exists(os.path.join(os.environ["FARMHAND_HOME"], "md5-cache.sqlite3"))
