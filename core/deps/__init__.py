"""Dependency uploads: which local files a job needs, per dependency scan policy.

``patterns`` reads frame placeholders in file names (``####``, ``$F4``, ``%04d``, ``<f>``),
``variables`` expands environment variables and spots expressions it cannot evaluate,
``sequences`` maps rendered frames to file frames (offsets, hold/repeat/mirror), ``listing``
reads each folder once, and ``resolve`` turns upload paths and scanned file references into
the upload list, the missing files, the unresolved references and the excluded outputs.
"""

from farmhand.core.deps.patterns import FramePattern, find_pattern
from farmhand.core.deps.resolve import (
    MISSING_FILE_LEVELS,
    SCAN_POLICIES,
    FileReference,
    MissingUpload,
    UploadResolution,
    absolute_path,
    resolve_uploads,
)
from farmhand.core.deps.sequences import SEQUENCE_MODES

__all__ = [
    "MISSING_FILE_LEVELS",
    "SCAN_POLICIES",
    "SEQUENCE_MODES",
    "FileReference",
    "FramePattern",
    "MissingUpload",
    "UploadResolution",
    "absolute_path",
    "find_pattern",
    "resolve_uploads",
]
