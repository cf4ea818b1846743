"""Frame placeholders in file names: ``####``, ``$F``/``$F4``/``$4F``, ``%d``/``%04d`` and
``<f>``/``<frame>``.

The number of hashes, the digit of ``$F4``/``$4F`` or the width of ``%04d`` is the zero
padding; ``$F`` and ``%d`` are unpadded. ``<f>``/``<frame>`` (Maya's token) carries no
padding at all, so any padding on disk is accepted for it (``tex.7.exr`` and ``tex.0007.exr``
are both frame 7). A negative frame keeps its sign in front of the padded digits (``-005`` for
``####``), which is how ``%04d``-style writers name them. Expressions such as ``$F * 2`` are
not evaluated (the seeds say so too): ``variables.unresolved_reason`` reports them before a
path gets here.
"""

import glob
import re
from typing import Iterable, List, NamedTuple, Optional, Pattern

_PATTERN = re.compile(r"#+|\$(?:F(\d)?|(\d)F)(?![A-Za-z0-9_])|%(0\d+)?d|(?i:<(?:f|frame)>)")
# A wider placeholder is literal text: no host pads frames to 33 digits, and ``%0900909d``
# would make megabyte file names (found by fuzzing; past 4,300 digits int() raised ValueError).
MAX_PADDING = 32
# Widths tried for a placeholder without padding (``<f>``): frame 7 may be 7, 07, 0007...
_ANY_WIDTHS = range(1, 11)


class FramePattern(NamedTuple):
    """A path with frame placeholders, split at each placeholder. A padding of ``None``
    accepts any padding (``<f>``)."""

    path: str
    literals: List[str]  # len(paddings) + 1 pieces of literal text
    paddings: List[Optional[int]]

    def format(self, frame: int, width: int = 1) -> str:
        """The file name of ``frame``; ``width`` pads the placeholders without padding."""
        pieces = [self.literals[0]]
        for padding, literal in zip(self.paddings, self.literals[1:]):
            pieces.append(_padded(frame, width if padding is None else padding))
            pieces.append(literal)
        return "".join(pieces)

    @property
    def fixed(self) -> bool:
        """Whether every placeholder has a padding (one file name per frame)."""
        return None not in self.paddings

    def candidates(self, frame: int) -> List[str]:
        """The names ``frame``'s file may have: one, or one per width for ``<f>``."""
        if self.fixed:
            return [self.format(frame)]
        names: List[str] = []
        for width in _ANY_WIDTHS:
            name = self.format(frame, width)
            if not names or names[-1] != name:
                names.append(name)
        return names

    def glob_pattern(self) -> str:
        """A ``glob`` pattern matching every candidate (filtered further by ``regex``)."""
        return "*".join(glob.escape(literal) for literal in self.literals)

    def regex(self) -> Pattern[str]:
        """Matches a path of this sequence loosely; the groups hold the frame numbers, in
        ASCII digits only (``frame_of`` then checks the padding by formatting the frame
        back)."""
        return re.compile(r"(-?[0-9]+)".join(re.escape(literal) for literal in self.literals))

    def frame_of(self, path: str, regex: Optional[Pattern[str]] = None) -> Optional[int]:
        """The frame a path on disk holds, or None when it does not belong to the sequence.

        Every placeholder must hold the same frame, and its digits must be written the way
        ``format`` writes them (``0012`` is frame 12 for ``####``, ``012`` is not; ``<f>``
        takes any padding). Pass ``regex`` (from ``regex()``) when checking many paths.
        """
        match = (regex or self.regex()).fullmatch(path)
        if match is None:
            return None
        frames = {int(text) for text in match.groups()}
        if len(frames) != 1:
            return None
        frame = frames.pop()
        for text, padding in zip(match.groups(), self.paddings):
            if padding is not None and text != _padded(frame, padding):
                return None
        return frame

    def names_in(self, names: Iterable[str]) -> List[str]:
        """The ``names`` that belong to the sequence (``frame_of`` is not None), in order.

        The common pattern (one placeholder with a padding: ``bg.####.exr``) is checked
        without formatting each frame back: a glob over a folder of 100,000 frames is one
        regular expression match and a length test per name."""
        regex = self.regex()
        if not (self.fixed and len(self.paddings) == 1):
            return [name for name in names if self.frame_of(name, regex) is not None]
        padding = self.paddings[0]
        assert padding is not None
        kept = []
        for name in names:
            match = regex.fullmatch(name)
            if match is None:
                continue
            text = match.group(1)
            if text[0] == "-":  # a negative frame: rare, formatted back
                if text != _padded(int(text), padding):
                    continue
            elif text[0] == "0":  # zeros only pad up to the padding
                if len(text) != padding:
                    continue
            elif len(text) < padding:
                continue
            kept.append(name)
        return kept


def _padded(frame: int, padding: int) -> str:
    if frame < 0:
        return "-" + str(-frame).zfill(max(0, padding - 1))
    return str(frame).zfill(padding)


def _padding(match: "re.Match[str]") -> Optional[int]:
    token = match.group(0)
    if token.startswith("#"):
        return len(token)
    if token.startswith("<"):
        return None
    if token.startswith("%"):
        width = match.group(3)
        if width and len(width.lstrip("0")) > len(str(MAX_PADDING)):
            return MAX_PADDING + 1  # not converted: it may have thousands of digits
        return int(width) if width else 1
    digit = match.group(1) or match.group(2)
    return int(digit) if digit else 1


def find_pattern(path: str) -> Optional[FramePattern]:
    """The path's frame placeholders, or None for a plain path."""
    if _PATTERN.search(path) is None:
        return None
    literals: List[str] = []
    paddings: List[Optional[int]] = []
    position = 0
    for match in _PATTERN.finditer(path):
        padding = _padding(match)
        if padding is not None and padding > MAX_PADDING:
            continue  # literal text, left in the next literal
        literals.append(path[position : match.start()])
        paddings.append(padding)
        position = match.end()
    if not paddings:
        return None
    literals.append(path[position:])
    return FramePattern(path, literals, paddings)
