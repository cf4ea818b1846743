"""The add-on's ways to submit, in the real Blender: the shared Qt submitter (Debian's PySide2
imports in Debian's Blender), the message and the panel's own Preview where Qt cannot be
imported, and a job submitted from the add-on that the local farm really renders."""

import os
import struct

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_shared_submitter_opens_in_blender(run_blender, tmp_path):
    results = run_blender("qt", tmp_path)
    assert results["binding"] == "PySide2"
    assert results["title"] == "Farmhand submitter: FarmhandJob"
    package = str(tmp_path / "qt" / "shot_farmhand_FarmhandJob.blend")
    assert results["tasks"] == [
        'blender -b "{}" -S Scene -o {}/qt/render/beauty_ -E BLENDER_EEVEE -F PNG -s {} -e {} '
        "-j 1 -a".format(package, tmp_path, frame, frame)
        for frame in (3, 4, 5, 6)
    ]
    assert results["uploads"] == [package, str(tmp_path / "qt" / "tex" / "a.png")]
    assert results["saved_frames"] == "3-6"  # Save wrote the window's settings to the job
    # Blender's timer pumps Qt's events while a window is open, and stops after
    assert results["pump_while_open"] == 0.02 and results["pump_after_close"] is None
    # a failing timer is shown and stops, never raising into Blender
    assert results["pump_failing"] is None
    assert results["pump_failure_shown"] == [
        "Farmhand: the submitter window's events failed: RuntimeError: no display (the "
        "traceback is in the log)"
    ]


def test_without_qt_the_operator_says_what_to_do_and_the_panel_previews(run_blender, tmp_path):
    results = run_blender("noqt", tmp_path)  # the driver refuses every Qt binding
    print(results["message"])
    assert results["message"].startswith(
        "Error: Farmhand Submitter: Qt: Qt for Python cannot be imported in this Blender ("
    )
    assert (
        results["message"]
        .rstrip()
        .endswith(
            "; use Preview and Submit in Render Properties > Farmhand, or Export Job File and run "
            "'farmhand submit FILE' in a shell"
        )
    )
    assert results["jobs"] == ["FarmhandJob"]  # the operator added the job it would open
    assert results["preview"] == ["FINISHED"]
    text = results["preview_text"]
    assert "# instance_type: is empty; choose an instance type" in text
    assert '"tasks_data": [' in text


def test_the_add_on_enables_from_its_startup_file_and_names_bad_input(run_blender, tmp_path):
    results = run_blender("noqt", tmp_path)
    assert results["enabled"] and results["registered"]
    errors = results["errors"]
    assert errors["no job"] == (
        "Error: Farmhand Preview: job node: the scene 'Scene' has no Farmhand job; add one in "
        "Render Properties > Farmhand"
    )
    assert errors["unsaved"] == (
        "Error: Farmhand Preview: scene: the scene has never been saved; save it first (the "
        "render package is written next to it)"
    )
    assert errors["package of an unsaved file"] == (
        "scene: save the .blend first (the render package is written next to it)"
    )
    assert errors["bad settings"] == (
        "Error: Farmhand Preview: job node 'shot job', attribute farmhand_settings, setting "
        'priority: expected a whole number, got "high" (string)'
    )
    assert errors["removed"] == (
        "job node: the scene 'Scene' has no Farmhand job 'shot job' any more; jobs: (none)"
    )
    assert errors["unknown"] == (
        "job node: no Farmhand job named 'shot job' in this scene; job nodes: (none)"
    )
    # the panel draws the job and, without Qt, says why the full submitter is missing; a
    # failure while drawing is shown in the panel, never raised into Blender
    labels = results["panel_labels"]
    assert labels[0] == ["The full submitter needs Qt for Python:", "INFO"]
    assert labels[1][0].startswith("Qt for Python cannot be imported in this Blender")
    assert results["panel_failing"] == [
        [
            "Farmhand panel failed: KeyError: 'farmhand_jobs' (the traceback is in the log)",
            "ERROR",
        ]
    ]
    assert results["export"].startswith(
        "Error: Export Farmhand Job File: job node: the scene 'Scene' has no Farmhand job"
    )


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == PNG_MAGIC, path
    return struct.unpack(">II", head[16:24])


def test_a_job_submitted_from_blender_renders_on_the_local_farm(
    run_blender, client_farm, farm_client, tmp_path
):
    env = {"FARMHAND_HOME": client_farm.home, "FARMHAND_COMMAND": "false"}
    results = run_blender("submit", tmp_path, env)
    assert results["task_template"].startswith("blender -b <render_package> -S Scene -o ")
    assert results["task_template"].endswith(
        "-E CYCLES -F PNG -s <chunkstart> -e <chunkend> -j <chunkstep> -a"
    )
    job = list(farm_client.follow(results["job_id"], timeout=60))[-1]
    assert job.succeeded, job
    # the panel's Submit without waiting: the same job again, reported when the farm has it
    (level, uploading), (level_done, done) = results["later_reports"]
    assert (level, uploading) == ("INFO", "Farmhand: uploading and submitting FarmhandJob...")
    assert level_done == "INFO" and done.startswith("Farmhand: submitted job ")
    assert " to the local farm at http://127.0.0.1:" in done
    assert done.endswith(" (2 files, 1 uploaded)")  # the texture was sent already
    again = done.split()[3]
    assert list(farm_client.follow(again, timeout=60))[-1].succeeded
    output = tmp_path / "submit" / "render"
    frames = sorted(os.listdir(str(output)))
    assert frames == ["frame_0001.png", "frame_0002.png", "frame_0003.png", "frame_0004.png"]
    assert png_size(str(output / "frame_0004.png")) == (64, 48)
