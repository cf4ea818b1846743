"""Conductor's own client, ciocore from PyPI, unmodified, against the local farm.

Each scenario runs in a fresh Python process with a throwaway HOME and nothing but
``CONDUCTOR_URL`` and ``CONDUCTOR_API_KEY`` set (as ``farmhand farm credentials`` prints
them), so ciocore does its own token exchange, catalogue requests, md5s, uploads and submit.
"""

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import require

pytestmark = pytest.mark.timeout(240)

# The seed's quick start (000_*.txt) in ciocore's current names: instance_type instead of
# machine_flavor + cores, package environments merged with ciocore's PackageEnvironment.
QUICK_START = textwrap.dedent(
    """
    import json, os, sys
    from ciocore import api_client, conductor_submit
    from ciocore.package_environment import PackageEnvironment

    scene, output = sys.argv[1], sys.argv[2]

    args = {}
    args["job_title"] = "Test Job: quick start"
    args["project"] = "default"
    instance_types = api_client.request_instance_types()
    args["instance_type"] = instance_types[0]["name"]
    args["upload_paths"] = [os.path.dirname(scene)]
    args["local_upload"] = True
    custom_environment = [
        {"name": "RENDER_TOOL_HOME", "value": "/path/to/tools", "merge_policy": "exclusive"},
    ]
    all_packages = api_client.request_software_packages()
    args["software_package_ids"] = [p["package_id"] for p in all_packages][:1]
    packages = [p for p in all_packages if p["package_id"] in args["software_package_ids"]]
    environment = PackageEnvironment(platform="linux")
    for package in packages:
        environment.extend(package)
    environment.extend(custom_environment)
    args["environment"] = dict(environment)
    args["tasks_data"] = [
        {"command": "cat {s} > {o}/frame_{f:04d}.txt && echo $RENDER_TOOL_HOME >> "
                    "{o}/frame_{f:04d}.txt && echo $PATH > {o}/path_{f:04d}.txt"
                    .format(s=scene, o=output, f=frame), "frames": str(frame)}
        for frame in (8, 24)
    ]
    args["output_path"] = output
    args["autoretry_policy"] = {"preempted": {"max_retries": 2}, "failed": {"max_retries": 0}}

    submission = conductor_submit.Submit(args)
    response, response_code = submission.main()
    print(json.dumps({"response": response, "code": response_code,
                      "instance_types": instance_types, "packages": all_packages}))
    """
)

QUERIES = textwrap.dedent(
    """
    import json, sys
    from ciocore import api_client

    jid = sys.argv[1]
    result = {
        "projects": api_client.request_projects(),
        "extra_env": api_client.request_extra_environment(),
        "jobs": api_client.get_jobs(int(jid)),
        "log": json.loads(api_client.get_log(jid, 0)),
        "account": api_client.account_name_from_jwt(api_client.get_bearer_token()),
    }
    print(json.dumps(result))
    """
)

KILL = textwrap.dedent(
    """
    import json, sys
    from ciocore import api_client

    print(json.dumps({"jobs": api_client.kill_jobs(sys.argv[1]),
                      "tasks": api_client.kill_tasks(sys.argv[2], 0)}))
    """
)


@pytest.fixture
def farm(farm_factory):
    """A farm that probes this machine's software, so the quick start picks a real package."""
    return farm_factory(config={})


@pytest.fixture
def ciocore_env(farm, tmp_path):
    require(importlib.util.find_spec("ciocore") is not None, "ciocore (pip install ciocore)")
    home = tmp_path / "throwaway-home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "CONDUCTOR_URL": farm.url,
        "CONDUCTOR_API_KEY": farm.api_key,
    }
    return env


