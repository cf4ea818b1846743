"""Colours and words for job and task states, shared by the monitor's tables."""

from qtpy import QtGui

STATE_COLOURS = {
    "held": "#8a5a00",
    "holding": "#8a5a00",
    "sync_pending": "#5f6b7a",
    "sync_failed": "#b00020",
    "waiting": "#5f6b7a",
    "pending": "#5f6b7a",
    "running": "#1f5f99",
    "success": "#2e7d32",
    "failed": "#b00020",
    "killed": "#6d4c41",
}


def state_brush(state: str) -> QtGui.QBrush:
    return QtGui.QBrush(QtGui.QColor(STATE_COLOURS.get(state, "#000000")))
