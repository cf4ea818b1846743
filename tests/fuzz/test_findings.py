"""Regression tests for what fuzzing found: each test holds the exact input of one finding.

RELIABILITY.md ("Fuzzing") lists the findings and their fixes; the inputs here are the ones
atheris or hypothesis reported (minimised where the report was long), so a finding cannot
come back unnoticed. Every input must now be refused with a typed error whose message names
the bad value, quickly.
"""

import time

import pytest

from farmhand.core.errors import FrameSpecError
from farmhand.core.frames import FrameSpec, resolve_scout_frames


def refused_quickly(call, error_type, seconds=1.0):
    started = time.perf_counter()
    with pytest.raises(error_type) as caught:
        call()
    assert time.perf_counter() - started < seconds, "refused, but slowly"
    return caught.value


@pytest.mark.timeout(30)
def test_frames_a_short_y_fill_listing_millions_of_frames_is_refused_fast():
    # Finding: '1-1601051y3,3' took 1.5 s (4 s under the fuzzer) and 1-14999990y3 27 s and
    # 2 GB: the y fill was listed up to 10,000,000 frames. The limit is now 100,000.
    error = refused_quickly(lambda: FrameSpec.parse("1-1601051y3,3"), FrameSpecError)
    assert str(error) == (
        "frames: invalid frame spec '1-1601051y3,3': fragment 1 '1-1601051y3' fills "
        "1-1601051 around a step of 3, which leaves 1,067,367 frames in short runs, over the "
        "limit of 100,000 frames listed one by one; use a shorter range or an x step"
    )
    error = refused_quickly(lambda: FrameSpec.parse("1-14999990y3"), FrameSpecError)
    assert "leaves 9,999,993 frames in short runs, over the limit of 100,000" in str(error)


@pytest.mark.timeout(30)
def test_frames_interleaved_fragments_over_the_listing_limit_are_refused_fast():
    error = refused_quickly(lambda: FrameSpec.parse("1-400000x3,2-400000x3"), FrameSpecError)
    assert error.position == 2
    assert "merging them would list 266,665 frames one by one, over the limit of 100,000" in (
        str(error)
    )


def test_frames_a_number_of_thousands_of_digits_is_a_frame_spec_error():
    # Finding: int() of over 4,300 digits raised a plain ValueError on Python 3.11+.
    text = "1-" + "9" * 5000
    error = refused_quickly(lambda: FrameSpec.parse(text), FrameSpecError)
    assert error.fragment == text and error.position == 1
    assert error.reason == (
        "has a number of 5,000 digits; frame numbers and steps have at most 100 digits"
    )
    assert str(FrameSpec.parse("1-" + "9" * 100)) == "1-" + "9" * 100


@pytest.mark.parametrize(
    ("scout", "expected"),
    [
        # Finding: '²'.isdigit() is true but int('²') raises ValueError.
        ("auto:²", "fragment 1 'auto:²' is not a valid scout form; valid forms: a frame spec"),
        ("auto:0000", "fragment 1 'auto:0000' asks for 0000 scout frames; N in auto:N must be"),
    ],
)
def test_scouts_auto_counts_that_are_not_ascii_numbers_are_refused(scout, expected):
    error = refused_quickly(
        lambda: resolve_scout_frames(scout, FrameSpec.parse("1-10")), FrameSpecError
    )
    assert error.field == "scout_frames"
    assert expected in str(error)


def test_scouts_an_auto_count_of_thousands_of_digits_means_every_frame():
    # Finding: int() of 5,000 digits raised ValueError; more than the frames is every frame.
    frames = FrameSpec.parse("1-10")
    started = time.perf_counter()
    resolved = resolve_scout_frames("auto:" + "9" * 5000, frames)
    assert time.perf_counter() - started < 1.0
    assert resolved.frames == frames
    assert resolve_scout_frames("auto:0003", frames).frames == FrameSpec.parse("1,6,10")
