"""Which local files a job uploads, per ``dependency_scan_policy``, and which are missing.

Inputs are the job's ``upload_paths`` (files, folders, or sequences with frame patterns) and
the file references a host adapter scanned from the scene. Policies (the seeds' names in
brackets):

- ``none`` (No Scan): only ``upload_paths``, taken literally; scanned references are ignored.
- ``smart`` (Smart Sequence): a path with a frame pattern stands for the files of the frames
  being rendered, through the reference's sequence attributes (``sequences.py``: offset,
  span on disk, hold/repeat/mirror/empty); plain paths as they are.
- ``glob`` (Glob): a path with a frame pattern stands for every file on disk of that sequence.

Environment variables and ``~`` are expanded, UV tiles (``<UDIM>``...) are the tiles on disk,
folders are walked (links to folders followed, except back to a folder above them). Each
folder is listed once (``listing.py``). Nothing is skipped silently: a path, frame or
sequence that is not on disk becomes a ``MissingUpload`` naming the reference that asked for
it; an expression the scan cannot evaluate is ``unresolved``; files inside the job's output
folder are left out and listed as ``excluded`` (a render must not upload its own previous
output). Hashing and sending the files belongs to ``farmhand.core.transfer``.
"""

import os
from typing import Iterable, List, Mapping, NamedTuple, Optional, Sequence, Set, Union

from farmhand.core.deps import listing
from farmhand.core.deps.listing import Listings, folder_problem, why_absent
from farmhand.core.deps.patterns import FramePattern, find_pattern
from farmhand.core.deps.sequences import check_sequence, file_frames
from farmhand.core.deps.variables import expand_variables, unresolved_reason
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec

SCAN_POLICIES = ("none", "smart", "glob")
# What a file the scan cannot find (or a reference it cannot resolve) is in the validation:
# an error blocks the submit (a render without its textures wastes farm time), a warning lets
# an artist submit a scene whose missing files are known not to be read.
MISSING_FILE_LEVELS = ("error", "warning")

_MAX_REASON = 200
_FILES = (listing.FILE,)
_FOLDERS = (listing.FOLDER, listing.LINKED_FOLDER)


class FileReference(NamedTuple):
    """A file the scene reads, as a host adapter hands it over.

    ``frame_offset`` is the host's sequence offset: frame ``f`` of the job reads the file of
    frame ``f - frame_offset`` (the seed's texture that starts 100 frames in has offset -100:
    shot frames 1-20 read files 0101-0120). ``sequence_start``/``sequence_end`` are the file
    frames the sequence spans on disk (None: unbounded) and ``sequence_mode`` what frames
    outside that span read (``sequences.SEQUENCE_MODES``). ``source`` says where in the scene
    the reference is (``file1.fileTextureName``), so a missing file names what asked for it.
    """

    path: str
    frame_offset: int = 0
    sequence_start: Optional[int] = None
    sequence_end: Optional[int] = None
    sequence_mode: str = "hold"
    source: str = ""


class MissingUpload(NamedTuple):
    """A file (or sequence, or expression) that cannot be uploaded, and why."""

    path: str
    source: str  # what asked for it: ``upload_paths[2]``, ``file1.fileTextureName``...
    reason: str

    def __str__(self) -> str:
        return "{} ({}): {}".format(self.path, self.source, self.reason)


class UploadResolution(NamedTuple):
    files: List[str]  # absolute, normalised, sorted, unique
    missing: List[MissingUpload]
    empty_directories: List[str]
    unresolved: List[MissingUpload]  # expressions and variables that cannot be evaluated
    excluded: List[str]  # files and folders left out because they are inside output_path
    skipped_links: List[MissingUpload]  # links to a folder above them: not followed
    scandirs: int  # folders listed


ReferenceLike = Union[str, FileReference]


def _inside(path: str, folders: Sequence[str]) -> bool:
    """Whether ``path`` is one of ``folders`` or inside one."""
    return any(
        path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders
    )


def _unnamable(path: str) -> Optional[str]:
    """Why no file can have this name, or None: the file system calls raise ValueError (not
    OSError) for a NUL character or a lone surrogate (found by fuzzing a job file's paths)."""
    if "\x00" in path:
        return "holds a NUL character, which no file name can contain"
    try:
        os.fsencode(path)
    except UnicodeError:
        return "holds characters this system cannot put in a file name"
    return None


