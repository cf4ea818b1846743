"""The seed's quick start (seeds/000_*.txt) runs to completion on the local farm.

The script below is the seed's, with its import line changed to Farmhand's, the brackets its
page lost restored, print() for Python 3, and the V-Ray commands and paths replaced by ones
that exist here (``sh``/``echo`` writing into a scratch folder, a real file to upload).
Nothing else sets the farm up: no CONDUCTOR_URL, so ``Submit(args).main()`` starts the local
farm itself (under the test's FARMHAND_HOME), uploads, submits, and the job runs.
"""

import json
import os

import pytest

QUICK_START = """
import logging
from farmhand.api.conductor import conductor_submit, package_utils, api_client

# Set up logging (optional)

# Create a dictionary of arguments for your job.
args = {}

# Give the job a title to help identify it in the web dashboard.
args["job_title"] = "Test Job: Vray Standalone Test"

# Specify the Conductor project to associate this job with.
args["project"] = "default"

# Specify the what type of instance to use.
args["machine_flavor"] = "standard"
args["cores"] = 2

# Specify the list of file dependencies the job requires.
args["upload_paths"] = [
    "PROJECT/batman_0008.vrscene",
    "PROJECT/batman_0024.vrscene",
]

# Indicate that uploading should occur immediately.
args["local_upload"] = True

# If your job uses custom tools or plugins, you'll need to provide the necessary
# environment so they can be found.
custom_environment = {
    "VRAY_PLUGINS_x64": "/path/to/tools/custom_vray/plugin",
    "LD_LIBRARY_PATH": "/path/to/tools/custom_vray/bin",
}

# Indicate which software packages should be made available for the job
args["software_package_ids"] = ["7208372e306614d514944938c395e0e7"]

# Request the packages that you want to use from Conductor.
all_packages = api_client.request_software_packages()
packages = [p for p in all_packages if p["package_id"] in args["software_package_ids"]]

# Merge the environments from your chosen packages with the custom environment.
args["environment"] = package_utils.merge_package_environments(
    packages, base_env=custom_environment
)

# Define the task data for the job.
args["tasks_data"] = [
    {
        "command": "sh -c 'cat PROJECT/batman_0008.vrscene > PROJECT/output/output_0008.exr'",
        "frames": "8",
    },
    {
        "command": "sh -c 'echo $VRAY_PLUGINS_x64 > PROJECT/output/output_0024.exr'",
        "frames": "24",
    },
]

# Define the directory where rendered images can be found when tasks are complete.
args["output_path"] = "PROJECT/output"

# Instantiate a Submit object with the job args.
submission = conductor_submit.Submit(args)

# Run the submission
response, response_code = submission.main()

# Inspect the response code
print(response_code)
# 201

# Inspect the response
print(response)
"""

VRAY = {
    "package_id": "7208372e306614d514944938c395e0e7",
    "product": "v-ray-standalone",
    "major_version": "6",
    "platform": "linux",
    "relative_path": "v-ray-standalone/6",
    "environment": [
        {"name": "LD_LIBRARY_PATH", "value": "/opt/vray/lib", "merge_policy": "append"}
    ],
}


@pytest.fixture
def local_farm(farmhand_home, monkeypatch):
    """Only the farm's own config (the seed's package id); the farm is not started here."""
    for name in ("CONDUCTOR_URL", "CONDUCTOR_API_KEY", "CONDUCTOR_API_KEY_PATH"):
        monkeypatch.delenv(name, raising=False)
    folder = farmhand_home / "farm"
    folder.mkdir(mode=0o700)
    (folder / "config.json").write_text(json.dumps({"packages": [VRAY], "probe_software": False}))
    yield folder
    from farmhand.farm import control

    control.stop()


def test_seed_quick_start_runs_to_completion(local_farm, tmp_path, capsys):
    from farmhand.core.connectors import connect

    project = tmp_path / "project"
    project.mkdir()
    (project / "batman_0008.vrscene").write_text("scene for frame 8\n")
    (project / "batman_0024.vrscene").write_text("scene for frame 24\n")
    script = QUICK_START.replace("PROJECT", str(project))
    namespace = {}
    exec(compile(script, "quick_start.py", "exec"), namespace)

    printed = capsys.readouterr().out.splitlines()
    jid = namespace["response"]["jobid"]
    assert printed[0] == "201"
    assert namespace["response"] == {
        "body": "job submitted.",
        "jobid": jid,
        "status": "success",
        "uri": "/jobs/" + jid,
    }
    assert printed[1] == str(namespace["response"])

    with connect("local") as client:  # the farm main() started
        states = [job.status for job in client.follow(jid, timeout=5)]
        job = client.status(jid)
    assert states[-1] == "success", [t.raw for t in job.tasks]
    output = project / "output"
    assert (output / "output_0008.exr").read_text() == "scene for frame 8\n"
    assert (output / "output_0024.exr").read_text() == "/path/to/tools/custom_vray/plugin\n"
    assert sorted(os.path.basename(p) for t in job.tasks for p in t.outputs) == [
        "output_0008.exr",
        "output_0024.exr",
    ]
