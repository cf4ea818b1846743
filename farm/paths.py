"""Where the local farm keeps its state: one folder under ``FARMHAND_HOME``.

Every file the farm writes is named here, so a test (or a user moving the farm) relocates all
of it by setting ``FARMHAND_HOME`` and nothing can drift into a second location.
"""

import os
import stat
from dataclasses import dataclass
from typing import Optional

from farmhand.core.paths import farmhand_home


@dataclass(frozen=True)
class FarmPaths:
    root: str

    @classmethod
    def default(cls) -> "FarmPaths":
        return cls(os.path.join(farmhand_home(), "farm"))

    @property
    def db(self) -> str:
        return os.path.join(self.root, "farm.db")

    @property
    def api_key(self) -> str:
        return os.path.join(self.root, "api_key.json")

    @property
    def secret(self) -> str:
        return os.path.join(self.root, "secret")

    @property
    def config(self) -> str:
        return os.path.join(self.root, "config.json")

    @property
    def pid_file(self) -> str:
        return os.path.join(self.root, "farm.pid")

    @property
    def port_file(self) -> str:
        return os.path.join(self.root, "farm.port")

    @property
    def serve_log(self) -> str:
        return os.path.join(self.root, "serve.log")

    @property
    def store(self) -> str:
        return os.path.join(self.root, "store")

    @property
    def store_tmp(self) -> str:
        return os.path.join(self.root, "store", "tmp")

    @property
    def logs(self) -> str:
        return os.path.join(self.root, "logs")

    @property
    def work(self) -> str:
        return os.path.join(self.root, "work")

    @property
    def inputs(self) -> str:
        return os.path.join(self.root, "inputs")

    def job_log_dir(self, job_id: str) -> str:
        return os.path.join(self.logs, job_id)

    def job_work_dir(self, job_id: str) -> str:
        return os.path.join(self.work, job_id)

    def job_inputs_dir(self, job_id: str) -> str:
        return os.path.join(self.inputs, job_id)

    def ensure(self) -> "FarmPaths":
        """Create the folders; the root is private to its owner (it holds the API key)."""
        os.makedirs(self.root, mode=0o700, exist_ok=True)
        os.chmod(self.root, 0o700)
        for folder in (self.store, self.store_tmp, self.logs, self.work, self.inputs):
            os.makedirs(folder, exist_ok=True)
        return self


def loose_home_warning(root: str) -> Optional[str]:
    """What to tell the user when the folder holding the farm's (``FARMHAND_HOME``) lets
    other users in, or None. The farm's own folder is forced to 0700 on every start, but the
    user's folder is theirs: they may share it on purpose, so it is named, never changed."""
    home = os.path.dirname(os.path.abspath(root))
    try:
        mode = stat.S_IMODE(os.stat(home).st_mode)
    except OSError:
        return None
    if not mode & 0o077:
        return None
    return (
        "FARMHAND_HOME {} is mode {:04o}: other users can reach it (the farm's own folder is"
        " kept 0700 and its files 0600, but run `chmod 700 {}` to keep all of Farmhand's"
        " state private)".format(home, mode, home)
    )
