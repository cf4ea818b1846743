"""Instance type: the machine shape from the farm's catalogue, preemptible, and retries.

A job may name its machine by flavor and cores instead (``machine_flavor`` and ``cores``, as
the seed API's quick start does); with no instance type chosen, the menu says that this is
what picks the machine rather than "not set".
"""

from typing import Any, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section


def instance_label(item: Any) -> str:
    """``highmem-8: 8 core, 64.00GB Mem`` (the description the ``<instance>`` token carries)."""
    description = item.to_dict()["description"]
    gpu = ", GPU" if item.gpu else ""
    return "{}: {}{}".format(item.name, description, gpu)


class InstanceTypeSection(Section):
    TITLE = "Instance type"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(InstanceTypeSection, self).__init__(parent)
        self.catalogue: Any = None
        self.flavor = ""
        self.cores = 0
        self.instance_combo = QtWidgets.QComboBox(self)
        self.instance_combo.setToolTip(
            "The machine each task runs on. The menu is filled when the submitter connects "
            "to the farm."
        )
        self.preemptible_check = QtWidgets.QCheckBox("Preemptible", self)
        self.preemptible_check.setToolTip(
            "Cheaper machines the provider may stop at any time; a stopped task starts again "
            "from scratch (see Retries)."
        )
        self.retries_spin = QtWidgets.QSpinBox(self)
        self.retries_spin.setRange(0, 100)
        self.retries_spin.setToolTip(
            "How many times a failed or preempted task is tried again before it is marked "
            "failed."
        )
        self.form.addRow("Instance type", self.instance_combo)
        self.form.addRow("", self.preemptible_check)
        self.form.addRow("Retries", self.retries_spin)
        self.bind(fields.combo_data("instance_type", self.instance_combo, self._missing))
        self.bind(fields.check_box("preemptible", self.preemptible_check))
        self.bind(fields.spin_box("retries", self.retries_spin))

    def set_catalogue(self, catalogue: Any) -> None:
        self.catalogue = catalogue
        items = [(instance_label(item), item.name) for item in catalogue.instance_types]
        fields.fill_combo(self.instance_combo, items, self._missing)

    def load(self, settings: Any) -> None:
        self.flavor = str(settings.machine_flavor or "").strip()
        self.cores = int(settings.cores or 0)
        unset = self.instance_combo.findData("")
        if unset >= 0:  # relabel the empty choice for this job's flavor and cores
            self.instance_combo.setItemText(unset, self._missing(""))
        super(InstanceTypeSection, self).load(settings)

    def _missing(self, value: Any) -> str:
        if value == "":
            if self.flavor or self.cores:
                return "- machine flavor {}, {} cores (from the job) -".format(
                    self.flavor or "?", self.cores
                )
            return "- not set -"
        if self.catalogue is None:
            return str(value)
        return fields.not_offered(value)
