"""FrameSpec: parsing as users type specs, the canonical text, set operations, every error."""

import pickle

import pytest

from farmhand.core.errors import FrameSpecError, InputError
from farmhand.core.frames import FrameSpec, Progression, setops


@pytest.mark.parametrize(
    "text, canonical, frames",
    [
        ("1-10", "1-10", list(range(1, 11))),
        ("5", "5", [5]),
        ("1-3x2", "1-3x2", [1, 3]),
        ("1-10,20-30x5", "1-10,20-30x5", list(range(1, 11)) + [20, 25, 30]),
        ("-10--2", "-10--2", list(range(-10, -1))),
        ("-3-2", "-3-2", list(range(-3, 3))),
        ("-5", "-5", [-5]),
        ("3,8", "3-8x5", [3, 8]),  # the seeds' <scout> value
        ("1,3", "1-3x2", [1, 3]),
        ("1,3,4,5", "1,3-5", [1, 3, 4, 5]),
        ("1,3,10", "1,3,10", [1, 3, 10]),
        ("1,2,4,6,8", "1-2,4-8x2", [1, 2, 4, 6, 8]),
        ("1-10x3,11-12", "1-10x3,11-12", [1, 4, 7, 10, 11, 12]),
        ("1001-1200", "1001-1200", list(range(1001, 1201))),
        # reversed ranges are sets; x steps from the start frame, as fileseq does
        ("10-1", "1-10", list(range(1, 11))),
        ("10-1x4", "2-10x4", [2, 6, 10]),
        ("10-1x-2", "2-10x2", [2, 4, 6, 8, 10]),
        ("1-10x4", "1-9x4", [1, 5, 9]),
        ("1-1x5", "1", [1]),
        # y fills: the range minus the x frames
        ("1-10y3", "2-3,5-6,8-9", [2, 3, 5, 6, 8, 9]),
        ("10-1y3", "2-3,5-6,8-9", [2, 3, 5, 6, 8, 9]),
        ("1-10y2", "2-10x2", [2, 4, 6, 8, 10]),
        # : staggers, an order only, so the set is the range
        ("1-10:3", "1-10", list(range(1, 11))),
        ("1-10:1", "1-10", list(range(1, 11))),
        # duplicates and overlaps are one set
        ("1-10,5-20", "1-20", list(range(1, 21))),
        ("1-5,3,5,1", "1-5", [1, 2, 3, 4, 5]),
        ("1-20x2,2-20x2", "1-20", list(range(1, 21))),
        ("1-20x4,3-20x4", "1-19x2", list(range(1, 20, 2))),
        ("1-20,5-10x2", "1-20", list(range(1, 21))),
        ("1-12x2,1-12x3", "1,3-5,7,9-11", [1, 3, 4, 5, 7, 9, 10, 11]),
        # spaces are tolerated
        (" 1 - 10 , 20 ", "1-10,20", list(range(1, 11)) + [20]),
        ("1-10 x 2", "1-9x2", [1, 3, 5, 7, 9]),
        ("1-10X2", "1-9x2", [1, 3, 5, 7, 9]),
        ("007", "7", [7]),
    ],
)
def test_parse_examples(text, canonical, frames):
    spec = FrameSpec.parse(text)
    assert list(spec) == frames
    assert str(spec) == canonical
    assert len(spec) == len(frames)
    assert FrameSpec.parse(str(spec)) == spec


def test_seed_custom_frames_example_reads_back_as_typed():
    spec = FrameSpec.parse("1,7,10-20,30-60x3,1001")
    assert str(spec) == "1,7,10-20,30-60x3,1001"
    assert spec.progressions == (
        Progression(1, 1, 1),
        Progression(7, 7, 1),
        Progression(10, 20, 1),
        Progression(30, 60, 3),
        Progression(1001, 1001, 1),
    )
    assert len(spec) == 2 + 11 + 11 + 1


