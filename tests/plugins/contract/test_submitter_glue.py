"""The glue hands the shared submitter callbacks that raise only what it shows."""

import pytest

from farmhand.core.errors import InputError
from farmhand.core.host import HostError, SubmitterGlue
from farmhand.core.job import JobSettings
from farmhand.shared_ui.hooks import SubmitterHooks


def test_the_hooks_take_the_glue_as_it_is(adapter):
    node = adapter.new_job("lighting")
    hooks = SubmitterHooks(**SubmitterGlue(adapter, node).hook_arguments())
    assert hooks.host_name == "memoryhost"
    assert hooks.host_frames() == "1-10"
    settings = JobSettings(frames="1-2", instance_type="x", task_template="r <chunkstart>")
    assert hooks.build_job(settings, None).tasks[1]["command"] == "r 2"
    hooks.save_settings(settings)
    assert node.read_settings() == settings
    hooks.settings_changed(JobSettings(frames="7"))
    assert node.read_settings().frames == "7"
    assert hooks.detect_packages(None) == []


def test_a_scene_error_reaches_the_submitter_as_an_input_error(adapter):
    node = adapter.new_job("lighting")

    def broken():
        raise OSError(28, "No space left on device")

    adapter.save_render_package = lambda path: broken()
    glue = SubmitterGlue(adapter, node)
    with pytest.raises(HostError) as caught:
        glue.build_job(JobSettings(), None)
    assert isinstance(caught.value, InputError)
    assert str(caught.value) == (
        "memoryhost: Building the job failed: OSError: [Errno 28] No space left on device "
        "(the traceback is in the log)"
    )


def test_input_errors_pass_through_unchanged(adapter, scene):
    node = adapter.new_job("lighting")
    scene.path = ""
    with pytest.raises(HostError, match="^scene: the scene has never been saved"):
        SubmitterGlue(adapter, node).build_job(JobSettings(), None)


def test_frames_packages_and_sync_never_raise(adapter):
    node = adapter.new_job("lighting")
    shown = []

    def broken(*args):
        raise RuntimeError("scene is busy")

    adapter.frame_range = broken
    adapter.software = broken
    node.write_settings = broken
    glue = SubmitterGlue(adapter, node, shown.append)
    assert glue.host_frames() == ""
    assert glue.detect_packages(object()) == []
    glue.settings_changed(JobSettings())
    assert shown == [
        "Reading the scene's frame range failed: RuntimeError: scene is busy (the traceback "
        "is in the log)",
        "Detecting the scene's software failed: RuntimeError: scene is busy (the traceback is "
        "in the log)",
        "Storing the job's settings failed: RuntimeError: scene is busy (the traceback is in "
        "the log)",
    ]
