"""The dependency scan as issue 5 asks for it: every pattern the seeds name, sequence
attributes, expressions reported instead of guessed, variables, output folders left out,
one listing per folder, and every way a file can be absent."""

import os
import shutil
import tempfile

import pytest
from obeying_permissions import run_python_obeying_permissions

from farmhand.core.deps import FileReference, find_pattern, resolve_uploads
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec
from farmhand.core.job import HostContext, JobSettings, build_submission


def touch(path, data="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data)
    return str(path)


def names(paths):
    return [os.path.basename(p) for p in paths]


# -- the seed's example, verbatim -----------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["####", "$4F"])
def test_the_seeds_smart_sequence_example(tmp_path, placeholder):
    """"Suppose you have a sequence of 1000 background images on disk. Your shot is 20 frames
    long and you've set the sequence attributes on the texture map to start 100 frames in.
    (-100 frame offset). The smart scan option will find frames from 0101 to 0120." """
    for frame in range(1, 1001):
        touch(tmp_path / "bg" / "background.{:04d}.jpg".format(frame))
    texture = FileReference(
        str(tmp_path / "bg" / "background.{}.jpg".format(placeholder)), frame_offset=-100
    )
    result = resolve_uploads([], [texture], policy="smart", frames=FrameSpec("1-20"))
    assert names(result.files) == ["background.{:04d}.jpg".format(f) for f in range(101, 121)]
    assert result.missing == [] and result.unresolved == []
    glob = resolve_uploads([], [texture], policy="glob", frames=FrameSpec("1-20"))
    assert len(glob.files) == 1000  # "a glob scan will find and upload all those images"


# -- patterns -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, frame, expected",
    [
        ("tex.%04d.exr", 7, "tex.0007.exr"),
        ("tex.%d.exr", 7, "tex.7.exr"),
        ("tex.%04d.exr", -7, "tex.-007.exr"),
        ("tex.<f>.exr", 7, "tex.7.exr"),
    ],
)
def test_printf_and_frame_token_patterns(path, frame, expected):
    pattern = find_pattern(path)
    assert pattern.format(frame) == expected
    assert pattern.frame_of(expected) == frame


def test_frame_token_takes_the_padding_found_on_disk(tmp_path):
    """Maya's <f> carries no padding: the files on disk say it."""
    for frame in (1, 2, 3):
        touch(tmp_path / "m" / "tex.{:03d}.exr".format(frame))
    touch(tmp_path / "m" / "other.001.exr")
    for token in ("<f>", "<frame>", "<F>"):
        result = resolve_uploads(
            [str(tmp_path / "m" / "tex.{}.exr".format(token))], frames=FrameSpec("2-3")
        )
        assert names(result.files) == ["tex.002.exr", "tex.003.exr"], token
    glob = resolve_uploads([str(tmp_path / "m" / "tex.<f>.exr")], policy="glob")
    assert names(glob.files) == ["tex.001.exr", "tex.002.exr", "tex.003.exr"]


def test_a_percent_that_is_no_frame_pattern_stays_literal():
    assert find_pattern("/renders/100%20done.exr") is None
    assert find_pattern("/tex/$f4.exr") is None  # frame variables are upper case


# -- sequence attributes --------------------------------------------------------------------


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("hold", [1, 2, 3, 4]),  # frames 5-6 hold the last file
        ("repeat", [1, 2, 3, 4]),
        ("mirror", [1, 2, 3, 4]),
        ("empty", [1, 2, 3, 4]),
    ],
)
def test_a_short_sequence_played_over_a_long_shot(tmp_path, mode, expected):
    for frame in range(1, 5):
        touch(tmp_path / "s" / "loop.{:04d}.png".format(frame))
    reference = FileReference(
        str(tmp_path / "s" / "loop.####.png"),
        sequence_start=1,
        sequence_end=4,
        sequence_mode=mode,
    )
    result = resolve_uploads([], [reference], frames=FrameSpec("1-12"))
    assert names(result.files) == ["loop.{:04d}.png".format(f) for f in expected]
    assert result.missing == []


