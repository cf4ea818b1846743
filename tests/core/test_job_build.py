"""build_submission: frames, tokens, tasks, instance types, packages, uploads, payload."""

import json
import time

import pytest

from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
)
from farmhand.core.errors import EnvironmentMergeError, FrameSpecError, TokenError
from farmhand.core.job import (
    EnvEntry,
    FileReference,
    HostContext,
    JobSettings,
    build_submission,
)

PINNED = {"SOURCE_DATE_EPOCH": "1557191566"}  # 2019_05_07_01_12_46 UTC

CATALOGUE = Catalogue(
    projects=("default", "dpool"),
    instance_types=(
        InstanceType("standard-2", 2, 7.5, "2 core, 7.50GB Mem", "standard"),
        InstanceType("standard-4", 4, 15.0, "", "standard"),
        InstanceType("highmem-2", 2, 13.0, "2 core, 13.00GB Mem", "highmem"),
    ),
    packages=(
        SoftwarePackage(
            "b1",
            "blender",
            "3",
            "6",
            environment=(
                PackageEnvironmentEntry("PATH", "/opt/blender", "append"),
                PackageEnvironmentEntry("BLENDER_SYSTEM", "/opt/blender/3.6", "exclusive"),
            ),
        ),
        SoftwarePackage(
            "c1",
            "cycles-x",
            "1",
            plugin_host_product="blender",
            plugin_host_version="3.6",
            environment=(PackageEnvironmentEntry("BLENDER_SYSTEM", "/elsewhere", "exclusive"),),
        ),
    ),
)

TEMPLATE = "blender -b scene.blend -s <chunkstart> -e <chunkend> -a"


def job(**changes):
    base = {
        "frames": "1-10",
        "chunk_size": 2,
        "scout_frames": "3,8",
        "instance_type": "standard-2",
        "task_template": TEMPLATE,
        "output_path": "/renders",
    }
    base.update(changes)
    return JobSettings(**base)


def build(settings, context=None, catalogue=CATALOGUE, environ=PINNED):
    return build_submission(settings, context or HostContext(owner="artist"), catalogue, environ)


def texts(submission, level):
    return [str(m) for m in submission.validation if m.level == level]


def test_seed_tutorial_frames_chunks_and_scouts():
    submission = build(job())
    assert submission.ok, texts(submission, "error")
    assert [t["frames"] for t in submission.tasks] == ["1-2", "3-4", "5-6", "7-8", "9-10"]
    assert submission.tasks[4]["command"] == "blender -b scene.blend -s 9 -e 10 -a"
    assert [submission.is_scout(i) for i in range(5)] == [False, True, False, True, False]
    assert submission.scout_task_count == 2
    payload = submission.to_payload()
    assert payload["scout_frames"] == "3,8"
    assert payload["chunk_size"] == 2
    assert str(submission.frames_info) == (
        "10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks"
    )
    assert "frames: 10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks" in texts(
        submission, "info"
    )


def test_payload_keys_and_shapes():
    payload = build(job(notify=[" a@b.co ", "c@d.org"], retries=2, location="mars")).to_payload()
    assert sorted(payload) == [
        "autoretry_policy", "chunk_size", "environment", "instance_type", "job_title",
        "local_upload", "location", "metadata", "notify", "output_path", "owner", "preemptible",
        "priority", "project", "scout_frames", "software_package_ids", "tasks_data",
        "upload_paths",
    ]
    assert payload["notify"] == {"emails": ["a@b.co", "c@d.org"]}
    assert payload["autoretry_policy"] == {
        "failed": {"max_retries": 2},
        "preempted": {"max_retries": 2},
    }
    assert payload["owner"] == "artist"
    assert payload["location"] == "mars"
    assert payload["local_upload"] is True


def test_given_autoretry_policy_wins_over_retries():
    policy = {"preempted": {"max_retries": 3}, "failed": {"max_retries": 0}}
    payload = build(job(retries=5, autoretry_policy=policy)).to_payload()
    assert payload["autoretry_policy"] == policy


def test_payload_json_is_deterministic_and_matches_json_dumps():
    first = build(job()).payload_json()
    assert build(job()).payload_json() == first
    submission = build(job())
    assert first == json.dumps(submission.to_payload(), sort_keys=True, indent=2) + "\n"
    assert first.endswith("}\n")


