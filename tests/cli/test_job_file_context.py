"""A job file stands in for a host node: its name fills <job>/<submitter>, its folder <pdir>."""

import json
import subprocess
import sys


def preview(path):
    result = subprocess.run(
        [sys.executable, "-m", "farmhand", "preview", "--catalogue", "none", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_title_names_the_job_file(tmp_path):
    job = tmp_path / "shot010_lighting.json"
    job.write_text(
        json.dumps(
            {
                "instance_type": "standard-2",
                "frames": "1-10",
                "chunk_size": 5,
                "task_template": "echo <job> <submitter> <pdir> <chunkstart>",
            }
        )
    )
    payload = preview(job)
    assert payload["job_title"] == "Farmhand shot010_lighting 1-10"
    commands = [task["command"] for task in payload["tasks_data"]]
    assert commands == [
        "echo shot010_lighting shot010_lighting {} 1".format(tmp_path),
        "echo shot010_lighting shot010_lighting {} 6".format(tmp_path),
    ]
