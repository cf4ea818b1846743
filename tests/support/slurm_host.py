"""What the test cluster needs to know about this machine: its Slurm programs, hardware,
hostname and free ports, and the processes a cluster left behind.

Processes are read from /proc rather than ``ps`` so the sweep after a test sees exactly what
the kernel sees, including the session a daemon leads and the environment a job inherited.
"""

import os
import shutil
import signal
import socket
import subprocess
from typing import Dict, List, Optional, Set

from slurm_conf import parse_fields

DAEMONS = ("munged", "slurmctld", "slurmd")
CLIENTS = ("munge", "sbatch", "squeue", "sinfo", "scancel", "scontrol")
HARDWARE_FIELDS = ("CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore",
                   "RealMemory")

_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


class SlurmClusterError(RuntimeError):
    """The cluster could not be started, used or stopped; names the daemon and its log tail."""


def find_binary(name: str) -> Optional[str]:
    """``shutil.which`` that also looks in the sbin folders a non-root PATH often lacks."""
    path = os.environ.get("PATH", "")
    extra = [folder for folder in _SBIN if folder not in path.split(os.pathsep)]
    return shutil.which(name, path=os.pathsep.join([path] + extra))


def missing_components() -> List[str]:
    """Names of the Slurm and munge programs this machine lacks (empty when all are there)."""
    return [name for name in DAEMONS + CLIENTS if find_binary(name) is None]


def node_hardware() -> Dict[str, str]:
    """The node as slurmd itself detects it (``slurmd -C``): CPUs, layout and memory.

    Using slurmd's own view matters: a node configured with more CPUs or memory than slurmd
    finds is drained as invalid when it registers.
    """
    binary = find_binary("slurmd") or "slurmd"
    try:
        out = subprocess.run(
            [binary, "-C"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            universal_newlines=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SlurmClusterError("cannot run '{} -C': {}".format(binary, error)) from None
    fields = parse_fields(out.stdout.splitlines()[0] if out.stdout else "")
    if out.returncode != 0 or not all(key in fields for key in HARDWARE_FIELDS):
        raise SlurmClusterError(
            "'{} -C' did not report the node hardware (exit status {}): {}".format(
                binary, out.returncode, (out.stdout + out.stderr).strip()[-500:] or "no output"
            )
        )
    return {key: fields[key] for key in HARDWARE_FIELDS}


def short_hostname() -> str:
    """What ``hostname -s`` prints: the node is named after the machine."""
    return socket.gethostname().split(".")[0]


def user_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def free_port() -> int:
    """A TCP port that nothing listens on right now on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: str, lines: int = 15) -> str:
    """The last lines of a log, or "" when it does not exist yet."""
    try:
        with open(path, errors="replace") as handle:
            content = handle.read().splitlines()
    except OSError:
        return ""
    return "\n".join(content[-lines:])


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _stat_fields(pid: int) -> List[str]:
    """/proc/PID/stat after the command name: state, ppid, pgrp, session, ..."""
    stat = _read("/proc/{}/stat".format(pid)).decode("ascii", "replace")
    return stat.rsplit(")", 1)[1].split() if ")" in stat else []


def proc_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] != "Z"


def proc_cmdline(pid: int) -> str:
    return _read("/proc/{}/cmdline".format(pid)).replace(b"\0", b" ").decode("utf-8", "replace")


def cluster_processes(conf_path: str, sessions: Optional[Set[int]] = None) -> List[int]:
    """Live processes that belong to a cluster: in one of its daemons' sessions, or carrying
    its SLURM_CONF (slurmstepd starts a session of its own; jobs inherit the variable)."""
    marker = ("SLURM_CONF=" + conf_path).encode()
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        pid = int(name)
        fields = _stat_fields(pid)
        if not fields or fields[0] == "Z":
            continue
        in_session = int(fields[4]) in (sessions or ())
        if in_session or marker in _read("/proc/{}/environ".format(pid)).split(b"\0"):
            found.append(pid)
    return found


def kill_all(pids: List[int]) -> List[int]:
    """SIGKILL each pid; the ones that were still there."""
    killed = []
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        except OSError:
            pass
    return killed
