"""The job form driven as a user would: frame specs and the info line, Best chunk size,
scout presets, the catalogue menus, packages, environment rows, uploads, template tokens,
notify and metadata checks; and a lossless round trip of any settings through the widgets."""

import dataclasses
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from qtpy import QtCore, QtGui, QtWidgets

from farmhand.core.job.settings import (
    CHUNK_STRATEGIES,
    MERGE_POLICIES,
    MISSING_FILE_LEVELS,
    SCAN_POLICIES,
    EnvEntry,
    JobSettings,
)
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.sections.advanced import LOG_LEVELS
from farmhand.shared_ui.widgets.env_table import NAME, VALUE

pytestmark = pytest.mark.ui


@pytest.fixture
def form(qtbot):
    widget = JobForm()
    qtbot.addWidget(widget)
    widget.resize(700, 1600)
    widget.show()
    return widget


def retype(qtbot, line_edit, text):
    line_edit.selectAll()
    line_edit.del_()
    qtbot.keyClicks(line_edit, text)


def info_after_typing(qtbot, form):
    qtbot.waitUntil(lambda: not form._info_timer.isActive())
    return form.frames.info_label.text()


def test_typing_a_frame_spec_updates_the_info_line(qtbot, form):
    # an empty field shows what to type
    assert form.frames.frames_edit.placeholderText() == "e.g. 1001-1200 or 1,7,10-20,30-60x3"
    form.load(JobSettings(frames="1", scout_frames=""))
    retype(qtbot, form.frames.frames_edit, "1-10")
    retype(qtbot, form.scout.scout_edit, "3,8")
    form.frames.chunk_spin.setValue(2)
    assert info_after_typing(qtbot, form) == \
        "10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks"
    assert form.settings().frames == "1-10"


def test_an_invalid_spec_shows_its_error_inline(qtbot, form):
    form.load(JobSettings(frames="1-10"))
    retype(qtbot, form.frames.frames_edit, "1-10,x3")
    info_after_typing(qtbot, form)
    error = form.frames.frames_error
    assert error.isVisible() and error.kind == "error"
    assert "fragment 2 'x3'" in error.text()
    assert form.frames.info_label.text() == ""
    retype(qtbot, form.frames.frames_edit, "1-10")
    info_after_typing(qtbot, form)
    assert not form.frames.frames_error.isVisible()


def test_a_bad_scout_spec_is_shown_under_the_scout_field(qtbot, form):
    form.load(JobSettings(frames="1-10", scout_frames="auto:3"))
    retype(qtbot, form.scout.scout_edit, "auto:0")
    info_after_typing(qtbot, form)
    assert form.scout.scout_error.kind == "error"
    assert "scout_frames" in form.scout.scout_error.text()
    assert "auto:0" in form.scout.scout_error.text()
    assert not form.frames.frames_error.isVisible()


def test_scout_frames_outside_the_range_are_a_warning(qtbot, form):
    form.load(JobSettings(frames="1-10", scout_frames="5,200"))
    assert form.scout.scout_error.kind == "warning"
    assert "200" in form.scout.scout_error.text()
    assert "1 scout frame in 1 task" in form.frames.info_label.text()


def test_best_chunk_size_button(qtbot, form):
    form.load(JobSettings(frames="1-100", chunk_size=33, scout_frames=""))
    assert "4 tasks (chunk size 33)" in form.frames.info_label.text()
    qtbot.mouseClick(form.frames.best_button, QtCore.Qt.LeftButton)
    assert form.frames.chunk_spin.value() == 25
    assert form.settings().chunk_size == 25
    assert "4 tasks (chunk size 25)" in form.frames.info_label.text()


def test_max_tasks_raises_the_chunk_size_in_the_info(qtbot, form):
    form.load(JobSettings(frames="1-1000000000", chunk_size=1, scout_frames="fml"))
    assert "1,000 tasks (chunk size 1000000, requested 1)" in form.frames.info_label.text()
    assert "3 scout frames in 3 tasks" in form.frames.info_label.text()


