"""Delete (or Backspace) on a list or a table removes its selected rows, as in a file manager.

Installed on the view itself, so a key typed into a cell being edited still edits the cell.
"""

from typing import Any, Callable

from qtpy import QtCore


class RemoveOnDelete(QtCore.QObject):
    def __init__(self, view: Any, remove: Callable[[], None]) -> None:
        super(RemoveOnDelete, self).__init__(view)
        self._remove = remove
        view.installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QtCore.QEvent.KeyPress and event.key() in (
            QtCore.Qt.Key_Delete,
            QtCore.Qt.Key_Backspace,
        ):
            self._remove()
            return True
        return False
