"""Scout frames: explicit specs, auto:N, fml, dropped frames, and every error."""

import pytest

from farmhand.core.errors import FrameSpecError
from farmhand.core.frames import SCOUT_FORMS, FrameSpec, resolve_scout_frames

FRAMES = FrameSpec("1-10")


def scouts(text, frames=FRAMES):
    resolved = resolve_scout_frames(text, frames)
    return str(resolved.frames), str(resolved.dropped)


def test_explicit_spec():
    assert scouts("3,8") == ("3-8x5", "")
    assert scouts(" 3 , 8 ") == ("3-8x5", "")
    assert scouts("1-100x5") == ("1-6x5", "11-96x5")


def test_frames_outside_the_set_are_dropped_and_reported():
    resolved = resolve_scout_frames("0,5,11-12", FRAMES)
    assert str(resolved.frames) == "5"
    assert str(resolved.dropped) == "0,11-12"
    frames, dropped = resolve_scout_frames(FrameSpec("9-20"), FRAMES)  # a NamedTuple
    assert (str(frames), str(dropped)) == ("9-10", "11-20")


def test_no_scouts():
    assert scouts("") == ("", "")
    assert scouts("   ") == ("", "")
    assert scouts(None) == ("", "")


def test_auto():
    assert scouts("auto:1") == ("1", "")
    assert scouts("auto:2") == ("1-10x9", "")
    assert scouts("auto:3") == ("1,6,10", "")  # 5.5 rounds up
    assert scouts("auto:4") == ("1-10x3", "")
    assert scouts("auto:10") == ("1-10", "")
    assert scouts("auto:50") == ("1-10", "")
    assert scouts("AUTO : 4") == ("1-10x3", "")
    assert scouts("auto:5", FrameSpec("1001-1200x2")) == ("1001-1101x50,1149,1199", "")


def test_auto_over_a_billion_frames_is_cheap():
    resolved = resolve_scout_frames("auto:5", FrameSpec("1-1000000000"))
    assert list(resolved.frames) == [1, 250000001, 500000001, 750000000, 1000000000]


def test_fml():
    assert scouts("fml") == ("1,5,10", "")
    assert scouts("FML") == ("1,5,10", "")
    assert scouts("fml", FrameSpec("-3-2")) == ("-3,-1,2", "")
    assert scouts("fml", FrameSpec("7")) == ("7", "")
    assert scouts("fml", FrameSpec("7,9")) == ("7-9x2", "")


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "auto:0",
            "asks for 0 scout frames; N in auto:N must be a whole number of at least 1; valid "
            "forms: " + SCOUT_FORMS,
        ),
        (
            "auto:-2",
            "asks for -2 scout frames; N in auto:N must be a whole number of at least 1; valid "
            "forms: " + SCOUT_FORMS,
        ),
        ("auto:x", "is not a valid scout form; valid forms: " + SCOUT_FORMS),
        ("auto:", "is not a valid scout form; valid forms: " + SCOUT_FORMS),
        ("auto:2.5", "is not a valid scout form; valid forms: " + SCOUT_FORMS),
    ],
)
def test_bad_auto(text, reason):
    with pytest.raises(FrameSpecError) as caught:
        resolve_scout_frames(text, FRAMES)
    error = caught.value
    assert error.field == "scout_frames" and error.reason == reason
    assert str(error) == "scout_frames: invalid frame spec {!r}: fragment 1 {!r} {}".format(
        text, text, reason
    )


def test_valid_forms_are_listed():
    assert SCOUT_FORMS == (
        "a frame spec (3,8 or 1-100x10), auto:N with N >= 1 (N frames spread evenly, first and "
        "last included), fml (first, middle, last)"
    )


def test_bad_spec_names_the_scout_field_and_the_forms():
    with pytest.raises(FrameSpecError) as caught:
        resolve_scout_frames("3,eight", FRAMES)
    error = caught.value
    assert (error.field, error.fragment, error.position) == ("scout_frames", "eight", 2)
    assert str(error) == (
        "scout_frames: invalid frame spec '3,eight': fragment 2 'eight' is not a frame (5), a "
        "range (1-10) or a stepped range (1-10x2, 1-10y3, 1-10:2); scout frames take " + SCOUT_FORMS
    )
