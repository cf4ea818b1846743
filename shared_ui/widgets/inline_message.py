"""A one-line message under a field: an error in red, or a neutral note; hidden when empty.

Bad input is reported where it was typed (the frame spec, the emails) rather than in a
dialog, so the user sees the problem while fixing it.
"""

from typing import List, Optional

from qtpy import QtCore, QtWidgets

ERROR_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"
ERROR_STYLE = "color: {};".format(ERROR_COLOUR)
WARNING_STYLE = "color: {};".format(WARNING_COLOUR)
NOTE_STYLE = "color: palette(text);"


class InlineMessage(QtWidgets.QLabel):
    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(InlineMessage, self).__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.kind = ""
        self._companions: List[QtWidgets.QWidget] = []
        self.clear_message()

    def add_companion(self, widget: QtWidgets.QWidget) -> None:
        """Show and hide ``widget`` (the message's empty form label) with the message."""
        self._companions.append(widget)
        widget.setVisible(not self.isHidden())

    def setVisible(self, visible: bool) -> None:
        super(InlineMessage, self).setVisible(visible)
        for widget in self._companions:
            widget.setVisible(visible)

    def show_error(self, text: str) -> None:
        self._show(text, "error", ERROR_STYLE)

    def show_warning(self, text: str) -> None:
        self._show(text, "warning", WARNING_STYLE)

    def show_note(self, text: str) -> None:
        self._show(text, "note", NOTE_STYLE)

    def clear_message(self) -> None:
        self.kind = ""
        self.setText("")
        self.setVisible(False)

    def _show(self, text: str, kind: str, style: str) -> None:
        self.kind = kind
        self.setStyleSheet(style)
        self.setText(text)
        self.setVisible(bool(text))
