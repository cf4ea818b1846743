"""<token> templates: syntax, scopes, errors, values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from farmhand.core.errors import InputError, TokenError
from farmhand.core.frames import plan_frames
from farmhand.core.tokens import (
    SCOPES,
    TOKENS,
    Template,
    chunk_value_getters,
    format_timestamp,
    quote,
    quote_each,
    render_template,
    submission_time,
    tokens_of_scope,
    tokens_visible_in,
)

SEED_TOKENS = (
    "sequencelength", "sequence", "sequencemin", "sequencemax", "cores", "flavor", "instance",
    "preemptible", "retries", "job", "sources", "scout", "chunksize", "chunkcount",
    "scoutcount", "render_package", "project", "chunks", "chunklength", "chunkstart",
    "chunkend", "chunkstep", "chunktype", "directories", "pdir", "temp_dir", "timestamp",
    "submitter", "tiles", "tile_number",
)


def test_every_seed_token_is_in_the_table_once():
    names = [info.name for info in TOKENS]
    assert sorted(names) == sorted(SEED_TOKENS)
    assert len(set(names)) == len(names)


def test_scopes_follow_the_seed_tables():
    assert set(tokens_of_scope("global")) == {"pdir", "temp_dir", "render_package"}
    assert set(tokens_of_scope("task")) == {
        "chunks", "chunklength", "chunkstart", "chunkend", "chunkstep", "chunktype",
    }
    assert tokens_of_scope("tile") == ("tile_number",)
    assert "timestamp" in tokens_of_scope("job")


def test_scopes_nest():
    for wider, narrower in zip(SCOPES, SCOPES[1:]):
        assert set(tokens_visible_in(wider)) < set(tokens_visible_in(narrower))
    assert set(tokens_visible_in("tile")) == set(SEED_TOKENS)


def test_unknown_scope_names_the_valid_ones():
    with pytest.raises(ValueError) as error:
        tokens_visible_in("frame")
    assert str(error.value) == "unknown token scope 'frame'; valid scopes: global, job, task, tile"


@pytest.mark.parametrize(
    "text",
    [
        "render 2>&1 | tee log",
        "render < in.txt > out.txt",
        "cat <<EOF\nhello\nEOF",
        "test 1 < 2 && echo <1> <-x> < job > <job-name>",
        "echo {braces} and {0} and %s",
        "",
    ],
)
def test_shell_text_passes_through(text):
    template = Template(text, "tile", "task_template")
    assert template.tokens == ()
    assert template.is_constant
    assert template.render({}) == text
    assert template.renderer([])() == text


def test_tokens_are_exactly_angle_identifier_angle():
    template = Template("a<job>b <sequence>2>&1", "job")
    assert template.tokens == ("job", "sequence")
    assert template.render({"job": "J", "sequence": "1-10"}) == "aJb 1-102>&1"


def test_unknown_token_lists_the_valid_tokens_of_the_scope():
    with pytest.raises(TokenError) as error:
        Template("Farmhand <jobb>", "job", "job_title")
    message = str(error.value)
    assert message.startswith("job_title: unknown token <jobb> in job scope; valid tokens: <pdir>")
    assert "<tiles>" in message and "<chunkstart>" not in message
    assert error.value.field == "job_title"
    assert error.value.token == "jobb"
    assert error.value.valid == tokens_visible_in("job")


def test_narrower_scope_token_in_the_title_is_refused():
    with pytest.raises(TokenError) as error:
        Template("shot <chunkstart>", "job", "job_title")
    assert str(error.value).startswith(
        "job_title: token <chunkstart> has task scope and cannot be used in job scope; "
        "valid tokens: <pdir>, <temp_dir>, <render_package>, <sequencelength>"
    )
    assert error.value.token_scope == "task"


def test_tile_token_refused_in_task_scope_accepted_in_tile_scope():
    with pytest.raises(TokenError) as error:
        Template("-t <tile_number>", "task", "task_template")
    assert "token <tile_number> has tile scope and cannot be used in task scope" in str(
        error.value
    )
    assert Template("-t <tile_number>", "tile").tokens == ("tile_number",)


def test_token_names_are_case_sensitive():
    with pytest.raises(TokenError) as error:
        Template("<JOB>", "job", "metadata.shot")
    assert str(error.value).startswith("metadata.shot: unknown token <JOB> in job scope")


def test_bind_leaves_only_unknown_values():
    template = Template("<pdir>/x -s <chunkstart> -e <chunkend> <pdir> <chunkstart>", "tile")
    bound = template.bind({"pdir": "/p"})
    assert bound.tokens == ("chunkstart", "chunkend")
    assert bound.render({"chunkstart": 1, "chunkend": 2}) == "/p/x -s 1 -e 2 /p 1"
    render = bound.renderer(["chunkend", "chunkstart", "chunkstep"])
    assert render(2, 1, 9) == "/p/x -s 1 -e 2 /p 1"


def test_renderer_escapes_braces_in_literals():
    render = Template("{ <chunkstart> } {0}", "task").renderer(["chunkstart"])
    assert render(7) == "{ 7 } {0}"


def test_renderer_and_render_need_every_value():
    template = Template("<chunkstart>", "task")
    with pytest.raises(KeyError):
        template.renderer(["chunkend"])
    with pytest.raises(KeyError):
        template.render({})


def test_values_containing_angle_tokens_are_not_expanded_again():
    assert render_template("<job>", {"job": "<sequence>"}, "job") == "<sequence>"


def test_template_equality_and_repr():
    assert Template("a <job>", "job") == Template("a <job>", "job")
    assert Template("a <job>", "job") != Template("a <job>", "task")
    assert "a <job>" in repr(Template("a <job>", "job", "job_title"))


@given(st.text(alphabet="ab <>_1{}&|$\n", max_size=40))
def test_rendering_without_tokens_is_the_identity(text):
    try:
        template = Template(text, "tile")
    except TokenError:
        return  # the text happened to spell an unknown identifier token
    values = dict.fromkeys(template.tokens, "V")
    rendered = template.render(values)
    assert template.renderer(list(values))(*values.values()) == rendered
    if not template.tokens:
        assert rendered == text


def test_quote_escapes_shell_specials():
    assert quote("/path/to/temp") == '"/path/to/temp"'
    assert quote('/a "b" $c `d` \\e') == '"/a \\"b\\" \\$c \\`d\\` \\\\e"'
    assert quote_each(["/r/a", "/r/b"]) == '"/r/a" "/r/b"'


def test_chunk_values_follow_the_seed_table():
    plan = plan_frames("1-10", 2, scout_frames="3,8")
    chunk = plan.chunks[4]
    getters = chunk_value_getters(source_count=2)
    values = {name: getter(chunk) for name, getter in getters.items()}
    assert values == {
        "chunks": "9:10 9:10",
        "chunklength": 2,
        "chunkstart": 9,
        "chunkend": 10,
        "chunkstep": 1,
        "chunktype": "regular",
        "tile_number": 1,
    }
    assert chunk_value_getters(0)["chunks"](chunk) == "9:10"


def test_irregular_chunk_and_tiles():
    plan = plan_frames("1,4,5", 3, tiles=2)
    chunk, tile_two = plan.tasks()[0], plan.tasks()[1]
    getters = chunk_value_getters(1)
    assert getters["chunktype"](chunk) == "irregular"
    assert getters["chunks"](chunk) == "1:5"
    assert getters["tile_number"](chunk) == 1
    assert getters["tile_number"](tile_two) == 2


def test_timestamp_from_source_date_epoch_is_utc_and_reproducible():
    epoch, utc = submission_time({"SOURCE_DATE_EPOCH": "1557191566"})
    assert (epoch, utc) == (1557191566.0, True)
    assert format_timestamp(epoch, utc) == "2019_05_07_01_12_46"


def test_timestamp_without_source_date_epoch_is_now():
    epoch, utc = submission_time({})
    assert not utc
    assert len(format_timestamp(epoch, utc)) == len("2019_05_07_01_12_46")


@pytest.mark.parametrize(
    "value, message",
    [
        ("yesterday", "SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH must be whole seconds since 1970, "
         "not 'yesterday'"),
        ("-5", "SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH must not be negative, got -5"),
    ],
)
def test_bad_source_date_epoch(value, message):
    with pytest.raises(InputError) as error:
        submission_time({"SOURCE_DATE_EPOCH": value})
    assert str(error.value) == message
