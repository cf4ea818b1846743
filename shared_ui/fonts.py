"""Fonts the views need whatever the platform plugin offers.

A fixed-pitch font for payloads, commands and logs: Qt's "system fixed font" is a
proportional face on some platforms (offscreen Qt 5 answers DejaVu Sans), which misaligns
JSON indentation, so ask fontconfig for a monospace family explicitly.
"""

from qtpy import QtGui


def monospace_font() -> QtGui.QFont:
    font = QtGui.QFont("monospace")
    font.setStyleHint(QtGui.QFont.TypeWriter)
    font.setFixedPitch(True)
    return font
