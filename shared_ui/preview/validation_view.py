"""The validation tab: errors, then warnings, then information, each marked by level.

Errors block Submit, warnings make Submit ask first, information only informs; the levels
come from the job model's validation so the CLI and the preview never disagree.
"""

from typing import Any, Optional, Sequence

from qtpy import QtCore, QtGui, QtWidgets

from farmhand.shared_ui.preview.content import ERROR, INFO, LEVELS, WARNING, Message

COLOURS = {ERROR: "#b00020", WARNING: "#8a5a00", INFO: "#1f5f99"}
LABELS = {ERROR: "Error", WARNING: "Warning", INFO: "Info"}


MESSAGE_COLUMN = 1
PADDING = 6


class WrappingDelegate(QtWidgets.QStyledItemDelegate):
    """Rows as tall as their message wrapped to the column's width.

    A tree view sizes rows without the column's width, so a long message (an unknown token
    lists every valid one) was cut off at the right edge instead of wrapping.
    """

    def sizeHint(self, option: Any, index: Any) -> QtCore.QSize:
        hint = super(WrappingDelegate, self).sizeHint(option, index)
        view = self.parent()
        if index.column() != MESSAGE_COLUMN or view is None:
            return hint
        width = max(50, view.columnWidth(MESSAGE_COLUMN) - PADDING)
        text = str(index.data() or "")
        bounds = option.fontMetrics.boundingRect(
            QtCore.QRect(0, 0, width, 100000), int(QtCore.Qt.TextWordWrap), text
        )
        return QtCore.QSize(hint.width(), max(hint.height(), bounds.height() + PADDING))


class ValidationView(QtWidgets.QTreeWidget):
    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(ValidationView, self).__init__(parent)
        self.setObjectName("validation")
        self.setHeaderLabels(["Level", "Message"])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(QtCore.Qt.ElideNone)
        self.setItemDelegate(WrappingDelegate(self))
        self.header().sectionResized.connect(self._relayout)

    def _relayout(self, *args: Any) -> None:
        self.doItemsLayout()

    def set_messages(self, messages: Sequence[Message]) -> None:
        self.clear()
        order = {level: rank for rank, level in enumerate(LEVELS)}
        for message in sorted(messages, key=lambda m: order.get(m.level, len(LEVELS))):
            item = QtWidgets.QTreeWidgetItem(self, [LABELS.get(message.level, message.level),
                                                    message.text])
            brush = QtGui.QBrush(QtGui.QColor(COLOURS.get(message.level, "#000000")))
            item.setForeground(0, brush)
            item.setTextAlignment(0, QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)
            item.setToolTip(1, message.text)
            item.setData(0, QtCore.Qt.UserRole, message.level)
        self.resizeColumnToContents(0)

    def messages(self) -> Sequence[Message]:
        result = []
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            result.append(Message(item.data(0, QtCore.Qt.UserRole), item.text(1)))
        return result
