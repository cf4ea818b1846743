"""Job: the title (with ``<token>`` insertion), the farm project, priority and output path.

The title and the output path are job-scope templates: a token they cannot use (a task token
such as ``<chunkstart>``, or a typo) is reported under the field as it is typed, with the
same text the preview would give, as the task template does.
"""

from typing import Any, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.token_reference import template_error
from farmhand.shared_ui.widgets.inline_message import InlineMessage
from farmhand.shared_ui.widgets.token_button import TokenButton

SCOPE = "job"


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
        self.title_tokens = TokenButton(SCOPE, self.title_edit, self)
        self.title_error = InlineMessage(self)
        self.title_error.setObjectName("title_error")
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
            "Where rendered files are written, and where the farm copies them back to. "
            "Job tokens such as <job> may be used."
        )
        self.output_error = InlineMessage(self)
        self.output_error.setObjectName("output_error")
        title_row = QtWidgets.QHBoxLayout()
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.title_tokens)
        self.form.addRow("Title", title_row)
        self.add_message_row(self.title_error)
        self.form.addRow("Project", self.project_combo)
        self.form.addRow("Priority", self.priority_spin)
        self.form.addRow("Output path", self.output_edit)
        self.add_message_row(self.output_error)
        self.bind(fields.line_edit("job_title", self.title_edit))
        self.bind(fields.combo_data("project", self.project_combo, self._missing_project))
        self.bind(fields.spin_box("priority", self.priority_spin))
        self.bind(fields.line_edit("output_path", self.output_edit))

    def update_state(self) -> None:
        for edit, message, field in (
            (self.title_edit, self.title_error, "job_title"),
            (self.output_edit, self.output_error, "output_path"),
        ):
            error = template_error(edit.text(), SCOPE, field)
            if error:
                message.show_error(error)
            else:
                message.clear_message()

    def set_catalogue(self, catalogue: Any) -> None:
        self.catalogue = catalogue
        fields.fill_combo(self.project_combo, [(name, name) for name in catalogue.projects])

    def _missing_project(self, value: Any) -> str:
        if self.catalogue is None:
            return str(value)
        return fields.not_offered(value)
