"""The FarmhandJob's buttons, pressed as Clarisse presses them: Connect against a real local
farm, and Preview, Submit and the three panels both with Qt for Python (the shared submitter,
real widgets offscreen) and without it (what Clarisse does by itself, in the log)."""

import json
import os

import pytest

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def shot(adapter, ix, tmp_path):
    ix.add_image("project://scene/beauty", 1, 4, 1, str(tmp_path / "renders" / "b.####.exr"))
    node = adapter.new_job("job")
    ix.set_images(node.full_name, "project://scene/beauty")
    settings = node.read_settings()
    settings.frames, settings.instance_type = "1-4", "standard-1"
    settings.use_scout_frames = False
    node.write_settings(settings)
    ix.state().log.clear()
    return node


@pytest.fixture
def on_farm(client_farm, monkeypatch):
    """Clarisse's connections go to ``client_farm`` (a real local farm)."""
    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    return client_farm


def infos(ix):
    return [text for level, text in ix.state().log if level == "info"]


def test_connect_fills_the_menus_with_the_farms_names(shot, ix, on_farm):
    item = shot.item()
    ix.press(shot.full_name, "connect")
    with on_farm.connector() as connector:
        catalogue = connector.catalogue()
    labels = [label for label, _ in item.get_attribute("instance_type").presets]
    assert labels == ["- not set -"] + [i.name for i in catalogue.instance_types]
    assert shot.read_settings().instance_type == "standard-1"  # kept
    assert [label for label, _ in item.get_attribute("project").presets][:2] == [
        "- not set -",
        "default",
    ]
    assert infos(ix)[-1].startswith("Farmhand: connected to local farm at http://127.0.0.1:")
    assert infos(ix)[-1].endswith("; no package for clarisse 5.0.SP10")


def test_preview_without_qt_writes_the_payload_and_logs_the_summary(shot, ix, no_qt):
    submission = ix.press(shot.full_name, "preview")
    assert submission is None  # the engine returns nothing to Clarisse
    lines = infos(ix)
    assert lines[0].startswith("Farmhand: the submitter window needs Qt for Python: no Qt")
    package = str(os.path.join(os.path.dirname(ix.state().project), "shot010_farmhand_job.render"))
    assert lines[1] == (
        "Farmhand preview of job: 4 frames, 4 tasks (chunk size 1), no scout frames; 1 files to "
        "upload; payload "
        "written to {}.payload.json".format(package)
    )
    with open(package + ".payload.json") as handle:
        payload = json.load(handle)
    assert len(payload["tasks_data"]) == 4 and payload["instance_type"] == "standard-1"


def test_submit_without_qt_sends_the_job_to_the_farm(shot, ix, no_qt, on_farm):
    ix.press(shot.full_name, "submit")
    lines = infos(ix)
    assert lines[-1].startswith("Farmhand: submitted job as job ")
    job_id = lines[-1].rsplit(" ", 1)[-1]
    with on_farm.connector() as connector:
        job = connector.status(job_id)
        connector.kill(job_id)  # no cnode here: the tasks would only fail
    assert job.task_count == 4


def test_choose_packages_without_qt_lists_what_the_farm_offers(shot, ix, no_qt, on_farm):
    ix.press(shot.full_name, "choose_packages")
    assert infos(ix)[-1] == (
        "Farmhand: packages (none); this farm offers for clarisse: (none); none matches "
        "clarisse 5.0.SP10"
    )


def test_manage_extra_uploads_without_qt_keeps_what_the_scan_finds(shot, ix, no_qt, tmp_path):
    texture = tmp_path / "tex" / "wood.tx"
    texture.parent.mkdir()
    texture.write_text("x")
    ix.add_item(
        "project://scene/wood",
        "TextureMapFile",
        {"filename": ("string", str(texture), ix.OfAttr.VISUAL_HINT_FILENAME_OPEN)},
    )
    ix.press(shot.full_name, "manage_extra_uploads")
    assert shot.read_settings().upload_paths == [str(texture)]
    assert infos(ix)[-1] == "Farmhand: 1 files kept in extra_uploads"


def test_manage_extra_environment_without_qt_shows_the_entries(shot, ix, no_qt):
    shot.item().get_attribute("extra_environment").add_string("PATH+=/opt/bin")
    ix.press(shot.full_name, "manage_extra_environment")
    assert infos(ix)[-1] == 'Farmhand: extra environment PATH "/opt/bin" (append)'


@pytest.mark.ui
@pytest.mark.parametrize("action", ["preview", "choose_packages", "manage_extra_uploads"])
def test_with_qt_the_actions_open_the_shared_submitter(shot, ix, qtbot, action, monkeypatch):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from farmhand.plugins.clarisse import job_class

    dialog = job_class.run_action(action, shot.item())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Farmhand: project://scene/job"
    assert dialog.submitter.hooks.host_name == "clarisse"
    assert dialog.submitter.hooks.host_frames() == "1-4"
    if action == "preview":
        submission = dialog.submitter.last_submission
        assert submission.context.sources == ["project://scene/beauty"]
        dialog.submitter.preview_dialog.close()
    dialog.close()