def test_huge_ranges_are_arithmetic():
    spec = FrameSpec.parse("1-1000000000")
    assert len(spec) == 1000000000
    assert 999999999 in spec and 0 not in spec and 1000000001 not in spec
    assert str(spec & FrameSpec.parse("5-10")) == "5-10"
    assert str(spec - FrameSpec.parse("5-10")) == "1-4,11-1000000000"
    assert str(FrameSpec.parse("1-1000000000x2,2-1000000000x2")) == "1-1000000000"
    assert str(FrameSpec.parse("1-1000000000x3") & FrameSpec.parse("1-1000000000x5")) == (
        "1-999999991x15"
    )
    assert str(spec - FrameSpec.parse("1-1000000000x2")) == "2-1000000000x2"
    assert spec[500000000] == 500000001
    assert spec.index(500000001) == 500000000
    assert str(spec[10:1000000000:100000000]) == "11-900000011x100000000"
    assert str(FrameSpec.parse("-1000000000-1000000000x7")) == "-1000000000-999999995x7"
    big = 10**30
    assert str(FrameSpec.parse("{}-{}".format(big, big + 5))) == "{}-{}".format(big, big + 5)


def test_parse_records_the_field():
    with pytest.raises(FrameSpecError) as caught:
        FrameSpec.parse("1,x", field="scout_frames")
    assert caught.value.field == "scout_frames"
    assert caught.value.spec == "1,x"
    assert caught.value.fragment == "x"
    assert caught.value.position == 2
    assert str(caught.value).startswith("scout_frames: invalid frame spec '1,x': fragment 2 'x'")


FORMS = "a frame (5), a range (1-10) or a stepped range (1-10x2, 1-10y3, 1-10:2)"
EMPTY = "is empty (two commas in a row, or a comma at the start or end)"
DECIMAL = "has a decimal number: subframes are not supported, use whole frames"


@pytest.mark.parametrize(
    "text, fragment, position, reason",
    [
        ("", "", 1, "is empty: give at least one frame, e.g. 1-10"),
        ("   ", "", 1, "is empty: give at least one frame, e.g. 1-10"),
        ("1,,3", "", 2, EMPTY),
        ("1-10,", "", 2, EMPTY),
        (",5", "", 1, EMPTY),
        ("abc", "abc", 1, "is not " + FORMS),
        ("1-10,20-", "20-", 2, "is not " + FORMS),
        ("1-10z2", "1-10z2", 1, "is not " + FORMS),
        ("1--", "1--", 1, "is not " + FORMS),
        ("1.5", "1.5", 1, DECIMAL),
        ("1-10x0.5", "1-10x0.5", 1, DECIMAL),
        ("1,2,10.25-20", "10.25-20", 3, DECIMAL),
        ("1-10x0", "1-10x0", 1, "has a step of 0; the step must be a whole number of at least 1"),
        ("1-10:0", "1-10:0", 1, "has a step of 0; the step must be a whole number of at least 1"),
        (
            "1-10x-2",
            "1-10x-2",
            1,
            "has a negative step on an ascending range; write the step as a positive number "
            "(1-10x2)",
        ),
        (
            "1 3",
            "1 3",
            1,
            "has a space between two numbers; separate frames with commas (1,3,5)",
        ),
        ("5,1-10y1", "1-10y1", 2, "selects no frames (a y1 fill removes every frame of the range)"),
        (
            "1-100000000x3,2-100000000x3",
            "2-100000000x3",
            2,
            "overlaps fragment 1 '1-100000000x3' and their frames interleave: merging them would "
            "list 66,666,665 frames one by one, over the limit of 100,000; give ranges that do "
            "not overlap",
        ),
        (
            "1-1000000000y3",
            "1-1000000000y3",
            1,
            "fills 1-1000000000 around a step of 3, which leaves 666,666,666 frames in short "
            "runs, over the limit of 100,000 frames listed one by one; use a shorter range or "
            "an x step",
        ),
    ],
)
def test_parse_errors_name_fragment_position_and_reason(text, fragment, position, reason):
    with pytest.raises(FrameSpecError) as caught:
        FrameSpec.parse(text)
    error = caught.value
    assert (error.fragment, error.position, error.reason) == (fragment, position, reason)
    assert str(error) == "frames: invalid frame spec {!r}: fragment {} {!r} {}".format(
        text, position, fragment, reason
    )


