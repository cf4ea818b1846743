"""What two fields show as the user types, computed by the core so the form, the preview and
the job agree.

``expand`` shows what ``$VAR`` in an extra-environment value becomes on this workstation (the
job model expands them the same way when it builds the job), and ``undefined_warnings`` what
the preview will warn about a variable not set here. ``check_emails`` gives the job
model's error for the first bad notify address.
"""

from typing import List, Optional

from farmhand.core.environment import expand_local_variables
from farmhand.core.job.settings import JobSettings
from farmhand.core.validation import ValidationReport
from farmhand.core.validation.build_checks import check_undefined_variables
from farmhand.core.validation.settings_checks import check_notify


def expand(text: str) -> str:
    expanded, _undefined = expand_local_variables(text)
    return expanded


def undefined_warnings(text: str) -> List[str]:
    """The job model's warning for each ``$VAR`` in ``text`` that is not set here."""
    _expanded, undefined = expand_local_variables(text)
    report = ValidationReport()
    check_undefined_variables(undefined, report)
    return [message.text for message in report.warnings]


def check_emails(emails: List[str]) -> Optional[str]:
    """The job model's own check of ``notify``, so the field and the preview agree."""
    report = ValidationReport()
    check_notify(JobSettings(notify=list(emails)), report)
    return str(report.errors[0]) if report.errors else None
