"""A value from the scene put into a command cannot run a command of its own.

Scene, image, layer, folder and job names go through the task template's tokens into
``/bin/sh`` text (the local farm runs it with ``/bin/sh -c``; Slurm, OpenCue and OpenJD run
the task scripts written from it). Each hostile name below must arrive as exactly one
argument holding exactly its text, and the marker file it tries to create must never exist.
"""

import json
import os
import subprocess
import time

import pytest

from farmhand.core.catalogue import Catalogue, InstanceType
from farmhand.core.connectors.engine_tasks import EngineTask
from farmhand.core.connectors.slurm.native_form import job_files
from farmhand.core.connectors.task_scripts import task_script
from farmhand.core.host.export import fill_host_tokens_for_shell
from farmhand.core.job import HostContext, JobSettings, build_submission

pytestmark = pytest.mark.timeout(120)

CATALOGUE = Catalogue(
    projects=("default",),
    instance_types=(InstanceType("standard-2", 2, 7.5, "2 core, 7.50GB Mem", "standard"),),
)

# Each hostile text touches MARKER (replaced by a path in the test's folder) if it ever runs.
HOSTILE = [
    "x; touch MARKER",
    "x && touch MARKER",
    "x | touch MARKER",
    "$(touch MARKER)",
    "`touch MARKER`",
    "${HOME:+$(touch MARKER)}",
    "it's; touch MARKER; '",
    'say "hi"; touch MARKER; "',
    'back\\slash\\"; touch MARKER; \\',
    "new\nline; touch MARKER",
    "\ttab & touch MARKER &",
    "x > MARKER",
    "* ? [a] ~ # {a,b} !",
    "",
]

# A function that prints each argument it gets between brackets, one line per call.
PRINT_ARGS = "pa() { for a in \"$@\"; do printf '[%s]' \"$a\"; done; printf '\\n'; }; "

# Every way a template may hold a token: bare, in double quotes, in single quotes, glued to
# text, after a backslash; the seed hosts' own templates are covered by the same contexts.
CONTEXTS = {
    "job": ("pa <job>", lambda v: [v] if v else []),
    "submitter": ("pa <submitter>", lambda v: [v] if v else []),
    "pdir bare": ("pa <pdir>", lambda v: [v] if v else []),
    "pdir quoted (Maya's -proj)": ('pa -proj "<pdir>"', lambda v: ["-proj", v]),
    "pdir glued": ("pa --dir=<pdir>/out", lambda v: ["--dir=" + v + "/out"]),
    "pdir single-quoted": ("pa 'in <pdir> here'", lambda v: ["in " + v + " here"]),
    "sources (two images)": ("pa -image <sources>", lambda v: ["-image", v, v + "2"]),
    "render_package": ("pa <render_package>", lambda v: [v] if v else []),
    "render_package quoted": ('pa "<render_package>"', lambda v: [v]),
    "directories": ("pa -rd <directories>", lambda v: ["-rd", v, v + "2"]),
    "temp_dir": ("pa <temp_dir>", lambda v: [v] if v else []),
    "after a backslash": ("pa a\\<job>", lambda v: ["a" + v]),
}


def _hostile(text, marker):
    return text.replace("MARKER", marker)


def _context(value):
    return HostContext(
        job_name=value,
        submitter=value,
        owner="artist",
        sources=[value, value + "2"],
        output_directories=[value, value + "2"],
        pdir=value,
        render_package=value,
        temp_dir=value,
    )


def _command(template, value):
    settings = JobSettings(
        frames="1",
        chunk_size=1,
        instance_type="standard-2",
        task_template=template,
        output_path="/renders",
        project="default",
    )
    submission = build_submission(settings, _context(value), CATALOGUE, {"SOURCE_DATE_EPOCH": "0"})
    return submission.tasks[0]["command"]


def _arguments(output):
    assert output.startswith("[") or output == "\n", output
    line = output[:-1]
    return [] if not line else line[1:-1].split("][")


