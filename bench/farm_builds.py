"""What the farm benchmarks share: a farm of this build or of another one, and new content.

A before/after comparison on a shared, noisy machine is only fair when both builds run in
the same rounds, so a benchmark can start the farm of another build (a folder holding its
``farmhand`` package, first on the farm process's ``PYTHONPATH``) next to this one.
"""

import os
from typing import Optional, Tuple

MIB = 1024**2


def start_farm(paths: object, slots: int, pythonpath: Optional[str] = None) -> Tuple[str, str]:
    """``control.start`` for this build, or for the build in ``pythonpath``; returns
    ``(url, api_key_json)``."""
    from farmhand.farm import control

    previous = os.environ.get("PYTHONPATH")
    if pythonpath:  # the farm process imports that build's farmhand first
        os.environ["PYTHONPATH"] = pythonpath
    try:
        return control.start(port=0, slots=slots, paths=paths)  # type: ignore[arg-type]
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = previous


def write_random(path: str, size: int) -> None:
    """A file of new content: the farm has to receive every byte of it."""
    with open(path, "wb") as handle:
        left = size
        while left > 0:
            block = os.urandom(min(left, 16 * MIB))
            handle.write(block)
            left -= len(block)