def test_custom_frames_off_uses_the_scene_range(qtbot, form):
    form.load(JobSettings(use_custom_frames=False, frames="", scout_frames=""))
    assert form.frames.frames_error.kind == "error"
    form.set_host_frames("1001-1010")
    assert not form.frames.frames_edit.isEnabled()
    assert form.frames.frames_edit.placeholderText() == "from the scene: 1001-1010"
    assert form.frames.info_label.text().startswith("10 frames, 10 tasks")


def test_scout_presets_menu_types_the_form(qtbot, form):
    form.load(JobSettings(frames="1-100", use_scout_frames=False, scout_frames=""))
    assert not form.scout.scout_edit.isEnabled()
    actions = {a.data(): a for a in form.scout.presets_button.menu().actions()}
    actions["fml"].trigger()
    assert form.scout.scout_check.isChecked()
    assert form.settings().scout_frames == "fml"
    actions["auto:5"].trigger()
    assert "5 scout frames in 5 tasks" in info_after_typing(qtbot, form)


def test_catalogue_fills_menus_and_keeps_unknown_values(qtbot, form, catalogue):
    form.load(JobSettings(project="spiderman", instance_type="gpu-96"))
    form.set_catalogue(catalogue)
    projects = [form.job.project_combo.itemText(i) for i in range(form.job.project_combo.count())]
    assert projects == ["default", "lighting", "spiderman"]
    assert form.job.project_combo.currentText() == "spiderman"
    combo = form.instance_type.instance_combo
    assert combo.itemText(0) == "standard-2: 2 core, 7.50GB Mem"
    assert combo.currentText() == "gpu-96 (not offered by this farm)"
    combo.setCurrentIndex(1)
    assert form.settings().instance_type == "highmem-4"
    assert form.settings().project == "spiderman"


def test_a_job_naming_flavor_and_cores_says_so_in_the_instance_menu(qtbot, form, catalogue):
    combo = form.instance_type.instance_combo
    form.load(JobSettings(machine_flavor="standard", cores=2))
    assert combo.currentText() == "- machine flavor standard, 2 cores (from the job) -"
    form.set_catalogue(catalogue)
    assert combo.currentText() == "- machine flavor standard, 2 cores (from the job) -"
    assert form.settings().instance_type == "" and form.settings().cores == 2
    form.load(JobSettings())
    assert combo.currentText() == "- not set -"


def test_detected_package_is_filled_in_and_chooser_changes_it(qtbot, form, catalogue):
    form.set_package_detector(lambda cat: ["b402"])
    form.load(JobSettings())
    assert not form.packages.choose_button.isEnabled()
    form.set_catalogue(catalogue)
    assert form.settings().software_package_ids == ["b402"]
    assert form.packages.detected_label.text() == "Detected: blender 4.0.2 linux"
    assert form.packages.package_list.item(0).text() == "blender 4.0.2 linux"
    qtbot.mouseClick(form.packages.choose_button, QtCore.Qt.LeftButton)
    chooser = form.packages.chooser
    assert chooser.isVisible()
    chooser.set_checked("cyc4")
    with qtbot.waitSignal(form.changed):
        chooser.accept()
    assert form.settings().software_package_ids == ["b402", "cyc4"]


def test_detection_never_replaces_chosen_packages(qtbot, form, catalogue):
    form.set_package_detector(lambda cat: ["b402"])
    form.load(JobSettings(software_package_ids=["b341"]))
    form.set_catalogue(catalogue)
    assert form.settings().software_package_ids == ["b341"]


def test_add_an_environment_row(qtbot, form, cell_typer, monkeypatch):
    monkeypatch.setenv("FH_SHOW", "/shows/abc")
    form.load(JobSettings())
    table = form.environment.env_table
    with qtbot.waitSignal(form.changed):
        qtbot.mouseClick(table.add_button, QtCore.Qt.LeftButton)
    cell_typer(table.table, 0, NAME, "PYTHONPATH")
    cell_typer(table.table, 0, VALUE, "${FH_SHOW}/python")
    table.policy_combo(0).setCurrentIndex(MERGE_POLICIES.index("prepend"))
    assert form.settings().extra_environment == [
        EnvEntry("PYTHONPATH", "${FH_SHOW}/python", "prepend")
    ]
    assert table.table.item(0, 3).text() == "/shows/abc/python"


