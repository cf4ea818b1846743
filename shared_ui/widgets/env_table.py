"""The extra-environment table: name, value, merge policy, and what the value expands to here.

Values may name local variables (``$HOME/tools``, ``${SHOW}``); the last column shows what they
expand to on this workstation, because that expanded text is what the job will carry; a
variable not set here is marked in that column (it would be passed on as written).
"""

from typing import Callable, List, Optional, Sequence

from qtpy import QtCore, QtGui, QtWidgets

from farmhand.core.job.settings import MERGE_POLICIES, EnvEntry
from farmhand.shared_ui.widgets.editable_table import EditableTable
from farmhand.shared_ui.widgets.inline_message import WARNING_COLOUR

NAME, VALUE, POLICY, EXPANDED = range(4)
HEADERS = ("Name", "Value", "Policy", "Expands to")
DEFAULT_POLICY = "exclusive"


class EnvTable(EditableTable):
    """``add_row(name, value, policy)``; ``value()`` is the ``extra_environment`` setting."""

    def __init__(
        self,
        expand: Callable[[str], str],
        parent: Optional[QtWidgets.QWidget] = None,
        warn: Optional[Callable[[str], List[str]]] = None,
    ) -> None:
        """``expand(value)`` is what a value becomes here; ``warn(value)`` the warnings about
        it (variables not set here), shown on its expanded cell."""
        super(EnvTable, self).__init__(HEADERS, text_columns=2, minimum_height=110, parent=parent)
        self._expand = expand
        self._warn = warn
        self._warning_brush = QtGui.QBrush(QtGui.QColor(WARNING_COLOUR))
        self.table.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.Interactive)

    def value(self) -> List[EnvEntry]:
        return [
            EnvEntry(name=name, value=value, merge_policy=self.policy_combo(row).currentText())
            for row, (name, value) in enumerate(self.rows())
        ]

    def set_value(self, entries: List[EnvEntry]) -> None:
        self.set_rows((entry.name, entry.value, entry.merge_policy) for entry in entries)

    def policy_combo(self, row: int) -> QtWidgets.QComboBox:
        widget = self.table.cellWidget(row, POLICY)
        assert isinstance(widget, QtWidgets.QComboBox)
        return widget

    def _append(self, values: Sequence[str]) -> int:
        row = super(EnvTable, self)._append(values)
        policy = values[POLICY] if len(values) > POLICY else DEFAULT_POLICY
        self._read_only_item(row, EXPANDED)
        combo = QtWidgets.QComboBox(self.table)
        combo.setObjectName("policy")
        for choice in MERGE_POLICIES:
            combo.addItem(choice)
        if combo.findText(policy) < 0:  # a job file's unknown policy stays visible (and invalid)
            combo.addItem(policy)
        combo.setCurrentIndex(combo.findText(policy))
        combo.currentIndexChanged.connect(self._emit_changed)
        self.table.setCellWidget(row, POLICY, combo)
        self._update_expanded(row)
        return row

    def _update_expanded(self, row: int) -> None:
        item = self.table.item(row, EXPANDED)
        if item is None:
            return
        raw = self.text(row, VALUE)
        blocked = self.table.blockSignals(True)
        try:
            expanded = self._expand(raw)
            warnings = self._warn(raw) if self._warn is not None else []
            item.setText(expanded if expanded != raw or warnings else "")
            item.setToolTip("\n".join(warnings))
            item.setData(QtCore.Qt.ForegroundRole, self._warning_brush if warnings else None)
        finally:
            self.table.blockSignals(blocked)

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        if item.column() == EXPANDED:
            return
        if item.column() == VALUE:
            self._update_expanded(item.row())
        self.changed.emit()
