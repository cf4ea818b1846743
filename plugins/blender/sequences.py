"""How Blender maps a scene frame to the file of a sequence, as plain arithmetic.

Blender numbers a sequence by the last run of digits in its file name (``bg.0005.png`` is the
sequence ``bg.####.png``) and maps the scene frame to a file frame per kind of user:

- an image user (texture node, image empty, camera background, compositor image node):
  ``clamp(frame - start + 1, 0, duration) + offset``, or cycling through ``duration`` frames
  when ``use_cyclic`` is on (``BKE_image_user_frame_get``);
- a volume: ``frame - start + 1`` clipped (no file outside the range), extended (clamped),
  repeated or ping-ponged through ``duration`` frames, then ``+ offset``
  (``BKE_volume_sequence_frame``);
- a movie clip: ``first file's number + frame - start + offset``, unbounded;
- a point cache: the scene frame itself, within the cache's frame range.

Inside the linear part this is a plain offset, which the dependency scan reads as a pattern
with a ``frame_offset`` (smart sequence uploads exactly those files). Where a job's frames
reach a held, looped or clipped part, the files those frames read are named one by one.
No ``bpy`` here, so the mapping is tested without Blender.
"""

import os
import re
from typing import Iterable, List, NamedTuple, Optional, Tuple

from farmhand.core.deps import FileReference, find_pattern

_LAST_DIGITS = re.compile(r"(\d+)(?!.*\d)")

# sequence modes (a cycling image user repeats like a volume set to REPEAT)
CLAMP_FROM_ZERO = "IMAGE"  # an image user that does not cycle
CLIP = "CLIP"
EXTEND = "EXTEND"
REPEAT = "REPEAT"
PING_PONG = "PING_PONG"
UNBOUNDED = "UNBOUNDED"


def split_sequence(path: str) -> Optional[Tuple[str, int, int]]:
    """``(pattern with #, number in the name, its digits)`` for a file of a sequence, from the
    last run of digits in the file name (not the folder, not the extension), or None."""
    folder, name = os.path.split(path)
    stem, extension = os.path.splitext(name)
    match = _LAST_DIGITS.search(stem)
    if match is None:
        return None
    digits = match.group(1)
    pattern_name = stem[: match.start()] + "#" * len(digits) + stem[match.end() :] + extension
    return os.path.join(folder, pattern_name), int(digits), len(digits)


class SequenceUser(NamedTuple):
    """One reader of a sequence: ``file frame = mapped(frame - start + 1) + offset``."""

    start: int
    duration: int
    offset: int
    mode: str = CLAMP_FROM_ZERO

    def file_frame(self, frame: int) -> Optional[int]:
        """The file frame scene ``frame`` reads, or None when it reads no file."""
        if self.mode == UNBOUNDED:
            return frame - self.start + 1 + self.offset
        length = self.duration
        if length <= 0:
            return None
        local = frame - self.start + 1
        if self.mode == CLIP:
            if local < 1 or local > length:
                return None
        elif self.mode == EXTEND:
            local = min(max(local, 1), length)
        elif self.mode == REPEAT:
            local = local % length or length
        elif self.mode == PING_PONG:
            period = length * 2 - 2
            if period > 0:
                local = local % period or period
                if local > length:
                    local = length * 2 - local
            else:
                local = 1
        else:  # CLAMP_FROM_ZERO: Blender's image users clamp to 0..duration
            local = min(max(local, 0), length)
        return local + self.offset

    def is_linear_over(self, frames: Iterable[int]) -> bool:
        """True when every frame falls in the part where the file frame is a plain offset."""
        if self.mode == UNBOUNDED:
            return True
        return all(1 <= frame - self.start + 1 <= self.duration for frame in frames)

    @property
    def frame_offset(self) -> int:
        """The dependency scan's offset: frame ``f`` reads file ``f - frame_offset``."""
        return self.start - 1 - self.offset


def sequence_references(
    pattern: str, users: Iterable[SequenceUser], frames: Optional[Iterable[int]] = None
) -> List[FileReference]:
    """The references of one sequence (``pattern`` holds ``#``) for its readers.

    Without ``frames`` each reader gives the pattern with its offset. With them, a reader
    whose frames stay in its linear part does too; any other names the files it reads.
    Duplicates are dropped, order kept.
    """
    parsed = find_pattern(pattern)
    if parsed is None:
        return [FileReference(pattern)]
    frame_list = list(frames) if frames is not None else None
    found: List[FileReference] = []
    for user in users:
        if frame_list is None or user.is_linear_over(frame_list):
            candidates = [FileReference(pattern, user.frame_offset)]
        else:
            numbers = sorted({n for n in (user.file_frame(f) for f in frame_list) if n is not None})
            candidates = [FileReference(parsed.format(n)) for n in numbers]
        for reference in candidates:
            if reference not in found:
                found.append(reference)
    return found


def point_cache_user(frame_start: int, frame_end: int) -> SequenceUser:
    """A cache's files are numbered by scene frame, and exist only in its range."""
    return SequenceUser(frame_start, frame_end - frame_start + 1, frame_start - 1, CLIP)


def movie_clip_user(first_number: int, start: int, offset: int) -> SequenceUser:
    """``file = first_number + frame - start + offset`` (``get_sequence_filepath``)."""
    return SequenceUser(start, 0, first_number - 1 + offset, UNBOUNDED)
