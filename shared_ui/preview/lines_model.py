"""A read-only text as a one-column table of lines, so a 12 MB payload opens at once.

``QPlainTextEdit.setPlainText`` lays out the whole document up front (2.4 s for the JSON of
100,000 tasks); a table view with fixed row heights asks only for the rows it paints. The text
is kept as given: ``text()`` is the exact string, byte for byte, that was shown.
"""

from typing import Any, List, Optional

from qtpy import QtCore

from farmhand.shared_ui.tables import TableModel


class LinesModel(TableModel):
    def __init__(self, text: str = "", parent: Optional[QtCore.QObject] = None) -> None:
        super(LinesModel, self).__init__(("Line",), parent)
        self._text = ""
        self._lines: List[str] = []
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.beginResetModel()
        self._text = text
        # a trailing newline ends the last line rather than starting an empty one
        self._lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        if text == "":
            self._lines = []
        self.endResetModel()

    def text(self) -> str:
        return self._text

    def line(self, row: int) -> str:
        return self._lines[row]

    def longest_line(self) -> int:
        """Length of the longest line (for the view's column width)."""
        return max(map(len, self._lines)) if self._lines else 0

    def find(self, needle: str, start: int = 0) -> int:
        """The first row at or after ``start`` containing ``needle`` (wrapping), else -1."""
        if not needle or not self._lines:
            return -1
        count = len(self._lines)
        for offset in range(count):
            row = (start + offset) % count
            if needle in self._lines[row]:
                return row
        return -1

    def row_count(self) -> int:
        return len(self._lines)

    def data(self, index: QtCore.QModelIndex, role: int = QtCore.Qt.DisplayRole) -> Any:
        if role == QtCore.Qt.DisplayRole and index.isValid():
            return self._lines[index.row()]
        return None