def _run_sh(command, folder):
    done = subprocess.run(
        ["/bin/sh", "-c", PRINT_ARGS + command],
        cwd=str(folder),
        env={"PATH": "/usr/bin:/bin", "HOME": str(folder)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, (command, done.stderr)
    return done.stdout


@pytest.mark.parametrize("where", sorted(CONTEXTS))
def test_a_hostile_name_arrives_verbatim_as_one_argument(where, tmp_path):
    template, expected = CONTEXTS[where]
    marker = str(tmp_path / "pwned")
    checked = 0
    for text in HOSTILE:
        value = _hostile(text, marker)
        command = _command(template, value)
        output = _run_sh(command, tmp_path)
        if "][" in value or "\n" in value:
            assert output == "".join("[{}]".format(a) for a in expected(value)) + "\n", command
        else:
            assert _arguments(output) == expected(value), command
        assert not os.path.exists(marker), (where, command)
        checked += 1
    assert checked == len(HOSTILE)


def test_ordinary_names_read_as_before():
    """Plain names are not quoted: the commands users know stay as they were."""
    command = _command('Render -rl <sources> -proj "<pdir>" <render_package>', "/p/shot_010.ma")
    assert command == 'Render -rl /p/shot_010.ma /p/shot_010.ma2 -proj "/p/shot_010.ma"' + (
        ' "/p/shot_010.ma"'
    )


def test_an_exported_job_file_keeps_the_quoting(tmp_path):
    """``farmhand export`` writes the host's values into the template: quoted the same way."""
    marker = str(tmp_path / "pwned")
    value = _hostile("x; touch MARKER", marker)
    settings = JobSettings(
        frames="1",
        chunk_size=1,
        instance_type="standard-2",
        task_template='pa <job> "<pdir>" <sources> -s <chunkstart>',
        output_path="/renders",
        project="default",
    )
    submission = build_submission(settings, _context(value), CATALOGUE, {"SOURCE_DATE_EPOCH": "0"})
    text = fill_host_tokens_for_shell(settings.task_template, submission)
    assert text.endswith(" -s <chunkstart>")
    output = _run_sh(text.replace("<chunkstart>", "1"), tmp_path)
    assert _arguments(output) == [value, value, value, value + "2", "-s", "1"]
    assert not os.path.exists(marker)


def test_a_real_task_on_the_local_farm_gets_the_names_verbatim(farm_client, tmp_path):
    marker = str(tmp_path / "pwned")
    values = [_hostile(text, marker) for text in HOSTILE if text]
    template = "printf '[%s]' <job> \"<pdir>\" <sources> <render_package> -s <chunkstart>"
    payloads = []
    for value in values:
        settings = JobSettings(
            frames="1",
            chunk_size=1,
            instance_type=farm_client.catalogue().instance_types[0].name,
            task_template=template,
            output_path="",
            project="default",
            job_title="injection <job>",
        )
        submission = build_submission(
            settings, _context(value), farm_client.catalogue(), {"SOURCE_DATE_EPOCH": "0"}
        )
        assert submission.ok, [str(m) for m in submission.validation]
        payloads.append((value, submission.to_payload()))
    jobs = [(value, farm_client.submit(payload).job_id) for value, payload in payloads]
    for value, job_id in jobs:
        _wait(farm_client, job_id)
        log = farm_client.logs(job_id, "000")
        expected = "".join("[{}]".format(a) for a in [value, value, value, value + "2", value])
        assert expected + "[-s][1]" in log, log
        assert farm_client.status(job_id).succeeded
    assert not os.path.exists(marker)


def _wait(client, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    for state in client.follow(job_id, timeout=5):
        if state.is_final or time.monotonic() > deadline:
            break


def test_engine_task_scripts_quote_titles_environment_and_argv(tmp_path):
    """The scripts Slurm, OpenCue and OpenJD run: the title is a comment on one line, the
    environment single-quoted, an argv command quoted word by word."""
    marker = str(tmp_path / "pwned")
    for text in HOSTILE:
        value = _hostile(text, marker)
        task = EngineTask(
            0,
            [["printf", "[%s]", value], "printf '[%s]' \"$EVIL\""],
            frames="1",
            title=value,
            environment={"EVIL": value},
        )
        script = task_script(task, 1, value, {"JOB_EVIL": value})
        path = tmp_path / "task.sh"
        path.write_text(script)
        done = subprocess.run(
            ["/bin/sh", str(path)], cwd=str(tmp_path), capture_output=True, text=True, timeout=30
        )
        assert done.returncode == 0, (script, done.stderr)
        assert done.stdout == "[{0}][{0}]".format(value), script
        assert not os.path.exists(marker), script


def test_slurm_job_folder_scripts_keep_hostile_titles_and_folders_inert(tmp_path):
    """submit.sh runs the sbatch lines (here a stand-in ``sbatch`` that records its
    arguments); run_task.sh and the task scripts are run by /bin/sh."""
    marker = str(tmp_path / "pwned")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    sbatch = bin_dir / "sbatch"
    sbatch.write_text(
        "#!/usr/bin/python3\nimport json, sys\nprint(json.dumps(sys.argv[1:]), file=sys.stderr)"
        "\nprint(42)\n"
    )
    sbatch.chmod(0o755)
    for number, text in enumerate(HOSTILE):
        value = _hostile(text, marker)
        folder = tmp_path / "jobs" / "job {}".format(number)
        folder.mkdir(parents=True)
        payload = {
            "job_title": value,
            "output_path": value,
            "environment": {"EVIL": value},
            "tasks_data": [{"command": "printf '[%s]' \"$EVIL\"", "frames": "1"}],
            "autoretry_policy": {"failed": {"max_retries": 0}},
        }
        files = job_files(payload, str(folder), None)
        for name, content in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        done = subprocess.run(
            ["/bin/sh", str(folder / "submit.sh")],
            env={"PATH": "{}:/usr/bin:/bin".format(bin_dir)},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        argv = json.loads(done.stderr.splitlines()[0])
        assert "--job-name=" + (" ".join(value.split()) or "farmhand")[:100] in argv
        run = subprocess.run(
            ["/bin/sh", str(folder / "tasks" / "1.sh")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert run.stdout == "[{}]".format(value)
        assert not os.path.exists(marker), value


def test_slurm_run_script_in_a_hostile_folder(tmp_path):
    """The folder is named in run_task.sh (a comment and a variable): a folder whose name
    holds a newline and a command must not run it."""
    marker = str(tmp_path / "pwned")
    folder = tmp_path / "jobs\ntouch {}\n".format(marker)
    (folder / "tasks").mkdir(parents=True)
    (folder / "results").mkdir()
    payload = {
        "job_title": "t",
        "tasks_data": [{"command": "printf ok", "frames": "1"}],
    }
    for name, content in job_files(payload, str(folder), None).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    done = subprocess.run(
        ["/bin/sh", str(folder / "run_task.sh")],
        env={"PATH": "/usr/bin:/bin", "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_JOB_ID": "7"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert "ok" in done.stdout
    assert not os.path.exists(marker)
