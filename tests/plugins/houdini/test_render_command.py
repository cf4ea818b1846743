"""The command a Houdini task runs, run for real through /bin/sh: a ``hython`` on PATH runs
Python with the fake ``hou``, which loads the render package the adapter wrote and records
what each ROP renders. Each ROP renders the chunk's frames within its own range."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def hython(tmp_path):
    """A ``hython`` that is this Python with ``hou`` the fake (loaded fresh per process)."""
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "hou.py").write_text(
        "import sys\n"
        "sys.path.insert(0, {!r})\n"
        "import fake_hou\n"
        "fake_hou.reset()\n"
        "fake_hou.register_builtin_types()\n"
        "sys.modules['hou'] = fake_hou\n".format(HERE)
    )
    script = shims / "hython"
    script.write_text('#!/bin/sh\nPYTHONPATH={} exec {} "$@"\n'.format(shims, sys.executable))
    script.chmod(0o755)
    return shims


def run_task(command, hython, log):
    env = dict(os.environ, PATH="{}:{}".format(hython, os.environ["PATH"]))
    env["FAKE_HOU_RENDER_LOG"] = str(log)
    if log.exists():
        log.unlink()
    result = subprocess.run(
        ["/bin/sh", "-c", command], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    if not log.exists():
        return []
    return [tuple(json.loads(line)) for line in log.read_text().splitlines()]


def test_each_task_renders_each_rops_frames_of_its_chunk(adapter, hou, hython, tmp_path):
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.add_node("/out/fx", "karma", {"f": (5.0, 20.0, 5.0)})
    hou.add_node("/out/still", "ifd", {"trange": 0})
    hou.state().frame = 3.0
    node = adapter.new_job("job")
    for index, path in enumerate(["/out/beauty", "/out/fx", "/out/still"]):
        hou.node("/out/job").setInput(index, hou.node(path))
    settings = node.read_settings()
    settings.chunk_size = 4
    settings.instance_type = "standard-2"
    node.write_settings(settings)
    submission = adapter.build(node)
    assert not submission.errors, submission.errors
    tasks = submission.tasks
    assert [task["frames"] for task in tasks] == ["1-4", "5-8", "9-10,15,20"]
    log = tmp_path / "renders.log"
    rendered = [run_task(task["command"], hython, log) for task in tasks]
    assert rendered == [
        [("/out/beauty", [1, 4, 1]), ("/out/still", [3, 3, 1])],
        [("/out/beauty", [5, 8, 1]), ("/out/fx", [5, 5, 1])],
        [("/out/beauty", [9, 10, 1]), ("/out/fx", [10, 20, 5])],
    ]


def test_custom_frames_outside_a_rops_range_are_not_rendered_by_it(adapter, hou, hython, tmp_path):
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    node = adapter.new_job("job")
    hou.node("/out/job").setInput(0, hou.node("/out/beauty"))
    settings = node.read_settings()
    settings.use_custom_frames = True
    settings.frames = "8-12"
    settings.chunk_size = 5
    settings.instance_type = "standard-2"
    node.write_settings(settings)
    submission = adapter.build(node)
    (task,) = submission.tasks
    assert run_task(task["command"], hython, tmp_path / "r.log") == [("/out/beauty", [8, 10, 1])]


def test_a_missing_rop_fails_the_task(adapter, hou, hython, tmp_path):
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 2.0, 1.0)})
    node = adapter.new_job("job")
    hou.node("/out/job").setInput(0, hou.node("/out/beauty"))
    settings = node.read_settings()
    settings.instance_type = "standard-2"
    node.write_settings(settings)
    command = adapter.build(node).tasks[0]["command"].replace("/out/beauty", "/out/gone")
    env = dict(os.environ, PATH="{}:{}".format(hython, os.environ["PATH"]))
    result = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0


def test_the_template_is_one_shell_word_of_code_and_the_tokens(hou):
    from farmhand.plugins.houdini.render_command import RENDER_CODE, TASK_TEMPLATE

    assert "'" not in RENDER_CODE
    assert TASK_TEMPLATE.endswith(
        "' <render_package> <chunkstart> <chunkend> <chunkstep> <sources>"
    )
    compile(RENDER_CODE, "<task>", "exec")
