"""Job and task ids as clients write them (``7``, ``"007"``, ``"00007"`` name one job).

An id that cannot name anything is a 404 rather than a 400: to the client it is an unknown
job or task, and the message says what ids look like.
"""

from typing import Any

from farmhand.farm.errors import NotFoundError
from farmhand.farm.model import task_id_text

# SQLite holds 64-bit integers: a larger id names nothing (and made the query raise
# OverflowError, a 500; found by fuzzing).
MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def _number(text: Any) -> int:
    """``int(str(text))``, ValueError for text no id can be (not a number, too long)."""
    digits = str(text).strip()
    if len(digits.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
        raise ValueError(digits)
    number = int(digits)
    if number > MAX_ID:
        raise ValueError(digits)
    return number


def clamp_id(digits: str) -> int:
    """An id bound in a filter (``jid_gt_<digits>``) within what SQLite holds."""
    stripped = digits.lstrip("0")
    return MAX_ID if len(stripped) > _MAX_DIGITS else min(int(stripped or "0"), MAX_ID)


def parse_job_id(text: Any) -> int:
    try:
        number = _number(text)
    except ValueError:
        raise NotFoundError("no job {!r} (job ids are numbers like 00007)".format(text)) from None
    if number <= 0:
        raise NotFoundError("no job {!r}".format(text))
    return number


def no_such_task(jid: str, index: int, count: int) -> NotFoundError:
    return NotFoundError(
        "job {} has no task {} (it has tasks 000 to {})".format(
            jid, task_id_text(index), task_id_text(count - 1)
        )
    )


def parse_task_index(text: Any) -> int:
    try:
        number = _number(text)
    except ValueError:
        raise NotFoundError("no task {!r} (task ids are numbers like 003)".format(text)) from None
    if number < 0:
        raise NotFoundError("no task {!r}".format(text))
    return number
