"""Frame specs on the farm: which tasks are scouts, which frames a task renders.

Parsed with ``farmhand.core.frames`` (the same grammar and error messages as the submitter:
``1-10``, ``1-100x5``, ``1,7,10``, negative frames), whose set operations are arithmetic, so
testing a task of ``1-1000000`` against the scout frames never expands a range.
"""

from typing import Optional

from farmhand.core.frames import FrameSpec


def parse_frames(spec: str, field: str) -> Optional[FrameSpec]:
    """``None`` for an empty spec; ``FrameSpecError`` (a 400) naming ``field`` otherwise."""
    if not spec.strip():
        return None
    return FrameSpec.parse(spec, field=field)


def intersects(a: Optional[FrameSpec], b: Optional[FrameSpec]) -> bool:
    if a is None or b is None:
        return False
    return bool(a & b)
