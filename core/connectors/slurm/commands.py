"""Running Slurm's programs (``sbatch``, ``squeue``, ``scontrol``, ``scancel``, ``sacct``,
``sinfo``) and turning their failures into errors that name the command and its message.

Slurm clients find their cluster through ``SLURM_CONF`` (or /etc/slurm/slurm.conf), so the
environment they run with is the caller's: the connector never picks a cluster itself.
"""

import shutil
import subprocess
from typing import List, Mapping, Optional, Sequence

from farmhand.core.errors import FarmConnectionError, UnsupportedError

CLIENT_TIMEOUT = 60.0


class SlurmCommands(object):
    """Slurm's client programs, run with ``environ`` (``SLURM_CONF`` picks the cluster)."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None) -> None:
        self.environ = dict(environ) if environ is not None else None

    def program(self, name: str) -> str:
        path = (self.environ or {}).get("PATH")
        found = shutil.which(name, path=path) if path else shutil.which(name)
        if not found:
            raise UnsupportedError(
                "the slurm farm needs Slurm's `{}` on PATH (Debian: apt-get install "
                "slurm-client), with SLURM_CONF naming the cluster's slurm.conf".format(name),
                "slurm",
            )
        return found

    def run(self, args: Sequence[str], check: bool = True) -> "subprocess.CompletedProcess[str]":
        """Run ``args`` (program name first); a non-zero exit is a ``FarmConnectionError``
        quoting the command and Slurm's message, unless ``check`` is false."""
        command = [self.program(args[0])] + list(args[1:])
        try:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                universal_newlines=True,
                env=self.environ,
                timeout=CLIENT_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise FarmConnectionError(
                "`{}` did not answer in {:.0f} s: is slurmctld running?".format(
                    " ".join(args), CLIENT_TIMEOUT
                )
            ) from None
        if check and done.returncode != 0:
            raise FarmConnectionError(
                "`{}` failed (exit status {}): {}".format(
                    shown(args), done.returncode, last_line(done.stderr or done.stdout)
                )
            )
        return done

    def output(self, args: Sequence[str]) -> str:
        return str(self.run(args).stdout)


def last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def shown(args: Sequence[str]) -> str:
    """A command as a user would type it (long scripts' paths kept: they say which job)."""
    return " ".join(args if len(args) < 12 else list(args[:12]) + ["..."])


def split_rows(text: str, separator: str = "|") -> List[List[str]]:
    return [line.split(separator) for line in text.splitlines() if line.strip()]
