"""Job: the title (with ``<token>`` insertion), the farm project, priority and output path."""

from typing import Any, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.token_button import TokenButton


class JobSection(Section):
    TITLE = "Job"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(JobSection, self).__init__(parent)
        self.catalogue: Any = None
        self.title_edit = QtWidgets.QLineEdit(self)
        self.title_edit.setToolTip(
            "The title the farm shows. <tokens> such as <job> or <sequence> are replaced "
            "when the job is built; see the Task template section for the full list."
        )
        self.title_tokens = TokenButton("job", self.title_edit, self)
        self.project_combo = QtWidgets.QComboBox(self)
        self.project_combo.setToolTip(
            "The farm project. The menu is filled when the submitter connects to the farm "
            "(Connect in the Farm section)."
        )
        self.priority_spin = QtWidgets.QSpinBox(self)
        self.priority_spin.setRange(0, 1000000)
        self.priority_spin.setToolTip(
            "How strongly this job is preferred over your other jobs: the farm starts tasks "
            "of higher-priority jobs first."
        )
        self.output_edit = QtWidgets.QLineEdit(self)
        self.output_edit.setToolTip(
            "Where rendered files are written, and where the farm copies them back to."
        )
        title_row = QtWidgets.QHBoxLayout()
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.title_tokens)
        self.form.addRow("Title", title_row)
        self.form.addRow("Project", self.project_combo)
        self.form.addRow("Priority", self.priority_spin)
        self.form.addRow("Output path", self.output_edit)
        self.bind(fields.line_edit("job_title", self.title_edit))
        self.bind(fields.combo_data("project", self.project_combo, self._missing_project))
        self.bind(fields.spin_box("priority", self.priority_spin))
        self.bind(fields.line_edit("output_path", self.output_edit))

    def set_catalogue(self, catalogue: Any) -> None:
        self.catalogue = catalogue
        fields.fill_combo(self.project_combo, [(name, name) for name in catalogue.projects])

    def _missing_project(self, value: Any) -> str:
        if self.catalogue is None:
            return str(value)
        return fields.not_offered(value)
