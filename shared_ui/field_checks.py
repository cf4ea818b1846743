"""What two fields show as the user types, computed by the core so the form, the preview and
the job agree.

``expand`` shows what ``$VAR`` in an extra-environment value becomes on this workstation (the
job model expands them the same way when it builds the job). ``check_emails`` gives the job
model's error for the first bad notify address.
"""

from typing import List, Optional

from farmhand.core.environment import expand_local_variables
from farmhand.core.job.settings import JobSettings
from farmhand.core.validation import ValidationReport
from farmhand.core.validation.settings_checks import check_notify


def expand(text: str) -> str:
    expanded, _undefined = expand_local_variables(text)
    return expanded


def check_emails(emails: List[str]) -> Optional[str]:
    """The job model's own check of ``notify``, so the field and the preview agree."""
    report = ValidationReport()
    check_notify(JobSettings(notify=list(emails)), report)
    return str(report.errors[0]) if report.errors else None
