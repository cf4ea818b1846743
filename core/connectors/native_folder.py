"""Writing a job's native form (a job bundle, a spec with its task scripts) to a folder.

Export and submit share this one path, so what a user previews is what an engine reads. The
files are written to a sibling temporary folder and moved into place in one rename: a
failure half-way (disk full, a bad path) leaves no half-written job behind, and a folder that
already holds something is never mixed with a new job.
"""

import os
import shutil
import tempfile
from typing import Mapping

from farmhand.core.errors import InputError

# Scripts the engine runs directly are executable.
EXECUTABLE_SUFFIXES = (".sh",)


def write_folder(folder: str, files: Mapping[str, str], field: str = "folder") -> str:
    """Write ``files`` (relative path -> text) as the new folder ``folder``; its absolute path.

    ``folder`` must not exist yet, or be empty (it is then replaced).
    """
    target = os.path.abspath(os.path.expanduser(folder))
    if os.path.lexists(target):
        if not os.path.isdir(target) or os.path.islink(target):
            raise InputError("{} exists and is not a folder".format(target), field=field)
        if os.listdir(target):
            raise InputError(
                "{} already holds files; choose a new or empty folder".format(target), field=field
            )
    parent = os.path.dirname(target)
    if not os.path.isdir(parent):
        raise InputError("the parent folder {} does not exist".format(parent), field=field)
    staging = tempfile.mkdtemp(prefix="." + os.path.basename(target) + ".", dir=parent)
    try:
        for relative, text in sorted(files.items()):
            path = os.path.join(staging, *relative.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            if relative.endswith(EXECUTABLE_SUFFIXES):
                os.chmod(path, 0o755)
        os.chmod(staging, 0o755)
        if os.path.isdir(target):
            os.rmdir(target)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
