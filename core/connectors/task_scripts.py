"""One ``/bin/sh`` script per task, for engines that run a job's tasks as numbered members
of a group (an OpenCue layer's frames, an OpenJD step's task parameter).

Such an engine runs one command line for the whole group with the task's number in it, so
each task's own commands and environment live in ``tasks/<number>.sh`` and the group's
command only runs ``/bin/sh <folder>/tasks/<number>.sh``: no index arithmetic in a shell, no
quoting of user commands inside the engine's own format, any number of tasks. The scripts
are plain text a user can read and run by hand.

The environment is exported as the payload gives it (the job's, then the task's own on top),
values single-quoted so nothing in them is expanded: the same values the local farm sets.
"""

import shlex
from typing import List, Mapping, Tuple

from farmhand.core.connectors.engine_tasks import Command, EngineTask

TASKS_FOLDER = "tasks"
SHELL = "/bin/sh"


def script_name(number: int) -> str:
    return "{}/{}.sh".format(TASKS_FOLDER, number)


def command_line(command: Command) -> str:
    """A shell string as written; an argv list quoted word by word (run without expansion)."""
    if isinstance(command, str):
        return command
    return " ".join(shlex.quote(arg) for arg in command)


def _comment(text: str) -> str:
    return " ".join(text.split())


def task_script(task: EngineTask, count: int, title: str, environment: Mapping[str, str]) -> str:
    """The script of ``task`` (one of ``count``) of the job ``title``."""
    lines = [
        "#!/bin/sh",
        # One comment line: a title or task label holding a newline must not start a command.
        _comment("# Farmhand job {!r}: {} of {} tasks".format(title, task.label(), count)),
    ]
    if task.depends_on:
        lines.append("# runs after tasks {}".format(", ".join(str(d + 1) for d in task.depends_on)))
    variables = dict(environment)
    variables.update(task.environment)
    for name in sorted(variables):
        lines.append("export {}={}".format(name, shlex.quote(variables[name])))
    lines.extend(_command_lines(task.commands))
    return "\n".join(lines) + "\n"


def _command_lines(commands: Tuple[Command, ...]) -> List[str]:
    """One command as the script's last line (its status is the task's); several run in
    order, each stopping the task when it fails, as the local farm runs a command list."""
    if len(commands) == 1:
        return [command_line(commands[0])]
    lines: List[str] = []
    for command in commands[:-1]:
        lines.extend(["{", command_line(command), "} || exit $?"])
    lines.append(command_line(commands[-1]))
    return lines
