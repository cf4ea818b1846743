"""Every file a Maya scene reads, as ``FileReference``s for the dependency scan.

Node types Farmhand knows are read attribute by attribute, with their frame and tile
settings: file textures (frame extension and offset, UV tiling: UDIM, ZBrush, Mudbox), image
planes, references, Alembic and GPU caches, audio, and, when their plug-in is loaded,
Arnold (stand-ins, images, volumes, IES; a texture's ``.tx`` beside it), Redshift (proxies,
volumes, textures of lights, sprites and normal maps, IES) and V-Ray (proxies, volume
grids, scenes). Any other attribute Maya knows holds a file name (Maya's File Path Editor)
is taken as a plain file, so a plug-in Farmhand does not know is not silently left out. The
colour management's OCIO config is a dependency too, when the scene uses one.

A sequence's file for a frame is taken as the frame plus the node's ``frameOffset``, which is
how Maya drives ``frameExtension`` when "Use Image Sequence" is turned on; a
``frameExtension`` keyed by hand to hold or loop frames is not read.
"""

import os
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Set

from maya import cmds

from farmhand.core.deps import FileReference
from farmhand.core.host.path_patterns import expand_tiles, frame_token_to_hashes, has_tiles
from farmhand.plugins.maya.paths import resolve
from farmhand.plugins.maya.software import current_renderer, plugin_loaded


class NodeFiles(NamedTuple):
    """Where a node type keeps its file name and, for a sequence, its frame settings."""

    node_type: str
    attribute: str
    plugin: str = ""  # the plug-in that defines the type ("" for Maya's own)
    use_frames: str = ""  # the bool attribute that turns the sequence on
    frame_offset: str = ""  # file frame = scene frame + this attribute


NODE_FILES = (
    NodeFiles("imagePlane", "imageName", "", "useFrameExtension", "frameOffset"),
    NodeFiles("AlembicNode", "abc_File"),
    NodeFiles("gpuCache", "cacheFileName"),
    NodeFiles("audio", "filename"),
    NodeFiles("aiStandIn", "dso", "mtoa", "useFrameExtension", "frameOffset"),
    NodeFiles("aiImage", "filename", "mtoa"),
    NodeFiles("aiVolume", "filename", "mtoa", "useFrameExtension", "frameOffset"),
    NodeFiles("aiPhotometricLight", "aiFilename", "mtoa"),
    NodeFiles("RedshiftProxyMesh", "fileName", "redshift4maya", "useFrameExtension", "frameOffset"),
    NodeFiles(
        "RedshiftVolumeShape", "fileName", "redshift4maya", "useFrameExtension", "frameOffset"
    ),
    NodeFiles("RedshiftNormalMap", "tex0", "redshift4maya"),
    NodeFiles("RedshiftDomeLight", "tex0", "redshift4maya"),
    NodeFiles("RedshiftSprite", "tex0", "redshift4maya"),
    NodeFiles("RedshiftIESLight", "profile", "redshift4maya"),
    NodeFiles("VRayMesh", "fileName", "vrayformaya"),
    NodeFiles("VRayVolumeGrid", "inFile", "vrayformaya"),
    NodeFiles("VRayScene", "FilePath", "vrayformaya"),
)
# Types read here, whose File Path Editor entries are therefore not taken again.
KNOWN_TYPES = {"file", "reference"} | {entry.node_type for entry in NODE_FILES}


def _string(plug: str) -> str:
    value = cmds.getAttr(plug)
    return "" if value is None else str(value)


def _number(plug: str) -> int:
    return int(round(float(cmds.getAttr(plug) or 0)))


def sequence_pattern(path: str) -> str:
    """``path`` with its frame as ``#``: Maya's ``<f>`` token, ``#`` already there, or the
    last run of digits in the file name (``plate.0012.exr`` -> ``plate.####.exr``)."""
    if "#" in path:
        return path
    if "<f>" in path.lower() or "<frame>" in path.lower():
        return frame_token_to_hashes(path)
    folder, name = os.path.split(path)
    stem, extension = os.path.splitext(name)
    end = len(stem)
    while end and not stem[end - 1].isdigit():
        end -= 1
    start = end
    while start and stem[start - 1].isdigit():
        start -= 1
    if start == end:
        return path
    return os.path.join(folder, stem[:start] + "#" * (end - start) + stem[end:] + extension)


