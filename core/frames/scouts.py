"""Scout frames: a few frames rendered first, so a job is checked before all of it runs.

The ``scout_frames`` setting takes one of these forms:

- a frame spec: ``3,8``, ``1-100x10``;
- ``auto:N``: N frames spread evenly over the frame set, first and last included (``auto:1``
  is the first frame; N >= the frame count means every frame);
- ``fml``: the first, middle (lower middle for an even count) and last frames;
- empty: no scout frames.

Scout frames outside the frame set cannot be scouted; they are dropped from the resolved set
and returned separately so the job model can warn about them.
"""

import re
from typing import List, NamedTuple, Optional, Union

from farmhand.core.errors import FrameSpecError
from farmhand.core.frames.spec import FrameSpec

SCOUT_FORMS = (
    "a frame spec (3,8 or 1-100x10), auto:N with N >= 1 (N frames spread evenly, first "
    "and last included), fml (first, middle, last)"
)

_AUTO = re.compile(r"^auto\s*:?\s*(.*)$", re.IGNORECASE)
_FIELD = "scout_frames"
_DIGITS = re.compile(r"\A[0-9]+\Z")
_MAX_DIGITS = 30
_MANY = 10**_MAX_DIGITS


class ScoutFrames(NamedTuple):
    """Resolved scout frames (all within the frame set) and those asked for but outside it."""

    frames: FrameSpec
    dropped: FrameSpec


def resolve_scout_frames(
    scout_frames: Union[None, str, FrameSpec], frames: FrameSpec
) -> ScoutFrames:
    """The scout frames of a frame set; ``FrameSpecError`` (field ``scout_frames``) on bad text."""
    if scout_frames is None:
        return ScoutFrames(FrameSpec(), FrameSpec())
    if isinstance(scout_frames, FrameSpec):
        return ScoutFrames(scout_frames & frames, scout_frames - frames)
    text = scout_frames.strip()
    if not text:
        return ScoutFrames(FrameSpec(), FrameSpec())
    if text.lower() == "fml":
        return ScoutFrames(_at_positions(frames, _fml_positions(len(frames))), FrameSpec())
    auto = _AUTO.match(text)
    if auto is not None:
        wanted = _auto_count(scout_frames, text, auto.group(1).strip())
        return ScoutFrames(
            _at_positions(frames, _spread_positions(len(frames), wanted)), FrameSpec()
        )
    try:
        asked = FrameSpec.parse(scout_frames, _FIELD)
    except FrameSpecError as error:
        raise FrameSpecError(
            error.spec,
            error.fragment,
            error.position,
            "{}; scout frames take {}".format(error.reason, SCOUT_FORMS),
            _FIELD,
        ) from None
    return ScoutFrames(asked & frames, asked - frames)


def _auto_count(original: str, text: str, value: str) -> int:
    # ASCII digits only: ``str.isdigit`` also accepts ``²``, which ``int`` refuses (fuzzing).
    if not _DIGITS.match(value) or not value.strip("0"):
        reason = (
            "asks for {} scout frames; N in auto:N must be a whole number of at least 1".format(
                value
            )
            if _DIGITS.match(value.lstrip("-"))
            else "is not a valid scout form"
        )
        raise FrameSpecError(
            original, text, 1, "{}; valid forms: {}".format(reason, SCOUT_FORMS), _FIELD
        )
    # More frames than any frame set holds means every frame; not converted (a number of
    # thousands of digits costs quadratic time, over 4,300 a ValueError on Python 3.11+).
    digits = value.lstrip("0")
    return int(digits) if len(digits) <= _MAX_DIGITS else _MANY


def _fml_positions(count: int) -> List[int]:
    return sorted({0, (count - 1) // 2, count - 1}) if count else []


def _spread_positions(count: int, wanted: int) -> Optional[List[int]]:
    """Positions of ``wanted`` frames spread evenly (rounded), or None for every frame."""
    if wanted >= count:
        return None
    if wanted == 1:
        return [0]
    span = count - 1
    gaps = wanted - 1
    return [(2 * k * span + gaps) // (2 * gaps) for k in range(wanted)]


def _at_positions(frames: FrameSpec, positions: Optional[List[int]]) -> FrameSpec:
    if positions is None:
        return frames
    return FrameSpec.from_frames(frames.frame_at(position) for position in positions)
