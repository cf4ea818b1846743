"""The files a Clarisse project reads, from its path attributes (``OfAttr.get_path_attrs``).

Left out: attributes of disabled items, private attributes, save-file attributes (an image's
``save_as``: an output), the FarmhandJob items' own attributes, and the files of contexts that
reference other Clarisse projects (``.project``): the render package holds those contexts'
contents, so the farm does not read the referenced projects. What the referenced contexts
themselves read (their textures, caches) is scanned like the rest.

A file attribute of an item in sequence mode (``sequence_mode`` on) reads frame ``f - offset``
at frame ``f`` (``frame_offset``: the seeds' texture that starts 100 frames in has offset
-100), which is the ``FileReference``'s offset; frame placeholders (``####``, ``$4F``) are kept
for the scan, UV tiles expanded to the tile files on disk.
"""

import os
from typing import Any, List, Set, Tuple

import ix

from farmhand.core.deps import FileReference
from farmhand.core.host import expand_tiles
from farmhand.plugins.clarisse.job_node import CLASS_NAME
from farmhand.plugins.clarisse.paths import expand_path

SAVE_HINT = "VISUAL_HINT_FILENAME_SAVE"
CONTEXT_OPTIONS = "__context_options__"


def is_project_reference(attr: Any) -> bool:
    """The ``filename`` of a context referencing another Clarisse project."""
    item = attr.get_parent_object()
    return (
        item.get_class_name() == "Generic"
        and item.get_name() == CONTEXT_OPTIONS
        and os.path.splitext(str(attr.get_string()))[1].lower() == ".project"
    )


def is_ignored(attr: Any) -> bool:
    item = attr.get_parent_object()
    if item.is_disabled() or attr.is_private():
        return True
    if item.get_class_name() == CLASS_NAME:
        return True
    if ix.api.OfAttr.get_visual_hint_name(attr.get_visual_hint()) == SAVE_HINT:
        return True
    return is_project_reference(attr)


def frame_offset(attr: Any) -> int:
    item = attr.get_parent_object()
    mode = item.attribute_exists("sequence_mode")
    if mode is None or not mode.get_long():
        return 0
    offset = item.attribute_exists("frame_offset")
    return int(offset.get_long()) if offset is not None else 0


def project_file_references(base: str) -> List[FileReference]:
    """Every file the project reads (see the module docstring), relative paths taken against
    ``base`` (the project's folder), each once."""
    found: List[FileReference] = []
    seen: Set[Tuple[str, int]] = set()
    for attr in ix.api.OfAttr.get_path_attrs():
        if is_ignored(attr):
            continue
        text = str(attr.get_string())
        if not text.strip():
            continue
        offset = frame_offset(attr)
        for path in expand_tiles(expand_path(text, base)):
            if (path, offset) not in seen:
                seen.add((path, offset))
                found.append(FileReference(path, offset))
    return found
