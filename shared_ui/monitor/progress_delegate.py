"""Draws a job's progress cell as a progress bar in the platform's style."""

from typing import Any

from qtpy import QtWidgets

from farmhand.shared_ui.monitor.jobs_model import PROGRESS_ROLE


class ProgressDelegate(QtWidgets.QStyledItemDelegate):
    def paint(self, painter: Any, option: Any, index: Any) -> None:
        value = index.data(PROGRESS_ROLE)
        if not value:
            super(ProgressDelegate, self).paint(painter, option, index)
            return
        done, total = value
        bar = QtWidgets.QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum = 0
        bar.maximum = max(total, 1)
        bar.progress = min(done, bar.maximum)
        bar.text = index.data()
        bar.textVisible = True
        bar.state = option.state
        style = option.widget.style() if option.widget else QtWidgets.QApplication.style()
        style.drawControl(QtWidgets.QStyle.CE_ProgressBar, bar, painter)
