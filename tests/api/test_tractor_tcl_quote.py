"""Values written by the author API read back unchanged by a real Tcl interpreter (tclsh)."""

import binascii
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farmhand.api.tractor.author.tcl_quote import (
    bare_or_quoted,
    brace_safe,
    escape_word,
    quote_list,
    quote_word,
)
from tests.conftest import require

TRICKY = [
    "",
    "plain",
    "two words",
    "a {braced} value",
    "unbalanced { brace",
    "closing } first {",
    "}",
    "{",
    "trailing backslash\\",
    "back\\slash",
    "escaped \\{ brace",
    "\\}",
    "line\nbreak",
    "backslash-newline \\\n  continued",
    "$HOME and [exec rm -rf /] and \"quotes\" ;",
    "#not a comment",
    "tab\there",
    "é 日本 ✓",
    "C:\\Program Files\\app.exe",
    "\\\\server\\share",
    "crlf\r\n",
    "ctrl-z \x1a nul \x00 del \x7f",
]


def _tclsh_hex_lines(tmp_path, body):
    """Run ``body`` (Tcl that puts hex-encoded UTF-8 lines) in tclsh; the decoded lines."""
    require(shutil.which("tclsh"), "tclsh (Debian package tcl)")
    script = tmp_path / "words.tcl"
    script.write_bytes(("fconfigure stdout -translation lf\n" + body + "\n").encode("utf-8"))
    result = subprocess.run(
        ["tclsh"],
        input="source -encoding utf-8 {{{}}}\n".format(script).encode(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr.decode()
    return [
        binascii.unhexlify(line).decode("utf-8") for line in result.stdout.decode().splitlines()
    ]


def _tcl_read(tmp_path, words):
    """What tclsh makes of each Tcl word: the decoded strings, in order."""
    return _tclsh_hex_lines(
        tmp_path,
        "\n".join(
            "puts [binary encode hex [encoding convertto utf-8 {}]]".format(word) for word in words
        ),
    )


def test_tricky_values_read_back_unchanged_by_tclsh(tmp_path):
    assert _tcl_read(tmp_path, [quote_word(text) for text in TRICKY]) == TRICKY


def test_lists_read_back_element_by_element(tmp_path):
    word = quote_word(quote_list(TRICKY))
    body = "foreach item {} {{puts [binary encode hex [encoding convertto utf-8 $item]]}}"
    assert _tclsh_hex_lines(tmp_path, body.format(word)) == TRICKY


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), max_size=12))
def test_any_text_reads_back_unchanged(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("tcl")
    assert _tcl_read(tmp_path, [quote_word(text) for text in texts]) == texts


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a one-task render job", "{a one-task render job}"),
        ("", "{}"),
        ("a {b} c", "{a {b} c}"),
        ("a { b", "a\\ \\{\\ b"),
        ("end\\", "end\\\\"),
        ("x\\\ny", "x\\\\\\ny"),
    ],
)
def test_readable_braces_when_possible_escapes_otherwise(text, expected):
    assert quote_word(text) == expected


def test_brace_safety_rules():
    assert brace_safe("a {b {c}} d")
    assert brace_safe("\\{")
    assert not brace_safe("{")
    assert not brace_safe("}{")
    assert not brace_safe("\\")
    assert not brace_safe("a\\\nb")
    assert escape_word("#x y") == "\\#x\\ y"


def test_bare_keywords_stay_bare():
    assert bare_or_quoted("UNC") == "UNC"
    assert bare_or_quoted("my zone") == "{my zone}"
    assert bare_or_quoted("") == "{}"
