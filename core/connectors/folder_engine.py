"""What the engines Farmhand reaches through their own command-line tools share: a job is
written to a folder first (its native form, kept as the job's record like deadline-cloud's
job history), then handed to the engine's program.

``jobs_folder`` is where submitted jobs are kept (``FARMHAND_HOME/<farm>/jobs`` unless the
farm's setting names a shared folder); ``run_tool`` runs the engine's program and turns a
missing program or a failure into one clear ``FarmhandError`` naming the command.
"""

import os
import shutil
import subprocess
import time
from typing import List, Mapping, Optional, Sequence

from farmhand.core.errors import FarmConnectionError, UnsupportedError
from farmhand.core.paths import farmhand_home

TOOL_TIMEOUT = 600.0


def jobs_folder(farm: str, setting: str, environ: Mapping[str, str]) -> str:
    """The folder submitted jobs are written into (created when first used)."""
    configured = environ.get(setting, "").strip()
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    home = environ.get("FARMHAND_HOME", "").strip()
    return os.path.join(os.path.abspath(home) if home else farmhand_home(), farm, "jobs")


def new_job_folder(parent: str, title: str) -> str:
    """A fresh folder name under ``parent``: date, time and a slug of the title."""
    slug = "".join(c if c.isalnum() else "_" for c in title.strip())[:40].strip("_") or "job"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = os.path.join(parent, "{}-{}".format(stamp, slug))
    candidate, number = base, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = "{}-{}".format(base, number)
    os.makedirs(parent, exist_ok=True)
    return candidate


def find_tool(program: str, farm: str, what: str, install: str) -> str:
    """The path of ``program`` on PATH, or ``UnsupportedError`` saying what to install."""
    path = shutil.which(program)
    if path is None:
        raise UnsupportedError(
            "the {} farm submits with {} ({!r}), which is not installed here: {}".format(
                farm, what, program, install
            ),
            farm,
        )
    return path


def run_tool(argv: Sequence[str], farm: str, timeout: float = TOOL_TIMEOUT) -> str:
    """The program's standard output; a non-zero exit is a ``FarmConnectionError`` with its
    message."""
    try:
        result = subprocess.run(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            timeout=timeout,
            check=False,
        )
    except OSError as error:
        raise FarmConnectionError(
            "the {} farm could not run {}: {}".format(farm, argv[0], error)
        ) from None
    except subprocess.TimeoutExpired:
        raise FarmConnectionError(
            "the {} farm's `{}` did not finish in {:.0f} s".format(farm, " ".join(argv), timeout)
        ) from None
    if result.returncode != 0:
        message = (result.stderr.strip() or result.stdout.strip() or "no message")[-2000:]
        raise FarmConnectionError(
            "`{}` failed (exit status {}): {}".format(" ".join(argv), result.returncode, message)
        )
    return result.stdout


def written_paths(folder: str, names: List[str]) -> List[str]:
    return [os.path.join(folder, name) for name in sorted(names)]


def unsupported(farm: str, action: str, where: str) -> UnsupportedError:
    return UnsupportedError("the {} farm cannot {} here; {}".format(farm, action, where), farm)


def optional_text(value: Optional[str]) -> str:
    return (value or "").strip()
