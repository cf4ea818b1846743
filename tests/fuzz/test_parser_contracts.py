"""Property tests of the parsers users feed: any input parses or raises Farmhand's typed error
naming where it came from; what parses survives its round trip.

These complement the properties beside each parser (``tests/core/test_frames_properties.py``
checks frame arithmetic against sets and fileseq from *valid* specs, ``test_job_file.py``
round-trips *valid* settings, ``tests/farm/test_tractor_script.py`` reads *authored* jobs back
through tclsh): here the inputs are the malformed ones a user, a job file or a client sends.
The atheris targets in ``fuzz/`` check the same contracts coverage-guided; these run the same
checks from grammar-shaped text. ``FARMHAND_HYPOTHESIS_EXAMPLES`` raises the counts.
"""

import json
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from farmhand.core.deps import find_pattern
from farmhand.core.errors import FrameSpecError, InputError, TokenError
from farmhand.core.frames import FrameSpec, resolve_scout_frames
from farmhand.core.host.path_patterns import frame_token_to_hashes
from farmhand.core.job.build import build_submission
from farmhand.core.job.context import HostContext
from farmhand.core.job.job_file import SETTING_NAMES, settings_from_dict, settings_to_dict
from farmhand.core.tokens import SCOPES, TOKENS, Template, tokens_visible_in
from farmhand.farm.tractor.errors import JobScriptError
from farmhand.farm.tractor.script import parse_job_script
from farmhand.farm.tractor.translate import to_job_spec

