"""Farm: which farm the job goes to, and Connect/Refresh to fetch its catalogue.

Connecting fills the Project, Instance type and Packages menus. The farm is the job's
``farm`` setting, the same name a job file's ``farm`` key and ``farmhand submit --farm``
take: this section shows it as a ``FarmTarget`` (a menu of farms, plus a URL and an API key
for a Conductor-compatible service; the key is never saved with the job). A job that names no
farm keeps naming none until the user picks one, so the same job file can go to the local
farm today and a service tomorrow. ``max_instances`` (at most N tasks at once) is edited here
too: how much of a farm a job may take is a question about the farm.
"""

from typing import Any, List, Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.fields import spin_box
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.targets import FarmTarget, needs_url, target_kinds
from farmhand.shared_ui.widgets.inline_message import InlineMessage


class FarmSection(Section):
    TITLE = "Farm"

    connect_requested = Signal()
    target_changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(FarmSection, self).__init__(parent)
        self.kind_combo = QtWidgets.QComboBox(self)
        self.kind_combo.setObjectName("target")
        self.kind_combo.setToolTip(
            "Where the job goes: the local farm on this workstation (started when needed), "
            "a Conductor-compatible service at a URL, or another engine's connector. The "
            "same job can go to any of them."
        )
        for kind, label in target_kinds():
            self.kind_combo.addItem(label, kind)
        self.url_edit = QtWidgets.QLineEdit(self)
        self.url_edit.setObjectName("url")
        self.url_edit.setPlaceholderText("https://farm.example.com")
        self.url_edit.setToolTip(
            "The address of the Conductor-compatible service (CONDUCTOR_URL sets it when "
            "the submitter opens)."
        )
        self.key_edit = QtWidgets.QLineEdit(self)
        self.key_edit.setObjectName("api_key")
        self.key_edit.setEchoMode(QtWidgets.QLineEdit.Password)
        self.key_edit.setPlaceholderText("API key (or set CONDUCTOR_API_KEY)")
        self.key_edit.setToolTip(
            "The service's API key. Left empty, the key in CONDUCTOR_API_KEY is used. It is "
            "never saved with the job."
        )
        self.connect_button = QtWidgets.QPushButton("Connect", self)
        self.connect_button.setObjectName("connect")
        self.connect_button.setToolTip(
            "Ask the farm for its projects, instance types and packages."
        )
        self.status = InlineMessage(self)
        self.status.setObjectName("farm_status")
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.kind_combo, 1)
        row.addWidget(self.connect_button)
        self.form.addRow("Farm", row)
        self.form.addRow("URL", self.url_edit)
        self.form.addRow("API key", self.key_edit)
        self.add_message_row(self.status)
        self.max_instances_spin = QtWidgets.QSpinBox(self)
        self.max_instances_spin.setRange(0, 1000000)
        self.max_instances_spin.setSpecialValueText("no limit")
        self.max_instances_spin.setToolTip(
            "At most this many of the job's tasks run at once (Slurm's %N array throttle); "
            "0: as many as the farm has room for. `farmhand farms` lists the farms that "
            "honour it."
        )
        self.form.addRow("Max instances", self.max_instances_spin)
        self.bind(spin_box("max_instances", self.max_instances_spin))
        self._loaded_farm = ""
        self._loaded_target: Optional[FarmTarget] = None
        self.connect_button.clicked.connect(self.connect_requested)
        self.kind_combo.currentIndexChanged.connect(self._on_target_edit)
        self.url_edit.textChanged.connect(self._on_target_edit)
        self.key_edit.textChanged.connect(self._on_target_edit)
        self.show_status("Not connected.")
        self.update_state()

    # the ``farm`` setting -----------------------------------------------------------------
    def field_names(self) -> List[str]:
        return ["farm"] + super(FarmSection, self).field_names()

    def load(self, settings: Any) -> None:
        """A job that names a farm shows it; one that names none keeps the current target
        (from the environment when the submitter opened)."""
        super(FarmSection, self).load(settings)
        farm = str(getattr(settings, "farm", "") or "").strip()
        if farm:
            current = self.target()
            target = FarmTarget.from_text(farm)
            if target.kind == current.kind and target.url == current.url:
                target.api_key = current.api_key  # a key typed for this service stays
            self.set_target(target)
        self._loaded_farm = str(getattr(settings, "farm", "") or "")
        self._loaded_target = self.target()

    def store(self, settings: Any) -> None:
        """The loaded ``farm`` as it was unless the user picked another farm."""
        super(FarmSection, self).store(settings)
        target = self.target()
        loaded = self._loaded_target
        if loaded is not None and (target.kind, target.url) == (loaded.kind, loaded.url):
            settings.farm = self._loaded_farm
        else:
            settings.farm = target.as_text()

    def target(self) -> FarmTarget:
        return FarmTarget(
            self.kind_combo.itemData(self.kind_combo.currentIndex()),
            self.url_edit.text().strip(),
            self.key_edit.text(),
        )

    def set_target(self, target: FarmTarget) -> None:
        for widget in (self.kind_combo, self.url_edit, self.key_edit):
            widget.blockSignals(True)
        try:
            index = self.kind_combo.findData(target.kind)
            if index < 0:
                self.kind_combo.addItem(target.kind, target.kind)
                index = self.kind_combo.count() - 1
            self.kind_combo.setCurrentIndex(index)
            self.url_edit.setText(target.url)
            self.key_edit.setText(target.api_key)
        finally:
            for widget in (self.kind_combo, self.url_edit, self.key_edit):
                widget.blockSignals(False)
        self.update_state()

    def set_busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        if busy:
            self.show_status("Connecting to {}...".format(self.target().describe()))

    def set_connected(self, connected: bool) -> None:
        self.connect_button.setText("Refresh" if connected else "Connect")

    def show_status(self, text: str, error: bool = False) -> None:
        if error:
            self.status.show_error(text)
        else:
            self.status.show_note(text)

    def update_state(self) -> None:
        remote = needs_url(self.target().kind)
        self.url_edit.setEnabled(remote)
        self.key_edit.setEnabled(remote)

    def _on_target_edit(self, *args: object) -> None:
        self.update_state()
        self.set_connected(False)
        self.show_status("Not connected.")
        self.target_changed.emit()
