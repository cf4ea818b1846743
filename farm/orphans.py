"""Finding the processes a killed farm left running, so a restart can stop them.

A farm killed with SIGKILL cannot stop its tasks; they keep running, orphaned. On restart the
farm requeues those tasks, and must first kill the old processes or two copies would write
the same outputs. A process group is only killed when one of its members carries the exact
``FARMHAND_RUN`` token of the interrupted attempt, so a recycled process id never gets a
stranger killed.
"""

import os
import signal
from typing import List


def group_members(pgid: int) -> List[int]:
    members = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/{}/stat".format(name), "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # Fields after the parenthesised command name: state ppid pgrp ...
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            members.append(int(name))
    return members


def carries_token(pid: int, token: str) -> bool:
    try:
        with open("/proc/{}/environ".format(pid), "rb") as handle:
            environ = handle.read().split(b"\0")
    except OSError:
        return False
    return ("FARMHAND_RUN=" + token).encode("utf-8") in environ


def kill_orphaned_group(pgid: int, token: str) -> bool:
    """SIGKILL process group ``pgid`` if it belongs to the attempt ``token``."""
    if pgid <= 1:
        return False
    members = group_members(pgid)
    if not any(carries_token(pid, token) for pid in members):
        return False
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        return False
    return True
