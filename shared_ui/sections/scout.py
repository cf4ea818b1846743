"""Scout frames: tasks holding one of these frames run first, the rest wait to be released.

Besides an explicit spec the field takes ``auto:N`` (N frames spread over the range, first
and last included) and ``fml`` (first, middle, last); the presets menu types them for you.
"""

from typing import Callable, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.inline_message import InlineMessage

PRESETS = (
    ("fml", "First, middle and last frame"),
    ("auto:3", "3 frames spread over the range"),
    ("auto:5", "5 frames spread over the range"),
    ("auto:10", "10 frames spread over the range"),
)


class ScoutSection(Section):
    TITLE = "Scout frames"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(ScoutSection, self).__init__(parent)
        self.scout_check = QtWidgets.QCheckBox("Use scout frames", self)
        self.scout_check.setToolTip(
            "Render these frames first and hold the other tasks until you release them."
        )
        self.scout_edit = QtWidgets.QLineEdit(self)
        self.scout_edit.setToolTip(
            "A frame spec (3,8 or 1-100x10), auto:N for N frames spread over the range, or "
            "fml for first, middle and last. With chunks above 1, every frame of a task "
            "holding a scout frame renders."
        )
        self.presets_button = QtWidgets.QToolButton(self)
        self.presets_button.setObjectName("scout_presets")
        self.presets_button.setText("Presets")
        self.presets_button.setToolTip("Type a common choice: first, middle and last, or N "
                                       "frames spread over the range.")
        self.presets_button.setPopupMode(QtWidgets.QToolButton.InstantPopup)
        menu = QtWidgets.QMenu(self.presets_button)
        for text, tip in PRESETS:
            action = menu.addAction("{}    {}".format(text, tip))
            action.setData(text)
            action.triggered.connect(self._preset(text))
        self.presets_button.setMenu(menu)
        self.scout_error = InlineMessage(self)
        self.scout_error.setObjectName("scout_error")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.scout_edit, 1)
        row.addWidget(self.presets_button)
        self.form.addRow(self.scout_check)
        self.form.addRow("Scout frames", row)
        self.add_message_row(self.scout_error)
        self.bind(fields.check_box("use_scout_frames", self.scout_check))
        self.bind(fields.line_edit("scout_frames", self.scout_edit))

    def show_error(self, text: str) -> None:
        if text:
            self.scout_error.show_error(text)
        else:
            self.scout_error.clear_message()

    def show_warning(self, text: str) -> None:
        if text:
            self.scout_error.show_warning(text)
        else:
            self.scout_error.clear_message()

    def update_state(self) -> None:
        enabled = self.scout_check.isChecked()
        self.scout_edit.setEnabled(enabled)
        self.presets_button.setEnabled(enabled)

    def _preset(self, text: str) -> Callable[..., None]:
        def apply(*args: object) -> None:
            self.scout_check.setChecked(True)
            self.scout_edit.setText(text)

        return apply