@pytest.mark.parametrize(
    "frames, mode, offset, expected",
    [
        ("10-12", "hold", 0, [4]),
        ("6", "repeat", 0, [2]),  # 1 2 3 4 1 2: frame 6 reads file 2
        ("6", "mirror", 0, [2]),  # 1 2 3 4 3 2: frame 6 reads file 2
        ("7", "mirror", 0, [1]),
        ("5-9", "empty", 0, []),
        ("-1-0", "hold", 0, [1]),
        ("1-2", "hold", 2, [1]),  # offset 2 moves frames 1-2 before the start: held at 1
    ],
)
def test_which_file_frames_outside_the_span_read(tmp_path, frames, mode, offset, expected):
    for frame in range(1, 5):
        touch(tmp_path / "s" / "loop.{:04d}.png".format(frame))
    reference = FileReference(
        str(tmp_path / "s" / "loop.####.png"), offset, 1, 4, mode, "loopTex.fileName"
    )
    result = resolve_uploads([], [reference], frames=FrameSpec(frames))
    assert names(result.files) == ["loop.{:04d}.png".format(f) for f in expected]


@pytest.mark.parametrize(
    "start, end, mode, message",
    [
        (
            1,
            4,
            "pingpong",
            "file_references: unknown sequence mode 'pingpong' for /s/a.####.png (tex1.file); "
            "valid modes: hold, repeat, mirror, empty",
        ),
        (
            9,
            4,
            "hold",
            "file_references: the sequence of /s/a.####.png (tex1.file) ends (4) before it "
            "starts (9)",
        ),
        (
            1,
            None,
            "repeat",
            "file_references: sequence mode 'repeat' of /s/a.####.png (tex1.file) needs both "
            "the first and the last frame on disk",
        ),
    ],
)
def test_bad_sequence_attributes_name_the_reference(start, end, mode, message):
    reference = FileReference("/s/a.####.png", 0, start, end, mode, "tex1.file")
    with pytest.raises(InputError) as caught:
        resolve_uploads([], [reference], frames=FrameSpec("1"))
    assert str(caught.value) == message


def test_bad_sequence_attributes_are_a_validation_error_not_a_crash(tmp_path):
    reference = FileReference("/s/a.####.png", 0, 1, 4, "pingpong", "tex1.file")
    settings = JobSettings(frames="1", task_template="echo", instance_type="x", output_path="/o")
    submission = build_submission(settings, HostContext(file_references=[reference]))
    assert [str(m) for m in submission.errors] == [
        "file_references: unknown sequence mode 'pingpong' for /s/a.####.png (tex1.file); "
        "valid modes: hold, repeat, mirror, empty"
    ]


# -- expressions and variables --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "/c/cache.$F * 2.bgeo",
            "the frame expression '$F * 2' is not evaluated; use a plain frame pattern (####, "
            "$F4) or add the files to upload_paths",
        ),
        (
            "/c/cache.$F4+1.bgeo",
            "the frame expression '$F4+1' is not evaluated; use a plain frame pattern (####, "
            "$F4) or add the files to upload_paths",
        ),
        (
            "/c/cache.`padzero(4, $F*2)`.bgeo",
            "the frame expression '$F*2)`' is not evaluated; use a plain frame pattern (####, "
            "$F4) or add the files to upload_paths",
        ),
        (
            "/c/cache.`$F-1`.bgeo",
            "the frame expression '$F-1`' is not evaluated; use a plain frame pattern (####, "
            "$F4) or add the files to upload_paths",
        ),
        (
            "/c/cache.`chs('frame')`.bgeo",
            "the backtick expression is not evaluated; add the files to upload_paths",
        ),
        (
            "/c/cache.$FF.bgeo",
            "$FF changes per frame and is not evaluated; add the files to upload_paths",
        ),
    ],
)
def test_expressions_are_reported_not_guessed(tmp_path, text, reason):
    touch(tmp_path / "c" / "cache.0002.bgeo")
    reference = FileReference(text, source="/obj/geo1/file1.file")
    result = resolve_uploads([], [reference], frames=FrameSpec("1"))
    assert result.files == [] and result.missing == []
    assert [str(u) for u in result.unresolved] == [
        "{} (/obj/geo1/file1.file): {}".format(text, reason)
    ]


