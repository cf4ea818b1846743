"""The job model: what a submitter node stores, and what it resolves to.

``JobSettings`` (``settings``) is what a user edits; ``HostContext`` (``context``) is what a
host adapter knows about the scene; ``build_submission`` (``build``) resolves both into a
``Submission`` (``submission``) whose ``to_payload()``/``payload_json()`` is the
Conductor-compatible payload. Job files are read and written by ``job_file``.
"""

from farmhand.core.job.build import build_submission
from farmhand.core.job.context import FileReference, HostContext
from farmhand.core.job.job_file import (
    JobFileError,
    build_job_file,
    job_file_context,
    load_job_file,
    read_job_file,
    save_job_file,
    settings_from_dict,
    settings_to_dict,
)
from farmhand.core.job.payload_json import payload_json
from farmhand.core.job.settings import EnvEntry, JobSettings
from farmhand.core.job.submission import Submission

__all__ = [
    "EnvEntry",
    "FileReference",
    "HostContext",
    "JobFileError",
    "JobSettings",
    "job_file_context",
    "Submission",
    "build_job_file",
    "build_submission",
    "load_job_file",
    "payload_json",
    "read_job_file",
    "save_job_file",
    "settings_from_dict",
    "settings_to_dict",
]
