"""Fuzz target: path patterns the dependency scan reads (``####``, ``$F4``, ``%04d``, ``<f>``,
``<UDIM>``...), and the scan itself over a small sandbox of files.

Input lines: a pattern path, a file name the host resolved for it, then folder entries.
Contract: the pattern functions never raise; a file name made by ``FramePattern.format`` reads
back as its frame (``frame_of``), for every pattern whose placeholders are not glued to digits;
``resolve_uploads`` over the sandbox returns its lists or raises a typed error, quickly.

    python -m fuzz.path_patterns -max_total_time=60 fuzz/corpus/path_patterns
"""

import os
import tempfile

from farmhand.core.deps import find_pattern, resolve_uploads
from farmhand.core.frames import FrameSpec
from farmhand.core.host.path_patterns import expand_tiles, frame_token_to_hashes, has_tiles
from fuzz.harness import check, main, text_of, typed_errors_only

SANDBOX = tempfile.mkdtemp(prefix="farmhand-fuzz-paths-")
FRAMES = FrameSpec.parse("1-3,10")


def _unambiguous(literals: "list[str]") -> bool:
    """Whether names read back unambiguously: two placeholders side by side (``$F#``) or with
    digits between them (``#1#``) run their digits together, so ``frame_of`` cannot split
    them. No host writes such names; they are checked for not raising only."""
    return all(text and not text[0].isdigit() and not text[-1].isdigit() for text in literals)


def _make_sandbox() -> None:
    for folder in ("tex", "seq", "tiles"):
        os.makedirs(os.path.join(SANDBOX, folder), exist_ok=True)
    names = ["tex/wood.exr", "tiles/skin.1001.exr", "tiles/skin.1002.exr", "tiles/skin.u1_v1.exr"]
    names += ["seq/a.{:04d}.exr".format(f) for f in range(1, 5)] + ["seq/b.7.exr", "seq/b.-3.exr"]
    for name in names:
        with open(os.path.join(SANDBOX, name), "w") as handle:
            handle.write(name)


def _inside(path: str) -> str:
    """Keep the scan in the sandbox: a fuzzed ``/`` or ``..`` must not walk the disk."""
    full = os.path.normpath(os.path.join(SANDBOX, path))
    return full if full.startswith(SANDBOX + os.sep) else os.path.join(SANDBOX, "outside")


def test_one_input(data: bytes) -> None:
    lines = text_of(data).split("\n")
    path, resolved, names = lines[0], (lines[1] if len(lines) > 1 else ""), lines[2:]
    with typed_errors_only("find_pattern", path, allowed=()):
        pattern = find_pattern(path)
        if pattern is not None:
            regex = pattern.regex()
            for frame in (0, 7, -3, 1234):
                for name in pattern.candidates(frame):
                    found = pattern.frame_of(name, regex)
                    if _unambiguous(pattern.literals[1:-1]):
                        check(found == frame, "{!r}: {!r} reads as {!r}".format(path, name, found))
            pattern.glob_pattern()
    with typed_errors_only("path_patterns", (path, resolved), allowed=()):
        hashes = frame_token_to_hashes(path, resolved)
        check("<f>" not in hashes.lower(), "{!r} kept its <f> as {!r}".format(path, hashes))
        if has_tiles(path):
            expand_tiles(path, names=names)
            expand_tiles(path, tiles=[1001, 1012])
    policy = ("smart", "glob", "none")[len(lines) % 3]
    uploads = [_inside(line) for line in lines[:3] if line]
    with typed_errors_only("resolve_uploads", (uploads, policy)):
        resolve_uploads(uploads, [_inside(n) for n in names[:3]], policy, FRAMES, SANDBOX, {})


_make_sandbox()

if __name__ == "__main__":
    main(test_one_input)
