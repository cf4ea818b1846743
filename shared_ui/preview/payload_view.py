"""The payload tab: the exact JSON that will be sent, with find and copy.

What is shown is ``Submission.payload_json()`` itself (the bytes ``farmhand preview``
prints), never a re-serialisation, so what the user checks is what the farm receives.
"""

from typing import List, Optional

from qtpy import QtCore, QtGui, QtWidgets

from farmhand.shared_ui.fonts import monospace_font
from farmhand.shared_ui.preview.lines_model import LinesModel
from farmhand.shared_ui.tables import fixed_row_view


class PayloadView(QtWidgets.QWidget):
    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(PayloadView, self).__init__(parent)
        self.model = LinesModel("", self)
        # A one-column table with fixed row heights: Qt never visits rows it does not paint
        # (a QListView lays out every row, 0.6 s for 400,000 lines).
        self.view = fixed_row_view(
            self, "payload", self.model, padding=2, font=monospace_font(), stretch_last=False
        )
        self.view.setShowGrid(False)
        self.view.setTextElideMode(QtCore.Qt.ElideNone)
        self.view.horizontalHeader().setVisible(False)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.ExtendedSelection)
        self.view.setHorizontalScrollMode(QtWidgets.QAbstractItemView.ScrollPerPixel)
        self.find_edit = QtWidgets.QLineEdit(self)
        self.find_edit.setObjectName("find")
        self.find_edit.setPlaceholderText("Find in payload")
        self.find_edit.setToolTip("Type text and press Enter to go to the next line holding it.")
        self.find_edit.returnPressed.connect(self.find_next)
        self.copy_button = QtWidgets.QPushButton("Copy payload", self)
        self.copy_button.setObjectName("copy_payload")
        self.copy_button.setToolTip(
            "Copy the whole payload (selected lines copy with Ctrl+C)."
        )
        self.copy_button.clicked.connect(self.copy_all)
        self.size_label = QtWidgets.QLabel(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.find_edit, 1)
        top.addWidget(self.size_label)
        top.addWidget(self.copy_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        copy = QtWidgets.QShortcut(QtGui.QKeySequence.Copy, self.view)
        copy.activated.connect(self.copy_selection)

    def set_text(self, text: str) -> None:
        self.model.set_text(text)
        widest = self.model.longest_line()
        advance = QtGui.QFontMetrics(self.view.font()).averageCharWidth()
        self.view.setColumnWidth(0, max(200, (widest + 4) * advance))
        self.size_label.setText(
            "{:,} lines, {:,} bytes".format(self.model.rowCount(), len(text.encode("utf-8")))
        )

    def text(self) -> str:
        return self.model.text()

    def find_next(self) -> int:
        current = self.view.currentIndex()
        start = current.row() + 1 if current.isValid() else 0
        row = self.model.find(self.find_edit.text(), start)
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index, QtWidgets.QAbstractItemView.PositionAtCenter)
        return row

    def selected_text(self) -> str:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        lines: List[str] = [self.model.line(row) for row in rows]
        return "\n".join(lines)

    def copy_selection(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.selected_text())

    def copy_all(self) -> None:
        QtWidgets.QApplication.clipboard().setText(self.text())
