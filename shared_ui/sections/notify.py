"""Notify: the email addresses told when the job completes; a bad address is shown inline."""

from typing import Callable, List, Optional

from qtpy import QtWidgets

from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.inline_message import InlineMessage


class NotifySection(Section):
    TITLE = "Notify"

    def __init__(
        self,
        check_emails: Callable[[List[str]], Optional[str]],
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        """``check_emails`` returns the error text for the first bad address, or ``None``."""
        super(NotifySection, self).__init__(parent)
        self.check_emails = check_emails
        self.emails_edit = QtWidgets.QLineEdit(self)
        self.emails_edit.setPlaceholderText("alice@example.com, bob@example.com")
        self.emails_edit.setToolTip("Comma-separated addresses to email when the job completes.")
        self.emails_error = InlineMessage(self)
        self.emails_error.setObjectName("notify_error")
        self.form.addRow("Emails", self.emails_edit)
        self.add_message_row(self.emails_error)
        self.bind(fields.list_line_edit("notify", self.emails_edit))

    def update_state(self) -> None:
        error = self.check_emails(self.field("notify").get())
        if error:
            self.emails_error.show_error(error)
        else:
            self.emails_error.clear_message()
