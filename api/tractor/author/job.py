"""The job: the root of the task tree, its job-wide attributes, and spooling it to an engine."""

import re
from typing import Any, Dict, Optional, Tuple

from farmhand.api.tractor.author.attributes import (
    BooleanAttribute,
    DateAttribute,
    FloatAttribute,
    GroupAttribute,
    IntAttribute,
    IntListAttribute,
    StringAttribute,
    StringListAttribute,
)
from farmhand.api.tractor.author.command import Command
from farmhand.api.tractor.author.element import Element
from farmhand.api.tractor.author.errors import AuthorError, describe_value, invalid_value
from farmhand.api.tractor.author.task import (
    CleanupMixin,
    Instance,
    SubtaskMixin,
    Task,
    _check_command,
)
from farmhand.api.tractor.author.tcl_quote import bare_or_quoted, quote_word

_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DirMap(object):
    """One directory mapping: paths starting with ``src`` become ``dst`` in ``zone``."""

    def __init__(self, src: Any, dst: Any, zone: Any) -> None:
        for name, value in (("src", src), ("dst", dst), ("zone", zone)):
            if not isinstance(value, str) or not value:
                raise invalid_value("DirMap.{}".format(name), value, "a non-empty string")
        self.src = src
        self.dst = dst
        self.zone = zone
        self.parent: Any = None

    def asTcl(self, level: int = 0) -> str:
        return (
            "{"
            + " ".join((quote_word(self.src), quote_word(self.dst), bare_or_quoted(self.zone)))
            + "}"
        )

    def __repr__(self) -> str:
        return "<DirMap {!r} -> {!r} ({})>".format(self.src, self.dst, self.zone)


class Assign(object):
    """A job-wide variable (``Assign name {value}``), listed in the job's ``-init``."""

    def __init__(self, varname: Any, value: Any) -> None:
        if not isinstance(varname, str) or not _VARNAME.match(varname):
            raise AuthorError(
                "invalid variable name {}; expected letters, digits and _ (not starting "
                "with a digit)".format(describe_value(varname)),
                field="Assign.varname",
                value=varname,
                valid=("a name like my_var",),
            )
        if not isinstance(value, str):
            raise invalid_value("Assign.value", value, "a string")
        self.varname = varname
        self.value = value
        self.parent: Any = None

    def asTcl(self, level: int = 0) -> str:
        return "Assign {} {}".format(self.varname, quote_word(self.value))

    def __repr__(self) -> str:
        return "<Assign {}={!r}>".format(self.varname, self.value)


def _task_kinds() -> Tuple[type, ...]:
    return (Task, Instance)


def _command_kinds() -> Tuple[type, ...]:
    return (Command,)


def _dirmap_kinds() -> Tuple[type, ...]:
    return (DirMap,)


def _assign_kinds() -> Tuple[type, ...]:
    return (Assign,)


class Job(SubtaskMixin, CleanupMixin, Element):
    """``Job(title=..., priority=..., service=...)``: the root of a job's task tree."""

    OPERATOR = "Job"
    SCHEMA = (
        StringAttribute("title", required=True),
        StringAttribute("tier"),
        StringAttribute("spoolcwd"),
        StringListAttribute("projects"),
        StringListAttribute("crews"),
        IntAttribute("maxactive"),
        BooleanAttribute("paused"),
        DateAttribute("after"),
        IntListAttribute("afterjids", minimum=1),
        GroupAttribute("init", _assign_kinds),
        IntAttribute("atleast"),
        IntAttribute("atmost"),
        IntAttribute("etalevel"),
        StringListAttribute("tags"),
        FloatAttribute("priority"),
        StringAttribute("service"),
        StringListAttribute("envkey"),
        StringAttribute("comment"),
        StringAttribute("metadata"),
        StringAttribute("editpolicy"),
        GroupAttribute("cleanup", _command_kinds),
        GroupAttribute("postscript", _command_kinds),
        GroupAttribute("dirmaps", _dirmap_kinds),
        BooleanAttribute("serialsubtasks"),
        GroupAttribute("subtasks", _task_kinds, required=True),
    )
    GROUP_ADDERS: Dict[str, str] = {
        "init": "_addAssignment",
        "cleanup": "addCleanup",
        "postscript": "addPostscript",
        "dirmaps": "_addDirMap",
        "subtasks": "addChild",
    }

    def newDirMap(self, src: Any, dst: Any, zone: Any) -> DirMap:
        """Map paths starting with ``src`` to ``dst`` for hosts in ``zone`` (``UNC``, ``NFS``)."""
        dirmap = DirMap(src, dst, zone)
        self._addDirMap(dirmap)
        return dirmap

    def _addDirMap(self, dirmap: DirMap) -> None:
        dirmap.parent = self
        self._group("dirmaps").append(dirmap)

    def newAssignment(self, varname: Any, value: Any) -> Assign:
        """Define a job-wide variable, written in the job's ``-init`` block."""
        assign = Assign(varname, value)
        self._addAssignment(assign)
        return assign

    def _addAssignment(self, assign: Assign) -> None:
        assign.parent = self
        self._group("init").append(assign)

    def addPostscript(self, command: Any) -> None:
        """A command run after the job ends (its ``when`` says on done, error or always)."""
        _check_command(self, "postscript", command)
        self._group("postscript").append(command)

    def newPostscript(self, **attributes: Any) -> Command:
        command = Command(**attributes)
        self.addPostscript(command)
        return command

    def spool(
        self,
        block: bool = False,
        owner: Optional[str] = None,
        spoolfile: Optional[str] = None,
        spoolhost: Optional[str] = None,
        hostname: Optional[str] = None,
        port: Optional[int] = None,
    ) -> int:
        """Send the job script to the engine and return the new job's id.

        The engine is the local farm unless ``TRACTOR_ENGINE``, ``setEngineClientParam``
        or ``hostname``/``port`` here name another. ``block=True`` waits until the engine
        has fully processed the job, so a rejected job raises here. ``owner`` defaults to
        the engine client's user (``USER``).
        """
        from farmhand.api.tractor.author import engine

        return engine.spool_script(
            self.asTcl(),
            block=block,
            owner=owner,
            spoolfile=spoolfile,
            spoolhost=spoolhost,
            hostname=hostname,
            port=port,
        )
