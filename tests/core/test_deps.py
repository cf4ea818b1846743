"""Dependency uploads: files, folders, frame patterns, scan policies, missing files."""

import os

import pytest

from farmhand.core.deps import FileReference, find_pattern, resolve_uploads
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    return str(path)


@pytest.mark.parametrize(
    "path, frame, expected",
    [
        ("tex.####.exr", 7, "tex.0007.exr"),
        ("tex.#.exr", 12, "tex.12.exr"),
        ("tex.$F4.exr", 12, "tex.0012.exr"),
        ("tex.$4F.exr", 12, "tex.0012.exr"),
        ("tex.$F.exr", 12, "tex.12.exr"),
        ("tex.####.exr", -5, "tex.-005.exr"),
        ("a.##/b.$F2.c", 3, "a.03/b.03.c"),
        ("tex.####.exr", 123456, "tex.123456.exr"),
    ],
)
def test_pattern_formats_frames(path, frame, expected):
    pattern = find_pattern(path)
    assert pattern.format(frame) == expected
    assert pattern.frame_of(expected) == frame


def test_plain_paths_have_no_pattern():
    assert find_pattern("/tex/wood.exr") is None
    assert find_pattern("/tex/$FOO.exr") is None  # only $F, $F<n>, $<n>F


def test_frame_of_rejects_other_paddings_and_mixed_frames():
    pattern = find_pattern("t.####.$F4.exr")
    assert pattern.frame_of("t.0012.0012.exr") == 12
    assert pattern.frame_of("t.0012.0013.exr") is None
    assert pattern.frame_of("t.012.012.exr") is None
    assert find_pattern("t.####.exr").frame_of("t.00012.exr") is None


def test_files_and_directories(tmp_path):
    a = touch(tmp_path / "a.txt")
    b = touch(tmp_path / "dir" / "sub" / "b.txt")
    c = touch(tmp_path / "dir" / "c.txt")
    (tmp_path / "empty").mkdir()
    result = resolve_uploads([a, str(tmp_path / "dir"), a, str(tmp_path / "empty")], policy="none")
    assert result.files == sorted([a, b, c])
    assert result.missing == []
    assert result.empty_directories == [str(tmp_path / "empty")]


def test_relative_paths_resolve_against_base_dir(tmp_path):
    a = touch(tmp_path / "jobs" / "tex" / "a.txt")
    result = resolve_uploads(["tex/a.txt"], base_dir=str(tmp_path / "jobs"))
    assert result.files == [a]


def test_missing_file_is_reported_with_its_source(tmp_path):
    missing = str(tmp_path / "nope.abc")
    result = resolve_uploads([missing], policy="none")
    assert result.files == []
    assert [str(m) for m in result.missing] == [
        "{} (upload_paths[0]): does not exist".format(missing)
    ]


def test_broken_link_is_missing(tmp_path):
    link = tmp_path / "dir" / "link.exr"
    link.parent.mkdir()
    os.symlink(str(tmp_path / "gone.exr"), str(link))
    result = resolve_uploads([str(tmp_path / "dir")])
    assert [(m.path, m.reason) for m in result.missing] == [(str(link), "broken link")]


def test_a_fifo_or_device_is_not_uploaded_and_says_why(tmp_path):
    folder = tmp_path / "dir"
    folder.mkdir()
    os.mkfifo(str(folder / "pipe"))  # hashing it would wait forever for a writer
    result = resolve_uploads([str(folder), os.devnull])
    assert [(m.path, m.source, m.reason) for m in result.missing] == [
        (str(folder / "pipe"), "upload_paths[0]", "is not a regular file or a folder"),
        (os.devnull, "upload_paths[1]", "is not a regular file or a folder"),
    ]


def sequence(tmp_path, frames, name="bg.{:04d}.exr"):
    return [touch(tmp_path / "seq" / name.format(f)) for f in frames]


def test_smart_takes_only_the_rendered_frames(tmp_path):
    files = sequence(tmp_path, range(1, 101))
    pattern = str(tmp_path / "seq" / "bg.####.exr")
    result = resolve_uploads([pattern], policy="smart", frames=FrameSpec("10-12,50"))
    assert result.files == [files[9], files[10], files[11], files[49]]
    assert result.missing == []


def test_smart_with_the_seed_frame_offset(tmp_path):
    files = sequence(tmp_path, range(1, 1001))
    ref = FileReference(str(tmp_path / "seq" / "bg.$F4.exr"), frame_offset=-100)
    result = resolve_uploads([], [ref], policy="smart", frames=FrameSpec("1-20"))
    assert result.files == files[100:120]  # 0101 .. 0120


def test_smart_reports_missing_frames(tmp_path):
    sequence(tmp_path, [1, 2, 3, 8, 9, 10])
    pattern = str(tmp_path / "seq" / "bg.####.exr")
    result = resolve_uploads([pattern], policy="smart", frames=FrameSpec("1-10"))
    assert len(result.files) == 6
    assert [str(m) for m in result.missing] == [
        "{} (upload_paths[0]): 4 of 10 frames missing: 4-7".format(pattern)
    ]


def test_glob_takes_every_file_of_the_sequence(tmp_path):
    files = sequence(tmp_path, range(1, 101))
    touch(tmp_path / "seq" / "bg.012.exr")  # wrong padding: not part of the sequence
    touch(tmp_path / "seq" / "bg.0001.exr.bak")
    pattern = str(tmp_path / "seq" / "bg.####.exr")
    result = resolve_uploads([], [pattern], policy="glob", frames=FrameSpec("1-50"))
    assert result.files == files


def test_glob_without_any_match_is_missing(tmp_path):
    pattern = str(tmp_path / "seq" / "none.####.exr")
    result = resolve_uploads([pattern], policy="glob")
    assert [m.reason for m in result.missing] == ["no file on disk matches the frame pattern"]


def test_smart_without_frames_acts_as_glob(tmp_path):
    files = sequence(tmp_path, [5, 6])
    result = resolve_uploads([str(tmp_path / "seq" / "bg.####.exr")], policy="smart")
    assert result.files == files


def test_none_ignores_references_and_does_not_expand_patterns(tmp_path):
    sequence(tmp_path, [1])
    pattern = str(tmp_path / "seq" / "bg.####.exr")
    result = resolve_uploads([pattern], [str(tmp_path / "seq" / "bg.0001.exr")], policy="none")
    assert result.files == []
    assert [m.reason for m in result.missing] == [
        "does not exist (it holds a frame pattern, which dependency_scan_policy none does not "
        "expand: use smart or glob)"
    ]


def test_negative_frames(tmp_path):
    touch(tmp_path / "n" / "c.-002.bgeo")
    touch(tmp_path / "n" / "c.0001.bgeo")
    result = resolve_uploads([str(tmp_path / "n" / "c.####.bgeo")], frames=FrameSpec("-2--2,1"))
    assert [os.path.basename(f) for f in result.files] == ["c.-002.bgeo", "c.0001.bgeo"]


def test_unknown_policy():
    with pytest.raises(InputError) as error:
        resolve_uploads([], policy="scan")
    assert str(error.value) == (
        "dependency_scan_policy: unknown dependency scan policy 'scan'; "
        "valid policies: none, smart, glob"
    )
