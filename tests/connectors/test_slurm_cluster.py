"""The Slurm connector against a real single-node Slurm (tests/support/slurm_cluster.py):
arrays, the %N throttle, scouts as an array the rest waits for (afterok, held until
released), task dependencies as stages, per-task environments, retries by requeue, a failed
task reported, cancel with scancel, priority as --nice, and a Blender render of the demo
scene."""

import json
import os
import shutil
import subprocess
import time

import pytest

from farmhand.cli.main import main
from farmhand.core.connectors import connect
from tests.conftest import require

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


@pytest.fixture
def slurm(slurm_cluster, monkeypatch):
    monkeypatch.setenv("SLURM_CONF", slurm_cluster.conf_path)
    connector = connect("slurm")
    yield connector
    connector.close()


def payload(tasks, **changes):
    data = {
        "job_title": "slurm test",
        "instance_type": "main-1cpu",
        "priority": 5,
        "scout_frames": "",
        "environment": {},
        "autoretry_policy": {"failed": {"max_retries": 0}, "preempted": {"max_retries": 0}},
        "tasks_data": tasks,
        "output_path": "",
    }
    data.update(changes)
    return data


def wait(connector, job_id, done, timeout=90.0):
    """The job once ``done(job)`` holds; fails with the task states if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        job = connector.status(job_id)
        if done(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail("job {} still {} after {:.0f} s: {}".format(
                job_id, job.status, timeout, [(t.task_id, t.status) for t in job.tasks]))
        time.sleep(0.2)


def final(job):
    return job.is_final


def states(job):
    return [t.status for t in job.tasks]


def test_an_array_runs_every_task_with_its_own_environment(slurm, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tasks = [
        {"command": "echo \"$WHO $SHARED\" > {}/{}".format(out, n), "frames": str(n),
         "environment": {"WHO": "task{}".format(n)}}
        for n in range(1, 6)
    ]
    result = slurm.submit(payload(tasks, environment={"SHARED": "job"}))
    job = wait(slurm, result.job_id, final)
    assert states(job) == ["success"] * 5 and job.succeeded
    assert [(out / str(n)).read_text() for n in range(1, 6)] == [
        "task{} job\n".format(n) for n in range(1, 6)
    ]
    with open(os.path.join(job.raw["folder"], "job.json")) as handle:
        record = json.load(handle)
    assert [a["numbers"] for a in record["arrays"]] == [[1, 2, 3, 4, 5]]
    assert slurm.logs(result.job_id, "2").splitlines()[0].startswith("farmhand: task 3 (Slurm")
    assert [j.job_id for j in slurm.jobs()] == [result.job_id]


def intervals(job):
    spans = []
    for task in job.tasks:
        path = os.path.join(job.raw["folder"], "results", str(task.raw["number"]))
        with open(path) as handle:
            words = handle.read().split()
        spans.append((float(words[1]), float(words[2])))
    return sorted(spans)


def test_max_instances_throttles_the_array(slurm, tmp_path):
    # Without a limit two tasks run at once (two CPUs): each waits (up to 60 s) until a
    # second has started, then 2 s more, as results/ has whole seconds: with `sleep 1` tasks,
    # a sibling started a moment late on a loaded machine looked like it started as the
    # first ended. The jobs run one after the other, so the throttled one's tasks never take
    # the CPU the other's waiting task needs.
    met = tmp_path / "met"
    met.mkdir()
    meet = (
        "touch {0}/$SLURM_ARRAY_TASK_ID; i=0; "
        "while [ $(ls {0} | wc -l) -lt 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; "
        "sleep 2"
    ).format(met)
    unthrottled = slurm.submit(payload([{"command": meet, "frames": str(n)} for n in range(1, 5)]))
    wide = intervals(wait(slurm, unthrottled.job_id, final, timeout=180))
    tasks = [{"command": "sleep 1", "frames": str(n)} for n in range(1, 5)]
    throttled = slurm.submit(payload(tasks, max_instances=1))
    narrow = intervals(wait(slurm, throttled.job_id, final))
    # two CPUs: without a limit two tasks overlap; with %1 each starts after the last ended
    assert any(b[0] < a[1] for a, b in zip(wide, wide[1:]))
    assert all(b[0] >= a[1] for a, b in zip(narrow, narrow[1:]))
    with open(os.path.join(slurm.folder_of(throttled.job_id), "submit.sh")) as handle:
        assert "--array=1-4%1" in handle.read()


def test_a_priority_below_the_default_is_a_nice_slurm_applies(slurm, slurm_cluster):
    result = slurm.submit(payload([{"command": "sleep 3", "frames": "1"}], priority=3))
    try:
        shown = slurm_cluster.run("squeue", "-h", "-j", result.job_id, "-o", "%y %P")
        assert shown.split() == ["200", "main"]  # (5 - 3) x 100; the instance type's partition
    finally:
        slurm.kill(result.job_id)
    assert states(wait(slurm, result.job_id, final)) == ["killed"]


def test_a_site_export_all_passes_the_submitting_environment(slurm_cluster, monkeypatch,
                                                             tmp_path):
    site = tmp_path / "slurm.json"
    site.write_text(json.dumps({"sbatch_options": ["--export=ALL"]}))
    monkeypatch.setenv("SLURM_CONF", slurm_cluster.conf_path)
    monkeypatch.setenv("FARMHAND_SLURM_CONFIG", str(site))
    monkeypatch.setenv("FROM_THE_SUBMITTER", "seen")
    out = tmp_path / "env"
    with connect("slurm") as slurm:
        result = slurm.submit(payload([{"command": "echo \"[$FROM_THE_SUBMITTER]\" > {}".format(
            out), "frames": "1"}]))
        assert wait(slurm, result.job_id, final).succeeded
    assert out.read_text() == "[seen]\n"
    monkeypatch.delenv("FARMHAND_SLURM_CONFIG")
    with connect("slurm") as slurm:  # the default: the node's environment, not the shell's
        result = slurm.submit(payload([{"command": "echo \"[$FROM_THE_SUBMITTER]\" > {}".format(
            out), "frames": "1"}]))
        assert wait(slurm, result.job_id, final).succeeded
    assert out.read_text() == "[]\n"


def test_scouts_run_first_and_the_rest_waits_held_until_released(slurm, tmp_path):
    stamp = tmp_path / "order"
    tasks = [{"command": "echo {} >> {}".format(n, stamp), "frames": str(n)}
             for n in range(1, 5)]
    result = slurm.submit(payload(tasks, scout_frames="3"))
    job = wait(slurm, result.job_id, lambda j: j.counts["success"] == 1)
    assert states(job) == ["held", "held", "success", "held"]
    assert [t.scout for t in job.tasks] == [False, False, True, False]
    assert job.status == "held" and not job.is_final
    assert main(["release", result.job_id, "--farm", "slurm"]) == 0
    job = wait(slurm, result.job_id, final)
    assert job.succeeded
    assert stamp.read_text().split()[0] == "3"


def test_release_on_scout_success_needs_no_release(slurm):
    tasks = [{"command": "true", "frames": str(n)} for n in range(1, 4)]
    result = slurm.submit(
        payload(tasks, scout_frames="1"), extra={"release_on_scout_success": True}
    )
    assert wait(slurm, result.job_id, final).succeeded


def test_a_failed_scout_keeps_the_rest_held_and_is_reported(slurm):
    tasks = [{"command": "exit 7", "frames": "1"}, {"command": "true", "frames": "2"}]
    result = slurm.submit(
        payload(tasks, scout_frames="1"), extra={"release_on_scout_success": True}
    )
    job = wait(slurm, result.job_id, lambda j: j.tasks[0].is_final and j.counts["held"] == 1)
    assert (job.tasks[0].status, job.tasks[0].exit_code) == ("failed", 7)
    assert job.tasks[1].status == "held"  # afterok can no longer be met
    slurm.kill(result.job_id)
    assert states(wait(slurm, result.job_id, final)) == ["failed", "killed"]


def test_task_dependencies_become_stages(slurm, tmp_path):
    stamp = tmp_path / "order"
    tasks = [
        {"command": "sleep 1; echo a >> {}".format(stamp)},
        {"command": "echo b >> {}".format(stamp), "depends_on": [0]},
        {"command": "echo c >> {}".format(stamp), "depends_on": [1]},
    ]
    result = slurm.submit(payload(tasks))
    assert wait(slurm, result.job_id, final).succeeded
    assert stamp.read_text().split() == ["a", "b", "c"]


def test_a_failing_task_is_retried_by_requeue_then_reported(slurm, tmp_path, capsys):
    marker = tmp_path / "tried"
    tasks = [
        {"command": "if [ -e {0} ]; then exit 0; fi; touch {0}; exit 5".format(marker),
         "frames": "1"},
        {"command": "echo broken >&2; exit 3", "frames": "2"},
    ]
    result = slurm.submit(payload(
        tasks, autoretry_policy={"failed": {"max_retries": 1}, "preempted": {"max_retries": 0}}
    ))
    job = wait(slurm, result.job_id, final, timeout=150)
    first, second = job.tasks
    assert (first.status, first.attempts, first.exit_code) == ("success", 2, 0)
    assert (second.status, second.attempts, second.exit_code) == ("failed", 2, 3)
    log = slurm.logs(result.job_id, "1")
    assert "farmhand: task 2 failed (exit status 3): requeued" in log
    assert log.count("broken") == 2
    capsys.readouterr()
    assert main(["jobs", result.job_id, "--farm", "slurm"]) == 0
    out = capsys.readouterr().out
    assert "001   failed" in out and "000   success" in out


def test_kill_cancels_queued_and_running_tasks(slurm):
    tasks = [{"command": "sleep 60", "frames": str(n)} for n in range(1, 5)]
    result = slurm.submit(payload(tasks))
    wait(slurm, result.job_id, lambda j: j.counts["running"] == 2)
    slurm.kill(result.job_id)
    job = wait(slurm, result.job_id, final, timeout=30)
    assert states(job) == ["killed"] * 4 and job.status == "killed"
    queued = subprocess.run(
        ["squeue", "-h", "-j", ",".join(job.raw["array_ids"])], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True,
    )
    assert queued.stdout.strip() == ""


def test_retry_requeues_a_failed_task(slurm, tmp_path):
    marker = tmp_path / "fixed"
    tasks = [{"command": "test -e {}".format(marker), "frames": "1"}]
    result = slurm.submit(payload(tasks))
    assert states(wait(slurm, result.job_id, final)) == ["failed"]
    marker.write_text("")
    slurm.retry(result.job_id)
    job = wait(slurm, result.job_id, lambda j: j.succeeded, timeout=120)
    assert job.tasks[0].attempts == 2


def test_a_blender_render_of_the_demo_scene(slurm_cluster, monkeypatch, tmp_path, capsys):
    blender = shutil.which("blender")
    require(blender, "Blender (apt-get install blender)")
    monkeypatch.setenv("SLURM_CONF", slurm_cluster.conf_path)
    scene_dir = tmp_path / "scene"
    subprocess.run(
        [blender, "-b", "--factory-startup", "--python-exit-code", "1", "--python",
         os.path.join(ROOT, "examples", "demo", "build_scene.py"), "--", str(scene_dir)],
        check=True, stdout=subprocess.DEVNULL, timeout=120,
    )
    output = tmp_path / "output"
    job = {
        "farm": "slurm",
        "job_title": "Blender on Slurm <sequence>",
        "instance_type": "main-1cpu",
        "frames": "1-4",
        "chunk_size": 2,
        "scout_frames": "1",
        "task_template": "{} -b {} -o {}/frame_#### -F PNG -s <chunkstart> -e <chunkend> -a"
        .format(blender, scene_dir / "scene.blend", output),
        "output_path": str(output),
        "upload_paths": [str(scene_dir / "scene.blend"), str(scene_dir / "textures")],
    }
    path = tmp_path / "blender_job.json"
    path.write_text(json.dumps(job))
    code = main(["submit", str(path), "--wait", "--release-on-scout-success"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "all 2 tasks succeeded" in captured.err
    assert "the slurm farm will not honour uploads" in captured.err
    images = sorted(p.name for p in output.iterdir())
    assert images == ["frame_{:04d}.png".format(f) for f in range(1, 5)]
    for name in images:
        assert (output / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
