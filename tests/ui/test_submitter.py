"""The submitter end to end, as a user drives it: open a job file, Connect to a local farm
started by the test, pick an instance type, Preview (the exact payload the CLI builds),
Submit, watch the progress finish, release the scouts in the monitor; Cancel leaves nothing
on the farm; Save writes the job file back without loss."""

import dataclasses
import json
import os
import subprocess
import sys

import pytest
from qtpy import QtCore, QtWidgets

from farmhand.core.job import build_submission, load_job_file
from farmhand.shared_ui.standalone import SubmitterWindow
from farmhand.shared_ui.targets import FarmTarget

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]


@pytest.fixture
def job_file(tmp_path):
    scene = tmp_path / "scene.txt"
    scene.write_text("a scene the tasks read\n")
    job = {
        "job_title": "ui <sequence>",
        "frames": "1-6",
        "chunk_size": 2,
        "scout_frames": "1",
        "task_template": "echo frame <chunkstart>-<chunkend>",
        "output_path": "renders",
        "upload_paths": ["scene.txt"],
        "notify": ["lighting@example.com"],
    }
    path = tmp_path / "shot.json"
    path.write_text(json.dumps(job, indent=2))
    return str(path)


def open_window(qtbot, path):
    window = SubmitterWindow(path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click(qtbot, button):
    assert button.isEnabled(), button.objectName() or button.text()
    qtbot.mouseClick(button, QtCore.Qt.LeftButton)


def connect(qtbot, window):
    submitter = window.submitter
    with qtbot.waitSignal(submitter.catalogue_loaded, timeout=30000):
        click(qtbot, submitter.form.farm.connect_button)
    return submitter.catalogue


def choose_instance(form, name):
    combo = form.instance_type.instance_combo
    combo.setCurrentIndex(combo.findData(name))


def test_connect_fills_the_menus(qtbot, job_file, local_farm):
    window = open_window(qtbot, job_file)
    catalogue = connect(qtbot, window)
    form = window.submitter.form
    assert form.farm.connect_button.text() == "Refresh"
    assert "Connected to local farm" in form.farm.status.text()
    combo = form.instance_type.instance_combo
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert [i.name for i in catalogue.instance_types] == offered[: len(catalogue.instance_types)]
    assert form.job.project_combo.currentText() == "default"


def test_preview_shows_what_the_job_model_builds(qtbot, job_file, local_farm):
    window = open_window(qtbot, job_file)
    catalogue = connect(qtbot, window)
    form = window.submitter.form
    choose_instance(form, catalogue.instance_types[0].name)
    dialog = window.submitter.preview()
    assert dialog is not None and dialog.isVisible()
    expected = build_submission(window.settings(), None, catalogue)
    assert dialog.payload_view.text() == expected.payload_json()
    assert dialog.tasks_model.rowCount() == 3
    assert dialog.tasks_model.index(0, 2).data() == "scout"
    assert dialog.command_of(2) == "echo frame 5-6"
    assert dialog.uploads_model.row(0).path.endswith("scene.txt")
    assert dialog.submit_button.isEnabled()


def test_errors_show_in_the_preview_and_block_submit(qtbot, job_file):
    window = open_window(qtbot, job_file)  # not connected, no instance type
    submitter = window.submitter
    submitter.form.task_template.template_edit.setPlainText("echo <frame>")
    dialog = submitter.submit()  # errors: the preview opens instead of submitting
    assert dialog is submitter.preview_dialog and dialog.isVisible()
    assert not dialog.submit_button.isEnabled()
    errors = dialog.content.errors
    assert any(text.startswith("instance_type:") for text in errors), errors
    assert any("unknown token <frame>" in text for text in errors), errors
    assert submitter.progress_dialog is None


def submit_through_preview(qtbot, submitter):
    """Submit; answer the warnings question like a user (the job has warnings: no catalogue
    packages, ...); return the progress dialog."""
    submitter.submit()
    preview = submitter.preview_dialog
    if preview is not None and preview.isVisible():
        click(qtbot, preview.submit_button)
        if preview.question is not None:
            click(qtbot, preview.question.button(QtWidgets.QMessageBox.Yes))
    qtbot.waitUntil(lambda: submitter.progress_dialog is not None, timeout=5000)
    return submitter.progress_dialog


def test_submit_watch_progress_and_release_scouts(qtbot, job_file, local_farm, farm_connector):
    window = open_window(qtbot, job_file)
    catalogue = connect(qtbot, window)
    submitter = window.submitter
    choose_instance(submitter.form, catalogue.instance_types[0].name)
    progress = submit_through_preview(qtbot, submitter)
    qtbot.waitUntil(lambda: progress.state == "succeeded", timeout=60000)
    connector, result = progress.result
    assert "Submitted job {}".format(result.job_id) in progress.result_label.text()
    assert "farmhand jobs {}".format(result.job_id) in progress.result_label.text()
    assert progress.phases_seen[0] == "hashing" and "submitting" in progress.phases_seen
    assert progress.monitor_button.isVisible()

    click(qtbot, progress.monitor_button)
    monitor = submitter.monitor
    assert monitor is not None and monitor.isVisible()
    qtbot.waitUntil(lambda: monitor.selected_job_id() == result.job_id, timeout=15000)
    qtbot.waitUntil(
        lambda: sorted(t.status for t in monitor.tasks_model.records())
        == ["held", "held", "success"],
        timeout=30000,
    )
    click(qtbot, monitor.release_button)
    qtbot.waitUntil(
        lambda: [t.status for t in monitor.tasks_model.records()] == ["success"] * 3,
        timeout=30000,
    )
    monitor.select_task(monitor.tasks_model.records()[2].task_id)
    qtbot.waitUntil(lambda: "frame 5-6" in monitor.log_view.toPlainText(), timeout=10000)
    job = farm_connector.status(result.job_id)
    assert job.title == "ui 1-6"
    monitor.close()


def test_cancel_leaves_nothing_on_the_farm(qtbot, job_file, local_farm, farm_connector,
                                           tmp_path):
    big = tmp_path / "cache.bin"
    with open(str(big), "wb") as handle:
        handle.truncate(3 << 30)  # sparse: hashing and uploading it takes a while
    window = open_window(qtbot, job_file)
    catalogue = connect(qtbot, window)
    submitter = window.submitter
    choose_instance(submitter.form, catalogue.instance_types[0].name)
    submitter.form.uploads.path_list.add_paths([str(big)])
    progress = submit_through_preview(qtbot, submitter)
    qtbot.waitUntil(lambda: progress.events_seen >= 2, timeout=30000)
    click(qtbot, progress.cancel_button)
    qtbot.waitUntil(lambda: progress.state == "cancelled", timeout=60000)
    assert progress.result_label.text() == "Cancelled: nothing was submitted."
    assert farm_connector.jobs() == []


def test_save_writes_the_job_file_back(qtbot, job_file):
    with open(job_file) as handle:
        before = json.load(handle)
    window = open_window(qtbot, job_file)
    form = window.submitter.form
    form.frames.chunk_spin.setValue(3)
    assert window.windowTitle() == "Farmhand - shot.json *"
    click(qtbot, window.submitter.save_button)
    assert window.windowTitle() == "Farmhand - shot.json"
    with open(job_file) as handle:
        after = json.load(handle)
    assert after["chunk_size"] == 3
    # relative paths stay relative, so the file still works when the shot folder moves
    assert after["upload_paths"] == before["upload_paths"] == ["scene.txt"]
    assert after["output_path"] == "renders"
    reloaded = load_job_file(job_file)
    assert reloaded == window.settings()
    assert reloaded.upload_paths == [os.path.join(os.path.dirname(job_file), "scene.txt")]


def test_save_as_a_new_file(qtbot, tmp_path):
    window = open_window(qtbot, None)
    window.submitter.form.frames.frames_edit.setText("1-20")
    click(qtbot, window.submitter.save_button)  # no file yet: asks where
    dialog = window.file_dialog
    assert dialog is not None and dialog.isVisible()
    target = str(tmp_path / "new.json")
    dialog.selectFile(target)
    dialog.accept()
    assert load_job_file(target).frames == "1-20"
    assert window.windowTitle() == "Farmhand - new.json"


def test_a_bad_job_file_is_reported_in_the_window(qtbot, tmp_path, job_file):
    bad = tmp_path / "bad.json"
    bad.write_text('{"frames": "1-10", "chunk_sise": 2}')
    window = open_window(qtbot, job_file)
    assert not window.open_path(str(bad))
    text = window.submitter.message.text()
    assert "chunk_sise" in text and "chunk_size" in text
    assert window.path == job_file


def test_a_service_url_and_key_typed_in_the_farm_section(qtbot, job_file, local_farm):
    url, key = local_farm
    window = open_window(qtbot, job_file)
    farm = window.submitter.form.farm
    farm.kind_combo.setCurrentIndex(farm.kind_combo.findData("service"))
    assert farm.url_edit.isEnabled() and farm.key_edit.isEnabled()
    qtbot.keyClicks(farm.url_edit, url)
    qtbot.keyClicks(farm.key_edit, key)
    catalogue = connect(qtbot, window)
    assert catalogue.instance_types
    assert "Connected to Conductor-compatible service" in farm.status.text()


def test_a_farm_that_cannot_be_reached_is_reported_inline(qtbot, job_file, monkeypatch):
    monkeypatch.delenv("CONDUCTOR_API_KEY", raising=False)
    window = open_window(qtbot, job_file)
    farm = window.submitter.form.farm
    farm.set_target(FarmTarget("service", "http://127.0.0.1:9", '{"client_id": "a", '
                                                                '"private_key": "b"}'))
    qtbot.mouseClick(farm.connect_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: farm.status.kind == "error", timeout=30000)
    assert farm.status.text().startswith("Could not connect: ")
    assert "127.0.0.1:9" in farm.status.text()
    assert farm.connect_button.isEnabled() and farm.connect_button.text() == "Connect"


def test_a_service_without_a_key_names_the_missing_key(qtbot, job_file, monkeypatch):
    monkeypatch.delenv("CONDUCTOR_API_KEY", raising=False)
    monkeypatch.delenv("CONDUCTOR_API_KEY_PATH", raising=False)
    window = open_window(qtbot, job_file)
    farm = window.submitter.form.farm
    farm.set_target(FarmTarget("service", "http://127.0.0.1:9"))
    qtbot.mouseClick(farm.connect_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: farm.status.kind == "error", timeout=30000)
    assert "CONDUCTOR_API_KEY" in farm.status.text()


def test_the_ui_and_the_cli_build_the_same_payload(qtbot, job_file, local_farm, tmp_path):
    """Edit in the window, save, then `farmhand preview` the saved file: same bytes as the
    preview dialog (both use this machine's local farm catalogue)."""
    window = open_window(qtbot, job_file)
    catalogue = connect(qtbot, window)
    form = window.submitter.form
    choose_instance(form, catalogue.instance_types[-1].name)
    form.frames.chunk_spin.setValue(3)
    form.environment.env_table.add_row("SHOT", "010", "exclusive")
    form.advanced.metadata_table.add_row("department", "lighting")
    click(qtbot, window.submitter.save_button)
    dialog = window.submitter.preview()
    cli = subprocess.run(
        [sys.executable, "-m", "farmhand", "preview", job_file],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert dialog.payload_view.text() == cli.stdout
    assert '"SHOT": "010"' in cli.stdout and '"chunk_size": 3' in cli.stdout


def test_a_missing_upload_is_flagged_and_blocks_submit(qtbot, job_file, tmp_path):
    window = open_window(qtbot, job_file)
    form = window.submitter.form
    form.uploads.path_list.add_paths([str(tmp_path / "textures" / "sky.exr")])
    form.load(dataclasses.replace(window.settings(), instance_type="standard-2"))
    dialog = window.submitter.preview()
    model = dialog.uploads_model
    assert dialog.tabs.tabText(2) == "Uploads (2, 1 missing)"
    assert model.row(0).path.endswith("sky.exr") and model.row(0).missing
    assert "upload_paths" in model.index(0, 2).data()
    assert model.row(1).path.endswith("scene.txt") and not model.row(1).missing
    assert any("sky.exr" in text for text in dialog.content.errors), dialog.content.errors
    assert not dialog.submit_button.isEnabled()


def test_a_save_that_fails_is_reported(qtbot, tmp_path):
    window = open_window(qtbot, None)
    click(qtbot, window.submitter.save_button)
    target = str(tmp_path / "no-such-folder" / "job.json")
    window.file_dialog.selectFile(target)
    window.save_to(target)  # what the dialog calls with the chosen path
    text = window.submitter.message.text()
    assert text.startswith("Could not save: ") and "No such file or directory" in text
    assert window.path is None


def answer(qtbot, window, button):
    box = window.unsaved_question
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(button), QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: window.unsaved_question is None)


def test_closing_with_unsaved_edits_asks_first(qtbot, job_file):
    window = open_window(qtbot, job_file)
    window.close()  # nothing edited: closes at once
    assert not window.isVisible()
    window = open_window(qtbot, job_file)
    window.submitter.form.frames.chunk_spin.setValue(3)
    window.close()
    assert window.isVisible()
    assert window.unsaved_question.text() == "Save the changes to shot.json before closing?"
    answer(qtbot, window, QtWidgets.QMessageBox.Cancel)
    assert window.isVisible() and window.modified
    window.close()
    answer(qtbot, window, QtWidgets.QMessageBox.Save)
    assert not window.isVisible()
    assert load_job_file(job_file).chunk_size == 3


def test_discarding_unsaved_edits(qtbot, job_file):
    window = open_window(qtbot, job_file)
    window.submitter.form.frames.chunk_spin.setValue(5)
    window.ask_then_open_file()
    assert window.file_dialog is None  # the question comes first
    answer(qtbot, window, QtWidgets.QMessageBox.Discard)
    assert window.file_dialog is not None and window.file_dialog.isVisible()
    window.file_dialog.reject()
    window.close()
    answer(qtbot, window, QtWidgets.QMessageBox.Discard)
    assert not window.isVisible()
    assert load_job_file(job_file).chunk_size == 2
