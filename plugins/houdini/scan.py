"""The files a Houdini scene reads, from ``hou.fileReferences()``.

Houdini lists every file parm with a value; not all of them are read by the render:

- outputs are left out: a parm whose file chooser is in write mode, and the output parm of
  every ROP (``rops.OUTPUT_PARMS``), since they name files the farm writes;
- the FarmhandJob ROPs' own parms are left out;
- references that are not files (``op:`` node paths, ``opdef:``/``oplib:`` sections inside
  assets, URLs, MPlay's ``ip``/``md``) are left out.

The rest are expanded (``paths.expand_path``: frame variables kept for the scan), UV tiles
expanded into the tile files on disk (``farmhand.core.host.expand_tiles``), each once.
"""

from typing import List, Set

import hou

from farmhand.core.deps import FileReference
from farmhand.core.host import expand_tiles
from farmhand.plugins.houdini.paths import expand_path
from farmhand.plugins.houdini.rops import output_parm

JOB_TYPE = "farmhand::job"
_NOT_FILES = ("op:", "opdef:", "oplib:", "http://", "https://", "temp:")


def is_output(parm: "hou.Parm") -> bool:
    template = parm.parmTemplate()
    tags = template.tags() if template is not None else {}
    if tags.get("filechooser_mode") == "write":
        return True
    rop_output = output_parm(parm.node())
    return rop_output is not None and rop_output.name() == parm.name()


def is_job_parm(parm: "hou.Parm") -> bool:
    return parm.node().type().name() == JOB_TYPE


def is_file_text(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped not in ("ip", "md") and not stripped.startswith(_NOT_FILES)


def scene_file_references() -> List[FileReference]:
    """Every file the scene reads (see the module docstring), in Houdini's order."""
    found: List[FileReference] = []
    seen: Set[str] = set()
    for parm, text in hou.fileReferences():
        if not is_file_text(text):
            continue
        if parm is not None and (is_job_parm(parm) or is_output(parm)):
            continue
        for path in expand_tiles(expand_path(text.strip())):
            if path not in seen:
                seen.add(path)
                found.append(FileReference(path))
    return found
