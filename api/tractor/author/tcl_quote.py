"""Writing values as Tcl words, so any string survives the trip through a job script.

Tractor job scripts are Tcl: a value is one *word*. The readable form is a braced word,
``{like this}``, in which nothing is substituted; it is used whenever Tcl gives the text back
unchanged. Braces cannot hold every string: an unbalanced ``{``, a trailing backslash, a
backslash before a newline, or a control character other than tab and newline (file readers
translate ``\\r`` and stop at Tcl's end-of-file ``^Z``). Those values are written as a bare
word with every special character backslash-escaped, which Tcl reads back exactly as well.
"""

from typing import Iterable

# Characters that end a bare word or start a substitution, and their escaped spelling.
_ESCAPES = {
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\f": "\\f",
    "\v": "\\v",
    " ": "\\ ",
}
_SPECIAL = set('{}[]$\\";')


def _is_control(char: str) -> bool:
    """A control character that must not appear raw in a job script (tab and newline may)."""
    code = ord(char)
    return (code < 0x20 and char not in "\t\n") or code == 0x7F


# A bare word that needs no quoting at all (used for short keywords such as dirmap zones).
_BARE_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/+=,@%")


def brace_safe(text: str) -> bool:
    """True when ``{text}`` reads back as ``text`` in Tcl.

    Inside braces Tcl substitutes nothing except backslash-newline, counts nested braces
    (a backslash hides the next character from the count), and a final lone backslash would
    escape the closing brace.
    """
    depth = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if _is_control(char):
            return False
        if char == "\\":
            if index + 1 >= length or text[index + 1] == "\n":
                return False
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
        index += 1
    return depth == 0


def escape_word(text: str) -> str:
    """``text`` as a bare word with every special character escaped (never empty)."""
    if not text:
        return "{}"
    out = []
    for position, char in enumerate(text):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _is_control(char):
            out.append("\\u{:04x}".format(ord(char)))
        elif char in _SPECIAL or (char == "#" and position == 0):
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def quote_word(text: str) -> str:
    """``text`` as one Tcl word: braced when braces can hold it, escaped otherwise."""
    if brace_safe(text):
        return "{" + text + "}"
    return escape_word(text)


def bare_or_quoted(text: str) -> str:
    """A simple keyword as is (``UNC``), anything else quoted."""
    if text and all(char in _BARE_SAFE for char in text):
        return text
    return quote_word(text)


def quote_list(items: Iterable[str]) -> str:
    """The Tcl list of ``items``, each element quoted: ``{a} {b c}``."""
    return " ".join(quote_word(item) for item in items)
