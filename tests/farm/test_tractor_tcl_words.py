"""The Tcl-subset word splitter agrees with a real Tcl interpreter (tclsh) on lists, and
reports what it refuses with the position of the culprit."""

import binascii
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farmhand.farm.tractor.tcl_words import (
    Positions,
    Span,
    TclSyntaxError,
    split_commands,
    split_list,
)
from tests.conftest import require

LIST_PIECES = [
    "{",
    "}",
    '"',
    "\\",
    " ",
    "\n",
    "\t",
    "a",
    "b",
    "\\\n",
    "$",
    "[",
    "]",
    ";",
    "#",
    "x",
    "\\{",
    "0",
    "u",
    "\\u00e9",
    "\\x41",
    "\\101",
    "é",
]


def _tcl_lists(texts):
    """tclsh's reading of each text as a list: ``None`` when it is not a valid list."""
    require(shutil.which("tclsh"), "tclsh (Debian package tcl)")
    lines = ["fconfigure stdout -translation lf"]
    for text in texts:
        lines.append(
            "set s [encoding convertfrom utf-8 [binary decode hex {%s}]]"
            % binascii.hexlify(text.encode("utf-8")).decode()
        )
        lines.append(
            "if {[catch {llength $s}]} {puts ERR} else {set out OK; foreach e $s"
            ' {append out " x" [binary encode hex [encoding convertto utf-8 $e]]}; puts $out}'
        )
    result = subprocess.run(
        ["tclsh"],
        input="\n".join(lines).encode("utf-8"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    answers = []
    for line in result.stdout.decode().splitlines():
        if line == "ERR":
            answers.append(None)
        else:
            answers.append([binascii.unhexlify(h[1:]).decode("utf-8") for h in line.split()[1:]])
    return answers


def _ours(text):
    try:
        return [word.text for word in split_list(Span(text, 0))]
    except TclSyntaxError:
        return None


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(LIST_PIECES), max_size=12).map("".join), min_size=50, max_size=50
    )
)
def test_lists_split_exactly_as_tclsh_splits_them(texts):
    assert [_ours(text) for text in texts] == _tcl_lists(texts)


def test_commands_words_and_comments():
    script = (
        "# a comment \\\n still the comment\n"
        "Job -title {a b} ; Task t\n"
        '  RemoteCmd "quoted \\"x\\"" bare\\ word \\\n   continued\n'
    )
    commands = split_commands(Span(script, 0))
    assert [[w.text for w in words] for words in commands] == [
        ["Job", "-title", "a b"],
        ["Task", "t"],
        ["RemoteCmd", 'quoted "x"', "bare word", "continued"],
    ]
    assert [w.kind for w in commands[2]] == ["bare", "quote", "bare", "bare"]


def test_braced_words_keep_their_content_span_for_nested_parsing():
    script = "Job -subtasks {\n  Task {a}\n}"
    (words,) = split_commands(Span(script, 0))
    nested = split_commands(words[2].content)
    assert nested[0][1].text == "a"
    assert Positions(script).line_column(nested[0][0].offset) == (2, 3)


def test_positions_after_a_backslash_newline_inside_braces_point_at_the_word():
    script = "Job -subtasks {\\\n  Task {a}}"
    (words,) = split_commands(Span(script, 0))
    nested = split_commands(words[2].content)
    assert nested[0][1].text == "a"
    assert not words[2].content.exact
    assert nested[0][0].offset == words[2].offset + 1


def test_backslash_sequences():
    (words,) = split_commands(Span(r"x \t \x41\u00e9\101 \U0001F600 \q", 0))
    assert [w.text for w in words] == ["x", "\t", "Aé\x41", "\U0001f600", "q"]


@pytest.mark.parametrize(
    "text, offset, message",
    [
        ("Job -title {a", 11, "missing close-brace for the open-brace here"),
        ('Job -title "a', 11, "missing close-quote for the quote here"),
        ("Job -title {a}b", 14, "extra characters after close-brace"),
        ('Job -title "a"b', 14, "extra characters after close-quote"),
        (
            "Job -title a$b",
            12,
            "variable substitution ($) is not supported in job scripts; put the value in braces"
            " to use it literally",
        ),
        (
            'Job -title "x [exec rm]"',
            14,
            "command substitution ([...]) is not supported in job scripts; put the value in"
            " braces to use it literally",
        ),
        ("Job {*}$opts", 4, "argument expansion {*} is not supported in job scripts"),
        ("Job -title \\U00110000", 11, "invalid character code \\U00110000 (above U+10FFFF)"),
    ],
)
def test_refusals_name_the_position(text, offset, message):
    with pytest.raises(TclSyntaxError) as caught:
        split_commands(Span(text, 0))
    assert caught.value.message == message
    assert caught.value.offset == offset


def test_lists_take_dollars_and_brackets_literally():
    assert _ours("$a [b] c;d") == ["$a", "[b]", "c;d"]
