"""The validation tab: errors, then warnings, then information, each marked by level.

Errors block Submit, warnings make Submit ask first, information only informs; the levels
come from the job model's validation so the CLI and the preview never disagree.
"""

from typing import Optional, Sequence

from qtpy import QtCore, QtGui, QtWidgets

from farmhand.shared_ui.preview.content import ERROR, INFO, LEVELS, WARNING, Message

COLOURS = {ERROR: "#b00020", WARNING: "#8a5a00", INFO: "#1f5f99"}
LABELS = {ERROR: "Error", WARNING: "Warning", INFO: "Info"}


class ValidationView(QtWidgets.QTreeWidget):
    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(ValidationView, self).__init__(parent)
        self.setObjectName("validation")
        self.setHeaderLabels(["Level", "Message"])
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)

    def set_messages(self, messages: Sequence[Message]) -> None:
        self.clear()
        order = {level: rank for rank, level in enumerate(LEVELS)}
        for message in sorted(messages, key=lambda m: order.get(m.level, len(LEVELS))):
            item = QtWidgets.QTreeWidgetItem(self, [LABELS.get(message.level, message.level),
                                                    message.text])
            brush = QtGui.QBrush(QtGui.QColor(COLOURS.get(message.level, "#000000")))
            item.setForeground(0, brush)
            item.setToolTip(1, message.text)
            item.setData(0, QtCore.Qt.UserRole, message.level)
        self.resizeColumnToContents(0)

    def messages(self) -> Sequence[Message]:
        result = []
        for row in range(self.topLevelItemCount()):
            item = self.topLevelItem(row)
            result.append(Message(item.data(0, QtCore.Qt.UserRole), item.text(1)))
        return result
