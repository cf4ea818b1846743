"""Regression tests for what fuzzing found: each test holds the exact input of one finding.

RELIABILITY.md ("Fuzzing") lists the findings and their fixes; the inputs here are the ones
atheris or hypothesis reported (minimised where the report was long), so a finding cannot
come back unnoticed. Every input must now be refused with a typed error whose message names
the bad value, quickly.
"""

import functools
import json
import time

import pytest

from farmhand.core.errors import FrameSpecError, InputError
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
    ten = "{}0-{}".format("9" * 99, "9" * 100)  # ten frames of 100 digits
    assert str(FrameSpec.parse(ten)) == ten


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Finding: len() of a spec of 10**42 frames raised OverflowError (a C ssize_t), in
        # FrameSpec and in the scouts and plans built on it.
        (
            "100999999999999999999999999999999999999999-2x-7",
            "holds 14,428,571,428,571,428,571,428,571,428,571,428,571,429 frames, over the "
            "limit of 1,000,000,000,000,000,000 frames a spec may hold (a count Python's len() "
            "can give)",
        ),
        (
            "1-900000000000000000,2000000000000000000-2200000000000000000",
            "brings the spec to 1,100,000,000,000,000,001 frames, over the limit of "
            "1,000,000,000,000,000,000 frames",
        ),
    ],
)
def test_frames_a_spec_of_more_frames_than_len_can_count_is_refused(text, reason):
    error = refused_quickly(lambda: FrameSpec.parse(text), FrameSpecError)
    assert error.reason.startswith(reason)
    assert len(FrameSpec.parse("1-1000000000000000000")) == 10**18
    with pytest.raises(InputError) as caught:
        FrameSpec.from_progressions([(1, 10**30, 1)])
    assert str(caught.value) == (
        "frames: the progressions hold 1,000,000,000,000,000,000,000,000,000,000 frames, over "
        "the limit of 1,000,000,000,000,000,000 frames a spec may hold"
    )
    # the scout spec fuzz target's input: frames that len() cannot count, then auto:5
    error = refused_quickly(
        lambda: FrameSpec.parse("177777777777777777777777777777777777777777770-099"),
        FrameSpecError,
    )
    assert error.position == 1 and "a spec may hold" in error.reason


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


# -- farm request bodies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # Finding: a RecursionError from the JSON decoder was answered with a 500.
        (b"[" * 5000, "the request body nests arrays or objects too deeply to read"),
        (b'{"a":' * 3000, "the request body nests arrays or objects too deeply to read"),
        (b"1" * 5000, "the request body is not valid JSON (Exceeds the limit (4300 digits)"),
    ],
)
def test_farm_bodies_nested_too_deeply_are_a_400_naming_the_body(body, message):
    from farmhand.farm.errors import RequestError, status_of
    from farmhand.farm.http_util import parse_json_body

    error = refused_quickly(lambda: parse_json_body(body), RequestError)
    assert status_of(error) == 400 and error.field == "body"
    assert str(error).startswith("body: " + message)


@pytest.mark.parametrize("action", [["00001", 2], {"kill": 1}])
def test_farm_an_action_that_is_a_list_or_object_is_a_400(action):
    # Finding: b'{"action":["00001", 2]}' to /jobs_multi raised TypeError (unhashable): a 500.
    from farmhand.farm.errors import RequestError
    from farmhand.farm.routes.actions import JOB_ACTIONS, TASK_ACTIONS, _action

    for valid in (JOB_ACTIONS, TASK_ACTIONS):
        error = refused_quickly(
            functools.partial(_action, {"action": action}, valid), RequestError
        )
        assert error.field == "action"
        assert str(error).startswith("action: unknown action {!r}; valid actions: kill".format(
            action
        ))


# -- job files -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[" * 5000, '{"metadata":' * 3000])
def test_job_file_nested_too_deeply_is_a_job_file_error(tmp_path, text):
    # Finding: '[' * 5000 escaped read_job_file as a RecursionError.
    from farmhand.core.job.job_file import JobFileError, load_job_file

    path = tmp_path / "deep.json"
    path.write_text(text)
    error = refused_quickly(lambda: load_job_file(str(path)), JobFileError)
    assert str(error) == "{}: not valid JSON: arrays or objects nested too deeply".format(path)


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        # Finding: a NUL in an upload path made os.stat raise ValueError out of the build.
        ("scene\u0000.blend", "holds a NUL character, which no file name can contain"),
        ("scene\ud800.blend", "holds characters this system cannot put in a file name"),
    ],
)
def test_job_file_upload_paths_no_file_can_have_are_missing_files(tmp_path, upload, reason):
    from farmhand.core.job.build import build_submission
    from farmhand.core.job.job_file import job_file_context, load_job_file

    path = tmp_path / "shot.json"
    path.write_text(
        '{"frames": "1-2", "task_template": "echo <chunkstart>", "upload_paths": [%s]}'
        % json.dumps(upload)
    )
    submission = build_submission(load_job_file(str(path)), job_file_context(str(path)))
    messages = [str(message) for message in submission.errors]
    assert any(reason in message and "upload_paths[0]" in message for message in messages), (
        messages
    )


