"""Open a window at its designed size, or smaller on a screen that cannot hold it.

The submitter is designed 980 pixels tall; on a laptop's 768- or 900-pixel screen that put
its Preview and Submit buttons below the bottom edge. Each window asks for its size here
and gets at most the free area of the screen it opens on (its parent's, in a host).
"""

from typing import Any

from qtpy import QtGui

# the window frame and title bar, which a screen's available area does not leave room for
FRAME_MARGIN = 60


def screen_of(widget: Any) -> Any:
    parent = widget.parentWidget()
    window = parent.window() if parent is not None else widget
    screen = getattr(window, "screen", None)  # QWidget.screen(): Qt 5.14 and later
    found = screen() if screen is not None else None
    return found or QtGui.QGuiApplication.primaryScreen()


def resize_to_fit(widget: Any, width: int, height: int) -> None:
    screen = screen_of(widget)
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - FRAME_MARGIN)
        height = min(height, area.height() - FRAME_MARGIN)
    widget.resize(width, height)
