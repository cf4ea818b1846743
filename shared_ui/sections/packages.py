"""Packages: the software the farm machines load, with the host's own version detected.

The host adapter detects which catalogue package matches the running host (Blender 4.0.2,
Maya 2024...); when the job names no package yet, that one is filled in as soon as the
catalogue arrives. Choose packages opens the chooser for anything else (other versions,
plug-ins).
"""

from typing import Any, Callable, List, Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui import fields
from farmhand.shared_ui.error_text import error_text
from farmhand.shared_ui.package_chooser import PackageChooser
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.empty_hint import EmptyHint
from farmhand.shared_ui.widgets.inline_message import InlineMessage

NOT_CONNECTED_TIP = "Connect to the farm (Farm section) to choose from its packages."
EMPTY_NOT_CONNECTED = "No packages yet: Connect to the farm, then Choose packages."
EMPTY_CONNECTED = "No packages: the farm machines load no host software. Choose packages."
CHOOSE_TIP = (
    "Choose from the farm's versions of each host, with the plug-ins built for each version."
)


class PackageList(QtWidgets.QListWidget):
    """The chosen package ids, shown by label when the catalogue knows them."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(PackageList, self).__init__(parent)
        self._ids: List[str] = []
        self.catalogue: Any = None
        self.setMaximumHeight(90)
        self.setToolTip(
            "The software the farm machines load for this job (the host's version and any "
            "plug-ins); their environments are merged into the job's."
        )

    def value(self) -> List[str]:
        return list(self._ids)

    def set_value(self, ids: List[str]) -> None:
        self._ids = list(ids)
        self._show()

    def set_catalogue(self, catalogue: Any) -> None:
        self.catalogue = catalogue
        self._show()

    def choose(self, ids: List[str]) -> None:
        if ids != self._ids:
            self.set_value(ids)
            self.changed.emit()

    def _show(self) -> None:
        self.clear()
        for package_id in self._ids:
            self.addItem(self.label(package_id))

    def label(self, package_id: str) -> str:
        if self.catalogue is None:
            return package_id
        for package in self.catalogue.packages:
            if package.package_id == package_id:
                return str(package.label)
        return "{} (not offered by this farm)".format(package_id)


class PackagesSection(Section):
    TITLE = "Packages"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(PackagesSection, self).__init__(parent)
        self.catalogue: Any = None
        self.detect: Optional[Callable[[Any], List[str]]] = None
        self.package_list = PackageList(self)
        self.empty_hint = EmptyHint(self.package_list, EMPTY_NOT_CONNECTED)
        self.choose_button = QtWidgets.QPushButton("Choose packages...", self)
        self.choose_button.setObjectName("choose_packages")
        self.choose_button.setEnabled(False)
        self.choose_button.setToolTip(NOT_CONNECTED_TIP)
        self.detected_label = InlineMessage(self)
        self.detected_label.setObjectName("detected")
        self.chooser: Optional[PackageChooser] = None
        self.form.addRow("Packages", self.package_list)
        self.form.addRow("", self.choose_button)
        self.add_message_row(self.detected_label)
        self.bind(fields.custom("software_package_ids", self.package_list))
        self.choose_button.clicked.connect(self.open_chooser)

    def set_detector(self, detect: Optional[Callable[[Any], List[str]]]) -> None:
        """The host adapter's ``catalogue -> [package ids]`` for the running host."""
        self.detect = detect

    def set_catalogue(self, catalogue: Any) -> None:
        self.catalogue = catalogue
        self.package_list.set_catalogue(catalogue)
        self.choose_button.setEnabled(True)
        self.choose_button.setToolTip(CHOOSE_TIP)
        self.empty_hint.set_text(EMPTY_CONNECTED)
        try:
            detected = list(self.detect(catalogue)) if self.detect is not None else []
        except Exception as error:  # the host adapter's callback: shown, never raised
            self.detected_label.show_error(
                "Could not detect this host's version: {}".format(error_text(error))
            )
            return
        labels = [self.package_list.label(package_id) for package_id in detected]
        if detected:
            self.detected_label.show_note("Detected: {}".format(", ".join(labels)))
        elif self.detect is not None:
            self.detected_label.show_warning(
                "This host's version was not found in the farm's packages; choose one."
            )
        if detected and not self.package_list.value():
            self.package_list.choose(detected)

    def open_chooser(self) -> PackageChooser:
        chooser = PackageChooser(self.catalogue, self.package_list.value(), self)
        chooser.accepted.connect(lambda: self.package_list.choose(chooser.selected_ids()))
        chooser.finished.connect(chooser.deleteLater)
        self.chooser = chooser
        chooser.open()
        return chooser
