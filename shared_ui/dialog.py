"""The submitter as a dialog a host opens from its menu or shelf.

Non-modal, so the artist keeps working in the scene while it is open; the host keeps no
reference of its own (``show_submitter`` holds one until the dialog closes, or Qt would
delete it with the last Python reference in some hosts).
"""

from typing import Any, Optional, Set

from qtpy import QtCore, QtWidgets

from farmhand.core.job.settings import JobSettings
from farmhand.shared_ui.hooks import SubmitterHooks
from farmhand.shared_ui.screen_fit import resize_to_fit
from farmhand.shared_ui.submitter import SubmitterWidget
from farmhand.shared_ui.targets import FarmTarget

_OPEN: Set["SubmitterDialog"] = set()


class SubmitterDialog(QtWidgets.QDialog):
    def __init__(
        self,
        settings: JobSettings,
        hooks: SubmitterHooks,
        target: Optional[FarmTarget] = None,
        parent: Optional[QtWidgets.QWidget] = None,
        title: str = "Farmhand submitter",
    ) -> None:
        super(SubmitterDialog, self).__init__(parent)
        self.setObjectName("SubmitterDialog")
        self.setWindowTitle(title)
        self.setModal(False)
        self.submitter = SubmitterWidget(settings, hooks, target, self)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.submitter)
        resize_to_fit(self, 760, 980)


def show_submitter(
    settings: JobSettings,
    hooks: SubmitterHooks,
    parent: Optional[QtWidgets.QWidget] = None,
    target: Optional[FarmTarget] = None,
    title: str = "Farmhand submitter",
) -> SubmitterDialog:
    """Open (and return) a non-modal submitter dialog parented to the host's main window."""
    dialog = SubmitterDialog(settings, hooks, target, parent, title)
    _OPEN.add(dialog)

    def forget(*args: Any) -> None:
        _OPEN.discard(dialog)

    dialog.finished.connect(forget)
    dialog.setAttribute(QtCore.Qt.WA_DeleteOnClose, True)
    dialog.show()
    dialog.raise_()
    return dialog