# -- path patterns -------------------------------------------------------------------------


def test_path_patterns_a_padding_wider_than_32_is_literal_text():
    # Finding: 't%0900909d<f>' made megabyte file names, then int() of them raised ValueError.
    from farmhand.core.deps import find_pattern

    started = time.perf_counter()
    pattern = find_pattern("t%0900909d<f>")
    assert pattern.literals == ["t%0900909d", ""] and pattern.paddings == [None]
    assert find_pattern("a.%0" + "9" * 5000 + "d.exr") is None
    assert find_pattern("x." + "#" * 33 + ".exr") is None
    assert find_pattern("x." + "#" * 32 + ".exr").paddings == [32]
    assert time.perf_counter() - started < 1.0


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("path", "resolved"),
    [
        # Finding: tile tokens as '.+?' backtracked exponentially (10 tokens: 6.7 s).
        ("a" + "<UDIM>x" * 10 + "<f>.exr", "a" + "1x" * 30 + "y"),
        ("a" + "<u>" * 40 + "<f>.exr", "a" + "1" * 120 + "y"),
        ("a" + "<u>1<v>2" * 40 + "<f>.exr", "a" + "1" * 1200 + "y"),
    ],
)
def test_path_patterns_tile_tokens_do_not_backtrack(path, resolved):
    from farmhand.core.host.path_patterns import frame_token_to_hashes

    started = time.perf_counter()
    assert frame_token_to_hashes(path, resolved) == path.replace("<f>", "#")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("path", "resolved", "expected"),
    [
        ("tex.<UDIM>.<f>.exr", "tex.1001.0012.exr", "tex.<UDIM>.####.exr"),
        ("t.<u>_<v>.<f>.exr", "t.0_1.07.exr", "t.<u>_<v>.##.exr"),
        ("t.<UVTILE>.<f>.exr", "t.u10_v2.-007.exr", "t.<UVTILE>.####.exr"),
        ("t<u>1<v>.<f>.exr", "t013.0100.exr", "t<u>1<v>.####.exr"),
    ],
)
def test_path_patterns_frame_padding_still_read_through_tile_values(path, resolved, expected):
    from farmhand.core.host.path_patterns import frame_token_to_hashes

    assert frame_token_to_hashes(path, resolved) == expected


# -- found by probing the farm with the fuzzers' inputs (tests/fuzz/test_farm_http_bodies.py
# posts the same bodies to a real farm) -----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        # Finding: a priority of 2**70 raised OverflowError in SQLite: a 500.
        ("priority", 2**70, "must be a 64-bit integer (-2**63 to 2**63 - 1), got 1180591620717"),
        ("priority", -(2**70), "must be a 64-bit integer (-2**63 to 2**63 - 1), got -118059162"),
        ("chunk_size", 2**63, "must be a 64-bit integer (-2**63 to 2**63 - 1), got 92233720368"),
        # Finding: a NUL in output_path was kept, and copying outputs would raise ValueError.
        ("output_path", "/tmp/a\u0000b", "contains a NUL character"),
    ],
)
def test_farm_payload_values_the_farm_cannot_keep_are_a_400(key, value, message):
    from farmhand.farm.errors import RequestError
    from farmhand.farm.payload import parse_payload
    from fuzz.farm_bodies import CATALOGUE

    payload = {
        "project": "default",
        "instance_type": "standard-2",
        "tasks_data": [{"command": "true", "frames": "1"}],
        key: value,
    }
    error = refused_quickly(lambda: parse_payload(payload, CATALOGUE), RequestError)
    assert error.field == key and str(error).startswith("{}: {}".format(key, message))


