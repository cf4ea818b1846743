"""The run uses the binding it asked for, and only that one."""

import sys

import pytest
import qtpy

pytestmark = pytest.mark.ui

MODULES = {"pyside6": "PySide6", "pyside2": "PySide2", "pyqt5": "PyQt5", "pyqt6": "PyQt6"}


def test_the_requested_binding_is_loaded(qapp, requested_api):
    wanted = requested_api
    if wanted is None:
        pytest.skip("QT_API is not set (make test-main / test-qt5 set it)")
    assert qtpy.API_NAME.lower() == wanted
    assert MODULES[wanted] in sys.modules
    others = [name for key, name in MODULES.items() if key != wanted and name in sys.modules]
    assert others == [], "a second binding was imported: {}".format(others)


def test_shared_ui_widgets_are_built_on_that_binding(qtbot):
    from farmhand.shared_ui.widgets.inline_message import InlineMessage

    widget = InlineMessage()
    qtbot.addWidget(widget)
    binding = type(widget).__mro__[1].__module__.split(".")[0]
    assert binding == MODULES[qtpy.API_NAME.lower()]


def test_slot_calls_keep_reference_counts(qapp):
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None per slot call (the process
    aborted after ~7,000 timer ticks); requirements/main.txt keeps such a binding out."""
    from qtpy import QtCore

    calls = []
    timer = QtCore.QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: calls.append(1))
    before = sys.getrefcount(None)
    timer.start()
    while len(calls) < 2000:
        qapp.processEvents()
    timer.stop()
    assert abs(sys.getrefcount(None) - before) < 200
