"""Screenshots of the submitter, the preview and the monitor on this run's binding, written
to docs/screenshots/ (``submitter-pyside6.png``...) and referenced from the README.

Each fails if its text did not render (fonts not found offscreen draw nothing, or one box per
glyph). A screenshot is rewritten only when it differs visibly from the one in the tree, so
a clock or a port number in a status line does not dirty the checkout on every run.
"""

import json
import os
import pathlib
import shutil
import tempfile

import pytest
import qtpy
from qtpy import QtCore, QtGui, QtWidgets

from farmhand.shared_ui.standalone import SubmitterWindow

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDER = os.path.join(ROOT, "docs", "screenshots")
# Rewritten when more than this fraction of pixels differ: a line of text that changed is
# about 0.3% of a screenshot.
REWRITE_ABOVE = 0.001


def differing_fraction(old, new, ignore=()):
    """Fraction of (sampled) pixels that differ, outside the ``ignore`` rectangles."""
    if old.size() != new.size():
        return 1.0
    old = old.convertToFormat(QtGui.QImage.Format_RGB32)
    new = new.convertToFormat(QtGui.QImage.Format_RGB32)
    step = 2  # every other pixel in both directions: plenty to see a layout change
    differing = total = 0
    for y in range(0, new.height(), step):
        for x in range(0, new.width(), step):
            if any(rect.contains(x, y) for rect in ignore):
                continue
            total += 1
            if old.pixel(x, y) != new.pixel(x, y):
                differing += 1
    return differing / float(max(total, 1))


def save_screenshot(widget, name, volatile=()):
    """Write the screenshot unless it matches the one in the tree; ``volatile`` widgets
    (a status line with a port number and a clock) are left out of that comparison."""
    image = widget.grab().toImage()
    ignore = [
        QtCore.QRect(part.mapTo(widget, QtCore.QPoint(0, 0)), part.size()) for part in volatile
    ]
    path = os.path.join(FOLDER, "{}-{}.png".format(name, qtpy.API_NAME.lower()))
    os.makedirs(FOLDER, exist_ok=True)
    existing = QtGui.QImage(path)
    if existing.isNull() or differing_fraction(existing, image, ignore) > REWRITE_ABOVE:
        assert image.save(path), path
    return path


@pytest.fixture
def example_job():
    """The example shot in a fixed folder, so the paths the screenshots show are stable."""
    tmp_path = pathlib.Path(tempfile.gettempdir()) / "farmhand-docs" / qtpy.API_NAME.lower()
    shutil.rmtree(str(tmp_path), ignore_errors=True)
    tmp_path.mkdir(parents=True)
    (tmp_path / "shot010.blend").write_bytes(b"\0" * 4096)
    (tmp_path / "textures").mkdir()
    for frame in range(1001, 1011):
        (tmp_path / "textures" / "sky.{}.exr".format(frame)).write_bytes(b"\0" * 2048)
    job = {
        "job_title": "shot010 lighting <sequence>",
        "frames": "1001-1100",
        "chunk_size": 10,
        "scout_frames": "fml",
        "task_template": "blender -b shot010.blend -o //renders/f_#### -s <chunkstart> "
        "-e <chunkend> -a",
        "output_path": "renders",
        "upload_paths": ["shot010.blend", "textures"],
        "notify": ["lighting@example.com"],
        "extra_environment": [
            {"name": "PYTHONPATH", "value": "$HOME/pipeline", "merge_policy": "prepend"}
        ],
        "metadata": {"shot": "010", "department": "lighting"},
    }
    path = tmp_path / "shot010.json"
    path.write_text(json.dumps(job, indent=2))
    yield str(path)
    shutil.rmtree(str(tmp_path), ignore_errors=True)


def connected_window(qtbot, path, local_farm):
    window = SubmitterWindow(path)
    qtbot.addWidget(window)
    window.resize(760, 980)
    window.show()
    qtbot.waitExposed(window)
    submitter = window.submitter
    with qtbot.waitSignal(submitter.catalogue_loaded, timeout=30000):
        qtbot.mouseClick(submitter.form.farm.connect_button, QtCore.Qt.LeftButton)
    combo = submitter.form.instance_type.instance_combo
    combo.setCurrentIndex(combo.findData(submitter.catalogue.instance_types[-1].name))
    return window


def test_submitter_screenshot(qtbot, example_job, local_farm, text_check):
    window = connected_window(qtbot, example_job, local_farm)
    form = window.submitter.form
    form.update_frames_info()
    QtWidgets.QApplication.processEvents()
    text_check(form.frames.info_label)
    text_check(form.farm.status)
    assert os.path.exists(save_screenshot(window, "submitter", [form.farm.status]))


def test_preview_screenshot(qtbot, example_job, local_farm, text_check):
    window = connected_window(qtbot, example_job, local_farm)
    dialog = window.submitter.preview()
    assert dialog is not None
    dialog.resize(980, 640)
    dialog.tabs.setCurrentIndex(0)
    QtWidgets.QApplication.processEvents()
    text_check(dialog.summary)
    assert os.path.exists(save_screenshot(dialog, "preview"))
    dialog.tabs.setCurrentIndex(1)
    QtWidgets.QApplication.processEvents()
    assert os.path.exists(save_screenshot(dialog, "preview-tasks"))


def test_monitor_screenshot(qtbot, example_job, local_farm, text_check):
    window = connected_window(qtbot, example_job, local_farm)
    submitter = window.submitter
    submitter.form.task_template.template_edit.setPlainText(
        "echo rendering frames <chunkstart> to <chunkend>"
    )
    submitter.form.uploads.path_list.set_value([])
    content_ok = submitter.build()
    assert content_ok is not None and content_ok.ok, [str(m) for m in content_ok.errors]
    progress = submitter.start_submit(content_ok)
    qtbot.waitUntil(lambda: progress.state == "succeeded", timeout=60000)
    progress.close()
    monitor = submitter.open_monitor(progress.result[1].job_id)
    monitor.resize(1100, 620)
    qtbot.waitUntil(lambda: len(monitor.tasks_model.records()) == 10, timeout=20000)
    qtbot.waitUntil(lambda: monitor.release_button.isEnabled(), timeout=20000)
    qtbot.mouseClick(monitor.release_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(
        lambda: [t.status for t in monitor.tasks_model.records()] == ["success"] * 10
        and monitor.jobs()[0].status == "success",
        timeout=30000,
    )
    monitor.select_task(monitor.tasks_model.records()[0].task_id)
    qtbot.waitUntil(lambda: "rendering frames" in monitor.log_view.toPlainText(), timeout=10000)
    QtWidgets.QApplication.processEvents()
    text_check(monitor.status_label)
    assert os.path.exists(save_screenshot(monitor, "monitor", [monitor.status_label]))
    monitor.close()
