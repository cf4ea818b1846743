"""Dependency uploads: which local files a job needs, per dependency scan policy.

``patterns`` reads frame placeholders in file names (``####``, ``$F4``); ``resolve`` turns
upload paths and scanned file references into the upload list and a missing-file report.
"""

from farmhand.core.deps.patterns import FramePattern, find_pattern
from farmhand.core.deps.resolve import (
    FileReference,
    MissingUpload,
    UploadResolution,
    absolute_path,
    resolve_uploads,
)

__all__ = [
    "FileReference",
    "FramePattern",
    "MissingUpload",
    "UploadResolution",
    "absolute_path",
    "find_pattern",
    "resolve_uploads",
]
