"""Token values put into a command line so that the shell reads each one as data.

A task template is ``/bin/sh`` text, and the values of ``<job>``, ``<sources>``, ``<pdir>``...
come from the scene: a layer, an image or a folder named ``x; rm -rf ~`` or ``$(...)`` must
arrive as that text, never run. How a value has to be written depends on where the token
stands in the template, so the template's literal text is read the way a POSIX shell reads
quotes (backslash, single and double quotes; not ``$(...)`` nesting or here-documents):

* outside quotes, a value is one word: left as it is when it holds only characters no shell
  treats specially, else double-quoted (``quote``); a word list (``<sources>``) gives one
  word per item, as the token means;
* inside double quotes (``-proj "<pdir>"``), the value is escaped for them without adding
  quotes, so the template's own quotes still hold it;
* inside single quotes, the quotes are closed around the value's word and reopened.

Values that are shell text already (``<render_package>``, ``<temp_dir>``, ``<directories>``,
double-quoted by ``values``) are inserted as they are outside quotes, and inside quotes
with the template's quote closed and reopened around them. Numbers and frame specs hold only
plain characters, so the commands of ordinary scenes read exactly as before.
"""

import re
from typing import List, Mapping, Sequence, Tuple

from farmhand.core.tokens.values import quote

# Tokens whose values are already quoted for the shell (see values.py and job/token_values).
SHELL_READY = frozenset(("temp_dir", "render_package", "directories"))

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]*\Z")
_DOUBLE_QUOTE_SPECIALS = ("\\", '"', "$", "`")

BARE, SINGLE, DOUBLE = "bare", "single", "double"


def shell_word(text: str) -> str:
    """``text`` as one shell word: as it is when plain, else double-quoted."""
    return text if _PLAIN.match(text) else quote(text)


def escape_for_double_quotes(text: str) -> str:
    for special in _DOUBLE_QUOTE_SPECIALS:
        text = text.replace(special, "\\" + special)
    return text


def scan(text: str, state: str, escaped: bool) -> Tuple[str, bool]:
    """The quoting state after ``text`` (read from ``state``), and whether a backslash
    outside single quotes is left waiting for the next character."""
    for char in text:
        if escaped:
            escaped = False
        elif state == SINGLE:
            if char == "'":
                state = BARE
        elif char == "\\":
            escaped = True
        elif state == DOUBLE:
            if char == '"':
                state = BARE
        elif char == "'":
            state = SINGLE
        elif char == '"':
            state = DOUBLE
    return state, escaped


def shell_value(
    name: str, value: object, state: str, word_lists: Mapping[str, Sequence[str]]
) -> str:
    """The text to put in place of token ``name`` standing in quoting ``state``."""
    text = str(value)
    if state == DOUBLE:
        if name in SHELL_READY:
            return '"' + text + '"' if text else ""
        return escape_for_double_quotes(text)
    if name in SHELL_READY:
        word = text
    elif name in word_lists:
        word = " ".join(shell_word(item) or '""' for item in word_lists[name])
    else:
        word = shell_word(text) if text else ""
    if state == SINGLE:
        return "'" + word + "'" if word else ""
    return word


def shell_bind_parts(
    parts: Sequence[str],
    values: Mapping[str, object],
    word_lists: Mapping[str, Sequence[str]],
) -> List[str]:
    """``parts`` (literal, token, literal, ..., literal) with every token found in ``values``
    replaced by its shell-safe text; tokens without a value stay as they are."""
    merged: List[str] = [parts[0]]
    state, escaped = scan(parts[0], BARE, False)
    for position in range(1, len(parts), 2):
        name, literal = parts[position], parts[position + 1]
        if name in values:
            # A backslash just before the token would take the value's first character:
            # a backslash-newline (removed by the shell) takes it instead.
            prefix = "\n" if escaped else ""
            merged[-1] += prefix + shell_value(name, values[name], state, word_lists) + literal
        else:  # a task token: a number or frames, plain characters filled in later
            merged.extend((name, literal))
        state, escaped = scan(literal, state, False)
    return merged
