"""The part of Tcl that job scripts use: commands, words, braces, quotes and backslashes.

Tractor job scripts are Tcl, but only as a notation for a tree: operators (``Job``, ``Task``,
``RemoteCmd``...) followed by ``-option value`` words, with nested scripts in braces. This
module splits text into commands and words, and Tcl lists into elements, by Tcl's own rules
(braces quote literally and nest, double quotes and bare words take backslash escapes,
backslash-newline joins lines, ``#`` starts a comment where a command may start). It never
evaluates anything: a ``$variable`` or ``[command]`` substitution outside braces is refused
with its position, because a job script is data, not a program to run on the farm.

Every word remembers where it started in the original text, and braced words keep the span
of their content, so an error deep in a nested ``-subtasks {...}`` still reports the line and
column of the original script.
"""

import bisect
import re
from typing import List, NamedTuple, Optional, Tuple

SPACE = " \t\v\f\r"
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}
_HEX = "0123456789abcdefABCDEF"
_BRACE_SPECIAL = re.compile(r"[\\{}]")
_SCRIPT_BARE_STOPS = re.compile(r"[ \t\v\f\r\n;\\$\[]")
_LIST_BARE_STOPS = re.compile(r"[ \t\v\f\r\n\\]")
_OCTAL = "01234567"


class TclSyntaxError(Exception):
    """Text that is not valid in the Tcl subset; ``offset`` points into the original text."""

    def __init__(self, message: str, offset: int, word: Optional[str] = None) -> None:
        super(TclSyntaxError, self).__init__(message)
        self.message = message
        self.offset = offset
        self.word = word


class Span(NamedTuple):
    """A piece of text to parse and where it sits in the original script.

    ``exact`` is True when ``text[i]`` is at ``base + i`` in the original; when a
    backslash-newline was folded into a space the positions drift, so every position inside
    the span is then reported at ``base`` (the start of the word it came from).
    """

    text: str
    base: int
    exact: bool = True

    def offset(self, index: int) -> int:
        return self.base + index if self.exact else self.base


class Word(NamedTuple):
    """One word: its value, where it starts, and how it was written."""

    text: str
    offset: int
    kind: str  # "brace", "quote" or "bare"
    content: Span  # the value as a span, for parsing it further (a nested script or a list)


