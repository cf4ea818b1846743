"""``farmhand gui [JOBFILE]`` as a command: opens the window on the binding qtpy picks, and
bad input exits 2 with one line naming the problem."""

import json
import subprocess
import sys

import pytest
from qtpy import QtGui

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def farmhand(*args):
    return subprocess.run(
        [sys.executable, "-m", "farmhand"] + list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=100,
    )


def test_gui_opens_a_job_file_and_renders_the_window(tmp_path, qapp):
    job = tmp_path / "quickstart.json"
    job.write_text(json.dumps({"frames": "1-10", "chunk_size": 2, "scout_frames": "3,8"}))
    shot = tmp_path / "window.png"
    result = farmhand("gui", str(job), "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    image = QtGui.QImage(str(shot))
    # (the offscreen screen is 800 x 600 on Qt 5, and the window fits the screen it opens on)
    assert not image.isNull() and image.width() >= 600 and image.height() >= 500


def test_gui_without_a_job_file_opens_a_new_job(tmp_path, qapp):
    shot = tmp_path / "new.png"
    result = farmhand("gui", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert not QtGui.QImage(str(shot)).isNull()


def test_a_missing_job_file_is_an_error(tmp_path):
    missing = str(tmp_path / "nope.json")
    result = farmhand("gui", missing)
    assert result.returncode == 2
    assert result.stderr == "farmhand: error: jobfile: job file {!r} does not exist\n".format(
        missing
    )


def test_a_bad_job_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"frames": "1-10", "chunk_sise": 2}')
    result = farmhand("gui", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("farmhand: error: ")
    assert "chunk_sise" in result.stderr and "did you mean 'chunk_size'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_unwritable_screenshot_is_an_error(tmp_path):
    target = str(tmp_path / "no-such-folder" / "x.png")
    result = farmhand("gui", "--screenshot", target)
    assert result.returncode == 2
    assert result.stderr == \
        "farmhand: error: screenshot: could not write the screenshot {!r}\n".format(target)


def test_gui_is_listed_in_the_help():
    result = farmhand("--help")
    assert result.returncode == 0
    assert "gui" in result.stdout
