"""The small widgets the sections are built from, driven as a user would."""

import os

import pytest
from qtpy import QtCore, QtWidgets

from farmhand.core.job.settings import EnvEntry
from farmhand.shared_ui.field_checks import expand, undefined_warnings
from farmhand.shared_ui.package_chooser import PackageChooser
from farmhand.shared_ui.widgets.env_table import EXPANDED, NAME, VALUE, EnvTable
from farmhand.shared_ui.widgets.key_value_table import KeyValueTable
from farmhand.shared_ui.widgets.path_list import PathList

pytestmark = pytest.mark.ui


def test_env_table_add_row_type_and_choose_policy(qtbot, monkeypatch, cell_typer):
    monkeypatch.setenv("FH_TOOLS", "/studio/tools")
    table = EnvTable(os.path.expandvars)
    qtbot.addWidget(table)
    table.show()
    with qtbot.waitSignal(table.changed):
        qtbot.mouseClick(table.add_button, QtCore.Qt.LeftButton)
    cell_typer(table.table, 0, NAME, "PATH")
    cell_typer(table.table, 0, VALUE, "$FH_TOOLS/bin")
    combo = table.policy_combo(0)
    combo.setCurrentIndex(combo.findText("append"))
    assert table.value() == [EnvEntry("PATH", "$FH_TOOLS/bin", "append")]
    assert table.table.item(0, EXPANDED).text() == "/studio/tools/bin"


def test_env_table_marks_a_variable_not_set_here(qtbot, monkeypatch, cell_typer):
    monkeypatch.setenv("FH_TOOLS", "/studio/tools")
    monkeypatch.delenv("FH_SHOW", raising=False)
    table = EnvTable(expand, warn=undefined_warnings)
    qtbot.addWidget(table)
    table.show()
    table.add_row("PATH")
    cell_typer(table.table, 0, VALUE, "$FH_TOOLS/bin:${FH_SHOW}/bin")
    cell = table.table.item(0, EXPANDED)
    assert cell.text() == "/studio/tools/bin:${FH_SHOW}/bin"
    assert cell.toolTip() == "$FH_SHOW is not set on this machine, so it is passed on as written"
    assert cell.foreground().color().name() == "#8a5a00"
    cell_typer(table.table, 0, VALUE, "${FH_SHOW}")  # unchanged text, still worth showing
    assert cell.text() == "${FH_SHOW}"
    cell_typer(table.table, 0, VALUE, "$FH_TOOLS")
    assert cell.toolTip() == "" and cell.text() == "/studio/tools"


def test_env_table_round_trips_entries_and_keeps_unknown_policy(qtbot):
    table = EnvTable(lambda text: text)
    qtbot.addWidget(table)
    entries = [EnvEntry("A", "1"), EnvEntry("B", "x", "prepend"), EnvEntry("C", "", "sideways")]
    table.set_value(entries)
    assert table.value() == entries
    table.table.selectRow(1)
    with qtbot.waitSignal(table.changed):
        qtbot.mouseClick(table.remove_button, QtCore.Qt.LeftButton)
    assert [e.name for e in table.value()] == ["A", "C"]


def test_key_value_table_reports_duplicate_keys(qtbot):
    table = KeyValueTable()
    qtbot.addWidget(table)
    table.set_value({"shot": "Ez500", "asset": "apple"})
    assert table.value() == {"shot": "Ez500", "asset": "apple"}
    table.add_row("shot", "Ez600")
    assert table.duplicate_keys() == ["shot"]


def test_path_list_add_files_and_folder_through_the_file_dialog(qtbot, tmp_path):
    scene = tmp_path / "scene.blend"
    scene.write_bytes(b"x")
    textures = tmp_path / "textures"
    textures.mkdir()
    paths = PathList()
    qtbot.addWidget(paths)
    paths.start_dir = str(tmp_path)
    paths.show()
    qtbot.mouseClick(paths.add_files_button, QtCore.Qt.LeftButton)
    picker = paths.picker
    assert isinstance(picker, QtWidgets.QFileDialog) and picker.isVisible()
    picker.selectFile(str(scene))
    with qtbot.waitSignal(paths.changed):
        picker.accept()
    qtbot.mouseClick(paths.add_folder_button, QtCore.Qt.LeftButton)
    paths.picker.selectFile(str(textures))
    with qtbot.waitSignal(paths.changed):
        paths.picker.accept()
    assert paths.value() == [str(scene), str(textures)]
    paths.list.setCurrentRow(0)
    qtbot.mouseClick(paths.remove_button, QtCore.Qt.LeftButton)
    assert paths.value() == [str(textures)]


def test_package_chooser_nests_plugins_under_their_host_version(qtbot, catalogue):
    chooser = PackageChooser(catalogue, ["b341", "gone-from-farm"])
    qtbot.addWidget(chooser)
    blender = chooser.tree.topLevelItem(0)
    assert blender.text(0) == "blender"
    versions = [blender.child(i).text(0) for i in range(blender.childCount())]
    assert versions == ["3.4.1", "4.0.2"]
    plugin = blender.child(1).child(0)
    assert plugin.text(2) == "cyc4"
    chooser.set_checked("b402")
    chooser.set_checked("cyc4")
    chooser.set_checked("b341", False)
    # an id this farm does not list survives, so opening and accepting loses nothing
    assert chooser.selected_ids() == ["gone-from-farm", "b402", "cyc4"]
    chooser.filter_edit.setText("cycles")
    assert chooser.item_for("b341").isHidden()
    assert not chooser.item_for("cyc4").isHidden()
    # the plug-in's host version stays shown, or the plug-in would be hidden with it
    chooser.show()
    qtbot.waitExposed(chooser)
    assert not chooser.item_for("b402").isHidden()
    assert chooser.tree.visualItemRect(chooser.item_for("cyc4")).height() > 0


def test_package_chooser_from_the_keyboard(qtbot, catalogue):
    chooser = PackageChooser(catalogue, [])
    qtbot.addWidget(chooser)
    chooser.show()
    qtbot.waitExposed(chooser)
    qtbot.keyClicks(chooser.filter_edit, "blender 3")
    qtbot.keyClick(chooser.filter_edit, QtCore.Qt.Key_Return)  # to the first match
    assert chooser.isVisible() and chooser.tree.currentItem() is chooser.item_for("b341")
    qtbot.keyClick(chooser.tree, QtCore.Qt.Key_Space)
    assert chooser.selected_ids() == ["b341"]