def test_every_token_in_a_tile_template():
    context = HostContext(
        job_name="shot_job",
        submitter="shot_job_node",
        owner="artist",
        sources=["project://scene/image1", "project://scene/image2"],
        output_directories=["/path/to/renders/layerA", "/path/to/renders/layer B"],
        pdir="/path/to/project",
        render_package="/path/to/project/shot.render",
        temp_dir="/tmp/farm hand",
    )
    names = [
        "sequencelength", "sequence", "sequencemin", "sequencemax", "cores", "flavor",
        "instance", "preemptible", "retries", "job", "sources", "scout", "chunksize",
        "chunkcount", "scoutcount", "render_package", "project", "chunks", "chunklength",
        "chunkstart", "chunkend", "chunkstep", "chunktype", "directories", "pdir", "temp_dir",
        "timestamp", "submitter", "tiles", "tile_number",
    ]
    template = " | ".join("<{}>".format(name) for name in names)
    settings = job(task_template=template, project="dpool", preemptible=True, retries=3)
    submission = build(settings, context)
    assert submission.ok, texts(submission, "error")
    assert submission.tasks[4]["command"].split(" | ") == [
        "10", "1-10", "1", "10", "2", "standard", '"2 core, 7.50GB Mem"', "preemptible", "3",
        "shot_job", "project://scene/image1 project://scene/image2", "3-8x5", "2", "5", "2",
        '"/path/to/project/shot.render"', "dpool", "9:10 9:10", "2", "9", "10", "1", "regular",
        '"/path/to/renders/layerA" "/path/to/renders/layer B"', "/path/to/project",
        '"/tmp/farm hand"', "2019_05_07_01_12_46", "shot_job_node", "1", "1",
    ]


def test_title_metadata_and_output_path_use_job_tokens():
    context = HostContext(job_name="beauty", pdir="/proj", owner="a")
    settings = job(
        job_title="Farmhand <job> <sequence>",
        metadata={"shot": "<job>", "stamp": "<timestamp>"},
        output_path="<pdir>/renders",
    )
    submission = build(settings, context)
    assert submission.job_title == "Farmhand beauty 1-10"
    assert submission.metadata == {"shot": "beauty", "stamp": "2019_05_07_01_12_46"}
    assert submission.output_path == "/proj/renders"


def test_empty_job_token_closes_up_in_the_title():
    submission = build(job())
    assert submission.job_title == "Farmhand 1-10"
    assert texts(submission, "warning") == []  # no host node: an empty <job> is normal


def test_empty_tokens_in_the_command_or_output_path_warn():
    settings = job(task_template="render <render_package> <chunkstart>", output_path="<pdir>/r")
    submission = build(settings)
    assert texts(submission, "warning") == [
        "output_path: <pdir> is empty here (nothing supplied a value for it)",
        "task_template: <render_package> is empty here (nothing supplied a value for it)",
    ]
    assert submission.tasks[0]["command"] == "render  1"


def test_task_token_in_the_title_is_an_error_with_the_field():
    submission = build(job(job_title="shot <chunkstart>"))
    assert not submission.ok
    (error,) = submission.errors
    assert str(error).startswith(
        "job_title: token <chunkstart> has task scope and cannot be used in job scope"
    )
    with pytest.raises(TokenError):
        submission.check()


@pytest.mark.parametrize(
    "field, changes",
    [
        ("task_template", {"task_template": "render <frame>"}),
        ("metadata.shot", {"metadata": {"shot": "<chunks>"}}),
        ("output_path", {"output_path": "/r/<tile_number>"}),
    ],
)
def test_token_errors_name_their_field(field, changes):
    submission = build(job(**changes))
    assert [m.field for m in submission.errors] == [field]
    assert isinstance(submission.errors[0].error, TokenError)


def test_shell_text_in_the_template_passes_through():
    template = "cat <<EOF > /tmp/x\n<chunkstart>\nEOF\nrender < in.txt 2>&1 -f <chunks>"
    submission = build(job(task_template=template, chunk_size=5, scout_frames=""))
    assert submission.tasks[0]["command"] == (
        "cat <<EOF > /tmp/x\n1\nEOF\nrender < in.txt 2>&1 -f 1:5"
    )


