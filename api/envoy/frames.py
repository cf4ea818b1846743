"""The seed's frame ranges: ``start [end] [step]`` groups separated by commas.

``"1 10"`` is frames 1 to 10, ``"1 100 10"`` every tenth, ``"5"`` frame 5, ``"1 10,20 30 2"``
both. They become a ``FrameSpec`` of Farmhand's frame code, so chunking and every other frame
operation are the ones the rest of Farmhand uses.
"""

from typing import List, Tuple

from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.core.frames import FrameSpec


def parse_frame_ranges(text: object, field: str = "frames") -> FrameSpec:
    if not isinstance(text, str) or not text.strip():
        raise InvalidRequestError(
            "expected frame ranges like '1 10' or '1 100 10,200', got {!r}".format(text),
            field=field,
        )
    progressions: List[Tuple[int, int, int]] = []
    for position, fragment in enumerate(text.split(","), 1):
        words = fragment.split()
        where = "fragment {} {!r} of {!r}".format(position, fragment.strip(), text)
        if not 1 <= len(words) <= 3:
            raise InvalidRequestError(
                "{} is not 'start [end] [step]'".format(where), field=field
            )
        try:
            numbers = [int(word) for word in words]
        except ValueError:
            raise InvalidRequestError(
                "{} is not 'start [end] [step]' (whole numbers)".format(where), field=field
            ) from None
        start = numbers[0]
        end = numbers[1] if len(numbers) > 1 else start
        step = numbers[2] if len(numbers) > 2 else 1
        if step < 1:
            raise InvalidRequestError(
                "{}: the step must be at least 1, got {}".format(where, step), field=field
            )
        if end < start:
            raise InvalidRequestError(
                "{}: the end {} is before the start {}".format(where, end, start), field=field
            )
        progressions.append((start, end - (end - start) % step, step))
    return FrameSpec.from_progressions(progressions)
