"""Which file of a sequence each rendered frame reads: the host's sequence attributes.

A texture or cache that plays a sequence maps the shot's frame to a file frame: shifted by
its frame offset (the seed's background that starts 100 frames in has offset -100: shot
frames 1-20 read files 0101-0120), and, when the host says the sequence only spans
``start``-``end`` on disk, what happens outside that span: ``hold`` the first or last file,
``repeat`` (loop) the span, ``mirror`` it back and forth (ping-pong), or ``empty`` (nothing is
read, as Clarisse's "black" and Blender's non-cyclic image users do).
"""

from typing import Iterable, Optional, Set

from farmhand.core.errors import InputError

SEQUENCE_MODES = ("hold", "repeat", "mirror", "empty")


def check_sequence(
    start: Optional[int], end: Optional[int], mode: str, where: str
) -> None:
    """Refuse sequence attributes that cannot be applied, naming the reference."""
    if mode not in SEQUENCE_MODES:
        raise InputError(
            "unknown sequence mode {!r} for {}; valid modes: {}".format(
                mode, where, ", ".join(SEQUENCE_MODES)
            ),
            "file_references",
        )
    if start is not None and end is not None and end < start:
        raise InputError(
            "the sequence of {} ends ({}) before it starts ({})".format(where, end, start),
            "file_references",
        )
    if mode in ("repeat", "mirror") and (start is None or end is None):
        raise InputError(
            "sequence mode {!r} of {} needs both the first and the last frame on disk".format(
                mode, where
            ),
            "file_references",
        )


def file_frame(
    frame: int, offset: int, start: Optional[int], end: Optional[int], mode: str
) -> Optional[int]:
    """The file frame shot frame ``frame`` reads, or None when it reads none."""
    number = frame - offset
    below = start is not None and number < start
    above = end is not None and number > end
    if not (below or above):
        return number
    if mode == "empty":
        return None
    if mode == "hold":
        return start if below else end
    assert start is not None and end is not None  # check_sequence made sure
    length = end - start + 1
    if mode == "repeat":
        return start + (number - start) % length
    if length == 1:
        return start
    period = 2 * (length - 1)
    position = (number - start) % period
    return start + (position if position < length else period - position)


def file_frames(
    frames: Iterable[int], offset: int, start: Optional[int], end: Optional[int], mode: str
) -> Set[int]:
    """Every file frame the rendered ``frames`` read."""
    if start is None and end is None:
        return {frame - offset for frame in frames}
    found = set()
    for frame in frames:
        number = file_frame(frame, offset, start, end, mode)
        if number is not None:
            found.add(number)
    return found