def test_best_chunk_size_100_frames_at_33():
    submission = build(job(frames="1-100", chunk_size=33, best_chunk_size=True, scout_frames=""))
    assert [t["frames"] for t in submission.tasks] == ["1-25", "26-50", "51-75", "76-100"]
    assert submission.to_payload()["chunk_size"] == 25


def test_tiles_make_one_task_per_chunk_and_tile():
    settings = job(frames="1-4", chunk_size=2, tiles=3, scout_frames="3",
                   task_template="r -s <chunkstart> -t <tile_number>/<tiles>")
    submission = build(settings)
    assert [(t["frames"], t["command"]) for t in submission.tasks] == [
        ("1-2", "r -s 1 -t 1/3"), ("1-2", "r -s 1 -t 2/3"), ("1-2", "r -s 1 -t 3/3"),
        ("3-4", "r -s 3 -t 1/3"), ("3-4", "r -s 3 -t 2/3"), ("3-4", "r -s 3 -t 3/3"),
    ]
    assert [submission.is_scout(i) for i in range(6)] == [False] * 3 + [True] * 3


def test_negative_frames():
    submission = build(job(frames="-10--1", chunk_size=5, scout_frames="-1"))
    assert [t["frames"] for t in submission.tasks] == ["-10--6", "-5--1"]
    assert submission.tasks[0]["command"] == "blender -b scene.blend -s -10 -e -6 -a"
    assert submission.to_payload()["scout_frames"] == "-1"


def test_stepped_frames_with_progressions():
    settings = job(
        frames="1-10x3,11-12", chunk_size=3, chunk_strategy="progressions", scout_frames="",
        task_template="r -s <chunkstart> -e <chunkend> -j <chunkstep> <chunktype>",
    )
    submission = build(settings)
    assert [(t["frames"], t["command"]) for t in submission.tasks] == [
        ("1-7x3", "r -s 1 -e 7 -j 3 regular"),
        ("10-12", "r -s 10 -e 12 -j 1 regular"),
    ]


def test_irregular_chunks_say_so():
    settings = job(frames="1,4,5", chunk_size=3, scout_frames="", task_template="<chunktype>")
    assert build(settings).tasks == [{"command": "irregular", "frames": "1,4-5"}]


def test_host_frames_when_custom_frames_are_off():
    settings = job(use_custom_frames=False, frames="1-1000")
    submission = build(settings, HostContext(frames="5-8", owner="a"))
    assert [t["frames"] for t in submission.tasks] == ["5-6", "7-8"]
    missing = build(settings, HostContext(owner="a"))
    assert "frames: the host gave no frame range; turn on use_custom_frames and set frames" in (
        texts(missing, "error")
    )


def test_tasks_data_is_used_as_given():
    tasks = [
        {"command": "vray -sceneFile=/p/batman_0008.vrscene <notatoken>", "frames": "8"},
        {"command": "vray -sceneFile=/p/batman_0024.vrscene", "frames": "24"},
    ]
    settings = job(frames="", task_template="", tasks_data=tasks, scout_frames="24")
    submission = build(settings)
    assert submission.ok, texts(submission, "error")
    assert submission.tasks == tasks
    assert submission.tasks is not tasks
    assert [submission.is_scout(i) for i in range(2)] == [False, True]
    assert submission.to_payload()["scout_frames"] == "24"
    assert submission.to_payload()["chunk_size"] == 2


@pytest.mark.parametrize(
    "tasks, message",
    [
        ([{"frames": "1"}], "tasks_data[0].command: needs a command (a non-empty string), "
         "got None"),
        ([{"command": "  "}], "tasks_data[0].command: needs a command (a non-empty string), "
         "got '  '"),
        ([{"command": "x", "frames": 8}], "tasks_data[0].frames: expected a frame spec string "
         "such as \"8\" or \"1-10\", got 8"),
        ([{"commands": []}], "tasks_data[0].commands: expected a non-empty list of commands, "
         "got []"),
        ([{"commands": "echo"}], "tasks_data[0].commands: expected a non-empty list of "
         "commands, got 'echo'"),
        ([{"command": "a\x00"}], "tasks_data[0].command: holds a NUL character (\\x00) at "
         "position 1; a command line cannot carry one"),
        ([{"command": "x"}, "echo"], "tasks_data[1]: expected an object {command, frames}, "
         "got 'echo'"),
    ],
)
def test_bad_tasks_data(tasks, message):
    submission = build(job(task_template="", tasks_data=tasks))
    assert texts(submission, "error") == [message]


