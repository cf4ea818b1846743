"""Task states of a Slurm job, from what Slurm and the job folder say.

In order of trust: ``squeue`` for tasks still queued or running (held, waiting on a
dependency, pending, running); the job folder's ``results/<number>`` (written by
``run_task.sh`` after each attempt: exit status and times, whatever accounting the cluster
has); then, for tasks that left the queue without a result (cancelled, timed out, node
failure), ``sacct`` when the cluster has accounting, else the jobcomp log when slurm.conf
names a ``jobcomp/filetxt`` file (a cluster without slurmdbd, like the test cluster), else
what the connector itself did (a cancelled job's tasks are killed).
"""

import os
import re
from typing import Dict, List, Mapping, Optional, Tuple

from farmhand.core.connectors.slurm.commands import SlurmCommands, split_rows

# squeue's pending reasons that need a user (``scontrol release``, or a failed scout).
HELD_REASONS = ("JobHeldUser", "JobHeldAdmin", "DependencyNeverSatisfied")
RUNNING_STATES = ("RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "RESIZING")
KILLED_STATES = ("CANCELLED", "PREEMPTED", "REVOKED", "DEADLINE")
FAILED_STATES = ("FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL")
_FIELD = re.compile(r"(\w+)=(\S*)")


class Attempt(object):
    __slots__ = ("exit_code", "started", "ended", "restarts", "array_id")

    def __init__(self, exit_code: int, started: float, ended: float, restarts: int,
                 array_id: str) -> None:
        self.exit_code = exit_code
        self.started = started
        self.ended = ended
        self.restarts = restarts
        self.array_id = array_id


def read_attempts(folder: str, number: int) -> List[Attempt]:
    """``results/<number>``: one line per attempt (a half-written last line is skipped)."""
    try:
        with open(os.path.join(folder, "results", str(number)), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return []
    attempts = []
    for line in text.splitlines():
        words = line.split()
        if len(words) < 5 or not all(w.lstrip("-").isdigit() for w in words[:4]):
            continue
        attempts.append(
            Attempt(int(words[0]), float(words[1]), float(words[2]), int(words[3]), words[4])
        )
    return attempts


class QueueEntry(object):
    __slots__ = ("array_id", "number", "state", "reason")

    def __init__(self, array_id: str, number: int, state: str, reason: str) -> None:
        self.array_id = array_id
        self.number = number
        self.state = state
        self.reason = reason

    @property
    def farm_state(self) -> str:
        if self.state in RUNNING_STATES:
            return "running"
        if self.state == "SUSPENDED" or self.reason in HELD_REASONS:
            return "held"
        if self.reason == "Dependency":
            return "waiting"
        return "pending"


def queue(commands: SlurmCommands, array_ids: List[str]) -> Dict[int, QueueEntry]:
    """Queued and running tasks of these arrays by task number (``squeue -r``: one line per
    array task, pending ones included)."""
    if not array_ids:
        return {}
    done = commands.run(
        ["squeue", "-h", "-r", "-j", ",".join(array_ids), "-o", "%F|%K|%T|%r"], check=False
    )
    if done.returncode != 0:  # every id already purged: squeue calls that an invalid job id
        if "Invalid job id" in (done.stderr or ""):
            return {}
        commands.run(["squeue", "-h", "-r", "-j", ",".join(array_ids), "-o", "%F|%K|%T|%r"])
    entries: Dict[int, QueueEntry] = {}
    for row in split_rows(done.stdout):
        if len(row) < 4 or not row[1].isdigit():
            continue
        entry = QueueEntry(row[0], int(row[1]), row[2], row[3])
        entries[entry.number] = entry
    return entries


def accounting_states(
    commands: SlurmCommands, array_ids: List[str]
) -> Dict[Tuple[str, int], str]:
    """Final Slurm states by (array id, task number): ``sacct`` when there is accounting,
    else the jobcomp log; empty when the cluster keeps neither."""
    if not array_ids:
        return {}
    done = commands.run(
        ["sacct", "-n", "-P", "-X", "-j", ",".join(array_ids), "-o", "JobID,State"], check=False
    )
    states: Dict[Tuple[str, int], str] = {}
    if done.returncode == 0 and done.stdout.strip():
        for row in split_rows(done.stdout):
            job, _, number = row[0].partition("_")
            if number.isdigit() and len(row) > 1:
                states[(job, int(number))] = row[1].split()[0]
        return states
    path = jobcomp_file(commands)
    if not path:
        return states
    wanted = set(array_ids)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if "ArrayJobId=" not in line:
                    continue
                fields = dict(_FIELD.findall(line))
                job, number = fields.get("ArrayJobId", ""), fields.get("ArrayTaskId", "")
                if job in wanted and number.isdigit():
                    states[(job, int(number))] = fields.get("JobState", "")
    except OSError:
        pass
    return states


def jobcomp_file(commands: SlurmCommands) -> str:
    """The jobcomp/filetxt log slurm.conf names, or ''."""
    done = commands.run(["scontrol", "show", "config"], check=False)
    config: Dict[str, str] = {}
    for line in (done.stdout or "").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            config[key.strip()] = value.strip()
    if config.get("JobCompType") != "jobcomp/filetxt":
        return ""
    return config.get("JobCompLoc", "")


def task_state(
    number: int,
    queued: Optional[QueueEntry],
    attempts: List[Attempt],
    final: Mapping[Tuple[str, int], str],
    array_ids: List[str],
    cancelled: bool,
) -> Tuple[str, Optional[int]]:
    """``(state, exit code)`` of one task (see the module docstring)."""
    if queued is not None:
        return queued.farm_state, None
    finals = [final[(a, number)] for a in array_ids if (a, number) in final]
    last = attempts[-1] if attempts else None
    if last is not None:
        if any(state in KILLED_STATES for state in finals[-1:]) and last.exit_code != 0:
            return "killed", last.exit_code
        return ("success" if last.exit_code == 0 else "failed"), last.exit_code
    if finals:
        state = finals[-1]
        if state in KILLED_STATES:
            return "killed", None
        if state in FAILED_STATES:
            return "failed", None
        if state == "COMPLETED":
            return "success", 0
    return ("killed" if cancelled else "failed"), None