def test_template_tokens_are_checked_and_inserted(qtbot, form):
    form.load(JobSettings())
    section = form.task_template
    section.template_edit.setPlainText("render -s <chunkstart> -e <chunkend> 2>&1")
    assert not section.template_error.isVisible()
    section.template_edit.setPlainText("render <frame>")
    assert section.template_error.kind == "error"
    assert "unknown token <frame>" in section.template_error.text()
    section.template_edit.setPlainText("render ")
    section.template_edit.moveCursor(QtGui.QTextCursor.End)
    qtbot.mouseClick(section.reference_button, QtCore.Qt.LeftButton)
    assert section.reference.isVisible()
    row = section.reference.names().index("chunkstart")
    item = section.reference.topLevelItem(row)
    section.reference.itemDoubleClicked.emit(item, 0)
    assert form.settings().task_template == "render <chunkstart>"


def test_title_token_menu_offers_job_scope_only(qtbot, form):
    form.load(JobSettings(job_title="Shot "))
    menu = form.job.title_tokens.menu()
    names = [a.data() for a in menu.actions()]
    assert "sequence" in names and "chunkstart" not in names
    form.job.title_edit.end(False)
    menu.actions()[names.index("sequence")].trigger()
    assert form.settings().job_title == "Shot <sequence>"


def test_title_and_output_path_tokens_are_checked_as_typed(qtbot, form):
    form.load(JobSettings(job_title="Shot <chunkstart>", output_path="/renders/<job>"))
    error = form.job.title_error
    assert error.kind == "error" and error.isVisible()
    assert error.text().startswith(
        "job_title: token <chunkstart> has task scope and cannot be used in job scope; "
        "valid tokens: <pdir>,"
    )
    assert not form.job.output_error.isVisible()
    retype(qtbot, form.job.title_edit, "Shot <sequence>")
    assert not error.isVisible()
    retype(qtbot, form.job.output_edit, "/renders/<shot>")
    assert form.job.output_error.text().startswith(
        "output_path: unknown token <shot> in job scope; valid tokens: <pdir>,"
    )


def test_notify_reports_a_bad_address(qtbot, form):
    form.load(JobSettings())
    retype(qtbot, form.notify.emails_edit, "alice@example.com, bob")
    assert form.notify.emails_error.kind == "error"
    assert form.notify.emails_error.text() == \
        "notify: 'bob' (entry 2) is not an email address such as name@example.com"
    retype(qtbot, form.notify.emails_edit, "alice@example.com, bob@example.com")
    assert not form.notify.emails_error.isVisible()
    assert form.settings().notify == ["alice@example.com", "bob@example.com"]


def test_metadata_and_upload_mode(qtbot, form, cell_typer):
    form.load(JobSettings())
    table = form.advanced.metadata_table
    qtbot.mouseClick(table.add_button, QtCore.Qt.LeftButton)
    cell_typer(table.table, 0, 0, "shot")
    cell_typer(table.table, 0, 1, "Ez500")
    qtbot.mouseClick(table.add_button, QtCore.Qt.LeftButton)
    cell_typer(table.table, 1, 0, "shot")
    assert form.advanced.metadata_error.kind == "error"
    assert form.advanced.metadata_error.text() == \
        "metadata key 'shot' is given twice; only the last value is kept"
    table.table.selectRow(1)
    qtbot.mouseClick(table.remove_button, QtCore.Qt.LeftButton)
    assert not form.advanced.metadata_error.isVisible()
    form.advanced.upload_mode.daemon_radio.click()
    settings = form.settings()
    assert settings.metadata == {"shot": "Ez500"}
    assert settings.local_upload is False