def test_a_hyphen_after_a_frame_variable_is_a_name_not_an_expression(tmp_path):
    touch(tmp_path / "bg.0001-left.exr")
    result = resolve_uploads([str(tmp_path / "bg.$F4-left.exr")], frames=FrameSpec("1"))
    assert names(result.files) == ["bg.0001-left.exr"] and result.unresolved == []


def test_environment_variables_and_home_expand(tmp_path, monkeypatch):
    a = touch(tmp_path / "show" / "tex" / "wood.exr")
    b = touch(tmp_path / "show" / "seq" / "bg.0001.exr")
    c = touch(tmp_path / "home" / "notes.txt")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    environ = {"SHOW": str(tmp_path / "show"), "F": "not a frame"}
    result = resolve_uploads(
        ["$SHOW/tex/wood.exr", "${SHOW}/seq/bg.$F4.exr", "~/notes.txt"],
        frames=FrameSpec("1"),
        environ=environ,
    )
    assert result.files == sorted([a, b, c])
    assert result.unresolved == []


def test_an_unset_variable_is_unresolved_with_its_name(tmp_path):
    result = resolve_uploads(["$NOPE_ROOT/tex/${NOPE_TOO}.exr"], environ={})
    assert [str(u) for u in result.unresolved] == [
        "$NOPE_ROOT/tex/${NOPE_TOO}.exr (upload_paths[0]): $NOPE_ROOT, $NOPE_TOO are not set "
        "on this machine"
    ]


# -- UV tiles -------------------------------------------------------------------------------


def test_udim_tiles_in_upload_paths_are_the_tiles_on_disk(tmp_path):
    for tile in (1001, 1002, 1011):
        touch(tmp_path / "t" / "skin.{}.tx".format(tile))
    touch(tmp_path / "t" / "skin.2001.tx")  # outside 1001-1999: no tile
    result = resolve_uploads([str(tmp_path / "t" / "skin.<UDIM>.tx")])
    assert names(result.files) == ["skin.1001.tx", "skin.1002.tx", "skin.1011.tx"]


def test_animated_tiles_take_the_rendered_frames(tmp_path):
    for tile in (1001, 1002):
        for frame in (1, 2, 3):
            touch(tmp_path / "t" / "skin.{}.{:04d}.exr".format(tile, frame))
    result = resolve_uploads([str(tmp_path / "t" / "skin.<udim>.####.exr")], frames=FrameSpec("2"))
    assert names(result.files) == ["skin.1001.0002.exr", "skin.1002.0002.exr"]


def test_tiles_that_are_not_on_disk_are_missing(tmp_path):
    (tmp_path / "t").mkdir()
    path = str(tmp_path / "t" / "skin.<UDIM>.tx")
    result = resolve_uploads([path])
    assert [str(m) for m in result.missing] == [
        "{} (upload_paths[0]): no tile on disk matches the tile pattern".format(path)
    ]


@pytest.mark.parametrize("name", ["a.####.exr", "a.#.exr", "a.$F.exr", "a.%03d.exr", "a.<f>.exr"])
def test_names_in_keeps_exactly_the_names_frame_of_accepts(name):
    """The fast check a glob uses over a folder's names agrees with ``frame_of`` name by
    name: padding, longer numbers, zeros, negative frames, other text."""
    pattern = find_pattern(name)
    texts = "0001 1 01 001 00001 12345 1234 0000 000 0 00 -001 -0001 -01 -1 -12345 -000 -0 x 1x ٣"
    names = ["a.{}.exr".format(text) for text in texts.split() + [""]] + [
        "b.0001.exr",
        "a.0001.exr.tx",
        "a.0001.0001.exr",
    ]
    assert pattern.names_in(names) == [n for n in names if pattern.frame_of(n) is not None]


# -- output_path ----------------------------------------------------------------------------


