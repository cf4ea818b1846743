"""Delete (or Backspace) on a list or a table removes its selected rows, as in a file manager.

Installed on the view itself, so a key typed into a cell being edited still edits the cell.
The filter only signals; it holds no reference to whoever removes the rows (a child object
holding its owner makes a reference cycle through the binding, which PySide2 has crashed
collecting).
"""

from typing import Any

from qtpy import QtCore
from qtpy.QtCore import Signal


class RemoveOnDelete(QtCore.QObject):
    pressed = Signal()

    def __init__(self, view: Any) -> None:
        super(RemoveOnDelete, self).__init__(view)
        view.installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QtCore.QEvent.KeyPress and event.key() in (
            QtCore.Qt.Key_Delete,
            QtCore.Qt.Key_Backspace,
        ):
            self.pressed.emit()
            return True
        return False
