"""The base of every submitter section: a titled form bound to some job-settings fields.

Sections never hold settings of their own: ``load`` shows a ``JobSettings`` and ``store``
writes only the fields the section owns back into one, so fields no widget shows (a job
file's ``tasks_data``, a host node's ``environment``) pass through untouched.
"""

from typing import Any, List, Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.fields import Field
from farmhand.shared_ui.widgets.inline_message import InlineMessage


class Section(QtWidgets.QGroupBox):
    """A group box of fields; ``changed`` fires on every user edit, never on ``load``."""

    changed = Signal()

    TITLE = ""

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(Section, self).__init__(self.TITLE, parent)
        self.setObjectName(type(self).__name__)
        self._fields: List[Field] = []
        self.form = QtWidgets.QFormLayout(self)
        self.form.setFieldGrowthPolicy(QtWidgets.QFormLayout.AllNonFixedFieldsGrow)

    # binding -------------------------------------------------------------------------------
    def bind(self, field: Field) -> Field:
        field.widget.setObjectName(field.name)
        field.signal.connect(self._on_edit)
        self._fields.append(field)
        return field

    def field_names(self) -> List[str]:
        return [field.name for field in self._fields]

    def field(self, name: str) -> Field:
        for field in self._fields:
            if field.name == name:
                return field
        raise KeyError(name)

    def load(self, settings: Any) -> None:
        for field in self._fields:
            field.load(getattr(settings, field.name))
        self.update_state()

    def store(self, settings: Any) -> None:
        for field in self._fields:
            setattr(settings, field.name, field.get())

    # layout --------------------------------------------------------------------------------
    def add_message_row(self, message: InlineMessage) -> None:
        """A message under the field above it, taking no room while it has nothing to say
        (a form row keeps its spacing unless its label is hidden too)."""
        label = QtWidgets.QLabel("", self)
        self.form.addRow(label, message)
        message.add_companion(label)

    def labels(self) -> List[QtWidgets.QWidget]:
        """The widgets of the form's label column (rows spanning both columns have none)."""
        found = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QtWidgets.QFormLayout.LabelRole)
            if item is not None and item.widget() is not None:
                found.append(item.widget())
        return found

    def label_width(self) -> int:
        return int(max([label.sizeHint().width() for label in self.labels()] or [0]))

    def set_label_width(self, width: int) -> None:
        """Give the label column this width, so fields line up with other sections'."""
        for label in self.labels():
            label.setMinimumWidth(width)

    # hooks ---------------------------------------------------------------------------------
    def set_catalogue(self, catalogue: Any) -> None:
        """Fill menus from a farm's catalogue (projects, instance types, packages)."""

    def update_state(self) -> None:
        """Enable or disable dependent widgets (e.g. the frame spec when custom frames is off)."""

    def _on_edit(self, *args: Any) -> None:
        self.update_state()
        self.changed.emit()
