"""What the submitter says when something fails: Farmhand's own errors as they are, anything
else as the bug it is.

Farmhand's errors (``FarmhandError``: bad input, an unreachable farm, a cancel) already name
the value and what to do. Any other exception, from Farmhand or from a host adapter's
callback, is a bug: it is caught so it never reaches the host (an uncaught exception in a
host's callback can take the host down), named by its type, and, when the job's **Show
tracebacks** setting is on, shown with its traceback for a bug report.
"""

import traceback
from typing import Optional

from farmhand.core.errors import FarmhandError

HOW_TO_REPORT = (
    "This is a bug; turn on Show tracebacks (Advanced) to see where it happened, and report it."
)


def error_text(
    error: BaseException,
    show_traceback: bool = False,
    traceback_text: Optional[str] = None,
) -> str:
    """One paragraph for ``error``; ``traceback_text`` defaults to the exception's own."""
    if isinstance(error, FarmhandError):
        text = str(error)
        if not show_traceback:
            return text
    else:
        detail = str(error)
        text = "unexpected {}{}.".format(
            type(error).__name__, ": {}".format(detail) if detail else ""
        )
        if not show_traceback:
            return "{} {}".format(text, HOW_TO_REPORT)
    if traceback_text is None:
        traceback_text = "".join(
            traceback.format_exception(type(error), error, error.__traceback__)
        )
    return "{}\n{}".format(text, traceback_text.rstrip())
