"""A small ``<>`` button whose menu inserts a ``<token>`` at the cursor of a text field.

Typing token names from memory is where templates go wrong; the menu lists only the tokens
valid in the field's scope (the title sees job tokens, the task template task and tile
tokens), taken from the core's token table so it can never offer one the core rejects.
"""

from typing import Any, Optional

from qtpy import QtWidgets

from farmhand.shared_ui.token_reference import token_rows


def insert_text(target: Any, text: str) -> None:
    """Insert at the cursor of a QLineEdit or a QPlainTextEdit, as typing would."""
    if isinstance(target, QtWidgets.QLineEdit):
        target.insert(text)
    else:
        target.insertPlainText(text)
    target.setFocus()


class TokenButton(QtWidgets.QToolButton):
    def __init__(
        self, scope: str, target: Any, parent: Optional[QtWidgets.QWidget] = None
    ) -> None:
        super(TokenButton, self).__init__(parent)
        self.setObjectName("tokens")
        self.setText("<>")
        self.setToolTip("Insert a token valid in the {} scope".format(scope))
        self.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        self.target = target
        menu = QtWidgets.QMenu(self)
        for row in token_rows(scope):
            action = menu.addAction("<{}>    {}".format(row.name, row.example))
            action.setToolTip(row.description)
            action.setData(row.name)
            action.triggered.connect(self._inserter(row.name))
        self.setMenu(menu)

    def _inserter(self, name: str) -> Any:
        return lambda *args: insert_text(self.target, "<{}>".format(name))