def test_fields_no_widget_shows_pass_through(qtbot, form):
    original = JobSettings(
        frames="1-3",
        machine_flavor="highmem",
        cores=8,
        autoretry_policy={"failed": {"max_retries": 1}, "preempted": {"max_retries": 3}},
        tasks_data=[{"command": "echo 1", "frames": "1"}],
        environment={"A": "1"},
    )
    form.load(original)
    assert form.settings() == original


def test_every_settings_field_is_owned_or_passed_through(form):
    owned = set(form.owned_fields())
    passed_through = {"machine_flavor", "cores", "autoretry_policy", "tasks_data", "environment"}
    every = {f.name for f in dataclasses.fields(JobSettings)}
    assert owned | passed_through == every
    assert not owned & passed_through


# -- lossless round trip of anything the widgets can hold ------------------------------------
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=24
)
stripped = text.map(str.strip).filter(bool)
word = stripped.filter(lambda s: "," not in s)
counts = st.integers(0, 100000)

settings_strategy = st.builds(
    JobSettings,
    job_title=text,
    project=text,
    priority=counts,
    location=text,
    metadata=st.dictionaries(stripped, text, max_size=3),
    notify=st.lists(word, max_size=3),
    instance_type=text,
    preemptible=st.booleans(),
    retries=st.integers(0, 100),
    use_custom_frames=st.booleans(),
    frames=text,
    chunk_size=counts,
    chunk_strategy=st.sampled_from(CHUNK_STRATEGIES + ("unknown-strategy",)),
    best_chunk_size=st.booleans(),
    max_tasks=counts,
    use_scout_frames=st.booleans(),
    scout_frames=text,
    tiles=st.integers(0, 1024),
    # no NUL: no command line can carry one (validation refuses it) and Qt 5 drops it
    task_template=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Zl", "Zp"),
                               blacklist_characters="\x00\r\x0b\x0c\x1c\x1d\x1e\x85"),
        max_size=40,
    ),
    output_path=text,
    software_package_ids=st.lists(text, max_size=3),
    extra_environment=st.lists(
        st.builds(EnvEntry, text, text, st.sampled_from(MERGE_POLICIES + ("odd",))),
        max_size=3,
    ),
    upload_paths=st.lists(text, max_size=3),
    dependency_scan_policy=st.sampled_from(SCAN_POLICIES),
    missing_files=st.sampled_from(MISSING_FILE_LEVELS),
    local_upload=st.booleans(),
    force_upload=st.booleans(),
    upload_only=st.booleans(),
    log_level=st.sampled_from(LOG_LEVELS),
    show_tracebacks=st.booleans(),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=settings_strategy)
@example(original=JobSettings(task_template="a\xa0b\nc", job_title="\xa0"))
def test_settings_round_trip_through_the_widgets(form, original):
    form.load(original)
    assert form.settings() == original
    # and again from what the widgets show, as a save/reopen cycle does
    form.load(form.settings())
    assert form.settings() == original


def test_form_is_scrollable_in_a_small_window(qtbot):
    widget = JobForm()
    area = QtWidgets.QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    qtbot.addWidget(area)
    area.resize(500, 400)
    area.show()
    assert area.verticalScrollBar().maximum() > 0


def test_given_tasks_replace_the_frames_info(qtbot, form):
    tasks = [{"command": "echo {}".format(i), "frames": str(i)} for i in range(1, 100001)]
    form.load(JobSettings(frames="1-10", tasks_data=tasks))
    assert form.frames.info_label.text() == \
        "100,000 tasks given by tasks_data (the frame settings are not used)"
    started = time.perf_counter()
    for text in ("1-2", "1-20", "1-200"):
        form.frames.frames_edit.setText(text)
        form.update_frames_info()
    assert time.perf_counter() - started < 0.5  # no deep copy of the tasks per edit
    assert form.settings().tasks_data == tasks
    # what settings() hands out (to build, save, a host node) can be edited freely
    copied = form.settings()
    copied.tasks_data[0]["command"] = "echo changed"
    copied.tasks_data.append({"command": "extra"})
    copied.metadata["shot"] = "x"
    assert form.settings().tasks_data == tasks and form.settings().metadata == {}
