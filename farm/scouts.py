"""Which tasks are scouts: a task holds a scout frame when its frames intersect the scout set.

Frame specs are parsed with fileseq's grammar (``1-10``, ``1-100x5``, ``1,7,10``); the
intersection test walks the smaller set and asks the larger one for membership, which never
expands a large range.
"""

from typing import Any, Optional

from fileseq.exceptions import ParseException
from fileseq.frameset import FrameSet

from farmhand.farm.errors import RequestError


def parse_frames(spec: str, field: str) -> Optional[Any]:
    text = spec.replace(" ", "")
    if not text:
        return None
    try:
        return FrameSet(text)
    except (ParseException, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RequestError(
            "invalid frame spec {!r} ({})".format(spec, reason), field=field
        ) from None


def intersects(a: Optional[Any], b: Optional[Any]) -> bool:
    if a is None or b is None:
        return False
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return any(frame in large for frame in small)