def test_bad_frames_in_tasks_data_name_the_task():
    submission = build(job(task_template="", tasks_data=[{"command": "x", "frames": "1-"}]))
    (error,) = submission.errors
    assert error.field == "tasks_data[0].frames"
    assert isinstance(error.error, FrameSpecError)


def test_upload_only_has_no_tasks_and_no_error(tmp_path):
    upload = tmp_path / "tex.exr"
    upload.write_text("x")
    settings = job(upload_only=True, task_template="", upload_paths=[str(upload)])
    submission = build(settings)
    assert submission.ok, texts(submission, "error")
    assert submission.to_payload()["tasks_data"] == []
    assert submission.upload_files == [str(upload)]


def test_instance_type_from_flavor_and_cores():
    submission = build(job(instance_type="", machine_flavor="highmem", cores=2))
    assert submission.to_payload()["instance_type"] == "highmem-2"
    assert submission.instance.memory == 13.0


@pytest.mark.parametrize(
    "changes, catalogue, message",
    [
        ({"instance_type": "gpu-8"}, CATALOGUE, "instance_type: unknown instance type 'gpu-8'; "
         "this farm offers: standard-2, standard-4, highmem-2"),
        ({"instance_type": "", "machine_flavor": "standard", "cores": 64}, CATALOGUE,
         "cores: no standard instance type with 64 cores; standard offers cores: 2, 4"),
        ({"instance_type": "", "machine_flavor": "huge", "cores": 2}, CATALOGUE,
         "machine_flavor: unknown machine flavor 'huge'; valid flavors: standard, highcpu, "
         "highmem"),
        ({"instance_type": "", "machine_flavor": "standard", "cores": 2}, None,
         "instance_type: machine_flavor 'standard' with 2 cores needs the farm's catalogue to "
         "find its instance type, and none is available here; set instance_type instead"),
        ({"instance_type": ""}, CATALOGUE, "instance_type: is empty; choose an instance type "
         "(or machine_flavor and cores); this farm offers: standard-2, standard-4, highmem-2"),
        ({"instance_type": "", "cores": 4}, CATALOGUE, "machine_flavor: is empty; cores 4 needs a "
         "flavor: standard, highcpu, highmem"),
    ],
)
def test_bad_instance_types(changes, catalogue, message):
    assert texts(build(job(**changes), catalogue=catalogue), "error") == [message]


def test_instance_type_is_taken_as_given_without_a_catalogue():
    submission = build(job(instance_type="anything-8", task_template="<instance>"), catalogue=None)
    assert submission.ok
    assert submission.to_payload()["instance_type"] == "anything-8"
    assert submission.tasks[0]["command"] == "anything-8"


def test_package_environment_is_merged_with_extra_entries():
    settings = job(
        software_package_ids=["b1"],
        environment={"STUDIO": "1"},
        extra_environment=[EnvEntry("PATH", "$TOOLS/bin", "append")],
    )
    submission = build(settings, environ=dict(PINNED, TOOLS="/tools"))
    assert submission.to_payload()["environment"] == {
        "STUDIO": "1",
        "PATH": "/opt/blender:/tools/bin",
        "BLENDER_SYSTEM": "/opt/blender/3.6",
    }
    assert submission.to_payload()["software_package_ids"] == ["b1"]


def test_detected_packages_are_used_when_none_are_chosen():
    submission = build(job(), HostContext(software_package_ids=["b1"], owner="a"))
    assert submission.software_package_ids == ["b1"]
    assert submission.environment["PATH"] == "/opt/blender"