def run_ciocore(script, env, *args):
    result = subprocess.run(
        [sys.executable, "-c", script, *[str(a) for a in args]],
        env=env,
        capture_output=True,
        text=True,
        timeout=200,
        cwd=env["HOME"],
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_quick_start_with_an_upload_runs_to_completion(farm, ciocore_env, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    scene = project / "scene.vrscene"
    scene.write_text("a scene from the quick start\n")
    (project / "texture.exr").write_bytes(os.urandom(4096))
    output = tmp_path / "output"

    result = run_ciocore(QUICK_START, ciocore_env, scene, output)

    assert result["code"] == 201
    response = result["response"]
    assert response["body"] == "job submitted." and response["status"] == "success"
    jid = response["jobid"]
    assert response["uri"] == "/jobs/" + jid
    job = farm.wait(jid)
    assert job["status"] == "success", [farm.log(jid, t["tid"]) for t in farm.tasks(jid)]
    assert job["title"] == "Test Job: quick start"
    assert job["autoretry_policy"]["preempted"] == {"max_retries": 2}
    for frame in (8, 24):
        text = (output / "frame_{:04d}.txt".format(frame)).read_text()
        assert text == "a scene from the quick start\n/path/to/tools\n"
    tasks = farm.tasks(jid)
    assert [t["frames"] for t in tasks] == ["8", "24"]
    for task, frame in zip(tasks, (8, 24)):
        assert [o["path"] for o in task["outputs"]] == [
            str(output / "frame_{:04d}.txt".format(frame)),
            str(output / "path_{:04d}.txt".format(frame)),
        ]
    # ciocore uploaded both files of the folder; the store holds them by md5.
    for path in (scene, project / "texture.exr"):
        digest = hashlib.md5(path.read_bytes()).hexdigest()
        assert os.path.exists(os.path.join(farm.paths.store, digest[:2], digest))
    assert result["instance_types"][0]["description"]
    # The package's PATH entry (policy append) lands after the clean base PATH.
    path = (output / "path_0008.txt").read_text().strip()
    assert path.startswith("/usr/local/bin:/usr/bin:/bin")
    for package in result["packages"][:1]:
        assert path.endswith(":" + package["environment"][0]["value"])


def test_a_second_submit_uploads_nothing(farm, ciocore_env, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    scene = project / "scene.txt"
    scene.write_text("same content\n")
    output = tmp_path / "output"
    first = run_ciocore(QUICK_START, ciocore_env, scene, output)
    farm.wait(first["response"]["jobid"])
    store_log = os.path.getmtime(farm.paths.store)
    second = run_ciocore(QUICK_START, ciocore_env, scene, output)
    assert farm.wait(second["response"]["jobid"])["status"] == "success"
    assert os.path.getmtime(farm.paths.store) == store_log


def test_ciocore_multipart_upload(farm_factory, tmp_path):
    require(importlib.util.find_spec("ciocore") is not None, "ciocore (pip install ciocore)")
    farm = farm_factory(
        "multipart",
        config={"probe_software": False, "multipart_threshold": 100_000, "part_size": 40_000},
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "CONDUCTOR_URL": farm.url,
        "CONDUCTOR_API_KEY": farm.api_key,
    }
    project = tmp_path / "project"
    project.mkdir()
    scene = project / "big.bin"
    data = os.urandom(250_000)
    scene.write_bytes(data)
    result = run_ciocore(QUICK_START, env, scene, tmp_path / "out")
    assert result["code"] == 201
    assert farm.wait(result["response"]["jobid"])["status"] == "success"
    digest = hashlib.md5(data).hexdigest()
    assert os.path.exists(os.path.join(farm.paths.store, digest[:2], digest))


def test_ciocore_catalogue_jobs_and_logs(farm, ciocore_env):
    jid = farm.submit(["echo line one; echo line two"])
    farm.wait(jid)
    result = run_ciocore(QUERIES, ciocore_env, jid)
    assert result["projects"] == ["default"]
    assert result["extra_env"] == []
    assert [j["jid"] for j in result["jobs"]] == [jid]
    log = result["log"]
    assert log["task_status"] == "success"
    assert "line one" in log["logs"][0]["log"] and "line two" in log["logs"][0]["log"]
    assert result["account"]


def test_ciocore_kill(farm, ciocore_env):
    first = farm.submit(["sleep 300"])
    second = farm.submit(["sleep 300"])
    farm.wait(second, predicate=lambda j: j["status"] == "running")
    result = run_ciocore(KILL, ciocore_env, first, second)
    assert result["jobs"]["body"] == "success"
    assert result["tasks"]["body"] == "success"
    assert farm.wait(first)["status"] == "killed"
    assert farm.wait(second)["status"] == "killed"


def test_conductor_download_finds_the_outputs_in_place(farm, ciocore_env, tmp_path):
    require(importlib.util.find_spec("ciocore") is not None, "ciocore")
    output = tmp_path / "renders"
    jid = farm.submit(
        payload=farm.payload(
            [
                {
                    "command": "echo frame $FARMHAND_FRAMES > {}/f_$FARMHAND_FRAMES.txt".format(
                        output
                    ),
                    "frames": str(i),
                }
                for i in (1, 2)
            ],
            output_path=str(output),
        )
    )
    assert farm.wait(jid)["status"] == "success"
    conductor = os.path.join(os.path.dirname(sys.executable), "conductor")
    require(os.path.exists(conductor), "ciocore's conductor command")
    result = subprocess.run(
        [conductor, "download", jid],
        env=ciocore_env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ciocore_env["HOME"],
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = result.stdout + result.stderr
    assert "Task already existed locally {}:000".format(jid) in text
    assert "Task already existed locally {}:001".format(jid) in text
    assert sorted(os.listdir(output)) == ["f_1.txt", "f_2.txt"]
