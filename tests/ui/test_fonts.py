"""Text renders offscreen on this binding: the fonts bootstrap installs are found."""

import pytest
from qtpy import QtGui, QtWidgets

pytestmark = pytest.mark.ui


def font_families():
    try:
        return list(QtGui.QFontDatabase.families())  # Qt 6: static
    except TypeError:
        return list(QtGui.QFontDatabase().families())  # Qt 5: needs an instance


def test_dejavu_is_found_offscreen(qapp):
    families = font_families()
    assert any(name.startswith("DejaVu Sans") for name in families), families


def test_a_label_draws_glyphs(qtbot, text_check):
    label = QtWidgets.QLabel("10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks")
    qtbot.addWidget(label)
    label.show()
    text_check(label)
