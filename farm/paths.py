"""Where the local farm keeps its state: one folder under ``FARMHAND_HOME``.

Every file the farm writes is named here, so a test (or a user moving the farm) relocates all
of it by setting ``FARMHAND_HOME`` and nothing can drift into a second location.
"""

import os
from dataclasses import dataclass

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