@pytest.mark.parametrize(
    ("body", "field", "character"),
    [
        # Finding: a title, a command or a location of '\ud800' (a lone surrogate, which JSON
        # escapes can carry) could not be encoded for SQLite: a 500.
        ('{"job_title": "\\ud800"}', "job_title", "\ud800"),
        ('{"tasks_data": [{"command": "true \\udc80"}]}', "tasks_data[0].command", "\udc80"),
        ('{"environment": {"A": "\\uDBFF"}}', "environment.A", "\udbff"),
        ('["\\ud800"]', "[0]", "\ud800"),
        ('{"\\ud800": 1}', "body", "\ud800"),
    ],
)
def test_farm_bodies_with_a_lone_surrogate_are_a_400_naming_the_value(body, field, character):
    from farmhand.farm.errors import RequestError
    from farmhand.farm.http_util import parse_json_body

    error = refused_quickly(lambda: parse_json_body(body.encode()), RequestError)
    assert error.field == field
    assert "holds a lone surrogate {!r}".format(character) in str(error)


def test_farm_bodies_with_escaped_pairs_and_backslashes_are_text():
    from farmhand.farm.http_util import parse_json_body

    assert parse_json_body(json.dumps({"t": "\U0001f600"}).encode()) == {"t": "\U0001f600"}
    assert parse_json_body(b'{"a": "\\\\ud800"}') == {"a": "\\ud800"}


@pytest.mark.parametrize("text", ["9" * 30, 2**70, "9" * 5000, "9223372036854775808"])
def test_farm_ids_too_large_for_sqlite_name_no_job_or_task(text):
    # Finding: GET /api/v1/jobs/999...9 (30 digits) and /jobs_multi {"jobids": [2**70]} raised
    # OverflowError in SQLite: a 500.
    from farmhand.farm.errors import NotFoundError
    from farmhand.farm.ids import clamp_id, parse_job_id, parse_task_index

    error = refused_quickly(lambda: parse_job_id(text), NotFoundError)
    assert str(error) == "no job {!r} (job ids are numbers like 00007)".format(text)
    error = refused_quickly(lambda: parse_task_index(text), NotFoundError)
    assert str(error) == "no task {!r} (task ids are numbers like 003)".format(text)
    assert clamp_id(str(text)) == 2**63 - 1
    assert parse_job_id("9223372036854775807") == 2**63 - 1 and clamp_id("0007") == 7


@pytest.mark.parametrize(
    ("script", "message"),
    [
        # Findings: Tcl escapes of lone surrogates reached SQLite (a 500); -maxactive of 5,000
        # digits raised ValueError; -priority 1e308 overflowed SQLite's integer (a 500).
        (
            'Job -title "\\ud800" -subtasks {Task t -cmds {RemoteCmd {true}}}',
            "job script line 1, column 12: the word '\\ud800' holds a lone surrogate (a "
            "\\uD800-\\uDFFF escape), which is not a character",
        ),
        (
            'Job -title x -subtasks {Task t -cmds {RemoteCmd "true \\udc80"}}',
            "job script line 1, column 49: the word 'true \\udc80' holds a lone surrogate",
        ),
        (
            "Job -title x -maxactive " + "9" * 5000 + " -subtasks {Task t -cmds {RemoteCmd x}}",
            "job script line 1, column 25: invalid value '" + "9" * 57 + "...' for -maxactive of"
            " Job; expected an integer >= 0 of at most 18 digits",
        ),
        (
            "Job -title x -afterjids {1 " + "9" * 30 + "} -subtasks {Task t -cmds {RemoteCmd x}}",
            "job script line 1, column 28: invalid item '" + "9" * 30 + "' in -afterjids of Job;"
            " expected a list of integers of at most 18 digits",
        ),
        (
            "Job -title x -priority 1e308 -subtasks {Task t -cmds {RemoteCmd x}}",
            "job script line 1, column 24: invalid value '1e308' for -priority of Job; expected"
            " a number from -1e15 to 1e15",
        ),
    ],
)
def test_tractor_scripts_with_values_the_farm_cannot_keep_name_line_and_column(script, message):
    from farmhand.farm.tractor.errors import JobScriptError
    from farmhand.farm.tractor.script import parse_job_script
    from farmhand.farm.tractor.translate import to_job_spec

    error = refused_quickly(lambda: to_job_spec(parse_job_script(script)), JobScriptError)
    assert str(error).startswith(message)


@pytest.mark.parametrize("port", ["³", "9" * 5000, "٨٠"])
def test_tractor_engine_ports_that_are_not_ascii_numbers_are_refused(port):
    # Finding: 'h:...³3' passed str.isdigit() and int() raised ValueError (TRACTOR_ENGINE).
    from farmhand.api.tractor.author.engine import parse_engine
    from farmhand.api.tractor.author.errors import AuthorError

    error = refused_quickly(lambda: parse_engine("host:" + port), AuthorError)
    assert "invalid port {!r} in engine".format(port) in str(error)
    assert "expected a number from 1 to 65535" in str(error)
