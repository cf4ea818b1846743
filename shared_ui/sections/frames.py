"""Frames: custom frames and their spec, chunking, tiles, Best chunk size and the info line.

The info line (frames, tasks, scout frames, scout tasks, resolved chunk size) is computed by
the form from the whole settings, because scout frames live in their own section; this
section only shows it, and shows a bad frame spec's error under the field that holds it.
"""

from typing import Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.job.settings import CHUNK_STRATEGIES
from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.inline_message import InlineMessage

MAX_INT = 2147483647
FRAMES_EXAMPLE = "e.g. 1001-1200 or 1,7,10-20,30-60x3"

STRATEGY_LABELS = {
    "linear": "Linear (consecutive frames)",
    "progressions": "Progressions (each task one start-end-step)",
    "cycle": "Cycle (round robin)",
}


class FramesSection(Section):
    TITLE = "Frames"

    best_chunk_size_requested = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(FramesSection, self).__init__(parent)
        self.host_frames = ""
        self.custom_check = QtWidgets.QCheckBox("Use custom frames", self)
        self.custom_check.setToolTip(
            "On: render the frames typed below. Off: render the frame range the scene sets."
        )
        self.frames_edit = QtWidgets.QLineEdit(self)
        self.frames_edit.setPlaceholderText(FRAMES_EXAMPLE)
        self.frames_edit.setToolTip(
            "Comma-separated ranges: 1001-1200, or 1,7,10-20,30-60x3. Negative frames are "
            "allowed (-10--2)."
        )
        self.frames_error = InlineMessage(self)
        self.frames_error.setObjectName("frames_error")
        self.chunk_spin = QtWidgets.QSpinBox(self)
        self.chunk_spin.setRange(0, MAX_INT)
        self.chunk_spin.setToolTip("How many frames one task renders.")
        self.best_button = QtWidgets.QPushButton("Best chunk size", self)
        self.best_button.setObjectName("best_chunk_size_button")
        self.best_button.setToolTip(
            "Even out the chunks while keeping their number (100 frames at 33 makes 4 chunks "
            "of 33, 33, 33, 1; Best makes them 25 each)."
        )
        self.auto_best_check = QtWidgets.QCheckBox("Always even out chunks", self)
        self.auto_best_check.setToolTip(
            "Apply Best chunk size whenever the job is built, so the chunks stay even when "
            "the frames change."
        )
        self.strategy_combo = QtWidgets.QComboBox(self)
        for name in CHUNK_STRATEGIES:
            self.strategy_combo.addItem(STRATEGY_LABELS.get(name, name), name)
        self.strategy_combo.setToolTip(
            "How frames are dealt into tasks: consecutive runs (linear), one start-end-step "
            "progression per task, or round robin so every task gets frames from the whole "
            "range (cycle: a first look at the whole shot comes back early)."
        )
        self.max_tasks_spin = QtWidgets.QSpinBox(self)
        self.max_tasks_spin.setRange(0, MAX_INT)
        self.max_tasks_spin.setToolTip(
            "The most tasks a job may have; the chunk size is raised to stay under it."
        )
        self.tiles_spin = QtWidgets.QSpinBox(self)
        self.tiles_spin.setRange(0, 1024)
        self.tiles_spin.setToolTip("Split each frame into this many tile tasks.")
        self.info_label = QtWidgets.QLabel(self)
        self.info_label.setObjectName("frames_info")
        self.info_label.setWordWrap(True)

        chunk_row = QtWidgets.QHBoxLayout()
        chunk_row.addWidget(self.chunk_spin, 1)
        chunk_row.addWidget(self.best_button)
        chunk_row.addWidget(self.auto_best_check)
        self.form.addRow(self.custom_check)
        self.form.addRow("Frames", self.frames_edit)
        self.add_message_row(self.frames_error)
        self.form.addRow("Chunk size", chunk_row)
        self.form.addRow("Chunk strategy", self.strategy_combo)
        self.form.addRow("Max tasks", self.max_tasks_spin)
        self.form.addRow("Tiles", self.tiles_spin)
        self.form.addRow("Frames info", self.info_label)

        self.bind(fields.check_box("use_custom_frames", self.custom_check))
        self.bind(fields.line_edit("frames", self.frames_edit))
        self.bind(fields.spin_box("chunk_size", self.chunk_spin))
        self.bind(fields.check_box("best_chunk_size", self.auto_best_check))
        self.bind(fields.combo_data("chunk_strategy", self.strategy_combo))
        self.bind(fields.spin_box("max_tasks", self.max_tasks_spin))
        self.bind(fields.spin_box("tiles", self.tiles_spin))
        self.best_button.clicked.connect(self.best_chunk_size_requested)

    def set_host_frames(self, spec: str) -> None:
        """The scene's own frame range, shown (and used) when custom frames is off."""
        self.host_frames = spec
        self.frames_edit.setPlaceholderText(
            "from the scene: {}".format(spec) if spec else FRAMES_EXAMPLE
        )
        self.update_state()

    def apply_chunk_size(self, size: int) -> None:
        """Set the chunk size as if typed (the Best chunk size button's result)."""
        self.chunk_spin.setValue(size)

    def show_info(self, text: str) -> None:
        self.info_label.setText(text)

    def show_error(self, text: str) -> None:
        if text:
            self.frames_error.show_error(text)
        else:
            self.frames_error.clear_message()

    def update_state(self) -> None:
        self.frames_edit.setEnabled(self.custom_check.isChecked())

