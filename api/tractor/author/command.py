"""A command of a task: an argv launched by the engine (``RemoteCmd``) or on the spooling host.

``local=True`` makes a ``Cmd``, which Tractor runs on the host the job was spooled from; the
default ``RemoteCmd`` runs on any blade that provides the command's ``service``.
"""

from typing import Any

from farmhand.api.tractor.author.attributes import (
    ArgvAttribute,
    BooleanAttribute,
    ChoiceAttribute,
    IntAttribute,
    IntListAttribute,
    StringAttribute,
    StringListAttribute,
)
from farmhand.api.tractor.author.element import Element
from farmhand.api.tractor.author.errors import invalid_value

REMOTE_OPERATOR = "RemoteCmd"
LOCAL_OPERATOR = "Cmd"


class Command(Element):
    """``Command(argv=[...], service=..., envkey=[...], local=False)``."""

    SCHEMA = (
        ArgvAttribute("argv", required=True, positional=True),
        StringAttribute("msg"),
        StringListAttribute("tags"),
        StringAttribute("service"),
        StringAttribute("metrics"),
        StringAttribute("id"),
        StringAttribute("refersto"),
        BooleanAttribute("expand"),
        IntAttribute("atleast"),
        IntAttribute("atmost"),
        IntAttribute("minrunsecs"),
        IntAttribute("maxrunsecs"),
        BooleanAttribute("samehost"),
        StringListAttribute("envkey"),
        IntListAttribute("retryrc", minimum=None),
        ChoiceAttribute("when", ("done", "error", "always")),
        StringListAttribute("resumewhile"),
        BooleanAttribute("resumepin"),
        StringAttribute("metadata"),
    )

    def __init__(self, local: Any = False, **attributes: Any) -> None:
        object.__setattr__(self, "local", False)
        super(Command, self).__init__(**attributes)
        self.local = local

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "local":
            if not (isinstance(value, bool) or (type(value) is int and value in (0, 1))):
                raise invalid_value("Command.local", value, "True or False", ("True", "False"))
            object.__setattr__(self, "local", bool(value))
            return
        super(Command, self).__setattr__(name, value)

    def _operator(self) -> str:
        return LOCAL_OPERATOR if self.local else REMOTE_OPERATOR

    def _label(self) -> str:
        argv = self._values.get("argv")
        return "Command {!r}".format(argv) if argv else "Command"
