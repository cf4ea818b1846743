"""What a host adapter (or the CLI) knows about the scene, handed to the job model as data.

A host plugin reads its scene and fills a ``HostContext``; nothing here refers to a host
object, so the same submission is built in Clarisse, Maya, a test or ``farmhand preview``.
Every field is optional: an empty context is what a command-line job (a job file, the seed's
quick start) has, and tokens that need a missing value render empty (validation warns).
"""

from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Union

from farmhand.core.deps import FileReference


@dataclass
class HostContext:
    """Plain data from the host: names, paths, its frame range, detected packages, files."""

    job_name: str = ""  # the job node's name: <job>
    submitter: str = ""  # the submitting node's name: <submitter>; defaults to job_name
    owner: str = ""  # the user the farm records; defaults to the login name
    sources: List[str] = field(default_factory=list)  # images/layers rendered: <sources>
    output_directories: List[str] = field(default_factory=list)  # <directories>
    pdir: str = ""  # project folder: <pdir>
    render_package: str = ""  # the scene file the farm renders: <render_package>
    temp_dir: str = ""  # <temp_dir>
    frames: str = ""  # the host's own frame range, used when use_custom_frames is off
    software_package_ids: List[str] = field(default_factory=list)  # detected host versions
    file_references: Sequence[Union[str, FileReference]] = field(default_factory=list)
    timestamp: Optional[float] = None  # epoch seconds of the submission; None: now


__all__ = ["FileReference", "HostContext"]
