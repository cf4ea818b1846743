"""Blender's frame-to-file arithmetic for sequences, checked without Blender."""

from farmhand.core.deps import FileReference
from farmhand.plugins.blender.sequences import (
    CLIP,
    EXTEND,
    PING_PONG,
    REPEAT,
    SequenceUser,
    movie_clip_user,
    point_cache_user,
    sequence_references,
    split_sequence,
)


def test_the_last_digits_of_the_file_name_number_the_sequence():
    assert split_sequence("/s/v2/bg.0005.png") == ("/s/v2/bg.####.png", 5, 4)
    assert split_sequence("/s/smoke_12.vdb") == ("/s/smoke_##.vdb", 12, 2)
    assert split_sequence("/s/take2/plate_v3_0101.exr") == ("/s/take2/plate_v3_####.exr", 101, 4)
    assert split_sequence("/s/001/plate.exr") is None
    assert split_sequence("/s/anim.0001.mp4") == ("/s/anim.####.mp4", 1, 4)


def test_an_image_user_clamps_to_zero_and_its_duration():
    user = SequenceUser(start=3, duration=20, offset=10)
    assert [user.file_frame(f) for f in (1, 2, 3, 4, 22, 23, 40)] == [10, 10, 11, 12, 30, 30, 30]
    assert user.frame_offset == -8  # frame 3 reads file 11
    cyclic = SequenceUser(start=1, duration=3, offset=0, mode=REPEAT)
    assert [cyclic.file_frame(f) for f in range(8)] == [3, 1, 2, 3, 1, 2, 3, 1]


def test_volume_modes():
    def files(mode):
        user = SequenceUser(start=1, duration=3, offset=100, mode=mode)
        return [user.file_frame(f) for f in range(7)]

    assert files(CLIP) == [None, 101, 102, 103, None, None, None]
    assert files(EXTEND) == [101, 101, 102, 103, 103, 103, 103]
    assert files(REPEAT) == [103, 101, 102, 103, 101, 102, 103]
    assert files(PING_PONG) == [102, 101, 102, 103, 102, 101, 102]
    assert SequenceUser(1, 1, 0, PING_PONG).file_frame(5) == 1
    assert SequenceUser(1, 0, 0, CLIP).file_frame(1) is None


def test_movie_clips_and_point_caches():
    clip = movie_clip_user(first_number=101, start=1, offset=0)
    assert clip.file_frame(1) == 101 and clip.file_frame(500) == 600
    assert clip.frame_offset == -100
    cache = point_cache_user(5, 8)
    assert [cache.file_frame(f) for f in (4, 5, 8, 9)] == [None, 5, 8, None]
    assert cache.frame_offset == 0


def test_references_are_a_pattern_and_offset_while_linear():
    user = SequenceUser(start=1, duration=1000, offset=100)
    assert sequence_references("/bg.####.png", [user], range(1, 21)) == [
        FileReference("/bg.####.png", -100)
    ]
    assert sequence_references("/bg.####.png", [user]) == [FileReference("/bg.####.png", -100)]


def test_held_looped_or_clipped_frames_name_their_files():
    held = SequenceUser(start=1, duration=3, offset=0)
    assert sequence_references("/bg.####.png", [held], range(2, 6)) == [
        FileReference("/bg.0002.png"),
        FileReference("/bg.0003.png"),
    ]
    clipped = point_cache_user(5, 8)
    assert sequence_references("/c_######_00.bphys", [clipped], range(1, 7)) == [
        FileReference("/c_000005_00.bphys"),
        FileReference("/c_000006_00.bphys"),
    ]


def test_two_users_of_one_sequence_and_duplicates():
    a = SequenceUser(start=1, duration=100, offset=0)
    b = SequenceUser(start=1, duration=100, offset=10)
    assert sequence_references("/t.###.png", [a, b, a], range(1, 5)) == [
        FileReference("/t.###.png", 0),
        FileReference("/t.###.png", -10),
    ]
    assert sequence_references("/plain.png", [a]) == [FileReference("/plain.png")]
