"""Frame patterns in file names: ``####`` (any number of hashes) and ``$F``, ``$F4``, ``$4F``.

The number of hashes, or the digit of ``$F4``/``$4F``, is the zero padding; ``$F`` is unpadded.
A negative frame keeps its sign in front of the padded digits (``-005`` for ``####``), which is
how ``%04d``-style writers name them. Expressions such as ``$F * 2`` are not evaluated (the
seeds say so too): only the variable itself is replaced.
"""

import glob
import re
from typing import List, NamedTuple, Optional, Pattern

_PATTERN = re.compile(r"#+|\$(?:F(\d)?|(\d)F)(?![A-Za-z0-9_])")


class FramePattern(NamedTuple):
    """A path with frame placeholders, split at each placeholder."""

    path: str
    literals: List[str]  # len(paddings) + 1 pieces of literal text
    paddings: List[int]

    def format(self, frame: int) -> str:
        """The file name of ``frame``."""
        pieces = [self.literals[0]]
        for padding, literal in zip(self.paddings, self.literals[1:]):
            pieces.append(_padded(frame, padding))
            pieces.append(literal)
        return "".join(pieces)

    def glob_pattern(self) -> str:
        """A ``glob`` pattern matching every candidate (filtered further by ``regex``)."""
        return "*".join(glob.escape(literal) for literal in self.literals)

    def regex(self) -> Pattern[str]:
        """Matches a path of this sequence loosely; the groups hold the frame numbers
        (``frame_of`` then checks the padding by formatting the frame back)."""
        return re.compile(r"(-?\d+)".join(re.escape(literal) for literal in self.literals))

    def frame_of(self, path: str, regex: Optional[Pattern[str]] = None) -> Optional[int]:
        """The frame a path on disk holds, or None when it does not belong to the sequence.

        Every placeholder must hold the same frame, and its digits must be written the way
        ``format`` writes them (``0012`` is frame 12 for ``####``, ``012`` is not). Pass
        ``regex`` (from ``regex()``) when checking many paths.
        """
        match = (regex or self.regex()).fullmatch(path)
        if match is None:
            return None
        frames = {int(text) for text in match.groups()}
        if len(frames) != 1:
            return None
        frame = frames.pop()
        return frame if self.format(frame) == path else None


def _padded(frame: int, padding: int) -> str:
    if frame < 0:
        return "-" + str(-frame).zfill(max(0, padding - 1))
    return str(frame).zfill(padding)


def find_pattern(path: str) -> Optional[FramePattern]:
    """The path's frame placeholders, or None for a plain path."""
    if _PATTERN.search(path) is None:
        return None
    literals: List[str] = []
    paddings: List[int] = []
    position = 0
    for match in _PATTERN.finditer(path):
        literals.append(path[position : match.start()])
        token = match.group(0)
        if token.startswith("#"):
            paddings.append(len(token))
        else:
            digit = match.group(1) or match.group(2)
            paddings.append(int(digit) if digit else 1)
        position = match.end()
    literals.append(path[position:])
    return FramePattern(path, literals, paddings)