class _Resolver:
    def __init__(
        self,
        frames: Optional[FrameSpec],
        policy: str,
        base_dir: Optional[str],
        environ: Mapping[str, str],
        exclude: Sequence[str],
    ) -> None:
        self.frames = frames
        self.policy = policy
        self.base_dir = base_dir
        self.environ = environ
        self.exclude = list(exclude)
        self.listings = Listings()
        self.files: Set[str] = set()
        self.missing: List[MissingUpload] = []
        self.unresolved: List[MissingUpload] = []
        self.empty: List[str] = []
        self.excluded: List[str] = []
        self.skipped_links: List[MissingUpload] = []
        self._walked: Set[str] = set()

    # -- one reference ----------------------------------------------------------------------

    def add(self, text: str, source: str, reference: Optional[FileReference] = None) -> None:
        expanded, undefined = expand_variables(text, self.environ)
        if undefined:
            names = ", ".join("$" + name for name in undefined)
            verb = "is" if len(undefined) == 1 else "are"
            reason = "{} {} not set on this machine".format(names, verb)
            self.unresolved.append(MissingUpload(text, source, reason))
            return
        if self.policy != "none":
            expression = unresolved_reason(expanded)
            if expression is not None:
                self.unresolved.append(MissingUpload(text, source, expression))
                return
        unnamable = _unnamable(expanded)
        if unnamable is not None:
            self.missing.append(MissingUpload(text, source, unnamable))
            return
        path = absolute_path(expanded, self.base_dir)
        if self.exclude and _inside(path, self.exclude):
            self.excluded.append(path)
            return
        for tile in self._tiles(path, source):
            self._add_path(tile, source, reference)

    def _tiles(self, path: str, source: str) -> List[str]:
        from farmhand.core.host.path_patterns import expand_tiles, has_tiles  # (import cycle)

        if self.policy == "none" or not has_tiles(path):
            return [path]
        directory = os.path.dirname(path)
        folder = self.listings.folder(directory)
        tiles = expand_tiles(path, names=folder.kinds)
        if tiles == [path]:  # no tile on disk
            reason = folder_problem(self.listings, directory) or (
                "no tile on disk matches the tile pattern"
            )
            self.missing.append(MissingUpload(path, source, reason))
            return []
        return tiles

    def _add_path(self, path: str, source: str, reference: Optional[FileReference]) -> None:
        pattern = find_pattern(path) if self.policy != "none" else None
        if pattern is not None:
            if self.policy == "smart" and self.frames is not None:
                self._add_frames(pattern, source, reference)
            else:
                self._add_sequence(pattern, source)
            return
        kind = self.listings.kind(path)
        if kind in _FILES:
            self.files.add(path)
        elif kind in _FOLDERS:
            self._add_directory(path, source)
        else:
            reason = why_absent(self.listings, path)
            if self.policy == "none" and find_pattern(path) is not None:
                reason += (
                    " (it holds a frame pattern, which dependency_scan_policy none does not "
                    "expand: use smart or glob)"
                )
            self.missing.append(MissingUpload(path, source, reason))

    # -- sequences --------------------------------------------------------------------------

    def _add_frames(
        self, pattern: FramePattern, source: str, reference: Optional[FileReference]
    ) -> None:
        assert self.frames is not None
        reference = reference or FileReference(pattern.path)
        numbers = file_frames(
            self.frames,
            reference.frame_offset,
            reference.sequence_start,
            reference.sequence_end,
            reference.sequence_mode,
        )
        directory, name = os.path.split(pattern.path)
        named = find_pattern(name) if find_pattern(directory) is None else None
        if named is not None:  # the usual case: every frame's file is in one folder
            absent = self._frames_in_folder(directory, named, numbers)
        else:  # frames in folder names (a.####/b.####.c): ask each frame's own folder
            absent = []
            for number in sorted(numbers):
                for candidate in pattern.candidates(number):
                    if self.listings.kind(candidate) in _FILES:
                        self._add_file(candidate)
                        break
                else:
                    absent.append(number)
        if absent:
            reason = "{:,} of {:,} frames missing: {}".format(
                len(absent), len(numbers), _short(str(FrameSpec.from_frames(absent)))
            )
            self.missing.append(MissingUpload(pattern.path, source, reason))

    def _frames_in_folder(
        self, directory: str, named: FramePattern, numbers: Set[int]
    ) -> List[int]:
        """Add the files of ``numbers`` from one folder's listing; returns the absent frames.

        Names are looked up in the listing and joined to the folder only when found (a
        sequence of 100,000 frames costs a dictionary lookup per frame, no path splitting)."""
        kinds = self.listings.folder(directory).kinds
        prefix = os.path.join(directory, "")
        found: List[str] = []
        absent: List[int] = []
        if named.fixed and len(named.paddings) == 1:  # one placeholder, one name per frame
            head, tail = named.literals
            padding = named.paddings[0]
            assert padding is not None
            for number in sorted(numbers):
                if number >= 0:
                    entry = "{}{}{}".format(head, str(number).zfill(padding), tail)
                else:
                    entry = named.format(number)
                if kinds.get(entry) == listing.FILE:
                    found.append(prefix + entry)
                else:
                    absent.append(number)
        else:
            for number in sorted(numbers):
                for entry in named.candidates(number):
                    if kinds.get(entry) == listing.FILE:
                        found.append(prefix + entry)
                        break
                else:
                    absent.append(number)
        self._add_files(prefix, found)
        return absent

    def _add_sequence(self, pattern: FramePattern, source: str) -> None:
        """Every file on disk of the sequence (glob, or smart without frames)."""
        directory, name = os.path.split(pattern.path)
        found: List[str] = []
        if find_pattern(directory) is None:
            named = find_pattern(name)
            assert named is not None
            folder = self.listings.folder(directory)
            kinds = folder.kinds
            prefix = os.path.join(directory, "")
            for entry in named.names_in(folder.names_starting_with(named.literals[0])):
                if kinds[entry] == listing.FILE:
                    found.append(prefix + entry)
        else:  # frames in folder names (a.####/b.####.c): rare, the glob module walks them
            import glob

            regex = pattern.regex()
            for path in glob.glob(pattern.glob_pattern()):
                if pattern.frame_of(path, regex) is not None and self.listings.kind(path) in _FILES:
                    found.append(path)
        if not found:
            reason = folder_problem(self.listings, directory) or (
                "no file on disk matches the frame pattern"
            )
            self.missing.append(MissingUpload(pattern.path, source, reason))
        self._add_files(os.path.join(directory, ""), found)

    def _add_files(self, prefix: str, paths: List[str]) -> None:
        """``_add_file`` for many paths; when no excluded folder is inside or above the
        folder ``prefix`` names, none of them can be excluded and they are added at once."""
        if self.exclude and any(
            _inside(prefix, [folder]) or folder.startswith(prefix) for folder in self.exclude
        ):
            for path in paths:
                self._add_file(path)
        else:
            self.files.update(paths)

    def _add_file(self, path: str) -> None:
        if self.exclude and _inside(path, self.exclude):
            self.excluded.append(path)
        else:
            self.files.add(path)

    # -- folders ----------------------------------------------------------------------------

    def _add_directory(self, root: str, source: str) -> None:
        if root in self._walked:
            return
        before = len(self.files)
        self._walk(root, source, [os.path.realpath(root)])
        if len(self.files) == before and root not in self.excluded:
            self.empty.append(root)

    def _walk(self, directory: str, source: str, above: List[str]) -> None:
        self._walked.add(directory)
        folder = self.listings.folder(directory)
        if folder.error is not None:
            self.missing.append(
                MissingUpload(
                    directory,
                    source,
                    "the folder cannot be read ({})".format(folder.error.strerror or folder.error),
                )
            )
            return
        for name in folder.sorted_names():
            path = os.path.join(directory, name)
            kind = folder.kind(name)
            if kind in _FILES:
                self._add_file(path)
            elif kind == listing.FOLDER or kind == listing.LINKED_FOLDER:
                if self.exclude and _inside(path, self.exclude):
                    self.excluded.append(path)
                    continue
                real = os.path.realpath(path) if kind == listing.LINKED_FOLDER else ""
                if real and any(_inside(folder, [real]) for folder in above):
                    self.skipped_links.append(
                        MissingUpload(
                            path,
                            source,
                            "links to {}, a folder above it; not followed".format(real),
                        )
                    )
                    continue
                self._walk(path, source, above + [real or os.path.join(above[-1], name)])
            else:
                self.missing.append(MissingUpload(path, source, why_absent(self.listings, path)))


