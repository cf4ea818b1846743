"""Validation: errors block a submission, warnings ask, info informs.

``report`` holds the messages, ``settings_checks`` checks the settings alone (choices, bounds,
emails, project, where commands come from), ``build_checks`` checks what a submission resolved
to (frames, tasks, uploads, environment, tokens). ``farmhand.core.job.build_submission`` runs
them all and keeps the report on the ``Submission``.
"""

from farmhand.core.validation.build_checks import (
    check_dropped_task_scouts,
    check_empty_tokens,
    check_plan,
    check_task_count,
    check_undefined_variables,
    check_uploads,
)
from farmhand.core.validation.report import (
    ERROR,
    INFO,
    LEVELS,
    WARNING,
    Message,
    ValidationReport,
)
from farmhand.core.validation.settings_checks import EMAIL, LOG_LEVELS, check_settings

__all__ = [
    "EMAIL",
    "ERROR",
    "INFO",
    "LEVELS",
    "LOG_LEVELS",
    "WARNING",
    "Message",
    "ValidationReport",
    "check_dropped_task_scouts",
    "check_empty_tokens",
    "check_plan",
    "check_settings",
    "check_task_count",
    "check_undefined_variables",
    "check_uploads",
]