class Positions(object):
    """Maps offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]

    def line_column(self, offset: int) -> Tuple[int, int]:
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


def _backslash(text: str, index: int) -> Tuple[str, int]:
    """The value of the backslash sequence at ``text[index]`` and the index after it."""
    if index + 1 >= len(text):
        return "\\", index + 1
    char = text[index + 1]
    if char == "\n":
        end = index + 2
        while end < len(text) and text[end] in " \t":
            end += 1
        return " ", end
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char], index + 2
    if char in "xuU":
        limit = {"x": 2, "u": 4, "U": 8}[char]
        end = index + 2
        while end < len(text) and end - index - 2 < limit and text[end] in _HEX:
            end += 1
        if end == index + 2:
            return char, end
        code = int(text[index + 2 : end], 16)
        if code > 0x10FFFF:
            raise TclSyntaxError(
                "invalid character code \\{} (above U+10FFFF)".format(text[index + 1 : end]),
                index,
            )
        return chr(code), end
    if char in _OCTAL:
        end = index + 1
        while end < len(text) and end - index - 1 < 3 and text[end] in _OCTAL:
            end += 1
        return chr(int(text[index + 1 : end], 8) & 0xFF), end
    return char, index + 2


class _Reader(object):
    """Reads words from one span; ``script`` says whether ``;``, ``#`` and substitutions
    have their command meaning (a script) or are plain characters (a list)."""

    def __init__(self, span: Span, script: bool) -> None:
        self.span = span
        self.text = span.text
        self.script = script

    def fail(self, message: str, index: int, word: Optional[str] = None) -> TclSyntaxError:
        return TclSyntaxError(message, self.span.offset(index), word)

    def word_end(self, index: int) -> bool:
        if index >= len(self.text):
            return True
        char = self.text[index]
        if char in SPACE or char == "\n":
            return True
        if not self.script:
            return False
        # In a script, backslash-newline is folded into a space before words are split.
        if char == ";":
            return True
        return char == "\\" and index + 1 < len(self.text) and self.text[index + 1] == "\n"

    def culprit(self, start: int, index: int) -> str:
        """The word from ``start`` through the characters stuck to its end (at most 200)."""
        while index < len(self.text) and self.text[index] not in SPACE + "\n":
            index += 1
        word = self.text[start:index]
        return word if len(word) <= 200 else word[:100] + "..." + word[-97:]

    def read_word(self, index: int) -> Tuple[Word, int]:
        char = self.text[index]
        if char == "{":
            if self.text.startswith("{*}", index) and not self.word_end(index + 3):
                raise self.fail(
                    "argument expansion {*} is not supported in job scripts", index, "{*}"
                )
            return self.read_braced(index)
        if char == '"':
            return self.read_quoted(index)
        return self.read_bare(index)

    def read_braced(self, start: int) -> Tuple[Word, int]:
        text = self.text
        depth = 1
        index = start + 1
        out: List[str] = []
        exact = True
        while True:
            # Jump to the next character that matters (braces are most of a job script).
            found = _BRACE_SPECIAL.search(text, index)
            if found is None:
                raise self.fail(
                    "missing close-brace for the open-brace here", start, text[start : start + 40]
                )
            special = found.start()
            out.append(text[index:special])
            index = special
            char = text[index]
            if char == "\\":
                if self.script and index + 1 < len(text) and text[index + 1] == "\n":
                    value, index = _backslash(text, index)
                    out.append(value)
                    exact = False
                    continue
                out.append(text[index : index + 2])
                index += 2
                continue
            if char == "{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    break
            out.append(char)
            index += 1
        if not self.word_end(index + 1):
            raise self.fail(
                "extra characters after close-brace", index + 1, self.culprit(start, index + 1)
            )
        value = "".join(out)
        content = Span(value, self.span.offset(start + 1), self.span.exact and exact)
        return Word(value, self.span.offset(start), "brace", content), index + 1

    def read_quoted(self, start: int) -> Tuple[Word, int]:
        text = self.text
        index = start + 1
        out: List[str] = []
        while index < len(text):
            char = text[index]
            if char == '"':
                break
            if char == "\\":
                value, index = _backslash(text, index)
                out.append(value)
                continue
            self.check_substitution(char, index, start)
            out.append(char)
            index += 1
        else:
            raise self.fail(
                "missing close-quote for the quote here", start, text[start : start + 40]
            )
        if not self.word_end(index + 1):
            raise self.fail(
                "extra characters after close-quote", index + 1, self.culprit(start, index + 1)
            )
        value = "".join(out)
        content = Span(value, self.span.offset(start + 1), False)
        return Word(value, self.span.offset(start), "quote", content), index + 1

    def read_bare(self, start: int) -> Tuple[Word, int]:
        text = self.text
        index = start
        out: List[str] = []
        stops = _SCRIPT_BARE_STOPS if self.script else _LIST_BARE_STOPS
        while not self.word_end(index):
            char = text[index]
            if char == "\\":
                value, index = _backslash(text, index)
                out.append(value)
                continue
            self.check_substitution(char, index, start)
            # Take the plain run up to the next character that may end or change the word.
            found = stops.search(text, index + 1)
            end = found.start() if found else len(text)
            out.append(text[index:end])
            index = end
        value = "".join(out)
        content = Span(value, self.span.offset(start), False)
        return Word(value, self.span.offset(start), "bare", content), index

    def check_substitution(self, char: str, index: int, start: int) -> None:
        if not self.script:
            return
        if char == "$":
            raise self.fail(
                "variable substitution ($) is not supported in job scripts; put the value in"
                " braces to use it literally",
                index,
                self.text[start : index + 20].split("\n")[0],
            )
        if char == "[":
            raise self.fail(
                "command substitution ([...]) is not supported in job scripts; put the value"
                " in braces to use it literally",
                index,
                self.text[start : index + 20].split("\n")[0],
            )

    def skip_space(self, index: int, newlines: bool) -> int:
        text = self.text
        while index < len(text):
            char = text[index]
            if char in SPACE or (newlines and char == "\n"):
                index += 1
            elif self.script and char == "\\" and index + 1 < len(text) and text[index + 1] == "\n":
                index = _backslash(text, index)[1]
            else:
                break
        return index


def split_commands(span: Span) -> List[List[Word]]:
    """The commands of a script, each a list of words (empty commands and comments skipped)."""
    reader = _Reader(span, script=True)
    text = span.text
    commands: List[List[Word]] = []
    index = 0
    while True:
        # between commands: blanks, newlines and semicolons
        while True:
            index = reader.skip_space(index, newlines=True)
            if index < len(text) and text[index] == ";":
                index += 1
                continue
            break
        if index >= len(text):
            return commands
        if text[index] == "#":
            while index < len(text) and text[index] != "\n":
                index += 2 if text[index] == "\\" else 1
            continue
        words: List[Word] = []
        while True:
            index = reader.skip_space(index, newlines=False)
            if index >= len(text) or text[index] in "\n;":
                index += 1
                break
            word, index = reader.read_word(index)
            words.append(word)
        commands.append(words)


def split_list(span: Span) -> List[Word]:
    """The elements of a Tcl list (``{a} {b c} d``); no command or substitution meaning."""
    reader = _Reader(span, script=False)
    elements: List[Word] = []
    index = 0
    while True:
        index = reader.skip_space(index, newlines=True)
        if index >= len(span.text):
            return elements
        word, index = reader.read_word(index)
        elements.append(word)
