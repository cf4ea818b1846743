"""Hashing and uploads: md5 (base64) with a persistent cache, and streaming upload bodies.

Protocol-free on purpose: a connector decides which md5s its server lacks and where to send
them; this package makes the local side fast (cached, parallel hashing), observable (progress
events for a dialog on a worker thread) and cancellable.
"""

from farmhand.core.transfer.files import LocalFile, collect_files, upload_file_entry
from farmhand.core.transfer.hashing import HashReport, hash_files
from farmhand.core.transfer.md5 import BUFFER_SIZE, file_md5, md5_base64
from farmhand.core.transfer.md5_cache import Md5Cache, default_cache_path, open_cache
from farmhand.core.transfer.plan import FileRangeReader, Part, split_parts, unique_by_md5
from farmhand.core.transfer.progress import (
    PHASES,
    ProgressCallback,
    ProgressEvent,
    ProgressTracker,
    emit_phase,
    eta_text,
)

__all__ = [
    "BUFFER_SIZE",
    "PHASES",
    "FileRangeReader",
    "HashReport",
    "LocalFile",
    "Md5Cache",
    "Part",
    "ProgressCallback",
    "ProgressEvent",
    "ProgressTracker",
    "collect_files",
    "default_cache_path",
    "emit_phase",
    "eta_text",
    "file_md5",
    "hash_files",
    "md5_base64",
    "open_cache",
    "split_parts",
    "unique_by_md5",
    "upload_file_entry",
]