def test_parse_rejects_non_text():
    with pytest.raises(InputError) as caught:
        FrameSpec.parse(5)
    assert str(caught.value) == "frames: a frame spec must be text such as '1-10', got int 5"


def test_interleaving_under_the_limit_is_listed(monkeypatch):
    spec = FrameSpec.parse("1-30x3,2-30x3")
    assert str(spec) == "1-2,4-5,7-8,10-11,13-14,16-17,19-20,22-23,25-26,28-29"
    monkeypatch.setattr(setops, "EXPANSION_LIMIT", 15)
    with pytest.raises(FrameSpecError) as caught:
        FrameSpec.parse("1-30x3,2-30x3")
    assert "would list 18 frames one by one, over the limit of 15" in str(caught.value)


def test_constructors():
    assert FrameSpec() == FrameSpec.from_frames([]) == FrameSpec.from_progressions([])
    assert not FrameSpec()
    assert str(FrameSpec()) == ""
    assert FrameSpec("1-3") == FrameSpec.parse("1-3") == FrameSpec([3, 1, 2, 2])
    assert FrameSpec(FrameSpec("1-3")) == FrameSpec("1-3")
    assert str(FrameSpec.from_frames([5, 1, 3, 2, 9, 7, 11])) == "1-3,5-11x2"
    assert str(FrameSpec.from_frames(range(10, 0, -3))) == "1-10x3"
    assert str(FrameSpec.from_frames(range(0))) == ""
    assert str(FrameSpec.from_progressions([Progression(1, 10, 1), (20, 30, 5)])) == (
        "1-10,20-30x5"
    )
    assert str(FrameSpec.from_progressions([(1, 10, 4)])) == "1-9x4"  # end need not be a member
    assert str(FrameSpec.from_progressions([(10, 1, 4)])) == "2-10x4"  # counts down from start
    assert str(FrameSpec.from_progressions([(1, 10, 2), (2, 10, 2)])) == "1-10"


@pytest.mark.parametrize(
    "progressions, message",
    [
        ([(1, 10, 0)], "frames: progression 1 (1, 10, 0): step must be at least 1, got 0"),
        ([(1, 5, 1), (1, 10)], "frames: progression 2 must be (start, end, step), got (1, 10)"),
        (
            [(1, 10.5, 1)],
            "frames: progression 1 (1, 10.5, 1): end must be a whole number, got 10.5",
        ),
        (
            [(1, 100000000, 3), (2, 100000000, 3)],
            "frames: the union of progressions 1-100000000x3, 2-99999998x3 cannot be kept as "
            "progressions (the steps interleave): it would list 66,666,665 frames one by one, "
            "over the limit of 100,000",
        ),
    ],
)
def test_from_progressions_errors(progressions, message):
    with pytest.raises(InputError) as caught:
        FrameSpec.from_progressions(progressions)
    assert str(caught.value) == message


def test_from_frames_errors():
    with pytest.raises(InputError) as caught:
        FrameSpec.from_frames([1, "2"])
    assert str(caught.value) == "frames: every frame must be a whole number, got str '2'"
    with pytest.raises(InputError) as caught:
        FrameSpec.from_frames([1, 2.0])
    assert str(caught.value) == "frames: every frame must be a whole number, got float 2.0"


