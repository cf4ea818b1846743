"""OpenJD job bundles: what Farmhand writes passes `openjd check` and runs with `openjd run`."""

import os
import subprocess
import sys

import pytest
import yaml  # openjd-cli's dependency: missing is an error, not a skip

from farmhand.core.connectors.native_folder import write_folder
from farmhand.core.connectors.openjd.bundle import (
    bundle_files,
    deadline_priority,
    job_name,
    job_parameter_values,
)
from farmhand.core.connectors.openjd.yaml_text import quoted, yaml_text
from farmhand.core.errors import InputError
from tests.conftest import require

OPENJD = os.path.join(os.path.dirname(sys.executable), "openjd")


def openjd(*args, timeout=120):
    require(os.path.exists(OPENJD), "the openjd CLI (openjd-cli in .venv)")
    return subprocess.run(
        [OPENJD] + list(args), capture_output=True, text=True, timeout=timeout, check=False
    )


def render_payload(out, count=6, scout="1,5", **extra):
    tasks = [
        {"command": 'echo frame {} "$GREETING" >> {}'.format(f, out), "frames": str(f)}
        for f in range(1, count + 1)
    ]
    data = {
        "job_title": "Shot {{010}}: yes",
        "priority": 7,
        "scout_frames": scout,
        "environment": {"GREETING": "hello $USER {{Param.X}} 'q'"},
        "autoretry_policy": {"failed": {"max_retries": 2}},
        "output_path": os.path.dirname(out),
        "upload_paths": [out + ".in"],
        "tasks_data": tasks,
    }
    data.update(extra)
    return data


def export(payload, folder):
    files, staged = bundle_files(payload)
    return write_folder(str(folder), files), staged


def run_bundle(folder, payload):
    args = ["run", os.path.join(folder, "template.yaml")]
    for name, value in job_parameter_values(payload).items():
        args += ["-p", "{}={}".format(name, value)]
    return openjd(*args)