SETTINGS = settings(
    max_examples=int(os.environ.get("FARMHAND_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def quickly(call, seconds=2.0):
    started = time.perf_counter()
    try:
        return call()
    finally:
        elapsed = time.perf_counter() - started
        assert elapsed < seconds, "took {:.1f} s".format(elapsed)


# -- frame specs and scout specs -----------------------------------------------------------

spec_text = st.text(alphabet="0123456789-,xy: .\t²١", max_size=30) | st.from_regex(
    r"\A-?\d{1,6}(-(-?\d{1,7})([xy:]-?\d{1,3})?)?(,-?\d{1,6}(-(-?\d{1,7})([xy:]-?\d{1,3})?)?){0,3}\Z"
)


@SETTINGS
@given(spec_text)
def test_any_frame_spec_parses_or_names_its_fragment(text):
    try:
        spec = quickly(lambda: FrameSpec.parse(text))
    except FrameSpecError as error:
        assert error.field == "frames" and error.reason
        assert 1 <= error.position <= text.count(",") + 1
        assert error.fragment == text.split(",")[error.position - 1].strip()
        assert "fragment {} {!r}".format(error.position, error.fragment) in str(error)
        return
    assert FrameSpec.parse(str(spec)) == spec
    assert str(FrameSpec.parse(str(spec))) == str(spec)


@SETTINGS
@given(
    st.tuples(st.sampled_from(["", "auto:", "AUTO ", "auto", "fml", "FML ", " "]), spec_text).map(
        "".join
    ),
    st.sampled_from(["1-100", "5", "1-1000x7", "-20--1,1-3"]),
)
def test_any_scout_spec_resolves_inside_the_frames_or_names_scout_frames(text, frames_text):
    frames = FrameSpec.parse(frames_text)
    try:
        scouts = quickly(lambda: resolve_scout_frames(text, frames))
    except FrameSpecError as error:
        assert error.field == "scout_frames"
        assert "scout frames take" in str(error) or "valid forms" in str(error)
        return
    assert scouts.frames <= frames and not (scouts.dropped & frames)


# -- token templates ----------------------------------------------------------------------

token_names = st.sampled_from([info.name for info in TOKENS] + ["JOB", "nope", "chunk start"])
template_text = st.lists(
    st.text(alphabet="ab <>_1{}&|$\n", max_size=6) | token_names.map("<{}>".format), max_size=8
).map("".join)


@SETTINGS
@given(template_text, st.sampled_from(SCOPES))
def test_any_template_is_checked_against_its_scope_and_renders_back(text, scope):
    try:
        template = Template(text, scope, "task_template")
    except TokenError as error:
        assert error.field == "task_template" and error.scope == scope
        assert error.token not in tokens_visible_in(scope)
        assert "<{}>".format(error.token) in str(error)
        return
    itself = {name: "<{}>".format(name) for name in tokens_visible_in(scope)}
    assert template.render(itself) == text


# -- job files ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["1-10", "auto:2", "<job> <chunkstart>", "linear", "smart", "error"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
job_dicts = st.dictionaries(
    st.sampled_from(SETTING_NAMES + ("titel", "scout_frame")), json_values, max_size=6
)


@SETTINGS
@given(job_dicts)
def test_any_job_file_object_is_read_or_names_its_key_and_builds_without_raising(data):
    try:
        job = settings_from_dict(data)
    except InputError as error:
        key = error.field.split(".")[0].split("[")[0]
        assert key in data, (error.field, data)
        assert str(error).startswith(error.field + ": ")
        return
    assert settings_from_dict(settings_to_dict(job)) == job
    job.upload_paths = []  # a generated path may be '/': the scan is tested in tests/core
    job.max_tasks = min(job.max_tasks, 1000) if isinstance(job.max_tasks, int) else 1000
    submission = quickly(lambda: build_submission(job, HostContext(job_name="shot"), environ={}))
    text = submission.payload_json()
    assert json.loads(text) == json.loads(json.dumps(submission.to_payload()))


# -- Tractor job scripts ------------------------------------------------------------------

tcl_words = st.sampled_from(
    [
        "Job", "Task", "Instance", "RemoteCmd", "Cmd", "Assign", "-title", "-subtasks",
        "-cmds", "-priority", "-serialsubtasks", "-id", "-service", "-init", "-dirmaps",
        "-afterjids", "-after", "{", "}", "{x}", '"', "\\", ";", "\n", "[", "]", "$x", "#",
        "1", "-1", "inf", "1e999", "{echo a}", "{}", "{{a b c}}",
    ]
)
scripts = st.lists(tcl_words | st.text(max_size=4), max_size=30).map(" ".join)


@SETTINGS
@given(st.just("Job -title {t} ") | st.just(""), scripts)
def test_any_job_script_reads_or_names_line_and_column(head, body):
    text = head + body
    try:
        spec = quickly(lambda: to_job_spec(parse_job_script(text), owner="me", script=text))
    except JobScriptError as error:
        assert error.line >= 1 and error.column >= 1
        assert str(error).startswith("job script line {}, column {}: ".format(
            error.line, error.column
        ))
        return
    assert spec.tasks


# -- path patterns ------------------------------------------------------------------------

placeholders = st.sampled_from(["#", "####", "$F", "$F4", "$3F", "%d", "%04d", "<f>", "<frame>"])
# a literal after a placeholder starts with a separator: ``$F_x`` is the variable ``$F_x``
literals = st.tuples(st.sampled_from("./-"), st.text(alphabet="abc._/-", max_size=4)).map(
    "".join
)


@SETTINGS
@given(
    st.lists(st.tuples(literals, placeholders), min_size=1, max_size=3),
    literals,
    st.integers(-2000, 20000),
)
def test_a_file_name_of_a_frame_reads_back_as_that_frame(pieces, tail, frame):
    path = "".join(literal + placeholder for literal, placeholder in pieces) + tail
    pattern = find_pattern(path)
    assert pattern is not None and len(pattern.paddings) == len(pieces)
    regex = pattern.regex()
    for name in pattern.candidates(frame):
        assert pattern.frame_of(name, regex) == frame, (path, name)


@SETTINGS
@given(
    st.lists(st.sampled_from(["<UDIM>", "<udim>", "<UVTILE>", "<u>", "<v>", "<U>", "<V>", "x",
                              ".", "_", "1", "22"]), max_size=6).map("".join),
    st.text(alphabet="0123456789u_v.xy-", max_size=60),
    st.integers(1, 6),
)
def test_frame_tokens_become_hashes_quickly_whatever_the_resolved_name(prefix, resolved, width):
    path = "tex/" + prefix + ".<f>.exr"
    hashes = quickly(lambda: frame_token_to_hashes(path, resolved), 1.0)
    assert hashes.startswith("tex/" + prefix + ".#") and "<f>" not in hashes
    tiles = {"<UDIM>": "1001", "<udim>": "1002", "<UVTILE>": "u1_v1"}
    name = prefix
    for token, value in tiles.items():
        name = name.replace(token, value)
    for token in ("<u>", "<v>", "<U>", "<V>"):
        name = name.replace(token, "3")
    resolved_name = "tex/" + name + "." + "7".zfill(width) + ".exr"
    assert frame_token_to_hashes(path, resolved_name) == path.replace("<f>", "#" * width)
