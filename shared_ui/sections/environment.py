"""Extra environment: variables added on top of the packages' environment.

Each row says how it combines with a package's value of the same variable: exclusive
(replace), append or prepend (joined with ``:``). Values may use local variables
(``$HOME/tools``); the table shows what they expand to on this workstation.
"""

from typing import Callable, List, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.empty_hint import EmptyHint
from farmhand.shared_ui.widgets.env_table import EnvTable

EMPTY = (
    "No extra variables: the packages' environment is used as it is. Add one to set a "
    "variable or extend one such as PATH."
)


class EnvironmentSection(Section):
    TITLE = "Extra environment"

    def __init__(
        self,
        expand: Callable[[str], str],
        parent: Optional[QtWidgets.QWidget] = None,
        warn: Optional[Callable[[str], List[str]]] = None,
    ) -> None:
        super(EnvironmentSection, self).__init__(parent)
        self.env_table = EnvTable(expand, self, warn=warn)
        self.env_table.table.setToolTip(
            "Variables set on the farm machines on top of the packages' environment. "
            "Policy: exclusive replaces a package's value, append and prepend join with ':' "
            "(PATH, PYTHONPATH). Values may use this machine's variables ($HOME/tools); "
            "the last column shows what the job will carry."
        )
        self.empty_hint = EmptyHint(self.env_table.table, EMPTY)
        self.env_table.add_button.setToolTip("Add a variable.")
        self.env_table.remove_button.setToolTip("Remove the selected variables (Delete).")
        self.form.addRow(self.env_table)
        self.bind(fields.custom("extra_environment", self.env_table))
