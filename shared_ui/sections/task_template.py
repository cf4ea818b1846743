"""Task template: the command each task runs, with a reference of the tokens it may use.

Tokens are checked as you type against the core's table (task scope and wider; tile tokens
too when the job has tiles), so an unknown ``<token>`` is reported here, not on the farm.
Double-click a row of the reference to insert that token at the cursor.
"""

from typing import List, Optional

from qtpy import QtCore, QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.fonts import monospace_font
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.token_reference import template_error, token_rows
from farmhand.shared_ui.widgets.inline_message import InlineMessage
from farmhand.shared_ui.widgets.token_button import TokenButton, insert_text

SCOPE = "tile"
FIELD = "task_template"


class TokenReference(QtWidgets.QTreeWidget):
    """Name, scope, example and description of every token; double-click inserts it."""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(TokenReference, self).__init__(parent)
        self.setObjectName("token_reference")
        self.setToolTip("Double-click a token to insert it at the cursor.")
        self.setHeaderLabels(["Token", "Scope", "Example", "Description"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        for info in token_rows():
            item = QtWidgets.QTreeWidgetItem(
                self, ["<{}>".format(info.name), info.scope, info.example, info.description]
            )
            item.setData(0, QtCore.Qt.UserRole, info.name)
        for column in range(3):
            self.resizeColumnToContents(column)
        self.setMinimumHeight(160)

    def names(self) -> List[str]:
        return [
            str(self.topLevelItem(row).data(0, QtCore.Qt.UserRole))
            for row in range(self.topLevelItemCount())
        ]


class TaskTemplateSection(Section):
    TITLE = "Task template"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(TaskTemplateSection, self).__init__(parent)
        self.template_edit = QtWidgets.QPlainTextEdit(self)
        self.template_edit.setFont(monospace_font())
        self.template_edit.setPlaceholderText(
            "blender -b <pdir>/scene.blend -s <chunkstart> -e <chunkend> -a"
        )
        self.template_edit.setToolTip(
            "The command each task runs. <tokens> are replaced per job, task and tile; "
            "shell text such as 2>&1 or < in.txt is left as typed."
        )
        self.template_edit.setMaximumHeight(90)
        # Tab moves to the next field as everywhere else in the form (a command has no use
        # for a tab character, and a trapped Tab key strands keyboard users here)
        self.template_edit.setTabChangesFocus(True)
        self.tokens_button = TokenButton(SCOPE, self.template_edit, self)
        self.reference_button = QtWidgets.QPushButton("Token reference", self)
        self.reference_button.setObjectName("token_reference_button")
        self.reference_button.setCheckable(True)
        self.reference_button.setToolTip(
            "Show every token with its scope and an example; double-click one to insert it."
        )
        self.reference = TokenReference(self)
        self.reference.setVisible(False)
        self.template_error = InlineMessage(self)
        self.template_error.setObjectName("template_error")
        buttons = QtWidgets.QVBoxLayout()
        buttons.addWidget(self.tokens_button)
        buttons.addStretch(1)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.template_edit, 1)
        row.addLayout(buttons)
        self.form.addRow(row)
        self.form.addRow(self.template_error)
        self.form.addRow(self.reference_button)
        self.form.addRow(self.reference)
        self.bind(fields.plain_text(FIELD, self.template_edit))
        self.reference_button.toggled.connect(self.reference.setVisible)
        self.reference.itemDoubleClicked.connect(self._insert_from_reference)

    def update_state(self) -> None:
        error = template_error(fields.raw_plain_text(self.template_edit), SCOPE, FIELD)
        if error:
            self.template_error.show_error(error)
        else:
            self.template_error.clear_message()

    def _insert_from_reference(self, item: QtWidgets.QTreeWidgetItem, column: int) -> None:
        insert_text(self.template_edit, "<{}>".format(item.data(0, QtCore.Qt.UserRole)))