def test_value_behaviour():
    spec = FrameSpec.parse("1-10x3,20")
    assert spec.first == 1 and spec.last == 20
    assert list(reversed(spec)) == [20, 10, 7, 4, 1]
    assert 7 in spec and 8 not in spec and "7" not in spec and 7.0 not in spec
    assert spec == FrameSpec.parse("20,10,7,4,1")
    assert hash(spec) == hash(FrameSpec.parse("20,10,7,4,1"))
    assert len({spec, FrameSpec.parse("1,4,7,10,20")}) == 1
    assert spec != FrameSpec.parse("1-10x3")
    assert spec != "1-10x3,20"
    assert repr(spec) == "FrameSpec('1-10x3,20')"
    assert spec[0] == 1 and spec[-1] == 20 and spec[4] == 20
    assert str(spec[1:4]) == "4-10x3"
    assert str(spec[::2]) == "1,7,20"
    assert spec.index(20) == 4
    assert spec.progressions[0].length == 4
    assert str(spec.progressions[0]) == "1-10x3"
    assert list(spec.progressions[0].frames()) == [1, 4, 7, 10]
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert spec.is_progression is False and FrameSpec("1-5").is_progression is True


def test_is_immutable():
    spec = FrameSpec.parse("1-10")
    with pytest.raises(AttributeError):
        spec.frames = [1]
    with pytest.raises(AttributeError):
        spec.progressions = ()


def test_positions_errors():
    spec = FrameSpec.parse("1-3")
    with pytest.raises(IndexError, match="frame position 3 out of range for 3 frames"):
        spec[3]
    with pytest.raises(ValueError, match="frame 5 is not in 1-3"):
        spec.index(5)
    with pytest.raises(ValueError, match="slice steps must be positive"):
        spec[::-1]
    with pytest.raises(ValueError, match="an empty frame spec has no first frame"):
        _ = FrameSpec().first
    with pytest.raises(ValueError, match="an empty frame spec has no last frame"):
        _ = FrameSpec().last


def test_set_operations():
    a = FrameSpec.parse("1-10")
    b = FrameSpec.parse("5-15x2")
    assert str(a | b) == str(a.union(b)) == "1-11,13,15"
    assert str(a & b) == str(a.intersection(b)) == "5-9x2"
    assert str(a - b) == str(a.difference(b)) == "1-4,6-10x2"
    assert str(a ^ b) == str(a.symmetric_difference(b)) == "1-4,6-10x2,11-15x2"
    assert str(a.union("20", [30, 31])) == "1-10,20,30-31"
    assert str(a.intersection("2-8", "5-20")) == "5-8"
    assert str(a.difference("1", [10])) == "2-9"
    assert a.isdisjoint("11-20") and not a.isdisjoint("10-20")
    assert FrameSpec("2-4") <= a and a >= FrameSpec("2-4") and not a <= FrameSpec("2-4")
    assert a.issubset("0-10") and a.issuperset("3")


def test_operators_refuse_other_types():
    with pytest.raises(TypeError):
        FrameSpec("1") | "2"
    with pytest.raises(TypeError):
        FrameSpec("1") & {1}


@pytest.mark.parametrize(
    "operation, message",
    [
        (
            lambda: FrameSpec("1-100000000x3") | FrameSpec("2-100000000x3"),
            "frames: 1-100000000x3 | 2-99999998x3 cannot be kept as progressions (the steps "
            "interleave): it would list 66,666,665 frames one by one, over the limit of "
            "100,000",
        ),
        (
            lambda: FrameSpec("1-30000000") - FrameSpec("1-30000000x3"),
            "frames: 1-30000000 - 1-29999998x3 cannot be kept as progressions (the steps "
            "interleave): it would list 19,999,998 frames one by one, over the limit of "
            "100,000",
        ),
    ],
)
def test_set_operations_over_the_size_limit(operation, message):
    with pytest.raises(InputError) as caught:
        operation()
    assert str(caught.value) == message


def test_difference_leaving_short_runs_under_the_limit():
    assert str(FrameSpec("1-12") - FrameSpec("1-12x3")) == "2-3,5-6,8-9,11-12"
    assert str(FrameSpec("1-12") - FrameSpec("3-12x3")) == "1-2,4-5,7-8,10-11"
    # pairs with a gap other than 1 are written as single frames (see canonical.py)
    assert str(FrameSpec("1-30x2") - FrameSpec("1-30x6")) == "3,5,9,11,15,17,21,23,27,29"
