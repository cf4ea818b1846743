"""A Tractor job as a tree of plain values: what a job script says, before the farm runs it.

The reader fills these from the script; the translation to the farm's job model reads only
these, so each side can be tested on its own. ``options`` hold converted values (numbers,
lists); ``raw`` the option words exactly as the script spelled them, for the record.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple, Union


@dataclass
class Where:
    """A position in the job script (1-based), kept so later checks can point at the text."""

    line: int
    column: int


@dataclass
class ScriptCommand:
    argv: Tuple[str, ...]
    local: bool  # ``Cmd`` (runs on the spooling host) rather than ``RemoteCmd``
    options: Dict[str, Any]
    where: Where
    raw: Dict[str, str] = field(default_factory=dict)
    at: Dict[str, Where] = field(default_factory=dict)  # where each -option was written


@dataclass
class ScriptInstance:
    """``Instance {title}``: the parent also waits for the task with that title."""

    title: str
    where: Where


@dataclass
class ScriptTask:
    title: str
    where: Where
    options: Dict[str, Any] = field(default_factory=dict)
    commands: List[ScriptCommand] = field(default_factory=list)
    cleanup: List[ScriptCommand] = field(default_factory=list)
    children: List[Union["ScriptTask", ScriptInstance]] = field(default_factory=list)
    serialsubtasks: bool = False
    raw: Dict[str, str] = field(default_factory=dict)
    at: Dict[str, Where] = field(default_factory=dict)  # where each -option was written


@dataclass
class ScriptDirMap:
    src: str
    dst: str
    zone: str


@dataclass
class ScriptJob:
    where: Where
    options: Dict[str, Any] = field(default_factory=dict)
    children: List[Union[ScriptTask, ScriptInstance]] = field(default_factory=list)
    serialsubtasks: bool = False
    cleanup: List[ScriptCommand] = field(default_factory=list)
    postscript: List[ScriptCommand] = field(default_factory=list)
    dirmaps: List[ScriptDirMap] = field(default_factory=list)
    assignments: Dict[str, str] = field(default_factory=dict)
    raw: Dict[str, str] = field(default_factory=dict)
    at: Dict[str, Where] = field(default_factory=dict)  # where each -option was written

    @property
    def title(self) -> str:
        return str(self.options.get("title", ""))
