"""Places where a test can make the farm die as a crash would, to prove what survives it.

``FARMHAND_FARM_FAULT`` names one point (``after_record``: the attempts of the tasks about to
start are committed, no process exists yet; ``after_spawn``: their processes run, nothing
else about them is recorded); the farm SIGKILLs itself the first time it gets there. A SIGKILL
is used, not an exception, because only a real kill shows what the database and the task
processes look like after a crash. Unset (always, outside tests), ``reached`` costs one
comparison.
"""

import os
import signal

from farmhand.core.errors import InputError

ENV = "FARMHAND_FARM_FAULT"
POINTS = ("after_record", "after_spawn")

_armed = os.environ.get(ENV, "")
if _armed and _armed not in POINTS:
    raise InputError(
        "{!r} names no fault point; valid: {}".format(_armed, ", ".join(POINTS)), field=ENV
    )


def reached(point: str) -> None:
    """Die here, with SIGKILL, when this point is the one armed."""
    if _armed == point:
        os.kill(os.getpid(), signal.SIGKILL)
