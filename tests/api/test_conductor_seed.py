"""The seed's Python API quick start, run against a real local farm with its import changed.

The farm runs in its own process (the main virtualenv's Python); this interpreter (3.7 to
3.13) only imports ``farmhand.api`` and ``farmhand.core``, as a DCC or a pipeline script does.
The farm is configured with the seed's V-Ray package id, so ``request_software_packages``
answers what the seed's script looks for.
"""

import os

import pytest

from farmhand.api.conductor import api_client, conductor_submit, package_utils
from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.errors import EnvironmentMergeError, InputError

VRAY_ID = "7208372e306614d514944938c395e0e7"
VRAY = {
    "package_id": VRAY_ID,
    "product": "v-ray-standalone",
    "major_version": "6",
    "platform": "linux",
    "relative_path": "v-ray-standalone/6",
    "environment": [
        {"name": "PATH", "value": "/opt/vray/bin", "merge_policy": "append"},
        {"name": "LD_LIBRARY_PATH", "value": "/opt/vray/lib", "merge_policy": "append"},
    ],
}

CLIENT_FARM_CONFIG = {"packages": [VRAY], "probe_software": False}

QUICK_START = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed_quick_start.txt")


@pytest.fixture
def farm_env(client_farm, monkeypatch):
    monkeypatch.setenv("CONDUCTOR_URL", client_farm.url)
    monkeypatch.setenv("CONDUCTOR_API_KEY", client_farm.key)
    return client_farm


def test_quick_start_builds_its_payload_and_submits(farm_env):
    with open(QUICK_START) as handle:
        code = compile(handle.read(), "quick_start.py", "exec")
    namespace = {}
    exec(code, namespace)
    assert namespace["response_code"] == 201
    jid = namespace["response"]["jobid"]
    assert namespace["response"] == {
        "body": "job submitted.",
        "jobid": jid,
        "status": "success",
        "uri": "/jobs/" + jid,
    }
    payload = namespace["submission"].payload
    assert payload["job_title"] == "Test Job: Vray Standalone Test"
    assert payload["instance_type"] == "standard-2"
    assert payload["software_package_ids"] == [VRAY_ID]
    assert payload["environment"] == {
        "VRAY_PLUGINS_x64": "/path/to/tools/custom_vray/plugin",
        "LD_LIBRARY_PATH": "/path/to/tools/custom_vray/bin:/opt/vray/lib",
        "PATH": "/opt/vray/bin",
    }
    assert [t["frames"] for t in payload["tasks_data"]] == ["8", "24"]
    assert payload["tasks_data"][0]["command"].startswith("vray -display=0 -sceneFile=")
    assert payload["output_path"] == "/path/to/project/output"
    assert payload["local_upload"] is True
    assert payload["notify"] == {"emails": []}
    assert payload["upload_paths"] == []


def test_request_software_packages_from_the_farm(farm_env):
    packages = api_client.request_software_packages()
    assert [p["package_id"] for p in packages] == [VRAY_ID]
    assert packages[0]["environment"][0] == {
        "name": "PATH",
        "value": "/opt/vray/bin",
        "merge_policy": "append",
    }
    assert "default" in api_client.request_projects()
    assert any(t["name"] == "standard-2" for t in api_client.request_instance_types())


CATALOGUE = Catalogue(
    projects=("default",),
    instance_types=(InstanceType("standard-2", 2, 7.5, "2 core, 7.50GB Mem", "standard"),),
    packages=(SoftwarePackage.from_dict(VRAY),),
)

CIOCORE_ARGS = {
    "job_title": "ciocore names",
    "project": "default",
    "instance_type": "standard-2",
    "tasks_data": [{"command": "echo 1", "frames": "1"}],
    "output_path": "/out",
    "notify": {"emails": ["a@example.com"]},
    "docker_image": "",
    "max_instances": 0,
    "md5_caching": False,
    "owner": "pipeline",
}


def test_ciocore_argument_names():
    submit = conductor_submit.Submit(CIOCORE_ARGS)
    submit.build(CATALOGUE)
    payload = submit.payload
    assert payload["instance_type"] == "standard-2"
    assert payload["notify"] == {"emails": ["a@example.com"]}
    assert payload["owner"] == "pipeline"
    assert (payload["docker_image"], payload["max_instances"]) == ("", 0)
    assert submit.md5_caching is False


def test_main_raises_the_first_validation_error():
    args = dict(CIOCORE_ARGS, tasks_data=[], instance_type="gpu-1")
    submit = conductor_submit.Submit(args)
    submit.build(CATALOGUE)
    with pytest.raises(InputError) as error:
        submit.main()
    assert str(error.value) == (
        "instance_type: unknown instance type 'gpu-1'; this farm offers: standard-2"
    )


def test_main_of_a_valid_job_submits_to_the_farm(farm_env, tmp_path):
    submit = conductor_submit.Submit(dict(CIOCORE_ARGS, output_path=str(tmp_path / "out")))
    submit.build(CATALOGUE)
    response, code = submit.main()
    assert code == 201
    assert response["body"] == "job submitted." and response["status"] == "success"
    assert response["uri"] == "/jobs/" + response["jobid"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            {"titel": "x"},
            "titel: unknown submission argument (did you mean 'job_title'?); valid arguments: ",
        ),
        (
            {"scout_frame": "1-100x5"},
            "scout_frame: unknown submission argument (did you mean "
            "'scout_frames'?); valid arguments: ",
        ),
        ({"cores": "2"}, 'cores: expected a whole number, got "2" (string)'),
        ({"environment": {"A": 1}}, "environment.A: expected a string, got 1 (number)"),
        ({"owner": 5}, "owner: expected a string, got 5"),
    ],
)
def test_bad_arguments_are_refused_at_once(args, message):
    with pytest.raises(InputError) as error:
        conductor_submit.Submit(args)
    assert str(error.value).startswith(message)


def test_args_must_be_a_dict():
    with pytest.raises(InputError) as error:
        conductor_submit.Submit([("job_title", "x")])
    assert str(error.value) == "args: expected a dict of submission arguments, got list"


def test_package_utils_merge_and_conflict():
    env = package_utils.merge_package_environments([VRAY], base_env={"PATH": "/usr/bin"})
    assert env == {"PATH": "/usr/bin:/opt/vray/bin", "LD_LIBRARY_PATH": "/opt/vray/lib"}
    other = dict(
        VRAY,
        package_id="x",
        product="arnold",
        environment=[{"name": "PATH", "value": "/a", "merge_policy": "exclusive"}],
    )
    with pytest.raises(EnvironmentMergeError) as error:
        package_utils.merge_package_environments([VRAY, other])
    assert str(error.value) == (
        "software_package_ids: package 'arnold 6 linux' sets PATH exclusively to '/a' but "
        "package 'v-ray-standalone 6 linux' adds '/opt/vray/bin' to it"
    )
