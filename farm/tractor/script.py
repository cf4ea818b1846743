"""Reads a Tractor job script into a ``ScriptJob`` tree, checking every operator and option.

The accepted language is what Tractor's authoring API writes (and what hand-written Alfred
style scripts use): one ``Job`` with ``-option value`` pairs; ``Task {title}`` and
``Instance {title}`` in ``-subtasks``; ``RemoteCmd {argv}`` and ``Cmd {argv}`` in ``-cmds``,
``-cleanup`` and ``-postscript``; ``Assign name {value}`` in ``-init``; ``{src dst zone}``
triples in ``-dirmaps``. Anything else is refused with its line, column and word, and the
options that were valid there, rather than guessed at.
"""

import math
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from farmhand.farm.tractor.errors import JobScriptError
from farmhand.farm.tractor.tcl_words import (
    Positions,
    Span,
    TclSyntaxError,
    Word,
    split_commands,
    split_list,
)
from farmhand.farm.tractor.tree import (
    ScriptCommand,
    ScriptDirMap,
    ScriptInstance,
    ScriptJob,
    ScriptTask,
    Where,
)

# Option kinds.
STRING = "a string"
INT = "an integer >= 0"
SIGNED_INT = "an integer"
FLOAT = "a number"
BOOL = "0 or 1"
LIST = "a list"
INT_LIST = "a list of integers"
DATE = "a date {month day hour:minute} or {hour:minute}"
WHEN = "done, error or always"
TASKS = "Task and Instance elements"
COMMANDS = "RemoteCmd and Cmd elements"
ASSIGNS = "Assign elements"
DIRMAPS = "{src dst zone} triples"

JOB_OPTIONS = {
    "title": STRING,
    "tier": STRING,
    "spoolcwd": STRING,
    "projects": LIST,
    "crews": LIST,
    "maxactive": INT,
    "paused": BOOL,
    "after": DATE,
    "afterjids": INT_LIST,
    "init": ASSIGNS,
    "atleast": INT,
    "atmost": INT,
    "etalevel": INT,
    "tags": LIST,
    "priority": FLOAT,
    "service": STRING,
    "envkey": LIST,
    "comment": STRING,
    "metadata": STRING,
    "editpolicy": STRING,
    "cleanup": COMMANDS,
    "postscript": COMMANDS,
    "dirmaps": DIRMAPS,
    "serialsubtasks": BOOL,
    "subtasks": TASKS,
}
TASK_OPTIONS = {
    "id": STRING,
    "service": STRING,
    "atleast": INT,
    "atmost": INT,
    "cmds": COMMANDS,
    "chaser": LIST,
    "preview": LIST,
    "serialsubtasks": BOOL,
    "resumeblock": BOOL,
    "cleanup": COMMANDS,
    "metadata": STRING,
    "subtasks": TASKS,
}
COMMAND_OPTIONS = {
    "msg": STRING,
    "tags": LIST,
    "service": STRING,
    "metrics": STRING,
    "id": STRING,
    "refersto": STRING,
    "expand": BOOL,
    "atleast": INT,
    "atmost": INT,
    "minrunsecs": INT,
    "maxrunsecs": INT,
    "samehost": BOOL,
    "envkey": LIST,
    "retryrc": INT_LIST,
    "when": WHEN,
    "resumewhile": LIST,
    "resumepin": BOOL,
    "metadata": STRING,
}
# ``Cmd`` is the documented local command; Tractor's own Python API writes ``Command`` for it.
COMMAND_OPERATORS = {"RemoteCmd": False, "Cmd": True, "Command": True}
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
# Integers have at most 18 digits (64 bits for SQLite; over 4,300 digits int() raised
# ValueError, found by fuzzing): longer ones are refused before they are converted.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Tractor's priorities are small numbers; the farm keeps an integer of 64 bits (1e308 was an
# OverflowError storing the job: fuzzing).
MAX_FLOAT = 1e15
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_DATE = re.compile(r"^(?:(\d{1,2})\s+(\d{1,2})\s+)?(\d{1,2}):(\d{2})$")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TCL_BOOLEANS = {
    "0": False,
    "1": True,
    "false": False,
    "true": True,
    "no": False,
    "yes": True,
    "off": False,
    "on": True,
}


