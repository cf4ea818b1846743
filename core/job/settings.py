"""The settings a user edits: one plain dataclass shared by job files, widgets and host nodes.

Field names are the submission argument names of the seed API (``job_title``,
``instance_type``, ``chunk_size``...) plus the submitter's own (``frames``, ``chunk_strategy``,
``task_template``...). A job file, a Qt form and a host node all read and write these fields,
so the same settings always produce the same payload wherever they are edited.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from farmhand.core.deps.resolve import MISSING_FILE_LEVELS, SCAN_POLICIES
from farmhand.core.environment import MERGE_POLICIES, EnvEntry
from farmhand.core.frames.chunking import CHUNK_STRATEGIES

# The choices live with the code that acts on them; they are re-exported here because the
# settings are where widgets and job files look for them.
__all__ = [
    "CHUNK_STRATEGIES",
    "MERGE_POLICIES",
    "MISSING_FILE_LEVELS",
    "SCAN_POLICIES",
    "EnvEntry",
    "JobSettings",
]


@dataclass
class JobSettings:
    """Everything the user sets on a job; no derived values, no host objects."""

    # job
    farm: str = ""  # "" = $CONDUCTOR_URL, else the local farm (core.connectors.target)
    job_title: str = "Farmhand <job> <sequence>"
    project: str = "default"
    priority: int = 5
    location: str = ""
    metadata: Dict[str, str] = field(default_factory=dict)
    notify: List[str] = field(default_factory=list)
    # machine
    instance_type: str = ""
    machine_flavor: str = ""
    cores: int = 0
    max_instances: int = 0  # at most this many of the job's tasks at once; 0 = no limit
    preemptible: bool = False
    retries: int = 0
    autoretry_policy: Optional[Dict[str, Dict[str, int]]] = None
    # frames
    use_custom_frames: bool = True
    frames: str = ""
    chunk_size: int = 1
    chunk_strategy: str = "linear"
    best_chunk_size: bool = False
    max_tasks: int = 1000
    use_scout_frames: bool = True
    scout_frames: str = ""
    tiles: int = 1
    # commands
    task_template: str = ""
    tasks_data: Optional[List[Dict[str, Any]]] = None
    output_path: str = ""
    # software and environment
    software_package_ids: List[str] = field(default_factory=list)
    environment: Dict[str, str] = field(default_factory=dict)
    extra_environment: List[EnvEntry] = field(default_factory=list)
    # uploads
    upload_paths: List[str] = field(default_factory=list)
    dependency_scan_policy: str = "smart"
    missing_files: str = "error"  # MISSING_FILE_LEVELS: what a file the scan cannot find is
    local_upload: bool = True
    force_upload: bool = False
    upload_only: bool = False
    # diagnostics
    log_level: str = "INFO"
    show_tracebacks: bool = False
