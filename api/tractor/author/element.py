"""The base of every job element: attributes set by keyword or assignment, checked either way.

An element (Job, Task, Command...) declares its attributes once, in job-script order, in
``SCHEMA``; assignment goes through the attribute's check, unknown names are refused with the
list of valid ones (``job.titlee = ...`` must not pass silently), and ``asTcl`` writes the
attributes in that same order, which is the order Tractor's own API writes them.
"""

from typing import Any, Dict, Tuple

from farmhand.api.tractor.author.attributes import Attribute, GroupAttribute
from farmhand.api.tractor.author.errors import RequiredValueError, UnknownAttributeError


class Element(object):
    """A job-script element: an operator word followed by its attributes."""

    OPERATOR = ""
    SCHEMA: Tuple[Attribute, ...] = ()
    # Group attribute name -> name of the method that adds one item (and links its parent).
    GROUP_ADDERS: Dict[str, str] = {}

    def __init__(self, **attributes: Any) -> None:
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "parent", None)
        for name, value in attributes.items():
            setattr(self, name, value)

    @classmethod
    def attribute_names(cls) -> Tuple[str, ...]:
        return tuple(attribute.name for attribute in cls.SCHEMA)

    @classmethod
    def _attribute(cls, name: str) -> Any:
        for attribute in cls.SCHEMA:
            if attribute.name == name:
                return attribute
        return None

    def _unknown(self, name: str) -> UnknownAttributeError:
        valid = sorted(self.attribute_names())
        return UnknownAttributeError(
            "unknown attribute of a {}; valid attributes: {}".format(
                type(self).__name__, ", ".join(valid)
            ),
            field="{}.{}".format(type(self).__name__, name),
            valid=valid,
        )

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "parent":
            object.__setattr__(self, name, value)
            return
        attribute = self._attribute(name)
        if attribute is None:
            raise self._unknown(name)
        owner = type(self).__name__
        if isinstance(attribute, GroupAttribute):
            items = attribute.validate(owner, value)
            self._values[name] = []
            adder = getattr(self, self.GROUP_ADDERS[name])
            for item in items:
                adder(item)
            return
        self._values[name] = attribute.validate(owner, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails, i.e. for schema attributes and typos.
        if name.startswith("_"):
            raise AttributeError(name)
        attribute = self._attribute(name)
        if attribute is None:
            raise self._unknown(name)
        if isinstance(attribute, GroupAttribute):
            return self._values.setdefault(name, [])
        return self._values.get(name)

    def _group(self, name: str) -> Any:
        return self._values.setdefault(name, [])

    def _label(self) -> str:
        title = self._values.get("title")
        return "{} {!r}".format(type(self).__name__, title) if title else type(self).__name__

    def _operator(self) -> str:
        return self.OPERATOR

    def asTcl(self, level: int = 0) -> str:
        """This element as job-script text; ``level`` is the nesting depth (2 spaces each)."""
        parts = [self._operator()]
        owner = type(self).__name__
        for attribute in self.SCHEMA:
            value = self._values.get(attribute.name)
            if not attribute.is_set(value):
                if attribute.required:
                    raise RequiredValueError(
                        "a value is required to write the job script ({} has none)".format(
                            self._label()
                        ),
                        field="{}.{}".format(owner, attribute.name),
                    )
                continue
            parts.append(attribute.as_tcl(owner, value, level))
        return "".join(parts)

    def __str__(self) -> str:
        return self._label()

    def __repr__(self) -> str:
        return "<{}>".format(self._label())