def _short(text: str) -> str:
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 3] + "..."


def absolute_path(path: str, base_dir: Optional[str] = None) -> str:
    """``~`` expanded, relative paths joined to ``base_dir`` (or the working folder)."""
    path = os.path.expanduser(path)
    if base_dir and not os.path.isabs(path):
        path = os.path.join(base_dir, path)
    return os.path.normpath(os.path.abspath(path))


def _reference_source(reference: FileReference) -> str:
    return reference.source or "file reference"


def resolve_uploads(
    upload_paths: Sequence[str],
    file_references: Iterable[ReferenceLike] = (),
    policy: str = "smart",
    frames: Optional[FrameSpec] = None,
    base_dir: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
    output_path: str = "",
) -> UploadResolution:
    """The files to upload and what is missing (see the module docstring).

    ``frames`` are the frames being rendered; without them (an upload-only job) ``smart``
    takes every file of a sequence, as ``glob`` does. ``environ`` (default ``os.environ``)
    expands ``$VARIABLES``; files inside ``output_path`` are left out.
    """
    if policy not in SCAN_POLICIES:
        raise InputError(
            "unknown dependency scan policy {!r}; valid policies: {}".format(
                policy, ", ".join(SCAN_POLICIES)
            ),
            "dependency_scan_policy",
        )
    env: Mapping[str, str] = os.environ if environ is None else environ
    exclude = [absolute_path(output_path, base_dir)] if output_path.strip() else []
    resolver = _Resolver(frames, policy, base_dir, env, exclude)
    for index, path in enumerate(upload_paths):
        resolver.add(path, "upload_paths[{}]".format(index))
    if policy != "none":
        for item in file_references:
            reference = FileReference(item) if isinstance(item, str) else item
            source = _reference_source(reference)
            check_sequence(
                reference.sequence_start,
                reference.sequence_end,
                reference.sequence_mode,
                "{} ({})".format(reference.path, source),
            )
            resolver.add(reference.path, source, reference)
    return UploadResolution(
        sorted(resolver.files),
        resolver.missing,
        resolver.empty,
        resolver.unresolved,
        sorted(set(resolver.excluded)),
        resolver.skipped_links,
        resolver.listings.scandirs,
    )


__all__ = [
    "MISSING_FILE_LEVELS",
    "SCAN_POLICIES",
    "FileReference",
    "MissingUpload",
    "UploadResolution",
    "absolute_path",
    "resolve_uploads",
]
