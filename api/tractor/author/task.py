"""Tasks and the tree they form: children run before their parent, siblings in parallel.

A task that must wait for another is declared as its parent; ``serialsubtasks`` makes a
task's children run one after the other, each child's whole subtree first. A task can sit
in one place in the tree only; adding it under a second parent adds an ``Instance`` that
refers to it by title, which is how Tractor lets several tasks wait for one.
"""

from typing import Any, Dict, Tuple

from farmhand.api.tractor.author.attributes import (
    ArgvAttribute,
    BooleanAttribute,
    GroupAttribute,
    IntAttribute,
    StringAttribute,
)
from farmhand.api.tractor.author.command import Command
from farmhand.api.tractor.author.element import Element
from farmhand.api.tractor.author.errors import AuthorError, ParentExistsError, describe_value


def _child_kinds() -> Tuple[type, ...]:
    return (Task, Instance)


def _command_kinds() -> Tuple[type, ...]:
    return (Command,)


class SubtaskMixin(object):
    """``addChild`` and ``newTask`` for the elements that hold subtasks (Job and Task)."""

    def addChild(self, element: Any) -> None:
        """Add a Task or Instance under this element.

        A task that already has a parent is added again as an ``Instance`` of it (the task
        then waits in both places); an Instance can have one parent only. A task cannot be
        added under itself or its own subtree.
        """
        if not isinstance(element, (Task, Instance)):
            raise AuthorError(
                "cannot add {} as a subtask; expected a Task or an Instance".format(
                    describe_value(element)
                ),
                field="{}.subtasks".format(type(self).__name__),
                value=element,
                valid=("Task", "Instance"),
            )
        ancestor: Any = self
        while ancestor is not None:
            if ancestor is element:
                raise AuthorError(
                    "cannot add {} under itself or one of its own subtasks".format(element),
                    field="{}.subtasks".format(type(self).__name__),
                    value=element,
                )
            ancestor = ancestor.parent
        group = self._group("subtasks")  # type: ignore[attr-defined]
        if isinstance(element, Task) and element.parent is not None:
            if not element.title:
                raise AuthorError(
                    "a task that already has a parent is added again as an Instance, which "
                    "refers to it by title, but this task has no title",
                    field="Task.title",
                )
            instance = Instance(title=element.title)
            object.__setattr__(instance, "parent", self)
            group.append(instance)
            return
        if element.parent is not None:
            raise ParentExistsError(
                "{} is already a subtask of {}".format(element, element.parent),
                field="{}.subtasks".format(type(self).__name__),
                value=element,
            )
        object.__setattr__(element, "parent", self)
        group.append(element)

    def newTask(self, **attributes: Any) -> "Task":
        """Create a Task from keyword attributes, add it as a child and return it."""
        task = Task(**attributes)
        self.addChild(task)
        return task


class CleanupMixin(object):
    """Commands that run when the job or task ends (``-cleanup``)."""

    def addCleanup(self, command: Any) -> None:
        _check_command(self, "cleanup", command)
        self._group("cleanup").append(command)  # type: ignore[attr-defined]

    def newCleanup(self, **attributes: Any) -> Command:
        command = Command(**attributes)
        self.addCleanup(command)
        return command


def _check_command(owner: Any, group: str, command: Any) -> None:
    if not isinstance(command, Command):
        raise AuthorError(
            "cannot add {}; expected a Command".format(describe_value(command)),
            field="{}.{}".format(type(owner).__name__, group),
            value=command,
            valid=("Command",),
        )


class Task(SubtaskMixin, CleanupMixin, Element):
    """``Task(title=..., argv=[...], service=...)``.

    The ``argv`` shortcut creates the task's one command; ``service`` then belongs to that
    command (every command needs a service key), exactly as Tractor's API does it.
    """

    OPERATOR = "Task"
    SCHEMA = (
        StringAttribute("title", required=True, positional=True),
        StringAttribute("id"),
        StringAttribute("service"),
        IntAttribute("atleast"),
        IntAttribute("atmost"),
        GroupAttribute("cmds", _command_kinds),
        ArgvAttribute("chaser"),
        ArgvAttribute("preview"),
        BooleanAttribute("serialsubtasks"),
        BooleanAttribute("resumeblock"),
        GroupAttribute("cleanup", _command_kinds),
        StringAttribute("metadata"),
        GroupAttribute("subtasks", _child_kinds),
    )
    GROUP_ADDERS: Dict[str, str] = {
        "cmds": "addCommand",
        "cleanup": "addCleanup",
        "subtasks": "addChild",
    }

    def __init__(self, argv: Any = None, **attributes: Any) -> None:
        command_attributes = {}
        if argv is not None and "service" in attributes:
            command_attributes["service"] = attributes.pop("service")
        super(Task, self).__init__(**attributes)
        if argv is not None:
            try:
                command = Command(argv=argv, **command_attributes)
            except AuthorError as error:
                raise AuthorError(
                    "the argv shortcut creates the task's command: {}".format(error),
                    field="Task.argv",
                    value=argv,
                    valid=error.valid,
                ) from None
            self.addCommand(command)

    def addCommand(self, command: Any) -> None:
        """Append a command; a task's commands run one after the other, in this order."""
        _check_command(self, "cmds", command)
        object.__setattr__(command, "parent", self)
        self._group("cmds").append(command)

    def newCommand(self, **attributes: Any) -> Command:
        """Create a Command from keyword attributes, append it and return it."""
        command = Command(**attributes)
        self.addCommand(command)
        return command


class Instance(Element):
    """A reference to another task by title: the parent waits for that task too."""

    OPERATOR = "Instance"
    SCHEMA = (StringAttribute("title", required=True, positional=True),)