def test_files_inside_the_output_path_are_left_out(tmp_path):
    scene = touch(tmp_path / "shot" / "scene.ass")
    touch(tmp_path / "shot" / "render" / "beauty.0001.exr")
    touch(tmp_path / "shot" / "render" / "beauty.0002.exr")
    result = resolve_uploads(
        [str(tmp_path / "shot"), str(tmp_path / "shot" / "render" / "beauty.####.exr")],
        frames=FrameSpec("1-2"),
        output_path=str(tmp_path / "shot" / "render"),
    )
    assert result.files == [scene]
    assert result.excluded == [
        str(tmp_path / "shot" / "render"),
        str(tmp_path / "shot" / "render" / "beauty.####.exr"),
    ]
    assert result.missing == []


@pytest.mark.parametrize("policy", ["smart", "glob"])
def test_an_output_folder_inside_a_sequences_folder_leaves_the_sequence_in(tmp_path, policy):
    frames = [touch(tmp_path / "shot" / "bg.{:04d}.exr".format(f)) for f in (1, 2)]
    touch(tmp_path / "shot" / "bg.0001.exr.render" / "beauty.exr")
    result = resolve_uploads(
        [str(tmp_path / "shot" / "bg.####.exr")],
        policy=policy,
        frames=FrameSpec("1-2"),
        output_path=str(tmp_path / "shot" / "bg.0001.exr.render"),
    )
    assert (result.files, result.excluded, result.missing) == (frames, [], [])


def test_build_leaves_out_the_output_folder_and_says_so(tmp_path):
    touch(tmp_path / "job" / "scene.txt")
    touch(tmp_path / "job" / "out" / "old.exr")
    settings = JobSettings(
        frames="1",
        task_template="echo",
        instance_type="x",
        upload_paths=[str(tmp_path / "job")],
        output_path=str(tmp_path / "job" / "out"),
    )
    submission = build_submission(settings)
    assert submission.upload_files == [str(tmp_path / "job" / "scene.txt")]
    infos = [str(m) for m in submission.validation if m.field == "upload_paths"]
    assert infos == [
        "upload_paths: 1 path inside output_path left out: {}".format(tmp_path / "job" / "out"),
        "upload_paths: 1 file to upload",
    ]


# -- missing files: error or warning --------------------------------------------------------


def job(tmp_path, **changes):
    values = {"frames": "1", "task_template": "echo", "instance_type": "x", "output_path": "/o"}
    values.update(changes)
    return JobSettings(**values)


def test_missing_files_are_errors_by_default_and_name_the_reference(tmp_path):
    reference = FileReference(str(tmp_path / "gone.exr"), source="file1.fileTextureName")
    submission = build_submission(job(tmp_path), HostContext(file_references=[reference]))
    assert [str(m) for m in submission.errors] == [
        "dependencies: {} (file1.fileTextureName): does not exist".format(tmp_path / "gone.exr")
    ]


def test_missing_files_may_be_warnings(tmp_path):
    settings = job(
        tmp_path,
        missing_files="warning",
        upload_paths=[str(tmp_path / "gone.exr"), "$NOT_SET_HERE/x.exr"],
    )
    submission = build_submission(settings, environ={})
    assert submission.ok
    assert [str(m) for m in submission.warnings] == [
        "upload_paths: {} (upload_paths[0]): does not exist".format(tmp_path / "gone.exr"),
        "upload_paths: cannot resolve $NOT_SET_HERE/x.exr (upload_paths[1]): $NOT_SET_HERE is "
        "not set on this machine",
    ]
    assert [m.path for m in submission.missing_uploads] == [
        str(tmp_path / "gone.exr"),
        "$NOT_SET_HERE/x.exr",
    ]


def test_an_unknown_missing_files_level_is_refused(tmp_path):
    submission = build_submission(job(tmp_path, missing_files="ignore"))
    assert "missing_files: unknown level 'ignore'; valid levels: error, warning" in [
        str(m) for m in submission.errors
    ]


# -- listing: one scandir per folder --------------------------------------------------------


