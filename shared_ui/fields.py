"""Accessors that tie one job-settings field to one widget.

A section lists its fields once (name, getter, setter, change signal); loading, storing and
change notification are then the same code for every section, so a field cannot be shown but
forgotten on the way back to the settings (which would lose the user's edit on save).
"""

from typing import Any, Callable, List, Optional, Sequence, Tuple

from qtpy import QtWidgets


class Field(object):
    """One settings field and the widget showing it."""

    __slots__ = ("name", "widget", "get", "put", "signal")

    def __init__(
        self,
        name: str,
        widget: Any,
        get: Callable[[], Any],
        put: Callable[[Any], None],
        signal: Any,
    ) -> None:
        self.name = name
        self.widget = widget
        self.get = get
        self.put = put
        self.signal = signal

    def load(self, value: Any) -> None:
        """Show ``value`` without announcing it as a user edit."""
        blocked = self.widget.blockSignals(True)
        try:
            self.put(value)
        finally:
            self.widget.blockSignals(blocked)


def line_edit(name: str, widget: QtWidgets.QLineEdit) -> Field:
    return Field(name, widget, widget.text, lambda value: widget.setText(str(value)),
                 widget.textChanged)


def split_list(text: str, separator: str = ",") -> List[str]:
    """``a@x, b@y`` -> ``["a@x", "b@y"]``; blanks dropped so a trailing comma loses nothing."""
    return [part.strip() for part in text.split(separator) if part.strip()]


def list_line_edit(name: str, widget: QtWidgets.QLineEdit, separator: str = ",") -> Field:
    """A list field typed as one comma-separated line (emails)."""
    return Field(
        name,
        widget,
        lambda: split_list(widget.text(), separator),
        lambda value: widget.setText((separator + " ").join(value)),
        widget.textChanged,
    )


def raw_plain_text(widget: QtWidgets.QPlainTextEdit) -> str:
    """The text exactly as typed: ``toPlainText`` turns no-break spaces into spaces."""
    return str(widget.document().toRawText()).replace("\u2029", "\n")


def plain_text(name: str, widget: QtWidgets.QPlainTextEdit) -> Field:
    return Field(
        name, widget, lambda: raw_plain_text(widget), widget.setPlainText, widget.textChanged
    )


def check_box(name: str, widget: QtWidgets.QAbstractButton) -> Field:
    return Field(name, widget, widget.isChecked, lambda value: widget.setChecked(bool(value)),
                 widget.toggled)


def spin_box(name: str, widget: QtWidgets.QSpinBox) -> Field:
    return Field(name, widget, widget.value, lambda value: widget.setValue(int(value)),
                 widget.valueChanged)


def combo_data(
    name: str,
    widget: QtWidgets.QComboBox,
    missing_label: Optional[Callable[[Any], str]] = None,
) -> Field:
    """A combo whose items carry the stored value as item data.

    A value the combo does not offer (a project the farm no longer lists, a job file written
    for another farm) is added as an extra item rather than replaced by the first choice, so
    loading and saving never changes a setting the user did not touch.
    """

    def get() -> Any:
        index = widget.currentIndex()
        return widget.itemData(index) if index >= 0 else ""

    def put(value: Any) -> None:
        index = widget.findData(value)
        if index < 0:
            widget.addItem(missing_label(value) if missing_label else str(value), value)
            index = widget.count() - 1
        widget.setCurrentIndex(index)

    return Field(name, widget, get, put, widget.currentIndexChanged)


def custom(name: str, widget: Any) -> Field:
    """A widget of our own exposing ``value()``, ``set_value()`` and a ``changed`` signal."""
    return Field(name, widget, widget.value, widget.set_value, widget.changed)


def not_offered(value: Any) -> str:
    return "{} (not offered by this farm)".format(value) if value != "" else "- not set -"


def fill_combo(
    widget: QtWidgets.QComboBox,
    items: Sequence[Tuple[str, Any]],
    missing_label: Callable[[Any], str] = not_offered,
) -> None:
    """Replace a combo's ``(label, data)`` items, keeping the current value selected.

    Used when the catalogue arrives: the project or instance type the settings name stays the
    current one (added as an extra item if the farm does not offer it) and no change signal
    fires, because nothing the user chose has changed.
    """
    index = widget.currentIndex()
    current = widget.itemData(index) if index >= 0 else None
    blocked = widget.blockSignals(True)
    try:
        widget.clear()
        for label, data in items:
            widget.addItem(label, data)
        if current is not None:
            index = widget.findData(current)
            if index < 0:
                widget.addItem(missing_label(current), current)
                index = widget.count() - 1
            widget.setCurrentIndex(index)
    finally:
        widget.blockSignals(blocked)
