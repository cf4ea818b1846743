"""A throwaway ``FARMHAND_HOME`` for one benchmark, so its farm, md5 cache and keys never touch
the user's and nothing is left behind."""

import contextlib
import os
import shutil
import tempfile
from typing import Iterator


@contextlib.contextmanager
def scratch_home(prefix: str) -> Iterator[str]:
    """A new scratch folder whose ``home`` subfolder is ``FARMHAND_HOME`` inside the block;
    afterwards the folder is removed and ``FARMHAND_HOME`` is as it was. Stop any farm started
    in it inside the block."""
    scratch = tempfile.mkdtemp(prefix=prefix)
    previous = os.environ.get("FARMHAND_HOME")
    os.environ["FARMHAND_HOME"] = os.path.join(scratch, "home")
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if previous is None:
            os.environ.pop("FARMHAND_HOME", None)
        else:
            os.environ["FARMHAND_HOME"] = previous