def test_each_folder_is_listed_once(tmp_path, monkeypatch):
    for frame in range(1, 201):
        touch(tmp_path / "seq" / "a.{:04d}.exr".format(frame))
        touch(tmp_path / "seq" / "b.{:04d}.exr".format(frame))
    for index in range(20):
        touch(tmp_path / "seq" / "plain{}.txt".format(index))
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda *a, **k: stats.append(a) or real_stat(*a, **k))
    result = resolve_uploads(
        [str(tmp_path / "seq" / "a.####.exr"), str(tmp_path / "seq" / "b.$F4.exr")]
        + [str(tmp_path / "seq" / "plain{}.txt".format(i)) for i in range(20)],
        frames=FrameSpec("1-100"),
    )
    assert len(result.files) == 220
    assert result.scandirs == 1
    assert stats == []  # no file was asked about on its own
    glob = resolve_uploads([str(tmp_path / "seq" / "a.####.exr")], policy="glob")
    assert len(glob.files) == 200 and glob.scandirs == 1


# -- files that cannot be uploaded ----------------------------------------------------------


def test_a_symlink_loop_is_missing_and_says_so(tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    os.symlink(str(folder / "b.exr"), str(folder / "a.exr"))
    os.symlink(str(folder / "a.exr"), str(folder / "b.exr"))
    result = resolve_uploads([str(folder / "a.exr"), str(folder)])
    assert [str(m) for m in result.missing] == [
        "{} (upload_paths[0]): symlink loop (the link leads back to itself)".format(
            folder / "a.exr"
        ),
        "{} (upload_paths[1]): symlink loop (the link leads back to itself)".format(
            folder / "a.exr"
        ),
        "{} (upload_paths[1]): symlink loop (the link leads back to itself)".format(
            folder / "b.exr"
        ),
    ]


def test_a_link_to_a_folder_is_followed_but_not_back_up(tmp_path):
    shared = tmp_path / "shared"
    touch(shared / "wood.exr")
    project = tmp_path / "project"
    touch(project / "scene.ass")
    os.symlink(str(shared), str(project / "textures"))  # followed
    os.symlink(str(project), str(shared / "up"))  # back up: not followed
    result = resolve_uploads([str(project)])
    assert result.files == [str(project / "scene.ass"), str(project / "textures" / "wood.exr")]
    assert [str(m) for m in result.skipped_links] == [
        "{} (upload_paths[0]): links to {}, a folder above it; not followed".format(
            project / "textures" / "up", project
        )
    ]
    assert result.missing == []


def test_paths_with_spaces_and_non_ascii_characters(tmp_path):
    a = touch(tmp_path / "Szene 1" / "Textur ü 漢字.0001.exr")
    b = touch(tmp_path / "Szene 1" / "Textur ü 漢字.0002.exr")
    result = resolve_uploads(
        [str(tmp_path / "Szene 1" / "Textur ü 漢字.####.exr")], frames=FrameSpec("1-2")
    )
    assert result.files == [a, b]


def test_a_zero_byte_file_is_uploaded(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert resolve_uploads([str(empty)]).files == [str(empty)]


@pytest.fixture
def shared_tmp():
    """A folder another user can reach (pytest's tmp_path is private to root)."""
    path = tempfile.mkdtemp(prefix="farmhand-deps-")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


SCAN_AS_USER = """
import sys
from farmhand.core.deps import resolve_uploads
for m in resolve_uploads(sys.argv[1:]).missing:
    print(m)
"""


def test_an_unreadable_folder_is_missing_with_the_reason(shared_tmp):
    locked = os.path.join(shared_tmp, "locked")
    os.makedirs(locked)
    with open(os.path.join(locked, "tex.exr"), "w") as handle:
        handle.write("x")
    os.chmod(locked, 0)  # no one may list it (the scan runs without root's read-anything)
    try:
        result = run_python_obeying_permissions(
            SCAN_AS_USER, [locked, os.path.join(locked, "tex.exr")]
        )
    finally:
        os.chmod(locked, 0o700)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "{} (upload_paths[0]): the folder cannot be read (Permission denied)".format(locked),
        "{}/tex.exr (upload_paths[1]): its folder {} cannot be read (Permission denied)".format(
            locked, locked
        ),
    ]