def file_textures(arnold_tx: bool) -> List[FileReference]:
    """File texture nodes: the computed pattern (``<UDIM>``, ``<f>``...) with the tiles on
    disk and the frame offset; ``.tx`` files beside them when Arnold renders with them."""
    found: List[FileReference] = []
    for node in cmds.ls(type="file") or []:
        name = _string(node + ".fileTextureName")
        if not name:
            continue
        resolved = resolve(name)
        pattern = _string(node + ".computedFileTextureNamePattern") or name
        pattern = resolve(pattern)
        offset = 0
        if cmds.getAttr(node + ".useFrameExtension"):
            pattern = frame_token_to_hashes(pattern, resolved)
            if "#" not in pattern:
                pattern = sequence_pattern(pattern)
            offset = -_number(node + ".frameOffset")
        paths = expand_tiles(pattern) if has_tiles(pattern) else [pattern]
        for path in paths:
            found.append(FileReference(path, offset))
            if arnold_tx:
                tx = os.path.splitext(path)[0] + ".tx"
                if "#" in tx or os.path.isfile(tx):
                    found.append(FileReference(tx, offset))
    return found


def typed_nodes() -> List[FileReference]:
    found: List[FileReference] = []
    for entry in NODE_FILES:
        if entry.plugin and not plugin_loaded(entry.plugin):
            continue
        for node in cmds.ls(type=entry.node_type) or []:
            name = _string("{}.{}".format(node, entry.attribute))
            if not name:
                continue
            path = resolve(name)
            offset = 0
            if entry.use_frames and cmds.getAttr("{}.{}".format(node, entry.use_frames)):
                path = sequence_pattern(path)
                offset = -_number("{}.{}".format(node, entry.frame_offset))
            for tile in expand_tiles(path) if has_tiles(path) else [path]:
                found.append(FileReference(tile, offset))
    return found


def references() -> List[FileReference]:
    """Referenced scenes (nested ones too, loaded or not)."""
    found: List[FileReference] = []
    for node in cmds.ls(type="reference") or []:
        if node == "sharedReferenceNode" or node.endswith("_UNKNOWN_REF_NODE_"):
            continue
        try:
            path = cmds.referenceQuery(node, filename=True, withoutCopyNumber=True)
        except RuntimeError:  # a reference node that belongs to no file
            continue
        if path:
            found.append(FileReference(resolve(str(path))))
    return found


def _editor_entries() -> Iterator[List[str]]:
    """``[folder, file name, node.attribute]`` for every file the File Path Editor lists."""
    cmds.filePathEditor(refresh=True)
    editor: Any = cmds.filePathEditor  # the stubs know listFiles only as a flag, not a folder
    for folder in editor(query=True, listDirectories="") or []:
        listed = editor(query=True, listFiles=folder, withAttribute=True) or []
        for index in range(0, len(listed) - 1, 2):
            yield [folder, listed[index], listed[index + 1]]


def other_file_attributes() -> List[FileReference]:
    """Files of node types not read above, as plain files (see the module docstring)."""
    found: List[FileReference] = []
    types: Dict[str, str] = {}
    for folder, name, plug in _editor_entries():
        node = plug.split(".", 1)[0]
        if node not in types:
            types[node] = str(cmds.nodeType(node))
        if types[node] not in KNOWN_TYPES:
            found.append(FileReference(resolve(os.path.join(folder, name))))
    return found


def ocio_config() -> Optional[FileReference]:
    if not cmds.colorManagementPrefs(query=True, cmEnabled=True):
        return None
    if not cmds.colorManagementPrefs(query=True, cmConfigFileEnabled=True):
        return None
    path = str(cmds.colorManagementPrefs(query=True, configFilePath=True) or "")
    return FileReference(resolve(path)) if path else None


def scene_file_references() -> List[FileReference]:
    """Every file the open scene reads, each once, in a stable order (by kind)."""
    arnold_tx = (
        current_renderer() == "arnold"
        and plugin_loaded("mtoa")
        and bool(_option("defaultArnoldRenderOptions.use_existing_tiled_textures"))
    )
    found: List[FileReference] = []
    seen: Set[FileReference] = set()
    config = ocio_config()
    for part in (
        file_textures(arnold_tx),
        typed_nodes(),
        references(),
        other_file_attributes(),
        [config] if config is not None else [],
    ):
        for reference in part:
            if reference not in seen:
                seen.add(reference)
                found.append(reference)
    return found


def _option(plug: str) -> Any:
    """An attribute that may not exist (a renderer's options before its first use)."""
    if not cmds.objExists(plug):
        return None
    return cmds.getAttr(plug)