def test_bundle_passes_openjd_check(tmp_path):
    folder, _ = export(render_payload(str(tmp_path / "out.txt")), tmp_path / "bundle")
    assert sorted(os.listdir(folder)) == [
        "asset_references.yaml",
        "parameter_values.yaml",
        "tasks",
        "template.yaml",
    ]
    result = openjd("check", os.path.join(folder, "template.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passes validation checks" in result.stdout


def test_bundle_files_read_back_as_meant(tmp_path):
    out = str(tmp_path / "out.txt")
    folder, _ = export(render_payload(out), tmp_path / "bundle")
    with open(os.path.join(folder, "template.yaml")) as handle:
        template = yaml.safe_load(handle)
    assert template["name"] == "Shot { {010} }: yes"
    assert [s["name"] for s in template["steps"]] == ["scout", "render"]
    scout, render = template["steps"]
    assert scout["parameterSpace"]["taskParameterDefinitions"] == [
        {"name": "Task", "type": "INT", "range": "1,5"}
    ]
    assert render["parameterSpace"]["taskParameterDefinitions"][0]["range"] == "2-4,6"
    assert render["dependencies"] == [{"dependsOn": "scout"}]
    assert render["script"]["actions"]["onRun"] == {
        "command": "/bin/sh",
        "args": ["{{Param.TaskScripts}}/{{Task.Param.Task}}.sh"],
    }
    with open(os.path.join(folder, "parameter_values.yaml")) as handle:
        assert yaml.safe_load(handle) == {
            "parameterValues": [
                {"name": "OutputDir", "value": str(tmp_path)},
                {"name": "deadline:priority", "value": 70},
                {"name": "deadline:maxRetriesPerTask", "value": 2},
                {"name": "deadline:targetTaskRunStatus", "value": "READY"},
            ]
        }
    with open(os.path.join(folder, "asset_references.yaml")) as handle:
        assert yaml.safe_load(handle) == {
            "assetReferences": {
                "inputs": {"directories": [], "filenames": [out + ".in"]},
                "outputs": {"directories": [str(tmp_path)]},
                "referencedPaths": [],
            }
        }
    assert os.access(os.path.join(folder, "tasks", "3.sh"), os.X_OK)


@pytest.mark.timeout(180)
def test_openjd_run_runs_the_scouts_first_then_the_rest(tmp_path):
    out = str(tmp_path / "out.txt")
    payload = render_payload(out)
    folder, _ = export(payload, tmp_path / "bundle")
    result = run_bundle(folder, payload)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out) as handle:
        lines = handle.read().splitlines()
    greeting = "hello $USER {{Param.X}} 'q'"
    assert sorted(lines[:2]) == ["frame 1 " + greeting, "frame 5 " + greeting]
    assert sorted(lines[2:]) == ["frame {} {}".format(f, greeting) for f in (2, 3, 4, 6)]


@pytest.mark.timeout(180)
def test_openjd_run_keeps_task_dependencies_and_stops_on_a_failed_task(tmp_path):
    out = str(tmp_path / "out.txt")
    payload = render_payload(out, count=3, scout="")
    payload["tasks_data"][0]["depends_on"] = [2]
    payload["tasks_data"][1] = {
        "commands": ["echo two >> {}".format(out), "exit 3", "echo never >> {}".format(out)],
        "frames": "2",
        "environment": {"ONLY_HERE": "x"},
    }
    folder, staged = export(payload, tmp_path / "bundle")
    assert [(s.name, s.numbers, s.after) for s in staged.stages] == [
        ("stage_1", [2, 3], ()),
        ("stage_2", [1], (0,)),
    ]
    result = run_bundle(folder, payload)
    assert result.returncode != 0
    with open(out) as handle:
        text = handle.read()
    assert "two" in text and "never" not in text
    assert "frame 1 " not in text  # its stage waits for the failed one


def test_yaml_quoting_round_trips_awkward_strings():
    values = [
        "yes",
        "No",
        "null",
        "~",
        "1.0",
        "0x10",
        "-a",
        "a: b",
        "#c",
        "{{Param.X}}",
        "",
        " lead",
        "tab\there",
        "line\nbreak",
        'quote"s',
        "back\\slash",
        "\x7f\x85\u2028",
        "caf\u00e9 \U0001f600",
        "\ufeffbom",
    ]
    document = {"values": values, "nested": [{"k": v} for v in values], "empty": [], "n": 3}
    assert yaml.safe_load(yaml_text(document)) == document
    assert quoted('a"b') == '"a\\"b"'


@pytest.mark.parametrize(
    "value, text",
    [
        (True, "expected a whole number, got True"),
        ("5", "expected a whole number, got '5'"),
    ],
)
def test_bad_priority(value, text):
    with pytest.raises(InputError) as caught:
        deadline_priority(value)
    assert caught.value.field == "priority"
    assert caught.value.message == text


def test_priority_scale_and_name():
    assert [deadline_priority(p) for p in (0, 5, 12, -3)] == [0, 50, 100, 0]
    assert job_name("  a\tb  ") == "a b"
    assert len(job_name("x" * 300)) == 128


def test_bad_retries_and_uploads_are_refused(tmp_path):
    payload = render_payload(str(tmp_path / "o"), autoretry_policy={"failed": {"max_retries": -1}})
    with pytest.raises(InputError) as caught:
        bundle_files(payload)
    assert str(caught.value) == (
        "autoretry_policy.failed.max_retries: expected a whole number of at least 0, got -1"
    )
    payload = render_payload(str(tmp_path / "o"), upload_paths="a.txt")
    with pytest.raises(InputError) as caught:
        bundle_files(payload)
    assert str(caught.value) == "upload_paths: expected a list of paths, got 'a.txt'"


def test_write_folder_never_mixes_or_leaves_half_a_job(tmp_path):
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    target = tmp_path / "job"
    target.mkdir()
    (target / "old.txt").write_text("x")
    with pytest.raises(InputError) as caught:
        write_folder(str(target), {"a.txt": "a"})
    assert caught.value.message == (
        "{} already holds files; choose a new or empty folder".format(target)
    )
    with pytest.raises(InputError) as caught:
        write_folder(str(tmp_path / "no" / "job"), {"a.txt": "a"})
    assert caught.value.message == "the parent folder {} does not exist".format(tmp_path / "no")
    with pytest.raises(TypeError):
        write_folder(str(tmp_path / "new"), {"a.txt": "a", "b.txt": None})
    assert sorted(os.listdir(tmp_path)) == ["job"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_folder(str(empty), {"d/a.txt": "a"}) == str(empty)
    assert (empty / "d" / "a.txt").read_text() == "a"
