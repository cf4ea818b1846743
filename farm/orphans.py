"""Finding the processes a killed farm left running, so a restart can stop them.

A farm killed with SIGKILL cannot stop its tasks; they keep running, orphaned (the executor
puts each command in its own process group and nothing ties it to the farm's life). On
restart the farm requeues those tasks, and must first stop the old processes or two copies
of one task would run at once and write the same outputs.

Every task process carries ``FARMHAND_RUN=<farm prefix>/<job>/<task>/<attempt>`` in its
environment (inherited by whatever it starts), so the restarted farm finds them by reading
``/proc/<pid>/environ`` rather than by the process id it recorded: that id may never have
been recorded (killed between the spawn and the commit), may be the first of several
commands of the attempt, or may have been reused by a stranger. Only processes carrying this
farm's prefix are signalled, each with its process group (whatever it started in the
background). At a restart no task of this farm runs yet, so every such process is an orphan.
"""

import logging
import os
import signal
import time
from typing import Dict, List, Tuple

log = logging.getLogger("farmhand.farm")

RUN_VARIABLE = b"FARMHAND_RUN="
# How long a restart waits for the killed orphans to be gone before it requeues their tasks.
GONE_TIMEOUT = 10.0


def _stat_fields(pid: int) -> List[bytes]:
    """``state ppid pgrp ...`` of ``/proc/<pid>/stat`` (after the command name)."""
    try:
        with open("/proc/{}/stat".format(pid), "rb") as handle:
            stat = handle.read()
    except OSError:
        return []
    return stat[stat.rfind(b")") + 2 :].split()


def run_token_of(pid: int) -> str:
    """The process's ``FARMHAND_RUN`` value, or "" (none, or not ours to read)."""
    try:
        with open("/proc/{}/environ".format(pid), "rb") as handle:
            environ = handle.read()
    except OSError:
        return ""
    for entry in environ.split(b"\0"):
        if entry.startswith(RUN_VARIABLE):
            return entry[len(RUN_VARIABLE) :].decode("utf-8", "replace")
    return ""


def find_runs(prefix: str) -> Dict[str, List[Tuple[int, int]]]:
    """Live processes whose run token starts with ``prefix + "/"``: ``{token: [(pid,
    pgid)]}`` (zombies are left out: they run nothing)."""
    found: Dict[str, List[Tuple[int, int]]] = {}
    own = os.getpid()
    start = prefix + "/"
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == own:
            continue
        pid = int(name)
        token = run_token_of(pid)
        if not token.startswith(start):
            continue
        fields = _stat_fields(pid)
        if len(fields) < 3 or fields[0] in (b"Z", b"X"):
            continue
        found.setdefault(token, []).append((pid, int(fields[2])))
    return found


def kill_runs(prefix: str, timeout: float = GONE_TIMEOUT) -> Dict[str, int]:
    """SIGKILL every process (and its group) carrying one of this farm's run tokens and wait
    until none is left running; returns how many processes each token had."""
    first = find_runs(prefix)
    found = first
    deadline = time.monotonic() + timeout
    while found:
        for members in found.values():
            for pid, pgid in members:
                if pgid > 1:
                    try:
                        os.killpg(pgid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if time.monotonic() > deadline:
            log.error("processes of interrupted tasks did not die: %s", sorted(found))
            break
        time.sleep(0.005)
        found = find_runs(prefix)
    return {token: len(members) for token, members in first.items()}
