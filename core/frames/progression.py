"""Inclusive arithmetic progressions and the integer maths on them.

Every other module of ``farmhand.core.frames`` works on progressions rather than on frames, so
``1-1000000000`` costs what ``1-10`` costs. The few number-theory helpers live here so the set
operations read as set logic, not as modular arithmetic.
"""

from math import gcd
from typing import NamedTuple, Optional, Tuple

# (start, end, step) with start <= end, end a member, step >= 1; a single frame has step 1.
Triple = Tuple[int, int, int]


class Progression(NamedTuple):
    """``start``, ``start + step``, ... up to ``end`` inclusive (``end`` is always a member).

    The progressions of a ``FrameSpec`` are ascending, disjoint and canonical; a single frame
    is ``Progression(5, 5, 1)``.
    """

    start: int
    end: int
    step: int

    @property
    def length(self) -> int:
        """Number of frames (``len()`` of a NamedTuple is its field count, hence the name)."""
        return (self.end - self.start) // self.step + 1

    def frames(self) -> range:
        return range(self.start, self.end + 1, self.step)

    def __str__(self) -> str:
        return format_progression(self.start, self.end, self.step)


def format_progression(start: int, end: int, step: int) -> str:
    """The spec text users type: ``5``, ``1-10``, ``1-9x2``, ``-10--2``."""
    if start == end:
        return str(start)
    if step == 1:
        return "{}-{}".format(start, end)
    return "{}-{}x{}".format(start, end, step)


def clip(start: int, end: int, step: int, low: int, high: int) -> Optional[Triple]:
    """The members of a progression within ``[low, high]``, or None when there are none."""
    first = start if start >= low else start - (start - low) // step * step
    last = end if end <= high else start + (high - start) // step * step
    if first > last:
        return None
    return (first, last, step if first != last else 1)


def lcm(a: int, b: int) -> int:
    return a // gcd(a, b) * b


def mod_inverse(value: int, modulus: int) -> int:
    """``x`` with ``value * x % modulus == 1`` (``pow(value, -1, modulus)`` needs Python 3.8)."""
    if modulus == 1:
        return 0
    old_r, r = value % modulus, modulus
    old_s, s = 1, 0
    while r:
        quotient = old_r // r
        old_r, r = r, old_r - quotient * r
        old_s, s = s, old_s - quotient * s
    if old_r != 1:
        raise ValueError("{} has no inverse modulo {}".format(value, modulus))
    return old_s % modulus


def intersect(a: Triple, b: Triple) -> Optional[Triple]:
    """The common members of two progressions: one progression (step = lcm) or None.

    Solved with the Chinese remainder theorem, so ``1-1000000000 & 5-10`` costs nothing.
    """
    a_start, a_end, a_step = a
    b_start, b_end, b_step = b
    low = max(a_start, b_start)
    high = min(a_end, b_end)
    if low > high:
        return None
    if a_step == 1 and b_step == 1:
        return (low, high, 1)
    divisor = gcd(a_step, b_step)
    offset = b_start - a_start
    if offset % divisor:
        return None
    reduced_b = b_step // divisor
    # a_start + a_step * t is in b's class: a_step * t == offset (mod b_step)
    t = (offset // divisor) * mod_inverse(a_step // divisor, reduced_b) % reduced_b
    step = a_step * reduced_b
    anchor = a_start + a_step * t
    first = anchor - (anchor - low) // step * step
    if first > high:
        return None
    last = first + (high - first) // step * step
    return (first, last, step if first != last else 1)
