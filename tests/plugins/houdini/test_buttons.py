"""The FarmhandJob ROP's buttons, pressed as Houdini presses them (the parm's callback run
against the HDA's PythonModule): they open the shared Qt submitter (real widgets, offscreen)
on the node, and an error becomes a Houdini message, never an exception into Houdini."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


@pytest.fixture
def session(adapter, hou, qtbot):
    """A Houdini session with a UI and a job rendering one Mantra ROP."""
    from qtpy import QtWidgets

    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    hou.state().ui_available = True
    hou.state().main_window = window
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 4.0, 1.0), "vm_picture": "/renders/b.$F4.exr"})
    node = adapter.new_job("job")
    hou.node("/out/job").setInput(0, hou.node("/out/beauty"))
    return node


def close(dialog):
    dialog.submitter.form.changed.disconnect()
    dialog.close()


def test_open_submitter_shows_the_nodes_settings_over_houdinis_window(session, hou):
    dialog = hou.press_button("/out/job", "open_submitter")
    assert dialog.windowTitle() == "Farmhand: /out/job"
    assert dialog.parent() is hou.state().main_window
    assert dialog.submitter.settings() == session.read_settings()
    assert dialog.submitter.hooks.host_name == "houdini"
    assert dialog.submitter.hooks.host_frames() == "1-4"
    close(dialog)


def test_preview_builds_the_job_and_shows_what_would_be_submitted(session, hou):
    dialog = hou.press_button("/out/job", "preview")
    preview = dialog.submitter.preview_dialog
    assert preview is not None and preview.isVisible()
    submission = dialog.submitter.last_submission
    assert submission.context.sources == ["/out/beauty"]
    assert os.path.isfile(submission.context.render_package)
    assert submission.context.render_package.endswith("shot010_farmhand_job.hip")
    preview.close()
    close(dialog)


def test_submit_with_errors_opens_the_preview_instead(session, hou):
    dialog = hou.press_button("/out/job", "submit")  # no instance type: an error
    assert dialog.submitter.preview_dialog is not None
    assert dialog.submitter.progress_dialog is None
    assert any("instance_type" in str(m) for m in dialog.submitter.last_submission.errors)
    dialog.submitter.preview_dialog.close()
    close(dialog)


def test_an_error_is_shown_in_houdini_not_raised(session, hou):
    hou.node("/out/job").parm("farmhand_settings").set("{broken")
    assert hou.press_button("/out/job", "preview") is None
    ((text, severity, title),) = hou.state().messages
    assert text.startswith(
        "Farmhand: Preview: job node 'job', attribute farmhand_settings: holds text that is "
        "not JSON"
    )
    assert (severity, title) == (hou.severityType.Error, "Farmhand")


def test_without_a_ui_errors_go_to_stderr(adapter, hou, capsys):
    adapter.new_job("job")
    hou.node("/out/job").parm("farmhand_settings").set("[1]")
    assert hou.press_button("/out/job", "submit") is None
    assert capsys.readouterr().err == (
        "Farmhand: Submit: job node 'job', attribute farmhand_settings: holds JSON that is not "
        "an object of settings: [1]\n"
    )
    assert hou.state().messages == []


def test_a_creation_error_is_shown_and_the_node_still_made(hip, hou, capsys):
    hou.state().playbar = ("start", "end")  # a bug's stand-in: hou answers what we cannot read
    created = hou.node("/out").createNode("farmhand::job")
    assert created.path() == "/out/job1"
    assert created.parm("farmhand_settings").unexpandedString() == ""
    assert capsys.readouterr().err == (
        "Farmhand: creating the job failed: TypeError: type str doesn't define __round__ "
        "method (the traceback is in the log)\n"
    )