def test_package_conflict_is_an_error_naming_both():
    submission = build(job(software_package_ids=["b1", "c1"]))
    (error,) = submission.errors
    assert isinstance(error.error, EnvironmentMergeError)
    assert str(error) == (
        "software_package_ids: package 'cycles-x 1 linux' sets BLENDER_SYSTEM exclusively to "
        "'/elsewhere' but package 'blender 3.6 linux' sets it to '/opt/blender/3.6'"
    )


def test_unknown_package_and_no_catalogue():
    assert texts(build(job(software_package_ids=["zz"])), "error") == [
        "software_package_ids: unknown software package id 'zz'"
    ]
    offline = build(job(software_package_ids=["b1"]), catalogue=None)
    assert offline.ok
    assert texts(offline, "warning") == [
        "software_package_ids: the farm's catalogue is not available here, so the packages' "
        "environment is not merged in",
    ]


def test_undefined_local_variable_warns():
    settings = job(extra_environment=[EnvEntry("A", "$NOT_SET_ANYWHERE")])
    assert "extra_environment: $NOT_SET_ANYWHERE is not set on this machine, so it is passed on " \
        "as written" in texts(build(settings), "warning")


def test_uploads_smart_scan_and_missing_files(tmp_path):
    for frame in range(1, 11):
        (tmp_path / "bg.{:04d}.exr".format(frame)).write_text("x")
    (tmp_path / "model.abc").write_text("x")
    refs = [FileReference(str(tmp_path / "bg.####.exr")), str(tmp_path / "gone.abc")]
    settings = job(frames="2-3", upload_paths=[str(tmp_path / "model.abc")], scout_frames="")
    submission = build(settings, HostContext(file_references=refs, owner="a"))
    assert submission.upload_files == [
        str(tmp_path / "bg.0002.exr"), str(tmp_path / "bg.0003.exr"), str(tmp_path / "model.abc")
    ]
    assert texts(submission, "error") == [
        "dependencies: {} (file reference): does not exist".format(tmp_path / "gone.abc")
    ]
    payload = submission.to_payload()
    assert payload["upload_paths"] == submission.upload_files
    assert payload["local_upload"] is True


def test_local_upload_false_is_kept_only_when_there_are_uploads(tmp_path):
    (tmp_path / "a").write_text("x")
    assert build(job(local_upload=False)).to_payload()["local_upload"] is True
    with_files = build(job(local_upload=False, upload_paths=[str(tmp_path / "a")]))
    assert with_files.to_payload()["local_upload"] is False


def test_chunk_size_raised_by_max_tasks_and_scouts_outside_warn():
    submission = build(job(frames="1-100", chunk_size=1, max_tasks=10, scout_frames="5,200-201"))
    assert texts(submission, "warning") == [
        "chunk_size: raised from 1 to 10 so that the job stays within max_tasks 10",
        "scout_frames: 200-201 are outside the frames 1-100 and will not be scouted",
    ]
    assert submission.to_payload()["chunk_size"] == 10
    assert submission.to_payload()["scout_frames"] == "5"


def test_scout_frames_off():
    submission = build(job(use_scout_frames=False))
    assert submission.to_payload()["scout_frames"] == ""
    assert submission.scout_task_count == 0


def test_scout_forms():
    assert build(job(scout_frames="fml")).to_payload()["scout_frames"] == "1,5,10"
    assert build(job(scout_frames="auto:3")).to_payload()["scout_frames"] == "1,6,10"


def test_bad_frame_spec_is_reported_with_its_field():
    submission = build(job(frames="1-10,,20"))
    (error,) = submission.errors
    assert error.field == "frames"
    assert isinstance(error.error, FrameSpecError)
    assert submission.tasks == []
    with pytest.raises(FrameSpecError):
        submission.check()


def test_source_date_epoch_must_be_a_number():
    submission = build(job(), environ={"SOURCE_DATE_EPOCH": "soon"})
    assert texts(submission, "error") == [
        "SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH must be whole seconds since 1970, not 'soon'"
    ]


def test_host_timestamp_is_used_unless_source_date_epoch_pins_it():
    context = HostContext(timestamp=0.0, owner="a")
    settings = job(job_title="<timestamp>")
    local = time.strftime("%Y_%m_%d_%H_%M_%S", time.localtime(0))
    assert build(settings, context, environ={}).job_title == local
    assert build(settings, context).job_title == "2019_05_07_01_12_46"
