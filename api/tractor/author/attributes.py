"""The kinds of values a job element holds: how each is checked and how it is written.

Tractor's job script gives every option a kind (a string, a float, an integer, a 0/1 flag, a
list of strings, a nested group of elements). Checking the kind on assignment means a typo or
a wrong type fails on the line that made it, with the attribute, the value and what is valid
in the message, instead of as an engine-side parse error after the job was spooled.
"""

import datetime
import math
from typing import Any, Callable, List, Optional, Sequence, Tuple

from farmhand.api.tractor.author.errors import AuthorError, describe_value, invalid_value
from farmhand.api.tractor.author.tcl_quote import quote_list, quote_word

INDENT = "  "


class Attribute(object):
    """One named option of an element; subclasses say what is valid and how it prints."""

    expected = "a value"

    def __init__(self, name: str, required: bool = False, positional: bool = False) -> None:
        self.name = name
        self.required = required
        # Positional values (a task's title, a command's argv) print without ``-name``.
        self.positional = positional

    def fail(self, owner: str, value: Any, expected: Optional[str] = None) -> AuthorError:
        return invalid_value("{}.{}".format(owner, self.name), value, expected or self.expected)

    def fail_item(self, owner: str, value: Any, index: int) -> AuthorError:
        """The error for one bad item of a list value (the message names its index)."""
        return AuthorError(
            "invalid item {} at index {}; expected {}".format(
                describe_value(value[index]), index, self.expected
            ),
            field="{}.{}".format(owner, self.name),
            value=value,
            valid=(self.expected,),
        )

    def validate(self, owner: str, value: Any) -> Any:
        """The value to store, or an AuthorError naming ``owner.name``, the value and the kind."""
        raise NotImplementedError

    def is_set(self, value: Any) -> bool:
        return value is not None

    def format_value(self, owner: str, value: Any, level: int) -> str:
        """The value as it appears in the job script (after ``-name``)."""
        raise NotImplementedError

    def as_tcl(self, owner: str, value: Any, level: int) -> str:
        text = self.format_value(owner, self.validate(owner, value), level)
        if self.positional:
            return " " + text
        return " -{} {}".format(self.name, text)


class StringAttribute(Attribute):
    expected = "a string"

    def validate(self, owner: str, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        raise self.fail(owner, value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return quote_word(value)


class ChoiceAttribute(StringAttribute):
    """A string from a fixed set (a postscript command's ``when``)."""

    def __init__(self, name: str, choices: Sequence[str], **kwargs: Any) -> None:
        super(ChoiceAttribute, self).__init__(name, **kwargs)
        self.choices = tuple(choices)
        self.expected = "one of " + ", ".join(repr(choice) for choice in self.choices)

    def validate(self, owner: str, value: Any) -> Any:
        if value is None or (isinstance(value, str) and value in self.choices):
            return value
        raise self.fail(owner, value)


def _is_int(value: Any) -> bool:
    # bool is an int in Python, but ``priority=True`` is a bug, not a number.
    return isinstance(value, int) and not isinstance(value, bool)


class FloatAttribute(Attribute):
    """Printed as a float in braces, as Tractor does: ``-priority {100.0}``."""

    expected = "a number"

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return None
        if (_is_int(value) or isinstance(value, float)) and math.isfinite(value):
            return value
        raise self.fail(owner, value, "a finite number")

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return "{" + repr(float(value)) + "}"


class IntAttribute(Attribute):
    """Printed bare: ``-atmost 3``. ``minimum`` rejects negative slot counts and the like."""

    def __init__(self, name: str, minimum: Optional[int] = 0, **kwargs: Any) -> None:
        super(IntAttribute, self).__init__(name, **kwargs)
        self.minimum = minimum
        self.expected = "an integer" if minimum is None else "an integer >= {}".format(minimum)

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return None
        if _is_int(value) and (self.minimum is None or value >= self.minimum):
            return value
        raise self.fail(owner, value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return str(int(value))


class BooleanAttribute(Attribute):
    """A 0/1 flag (``serialsubtasks``, ``paused``); True and False are accepted too."""

    expected = "0 or 1 (or True/False)"

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or (_is_int(value) and value in (0, 1)):
            return int(value)
        raise self.fail(owner, value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return str(int(value))


class DateAttribute(Attribute):
    """A start time, written as Tractor reads it: ``{month day hour:minute}``."""

    expected = "a datetime.datetime"

    def validate(self, owner: str, value: Any) -> Any:
        if value is None or isinstance(value, datetime.datetime):
            return value
        raise self.fail(owner, value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return "{" + str(value.strftime("%m %d %H:%M")) + "}"


class StringListAttribute(Attribute):
    """A list of strings (``tags``, ``envkey``, ``projects``): ``-tags {{a} {b}}``."""

    expected = "a list of strings"

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise self.fail(owner, value)
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail_item(owner, value, index)
        return list(value)

    def is_set(self, value: Any) -> bool:
        return bool(value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return quote_word(quote_list(value))


class ArgvAttribute(StringListAttribute):
    """A command line as a list of arguments; a plain string is refused, not split.

    Splitting ``"prman my file.rib"`` on spaces would silently break paths with spaces, so
    the caller decides (``shlex.split`` if that is what they mean).
    """

    expected = "a non-empty list of strings, e.g. ['/usr/bin/prman', 'file.rib']"

    def validate(self, owner: str, value: Any) -> Any:
        if isinstance(value, str):
            raise self.fail(
                owner,
                value,
                self.expected + " (a string is not split; use shlex.split() if you mean that)",
            )
        checked = super(ArgvAttribute, self).validate(owner, value)
        if checked is not None and not checked:
            raise self.fail(owner, value)
        return checked


class IntListAttribute(Attribute):
    """A list of integers (``afterjids``, ``retryrc``): ``-afterjids {12 13}``."""

    def __init__(self, name: str, minimum: Optional[int] = None, **kwargs: Any) -> None:
        super(IntListAttribute, self).__init__(name, **kwargs)
        self.minimum = minimum
        self.expected = (
            "a list of integers" if minimum is None else "a list of integers >= {}".format(minimum)
        )

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise self.fail(owner, value)
        for index, item in enumerate(value):
            if not _is_int(item) or (self.minimum is not None and item < self.minimum):
                raise self.fail_item(owner, value, index)
        return list(value)

    def is_set(self, value: Any) -> bool:
        return bool(value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        return "{" + " ".join(str(item) for item in value) + "}"


class GroupAttribute(Attribute):
    """Nested elements (``subtasks``, ``cmds``, ``cleanup``...), one per line, indented.

    ``kinds`` returns the element classes the group holds; it is a function because the
    classes are defined after the attributes that hold them.
    """

    def __init__(self, name: str, kinds: Callable[[], Tuple[type, ...]], **kwargs: Any):
        super(GroupAttribute, self).__init__(name, **kwargs)
        self.kinds = kinds

    @property
    def expected(self) -> str:  # type: ignore[override]
        names = " or ".join(kind.__name__ for kind in self.kinds())
        return "a list of {} elements".format(names)

    def validate(self, owner: str, value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, (list, tuple)):
            raise self.fail(owner, value)
        kinds = self.kinds()
        for index, item in enumerate(value):
            if not isinstance(item, kinds):
                raise self.fail_item(owner, value, index)
        return list(value)

    def is_set(self, value: Any) -> bool:
        return bool(value)

    def format_value(self, owner: str, value: Any, level: int) -> str:
        inner = INDENT * (level + 1)
        lines: List[str] = [inner + element.asTcl(level + 1) for element in value]
        return "{\n" + "\n".join(lines) + "\n" + INDENT * level + "}"
