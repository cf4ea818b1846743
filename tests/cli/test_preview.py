"""``farmhand preview``: each example against its golden file, --info, and every bad input.

Golden files are regenerated only on purpose: ``FARMHAND_UPDATE_GOLDEN=1 pytest tests/cli``.
The examples' absolute folder is written as ``<EXAMPLES>`` in them, so they hold on any
checkout; the owner and the time are pinned through LOGNAME and SOURCE_DATE_EPOCH.
"""

import json
import os
import subprocess
import sys

import pytest

from farmhand.cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
CATALOGUE = os.path.join(EXAMPLES, "catalogue.json")
UPDATE = os.environ.get("FARMHAND_UPDATE_GOLDEN") == "1"
EXAMPLE_JOBS = [
    "tutorial",
    "best_chunk_size",
    "tiles",
    "negative_frames",
    "stepped_progressions",
    "quickstart",
]
EPOCH = "1557191566"


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "artist")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def preview(capsys, *args):
    code = main(["preview"] + list(args))
    out, err = capsys.readouterr()
    return code, out, err


def compare(name, text):
    text = text.replace(EXAMPLES, "<EXAMPLES>")
    path = os.path.join(GOLDEN, name)
    if UPDATE:
        os.makedirs(GOLDEN, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(path, encoding="utf-8") as handle:
        assert text == handle.read()


@pytest.mark.parametrize("job", EXAMPLE_JOBS)
def test_example_payload_matches_golden(capsys, job):
    code, out, err = preview(
        capsys, "--catalogue", CATALOGUE, os.path.join(EXAMPLES, job + ".json")
    )
    assert code == 0
    for line in err.splitlines():  # only what the local farm will not honour (notify...)
        assert line.startswith("farmhand: warning: ") and "the local farm will not" in line
    compare(job + ".json", out)
    assert json.loads(out)["owner"] == "artist"


@pytest.mark.parametrize("job", EXAMPLE_JOBS)
def test_example_info_matches_golden(capsys, job):
    code, out, err = preview(
        capsys, "--info", "--catalogue", CATALOGUE, os.path.join(EXAMPLES, job + ".json")
    )
    assert (code, err) == (0, "")
    compare(job + ".info.txt", out)


def test_tutorial_info_lines(capsys):
    code, out, _ = preview(
        capsys, "--info", "--catalogue", CATALOGUE, os.path.join(EXAMPLES, "tutorial.json")
    )
    assert out.splitlines()[0] == (
        "frames info: 10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks"
    )


def test_the_farmhand_command_prints_the_same_bytes(tmp_path):
    env = dict(
        os.environ,
        LOGNAME="artist",
        USER="artist",
        SOURCE_DATE_EPOCH=EPOCH,
        FARMHAND_HOME=str(tmp_path),
    )
    job = os.path.join(EXAMPLES, "tutorial.json")
    result = subprocess.run(
        [sys.executable, "-m", "farmhand", "preview", "--catalogue", CATALOGUE, job],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with open(os.path.join(GOLDEN, "tutorial.json"), encoding="utf-8") as handle:
        assert result.stdout.decode().replace(EXAMPLES, "<EXAMPLES>") == handle.read()


def test_local_catalogue_is_the_default(capsys):
    code, out, err = preview(capsys, os.path.join(EXAMPLES, "tutorial.json"))
    assert code == 0, err
    payload = json.loads(out)
    assert payload["instance_type"].startswith("standard-")


def test_without_catalogue_flavor_and_cores_cannot_resolve(capsys):
    code, out, err = preview(capsys, "--catalogue", "none", os.path.join(EXAMPLES, "tutorial.json"))
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: instance_type: machine_flavor 'standard' with 2 cores needs the farm's "
        "catalogue to find its instance type, and none is available here; set instance_type "
        "instead\n"
    )


def write_job(tmp_path, data, name="job.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


BASE = {
    "frames": "1-10",
    "instance_type": "standard-2",
    "task_template": "render -s <chunkstart> -e <chunkend>",
    "output_path": "/out",
}


def job_with(**changes):
    data = dict(BASE)
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data, line",
    [
        ("[1, 2]", "{path}: a job file holds one JSON object of settings, not [1, 2] (array)"),
        (
            job_with(chunksize=2),
            "{path}: chunksize: unknown setting (did you mean "
            "'chunk_size'?); valid keys: farm, job_title, project, priority, location, metadata, "
            "notify, "
            "instance_type, machine_flavor, cores, max_instances, preemptible, retries, "
            "autoretry_policy, "
            "use_custom_frames, frames, chunk_size, chunk_strategy, best_chunk_size, max_tasks, "
            "use_scout_frames, scout_frames, tiles, task_template, tasks_data, output_path, "
            "software_package_ids, environment, extra_environment, upload_paths, "
            "dependency_scan_policy, missing_files, local_upload, force_upload, upload_only, "
            "log_level, show_tracebacks",
        ),
        (job_with(chunk_size="2"), '{path}: chunk_size: expected a whole number, got "2" (string)'),
        (
            job_with(notify="a@b.com"),
            '{path}: notify: expected a list of strings, got "a@b.com" (string)',
        ),
        (
            job_with(frames="1-10,,20"),
            "frames: invalid frame spec '1-10,,20': fragment 2 '' is "
            "empty (two commas in a row, or a comma at the start or end)",
        ),
        (
            job_with(scout_frames="auto:0"),
            "scout_frames: invalid frame spec 'auto:0': fragment "
            "1 'auto:0' asks for 0 scout frames; N in auto:N must be a whole number of at least 1; "
            "valid forms: a frame spec (3,8 or 1-100x10), auto:N with N >= 1 (N frames spread "
            "evenly, first and last included), fml (first, middle, last)",
        ),
        (job_with(chunk_size=0), "chunk_size: must be a whole number of at least 1, got 0"),
        (
            job_with(chunk_strategy="spiral"),
            "chunk_strategy: unknown chunk strategy 'spiral'; "
            "valid strategies: linear, progressions, cycle",
        ),
        (
            job_with(job_title="Shot <chunkstart>"),
            "job_title: token <chunkstart> has task scope "
            "and cannot be used in job scope; valid tokens: <pdir>, <temp_dir>, <render_package>, "
            "<sequencelength>, <sequence>, <sequencemin>, <sequencemax>, <cores>, <flavor>, "
            "<instance>, <preemptible>, <retries>, <job>, <sources>, <scout>, <chunksize>, "
            "<chunkcount>, <scoutcount>, <timestamp>, <submitter>, <project>, <directories>, "
            "<tiles>",
        ),
        (
            job_with(task_template="render <frame>"),
            "task_template: unknown token <frame> in "
            "tile scope; valid tokens: <pdir>, <temp_dir>, <render_package>, <sequencelength>, "
            "<sequence>, <sequencemin>, <sequencemax>, <cores>, <flavor>, <instance>, "
            "<preemptible>, <retries>, <job>, <sources>, <scout>, <chunksize>, <chunkcount>, "
            "<scoutcount>, <timestamp>, <submitter>, <project>, <directories>, <tiles>, <chunks>, "
            "<chunklength>, <chunkstart>, <chunkend>, <chunkstep>, <chunktype>, <tile_number>",
        ),
        (
            job_with(notify=["artist@example"]),
            "notify: 'artist@example' (entry 1) is not an email address such as name@example.com",
        ),
        (
            job_with(instance_type="gpu-64"),
            "instance_type: unknown instance type 'gpu-64'; this "
            "farm offers: standard-1, standard-2, standard-4, highmem-2, highcpu-2",
        ),
        (
            job_with(project="nope"),
            "project: unknown project 'nope'; this farm has: default, dpool",
        ),
        (
            job_with(
                software_package_ids=["7208372e306614d514944938c395e0e7"],
                extra_environment=[{"name": "VRAY_AUTH_CLIENT_FILE_PATH", "value": "/mine"}],
            ),
            "extra_environment: extra environment sets VRAY_AUTH_CLIENT_FILE_PATH exclusively to "
            "'/mine' but package 'v-ray-standalone 6.1 linux' sets it to '/opt/vray/auth'",
        ),
        (
            job_with(upload_paths=["missing.abc"]),
            "upload_paths: {dir}/missing.abc (upload_paths[0]): does not exist",
        ),
        (
            job_with(task_template=""),
            "task_template: is empty; give a command template such as "
            "'blender -b scene.blend -s <chunkstart> -e <chunkend> -a', or tasks_data",
        ),
        (
            # was killed for memory (100,000,000 tasks of a billion frames), not refused
            job_with(frames="1-1000000000", max_tasks=100000000),
            "max_tasks: must be at most 1,000,000 (a job of more tasks is too big to build and "
            "submit), got 100000000",
        ),
        (
            job_with(
                frames="1,3,7,15,31,63,127,255,511,1000,2000,4000",
                max_tasks=3,
                chunk_strategy="progressions",
            ),
            "max_tasks: the progressions strategy needs at "
            "least 6 tasks for these frames (each chunk must be one arithmetic progression), more "
            "than max_tasks 3; raise max_tasks or use the linear or cycle strategy",
        ),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(capsys, tmp_path, data, line):
    path = write_job(tmp_path, data)
    code, out, err = preview(capsys, "--catalogue", CATALOGUE, path)
    assert (code, out) == (2, "")
    expected = line.format(path=path, dir=str(tmp_path))
    assert err == "farmhand: error: {}\n".format(expected)


def test_invalid_json_line(capsys, tmp_path):
    path = write_job(tmp_path, '{"frames": "1-10",}')
    code, _, err = preview(capsys, path)
    assert code == 2
    assert err.startswith("farmhand: error: {}: not valid JSON: ".format(path))
    assert err.endswith((" (char 17)\n", " (char 18)\n"))  # the wording varies by version


def test_missing_job_file(capsys, tmp_path):
    path = str(tmp_path / "nope.json")
    code, out, err = preview(capsys, path)
    assert (code, out) == (2, "")
    assert (
        err
        == "farmhand: error: {}: cannot read the job file: No such file or directory\n".format(path)
    )


def test_missing_catalogue_file(capsys, tmp_path):
    path = write_job(tmp_path, BASE)
    missing = str(tmp_path / "cat.json")
    code, out, err = preview(capsys, "--catalogue", missing, path)
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: catalogue: {}: cannot read the catalogue file: No such file or "
        "directory\n".format(missing)
    )


def test_bad_catalogue_file(capsys, tmp_path):
    path = write_job(tmp_path, BASE)
    catalogue = write_job(tmp_path, {"instance_type": []}, "cat.json")
    code, out, err = preview(capsys, "--catalogue", catalogue, path)
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: catalogue: {}: unknown key 'instance_type'; valid keys: projects, "
        "instance_types, packages\n".format(catalogue)
    )


def test_several_errors_are_one_line_each(capsys, tmp_path):
    path = write_job(tmp_path, job_with(chunk_size=0, notify=["x"]))
    code, out, err = preview(capsys, "--catalogue", CATALOGUE, path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "farmhand: error: chunk_size: must be a whole number of at least 1, got 0",
        "farmhand: error: notify: 'x' (entry 1) is not an email address such as name@example.com",
    ]


def test_warnings_go_to_stderr_and_the_payload_is_printed(capsys, tmp_path):
    path = write_job(tmp_path, job_with(output_path="", scout_frames="50"))
    code, out, err = preview(capsys, "--catalogue", CATALOGUE, path)
    assert code == 0
    assert json.loads(out)["scout_frames"] == ""
    assert err.splitlines() == [
        "farmhand: warning: output_path: is empty: rendered files will not be copied back to "
        "this machine",
        "farmhand: warning: scout_frames: 50 is outside the frames 1-10 and will not be scouted",
    ]


def test_info_with_errors_prints_the_report_and_exits_2(capsys, tmp_path):
    path = write_job(tmp_path, job_with(upload_paths=["gone.txt"]))
    code, out, err = preview(capsys, "--info", "--catalogue", CATALOGUE, path)
    assert code == 2
    missing = "upload_paths: {} (upload_paths[0]): does not exist".format(tmp_path / "gone.txt")
    assert "error: " + missing in out.splitlines()
    assert err == "farmhand: error: {}\n".format(missing)


def test_info_of_unresolvable_frames_says_so(capsys, tmp_path):
    path = write_job(tmp_path, job_with(frames="1-10,abc"))
    code, out, err = preview(capsys, "--info", "--catalogue", CATALOGUE, path)
    assert code == 2
    # not "0 given tasks": this job has no tasks_data, its frames failed to parse
    assert out.splitlines()[0] == (
        "frames info: none, the frames could not be resolved (see the errors)"
    )
    assert err.startswith("farmhand: error: frames: invalid frame spec '1-10,abc'")


def test_an_unusable_farmhand_home_is_one_line(capsys, tmp_path, monkeypatch):
    in_the_way = tmp_path / "home"
    in_the_way.write_text("")
    monkeypatch.setenv("FARMHAND_HOME", str(in_the_way))
    code, out, err = preview(capsys, os.path.join(EXAMPLES, "tutorial.json"))
    assert (code, out) == (2, "")  # was a FileExistsError traceback
    assert err == (
        "farmhand: error: FARMHAND_HOME: cannot use {!r} for Farmhand's state (it is a file); "
        "set FARMHAND_HOME to a folder you can write to\n".format(str(in_the_way))
    )