def _show(text: str, limit: int = 60) -> str:
    """A word as a message quotes it (shortened, on one line)."""
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return repr(text)


class _Reader(object):
    def __init__(self, text: str) -> None:
        self.text = text
        self.positions = Positions(text)

    # -- positions and errors ----------------------------------------------------------
    def where(self, offset: int) -> Where:
        line, column = self.positions.line_column(offset)
        return Where(line, column)

    def error(self, message: str, offset: int, word: Optional[str] = None) -> JobScriptError:
        line, column = self.positions.line_column(offset)
        return JobScriptError(message, line, column, word)

    def commands(self, span: Span) -> List[List[Word]]:
        try:
            commands = split_commands(span)
        except TclSyntaxError as error:
            raise self.error(error.message, error.offset, error.word) from None
        for words in commands:
            self.check_text(words)
        return commands

    def items(self, word: Word) -> List[Word]:
        try:
            items = split_list(word.content)
        except TclSyntaxError as error:
            raise self.error(
                "{} in the list {}".format(error.message, _show(word.text)), error.offset, word.text
            ) from None
        return self.check_text(items)

    def check_text(self, words: List[Word]) -> List[Word]:
        """Refuse a word holding a lone surrogate (Tcl's ``\\ud800``): it is not text, and
        the farm could not store or run it (a 500 before; found by fuzzing)."""
        for word in words:
            if _SURROGATE.search(word.text):
                raise self.error(
                    "the word {} holds a lone surrogate (a \\uD800-\\uDFFF escape), which is"
                    " not a character".format(_show(word.text)),
                    word.offset,
                    word.text,
                )
        return words

    # -- the script ----------------------------------------------------------------------
    def job(self) -> ScriptJob:
        commands = self.commands(Span(self.text, 0))
        jobs = [words for words in commands if words[0].text == "Job"]
        for words in commands:
            if words[0].text != "Job":
                raise self.error(
                    "unknown operator {} at the top of the script; a job script holds one Job"
                    " (Task, Instance and commands go in its -subtasks)".format(
                        _show(words[0].text)
                    ),
                    words[0].offset,
                    words[0].text,
                )
        if not jobs:
            raise self.error("the script has no Job (expected 'Job -title {...} ...')", 0)
        if len(jobs) > 1:
            raise self.error(
                "the script has a second Job; a job script holds exactly one",
                jobs[1][0].offset,
                "Job",
            )
        words = jobs[0]
        job = ScriptJob(where=self.where(words[0].offset))
        options = self.options(words, 1, "Job", JOB_OPTIONS)
        for name, (kind, word, where) in options.items():
            job.at[name] = where
            if kind == TASKS:
                job.children = self.subtasks(word)
            elif name == "cleanup":
                job.cleanup = self.command_list(word, "cleanup")
            elif name == "postscript":
                job.postscript = self.command_list(word, "postscript")
            elif kind == DIRMAPS:
                job.dirmaps = self.dirmaps(word)
            elif kind == ASSIGNS:
                job.assignments = self.assignments(word)
            elif name == "serialsubtasks":
                job.serialsubtasks = bool(self.value(kind, word, "Job", name))
            else:
                job.options[name] = self.value(kind, word, "Job", name)
            if kind not in (TASKS, COMMANDS, DIRMAPS, ASSIGNS):
                job.raw[name] = word.text
        if not job.options.get("title"):
            raise self.error("the Job has no -title", words[0].offset, "Job")
        return job

    def options(
        self, words: Sequence[Word], start: int, operator: str, schema: Dict[str, str]
    ) -> Dict[str, Tuple[str, Word, Where]]:
        """``-name value`` pairs from ``words[start:]``, checked against ``schema``:
        name -> (kind, value word, where the option's name was written)."""
        found: Dict[str, Tuple[str, Word, Where]] = {}
        index = start
        while index < len(words):
            word = words[index]
            name = word.text[1:] if word.text.startswith("-") else None
            if name is None:
                raise self.error(
                    "expected an option of {} (-name value), got {}".format(
                        operator, _show(word.text)
                    ),
                    word.offset,
                    word.text,
                )
            if name not in schema:
                raise self.error(
                    "unknown option {} of {}; valid options: {}".format(
                        word.text, operator, ", ".join("-" + key for key in sorted(schema))
                    ),
                    word.offset,
                    word.text,
                )
            if name in found:
                raise self.error(
                    "option {} of {} is given twice".format(word.text, operator),
                    word.offset,
                    word.text,
                )
            if index + 1 >= len(words):
                raise self.error(
                    "option {} of {} has no value".format(word.text, operator),
                    word.offset,
                    word.text,
                )
            found[name] = (schema[name], words[index + 1], self.where(word.offset))
            index += 2
        return found

    def value(self, kind: str, word: Word, operator: str, name: str) -> Any:
        """A plain option value converted to its kind, or an error naming option and kind."""
        text = word.text.strip()

        def bad(limit: str = "") -> JobScriptError:
            return self.error(
                "invalid value {} for -{} of {}; expected {}{}".format(
                    _show(word.text), name, operator, kind, limit
                ),
                word.offset,
                word.text,
            )

        if kind == STRING:
            return word.text
        if kind in (INT, SIGNED_INT):
            if not _INTEGER.match(text):
                raise bad()
            if len(text.lstrip("+-").lstrip("0")) > 18:
                raise bad(" of at most 18 digits")
            if kind == INT and int(text) < 0:
                raise bad()
            return int(text)
        if kind == FLOAT:
            if not _NUMBER.match(text) or not math.isfinite(float(text)):
                raise bad()
            if abs(float(text)) > MAX_FLOAT:
                raise bad(" from -1e15 to 1e15")
            return float(text)
        if kind == BOOL:
            if text.lower() not in _TCL_BOOLEANS:
                raise bad()
            return int(_TCL_BOOLEANS[text.lower()])
        if kind == WHEN:
            if text not in ("done", "error", "always"):
                raise bad()
            return text
        if kind == DATE:
            match = _DATE.match(text)
            if not match:
                raise bad()
            month, day, hour, minute = (int(g) if g else None for g in match.groups())
            if (
                (month is not None and not 1 <= month <= 12)
                or (day is not None and not 1 <= day <= 31)
                or not 0 <= (hour or 0) <= 23
                or not 0 <= (minute or 0) <= 59
            ):
                raise bad()
            return text
        if kind == LIST:
            return [item.text for item in self.items(word)]
        if kind == INT_LIST:
            values = []
            for item in self.items(word):
                too_long = len(item.text.lstrip("+-").lstrip("0")) > 18
                if not _INTEGER.match(item.text) or too_long:
                    raise self.error(
                        "invalid item {} in -{} of {}; expected {}{}".format(
                            _show(item.text),
                            name,
                            operator,
                            kind,
                            " of at most 18 digits" if too_long else "",
                        ),
                        item.offset,
                        item.text,
                    )
                values.append(int(item.text))
            return values
        raise AssertionError("unknown option kind " + kind)  # pragma: no cover

    # -- nested elements -------------------------------------------------------------------
    def subtasks(self, word: Word) -> List[Union[ScriptTask, ScriptInstance]]:
        children: List[Union[ScriptTask, ScriptInstance]] = []
        for words in self.commands(word.content):
            operator = words[0]
            if operator.text == "Task":
                children.append(self.task(words))
            elif operator.text == "Instance":
                children.append(self.instance(words))
            elif operator.text == "Iterate":
                raise self.error(
                    "Iterate is not supported on the local farm; write one Task per iteration",
                    operator.offset,
                    operator.text,
                )
            else:
                raise self.error(
                    "unknown operator {} in -subtasks; expected Task or Instance".format(
                        _show(operator.text)
                    ),
                    operator.offset,
                    operator.text,
                )
        return children

    def title_word(self, words: Sequence[Word], operator: str) -> str:
        if len(words) < 2:
            raise self.error(
                "{} has no title (expected '{} {{title}} ...')".format(operator, operator),
                words[0].offset,
                operator,
            )
        if not words[1].text:
            raise self.error("{} has an empty title".format(operator), words[1].offset, "{}")
        return words[1].text

    def task(self, words: Sequence[Word]) -> ScriptTask:
        task = ScriptTask(title=self.title_word(words, "Task"), where=self.where(words[0].offset))
        for name, (kind, word, where) in self.options(words, 2, "Task", TASK_OPTIONS).items():
            task.at[name] = where
            if kind == TASKS:
                task.children = self.subtasks(word)
            elif name == "cmds":
                task.commands = self.command_list(word, "cmds")
            elif name == "cleanup":
                task.cleanup = self.command_list(word, "cleanup")
            elif name == "serialsubtasks":
                task.serialsubtasks = bool(self.value(kind, word, "Task", name))
            else:
                task.options[name] = self.value(kind, word, "Task", name)
            if kind not in (TASKS, COMMANDS):
                task.raw[name] = word.text
        return task

    def instance(self, words: Sequence[Word]) -> ScriptInstance:
        title = self.title_word(words, "Instance")
        if len(words) > 2:
            raise self.error(
                "Instance takes only a title; unexpected {}".format(_show(words[2].text)),
                words[2].offset,
                words[2].text,
            )
        return ScriptInstance(title=title, where=self.where(words[0].offset))

    def command_list(self, word: Word, group: str) -> List[ScriptCommand]:
        commands = []
        for words in self.commands(word.content):
            operator = words[0]
            if operator.text not in COMMAND_OPERATORS:
                raise self.error(
                    "unknown operator {} in -{}; expected RemoteCmd, Cmd or Command".format(
                        _show(operator.text), group
                    ),
                    operator.offset,
                    operator.text,
                )
            commands.append(self.command(words))
        return commands

    def command(self, words: Sequence[Word]) -> ScriptCommand:
        operator = words[0]
        if len(words) < 2:
            raise self.error(
                "{} has no command line (expected '{} {{{{prog}} {{arg}}}} ...')".format(
                    operator.text, operator.text
                ),
                operator.offset,
                operator.text,
            )
        argv = tuple(item.text for item in self.items(words[1]))
        if not argv:
            raise self.error(
                "{} has an empty command line".format(operator.text), words[1].offset, "{}"
            )
        options = {}
        raw = {}
        at = {}
        found = self.options(words, 2, operator.text, COMMAND_OPTIONS)
        for name, (kind, word, where) in found.items():
            options[name] = self.value(kind, word, operator.text, name)
            raw[name] = word.text
            at[name] = where
        return ScriptCommand(
            argv=argv,
            local=COMMAND_OPERATORS[operator.text],
            options=options,
            where=self.where(operator.offset),
            raw=raw,
            at=at,
        )

    def dirmaps(self, word: Word) -> List[ScriptDirMap]:
        maps = []
        for item in self.items(word):
            parts = self.items(item)
            if len(parts) != 3 or not all(part.text for part in parts):
                raise self.error(
                    "invalid directory map {}; expected {{src dst zone}}".format(_show(item.text)),
                    item.offset,
                    item.text,
                )
            maps.append(ScriptDirMap(parts[0].text, parts[1].text, parts[2].text))
        return maps

    def assignments(self, word: Word) -> Dict[str, str]:
        values: Dict[str, str] = {}
        for words in self.commands(word.content):
            if words[0].text != "Assign":
                raise self.error(
                    "unknown operator {} in -init; expected Assign".format(_show(words[0].text)),
                    words[0].offset,
                    words[0].text,
                )
            if len(words) != 3 or not _VARNAME.match(words[1].text):
                raise self.error("expected 'Assign name {value}'", words[0].offset, words[0].text)
            values[words[1].text] = words[2].text
        return values


def parse_job_script(text: str) -> ScriptJob:
    """The job a Tractor job script describes; ``JobScriptError`` names line, column and word."""
    if not isinstance(text, str):
        raise TypeError("parse_job_script needs text, got {}".format(type(text).__name__))
    return _Reader(text).job()


# Re-exported for callers that only need the error type with the parser.
__all__ = ["JobScriptError", "parse_job_script"]
