"""Which local files a job uploads, per ``dependency_scan_policy``, and which are missing.

Inputs are the job's ``upload_paths`` (files, folders, or sequences with frame patterns) and
the file references a host adapter scanned from the scene. Policies (the seeds' names in
brackets):

- ``none`` (No Scan): only ``upload_paths``, taken literally; scanned references are ignored.
- ``smart`` (Smart Sequence): a path with a frame pattern stands for the files of the frames
  being rendered, shifted by the reference's ``frame_offset``; plain paths as they are.
- ``glob`` (Glob): a path with a frame pattern stands for every file on disk of that sequence.

Folders are walked (sorted, symlinked folders not followed). Nothing is skipped silently: a
path, frame or sequence that is not on disk becomes a ``MissingUpload`` (the validator turns
each into an error). Hashing and sending the files belongs to ``farmhand.core.transfer``.
"""

import glob
import os
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Union

from farmhand.core.deps.patterns import FramePattern, find_pattern
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec

SCAN_POLICIES = ("none", "smart", "glob")

_MAX_REASON = 200


class FileReference(NamedTuple):
    """A file the scene reads. ``frame_offset`` is the host's sequence offset: frame ``f`` of
    the job reads the file of frame ``f - frame_offset`` (the seed's texture that starts 100
    frames in has offset -100: shot frames 1-20 read files 0101-0120)."""

    path: str
    frame_offset: int = 0


class MissingUpload(NamedTuple):
    path: str
    source: str  # where the path came from: ``upload_paths[2]`` or ``file reference``
    reason: str

    def __str__(self) -> str:
        return "{} ({}): {}".format(self.path, self.source, self.reason)


class UploadResolution(NamedTuple):
    files: List[str]  # absolute, normalised, sorted, unique
    missing: List[MissingUpload]
    empty_directories: List[str]


ReferenceLike = Union[str, FileReference]


class _Resolver:
    def __init__(self, frames: Optional[FrameSpec], policy: str) -> None:
        self.frames = frames
        self.policy = policy
        self.files: Set[str] = set()
        self.missing: List[MissingUpload] = []
        self.empty: List[str] = []
        self._listings: Dict[str, Optional[Set[str]]] = {}

    def add(self, path: str, source: str, offset: int = 0) -> None:
        pattern = find_pattern(path) if self.policy != "none" else None
        if pattern is not None:
            if self.policy == "smart" and self.frames is not None:
                self._add_frames(pattern, source, offset)
            else:
                self._add_glob(pattern, source)
        elif os.path.isfile(path):
            self.files.add(path)
        elif os.path.isdir(path):
            self._add_directory(path, source)
        else:
            reason = _not_a_file(path)
            if self.policy == "none" and find_pattern(path) is not None:
                reason += (
                    " (it holds a frame pattern, which dependency_scan_policy none does not "
                    "expand: use smart or glob)"
                )
            self.missing.append(MissingUpload(path, source, reason))

    def _listing(self, directory: str) -> Optional[Set[str]]:
        if directory not in self._listings:
            try:
                self._listings[directory] = set(os.listdir(directory or "."))
            except OSError:
                self._listings[directory] = None
        return self._listings[directory]

    def _add_frames(self, pattern: FramePattern, source: str, offset: int) -> None:
        assert self.frames is not None
        absent: List[int] = []
        for frame in self.frames:
            path = pattern.format(frame - offset)
            directory, name = os.path.split(path)
            names = self._listing(directory)
            if names is not None and name in names and os.path.isfile(path):
                self.files.add(path)
            else:
                absent.append(frame - offset)
        if absent:
            reason = "{:,} of {:,} frames missing: {}".format(
                len(absent), len(self.frames), _short(str(FrameSpec.from_frames(absent)))
            )
            self.missing.append(MissingUpload(pattern.path, source, reason))

    def _add_glob(self, pattern: FramePattern, source: str) -> None:
        regex = pattern.regex()
        found = [
            path
            for path in glob.glob(pattern.glob_pattern())
            if pattern.frame_of(path, regex) is not None and os.path.isfile(path)
        ]
        if not found:
            self.missing.append(
                MissingUpload(pattern.path, source, "no file on disk matches the frame pattern")
            )
        self.files.update(found)

    def _add_directory(self, root: str, source: str) -> None:
        before = len(self.files)
        for directory, subdirectories, names in os.walk(root):
            subdirectories.sort()
            for name in sorted(names):
                path = os.path.join(directory, name)
                if os.path.isfile(path):
                    self.files.add(path)
                else:
                    self.missing.append(MissingUpload(path, source, _not_a_file(path)))
        if len(self.files) == before:
            self.empty.append(root)


def _not_a_file(path: str) -> str:
    """Why ``path`` (neither a regular file nor a folder) cannot be uploaded."""
    if os.path.exists(path):  # a device, a FIFO, a socket: reading it is not a file's bytes
        return "is not a regular file or a folder"
    return "broken link" if os.path.islink(path) else "does not exist"


def _short(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 3] + "..."


def absolute_path(path: str, base_dir: Optional[str] = None) -> str:
    """``~`` expanded, relative paths joined to ``base_dir`` (or the working folder)."""
    path = os.path.expanduser(path)
    if base_dir and not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    return os.path.normpath(os.path.abspath(path))


def resolve_uploads(
    upload_paths: Sequence[str],
    file_references: Iterable[ReferenceLike] = (),
    policy: str = "smart",
    frames: Optional[FrameSpec] = None,
    base_dir: Optional[str] = None,
) -> UploadResolution:
    """The files to upload and what is missing (see the module docstring).

    ``frames`` are the frames being rendered; without them (an upload-only job) ``smart``
    takes every file of a sequence, as ``glob`` does.
    """
    if policy not in SCAN_POLICIES:
        raise InputError(
            "unknown dependency scan policy {!r}; valid policies: {}".format(
                policy, ", ".join(SCAN_POLICIES)
            ),
            "dependency_scan_policy",
        )
    resolver = _Resolver(frames, policy)
    for index, path in enumerate(upload_paths):
        resolver.add(absolute_path(path, base_dir), "upload_paths[{}]".format(index))
    if policy != "none":
        for reference in file_references:
            if isinstance(reference, str):
                reference = FileReference(reference)
            resolver.add(
                absolute_path(reference.path, base_dir), "file reference", reference.frame_offset
            )
    return UploadResolution(sorted(resolver.files), resolver.missing, resolver.empty)
