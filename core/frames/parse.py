"""Frame spec text -> progressions, with an error that points at the bad fragment.

Each comma-separated fragment is read with fileseq's own grammar (``fileseq.constants.
FRANGE_RE``: start, end, modifier, step), so Farmhand accepts what fileseq users type, but the
arithmetic is done here on whole progressions: fileseq 2.3 (Python 3.7) expands every range
eagerly, which ``1-1000000000`` cannot afford.

Modifiers, as fileseq defines them, read as sets: ``x`` steps from the start frame (``10-1x4``
is 10, 6, 2), ``y`` fills (the range minus the ``x`` frames), ``:`` staggers (only an order, so
as a set it is the whole range). A negative step is accepted on a descending range, as in
fileseq.
"""

import re
from typing import List, Tuple

from fileseq.constants import FRANGE_RE

from farmhand.core.errors import FrameSpecError, InputError
from farmhand.core.frames import setops
from farmhand.core.frames.progression import Progression, Triple
from farmhand.core.frames.setops import Budget, Tagged, TooLargeError, minus_class, union

_SPACE_BETWEEN_NUMBERS = re.compile(r"\d\s+\d")
_SPACES = re.compile(r"\s+")

_FORMS = "a frame (5), a range (1-10) or a stepped range (1-10x2, 1-10y3, 1-10:2)"

# Frames are Python ints (10**30 is a frame), but a number of thousands of digits is a typo or
# an attack: it is refused before Python converts it (quadratic time, and over 4,300 digits a
# plain ValueError on Python 3.11+; found by fuzzing).
MAX_DIGITS = 100
# The most frames a spec may hold: len() must fit a C ssize_t (2**63 - 1), and a spec of
# 10**42 frames made len() raise OverflowError (found by fuzzing).
MAX_FRAMES = 10**18


def parse_spec(text: str, field: str = "frames") -> Tuple[Progression, ...]:
    """Canonical progressions of a spec such as ``1,7,10-20,30-60x3,1001``."""
    if not isinstance(text, str):
        raise InputError(
            "a frame spec must be text such as '1-10', got {} {!r}".format(
                type(text).__name__, text
            ),
            field,
        )
    if not text.strip():
        raise FrameSpecError(text, "", 1, "is empty: give at least one frame, e.g. 1-10", field)
    budget = Budget()
    pieces: List[Tagged] = []
    fragments = text.split(",")
    total = 0
    for position, fragment in enumerate(fragments, 1):
        count = 0
        for start, end, step in _parse_fragment(text, fragment, position, field, budget):
            pieces.append((start, end, step, position))
            count += (end - start) // step + 1
        total += count
        if total > MAX_FRAMES:
            what = "holds {:,} frames".format(count) if count == total else (
                "brings the spec to {:,} frames".format(total)
            )
            raise FrameSpecError(
                text,
                fragment.strip(),
                position,
                "{}, over the limit of {:,} frames a spec may hold (a count Python's len() "
                "can give)".format(what, MAX_FRAMES),
                field,
            )
    try:
        return union(pieces, budget)
    except TooLargeError as error:
        return _raise_too_large(text, fragments, error, field)


def _parse_fragment(spec: str, raw: str, position: int, field: str, budget: Budget) -> List[Triple]:
    fragment = raw.strip()

    def fail(reason: str) -> FrameSpecError:
        return FrameSpecError(spec, fragment, position, reason, field)

    if not fragment:
        raise fail("is empty (two commas in a row, or a comma at the start or end)")
    if _SPACE_BETWEEN_NUMBERS.search(fragment):
        raise fail("has a space between two numbers; separate frames with commas (1,3,5)")
    compact = _SPACES.sub("", fragment).lower()
    if "." in compact:
        raise fail("has a decimal number: subframes are not supported, use whole frames")
    match = FRANGE_RE.match(compact)
    if match is None:
        raise fail("is not " + _FORMS)
    start_text, end_text, modifier, step_text = match.groups()
    for number in (start_text, end_text, step_text):
        if number is not None and len(number.lstrip("-")) > MAX_DIGITS:
            raise fail(
                "has a number of {:,} digits; frame numbers and steps have at most {} "
                "digits".format(len(number.lstrip("-")), MAX_DIGITS)
            )
    start = int(start_text)
    if end_text is None:
        return [(start, start, 1)]
    end = int(end_text)
    low, high = min(start, end), max(start, end)
    if modifier is None:
        return [(low, high, 1)]
    step = int(step_text)
    if step == 0:
        raise fail("has a step of 0; the step must be a whole number of at least 1")
    if step < 0:
        if start <= end:
            raise fail(
                "has a negative step on an ascending range; write the step as a positive "
                "number ({}-{}{}{})".format(start, end, modifier, -step)
            )
        step = -step
    if modifier == ":":  # stagger: an order over the whole range
        return [(low, high, 1)]
    anchor = start  # fileseq steps from the start frame, also on a descending range
    if start <= end:
        stepped = (start, start + (end - start) // step * step, step)
    else:
        stepped = (start - (start - end) // step * step, start, step)
    if stepped[0] == stepped[1]:
        stepped = (stepped[0], stepped[1], 1)
    if modifier == "x":
        return [stepped]
    try:
        filled = minus_class((low, high, 1), anchor, step, budget, (position,))
    except TooLargeError as error:
        raise fail(
            "fills {}-{} around a step of {}, which leaves {:,} frames in short runs, over "
            "the limit of {:,} frames listed one by one; use a shorter range or an x "
            "step".format(low, high, step, error.frames, setops.EXPANSION_LIMIT)
        ) from None
    if not filled:
        raise fail("selects no frames (a y{} fill removes every frame of the range)".format(step))
    return filled


def _raise_too_large(
    spec: str, fragments: List[str], error: TooLargeError, field: str
) -> Tuple[Progression, ...]:
    tags = [tag for tag in error.tags if tag > 0] or [len(fragments)]
    position = tags[-1]
    fragment = fragments[position - 1].strip()
    others = ", ".join(
        "{} {!r}".format(tag, fragments[tag - 1].strip()) for tag in tags if tag != position
    )
    reason = (
        "overlaps fragment{} {} and their frames interleave: merging them would list {:,} "
        "frames one by one, over the limit of {:,}; give ranges that do not overlap".format(
            "s" if len(tags) > 2 else "",
            others or "(itself)",
            error.frames,
            setops.EXPANSION_LIMIT,
        )
    )
    raise FrameSpecError(spec, fragment, position, reason, field) from None
