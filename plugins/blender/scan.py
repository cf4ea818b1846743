"""Every file a Blender scene reads, as ``FileReference``s for the dependency scan.

Walks ``bpy.data``: images (single files, movies, sequences with each reader's frame
mapping, UDIM tiles), linked libraries, Alembic/USD caches (``MeshSequenceCache``), volumes
(VDB, sequences), sounds, fonts, texts kept in files, OSL script nodes, movie clips,
sequencer image and movie strips, point caches written to disk, fluid and ocean bakes.
Packed data travels inside the .blend and is skipped; relative paths (``//``) are resolved
against the .blend (or the library) that holds them.
"""

import os
from typing import Any, Dict, Iterable, Iterator, List, Optional

import bpy

from farmhand.core.deps import FileReference
from farmhand.core.host.path_patterns import tile_path
from farmhand.plugins.blender.sequences import (
    CLAMP_FROM_ZERO,
    REPEAT,
    UNBOUNDED,
    SequenceUser,
    movie_clip_user,
    point_cache_user,
    sequence_references,
    split_sequence,
)

Frames = Optional[List[int]]


def absolute(path: str, owner: Any = None) -> str:
    """``path`` made absolute the way Blender resolves it for ``owner`` (an ID)."""
    library = getattr(owner, "library", None)
    return os.path.normpath(str(bpy.path.abspath(path, library=library)))


def _packed(owner: Any) -> bool:
    return getattr(owner, "packed_file", None) is not None


# image users --------------------------------------------------------------------------
def _node_trees() -> Iterator[Any]:
    for collection in (
        bpy.data.materials,
        bpy.data.worlds,
        bpy.data.lights,
        bpy.data.textures,
        bpy.data.linestyles,
    ):
        for owner in collection:
            tree = getattr(owner, "node_tree", None)
            if tree is not None:
                yield tree
    yield from bpy.data.node_groups
    for scene in bpy.data.scenes:
        if scene.node_tree is not None:
            yield scene.node_tree


def _image_user(user: Any) -> SequenceUser:
    mode = REPEAT if user.use_cyclic else CLAMP_FROM_ZERO
    return SequenceUser(user.frame_start, user.frame_duration, user.frame_offset, mode)


def image_users() -> Dict[str, List[SequenceUser]]:
    """Image name -> how each of its readers maps frames (texture and environment nodes,
    compositor image nodes, image textures, image empties, camera backgrounds)."""
    users: Dict[str, List[SequenceUser]] = {}

    def add(image: Any, user: SequenceUser) -> None:
        if image is not None:
            users.setdefault(image.name_full, []).append(user)

    for tree in _node_trees():
        for node in tree.nodes:
            image = getattr(node, "image", None)
            if image is None:
                continue
            if hasattr(node, "image_user"):
                add(image, _image_user(node.image_user))
            elif hasattr(node, "frame_duration"):  # the compositor's image node
                mode = REPEAT if node.use_cyclic else CLAMP_FROM_ZERO
                add(
                    image,
                    SequenceUser(node.frame_start, node.frame_duration, node.frame_offset, mode),
                )
    for texture in bpy.data.textures:
        if texture.type == "IMAGE":
            add(texture.image, _image_user(texture.image_user))
    for obj in bpy.data.objects:
        if obj.type == "EMPTY" and obj.empty_display_type == "IMAGE":
            add(obj.data, _image_user(obj.image_user))
    for camera in bpy.data.cameras:
        for background in camera.background_images:
            if background.source == "IMAGE":
                add(background.image, _image_user(background.image_user))
    return users


# per kind of data ---------------------------------------------------------------------
def images(frames: Frames) -> List[FileReference]:
    found: List[FileReference] = []
    users = image_users()
    for image in bpy.data.images:
        if image.source not in ("FILE", "SEQUENCE", "MOVIE", "TILED") or _packed(image):
            continue
        if not image.filepath:
            continue
        path = absolute(image.filepath, image)
        if image.source == "TILED":
            found.extend(FileReference(tile_path(path, t.number)) for t in image.tiles)
        elif image.source == "SEQUENCE":
            split = split_sequence(path)
            if split is None:
                found.append(FileReference(path))
                continue
            readers = users.get(image.name_full) or [SequenceUser(1, image.frame_duration, 0)]
            found.extend(sequence_references(split[0], readers, frames))
        else:
            found.append(FileReference(path))
    return found


def libraries() -> List[FileReference]:
    return [
        FileReference(absolute(library.filepath, library.parent))
        for library in bpy.data.libraries
        if library.filepath and not _packed(library)
    ]


def cache_files(frames: Frames) -> List[FileReference]:
    """Alembic and USD caches; a sequence reads the file numbered by the scene frame (or the
    overridden frame), which Blender does not offset."""
    found: List[FileReference] = []
    for cache in bpy.data.cache_files:
        if not cache.filepath:
            continue
        path = absolute(cache.filepath, cache)
        split = split_sequence(path) if cache.is_sequence else None
        if split is None:
            found.append(FileReference(path))
        elif cache.override_frame:  # one file, whatever the scene's frame
            found.append(
                FileReference(
                    split[0].replace("#" * split[2], str(int(cache.frame)).zfill(split[2]))
                )
            )
        else:
            by_frame = SequenceUser(1, 0, 0, UNBOUNDED)
            found.extend(sequence_references(split[0], [by_frame], frames))
    return found


def volumes(frames: Frames) -> List[FileReference]:
    found: List[FileReference] = []
    for volume in bpy.data.volumes:
        if not volume.filepath or _packed(volume):
            continue
        path = absolute(volume.filepath, volume)
        split = split_sequence(path) if volume.is_sequence else None
        if split is None:
            found.append(FileReference(path))
            continue
        user = SequenceUser(
            volume.frame_start, volume.frame_duration, volume.frame_offset, volume.sequence_mode
        )
        found.extend(sequence_references(split[0], [user], frames))
    return found


def movie_clips(frames: Frames) -> List[FileReference]:
    found: List[FileReference] = []
    for clip in bpy.data.movieclips:
        if not clip.filepath:
            continue
        path = absolute(clip.filepath, clip)
        split = split_sequence(path) if clip.source == "SEQUENCE" else None
        if split is None:
            found.append(FileReference(path))
            continue
        user = movie_clip_user(split[1], clip.frame_start, clip.frame_offset)
        found.extend(sequence_references(split[0], [user], frames))
    return found


def plain_files() -> List[FileReference]:
    """Sounds, fonts and texts read from files, and OSL scripts of script nodes."""
    found: List[FileReference] = []
    for sound in bpy.data.sounds:
        if sound.filepath and not _packed(sound):
            found.append(FileReference(absolute(sound.filepath, sound)))
    for font in bpy.data.fonts:
        if font.filepath and font.filepath != "<builtin>" and not _packed(font):
            found.append(FileReference(absolute(font.filepath, font)))
    for text in bpy.data.texts:
        if text.filepath and not text.is_in_memory:
            found.append(FileReference(absolute(text.filepath, text)))
    for tree in _node_trees():
        for node in tree.nodes:
            if node.bl_idname == "ShaderNodeScript" and node.mode == "EXTERNAL" and node.filepath:
                found.append(FileReference(absolute(node.filepath, tree)))
    return found


def sequencer_strips() -> List[FileReference]:
    """Image strips (every file they list) and movie strips of the scenes' sequencers."""
    found: List[FileReference] = []
    for scene in bpy.data.scenes:
        editor = scene.sequence_editor
        if editor is None:
            continue
        name = "sequences_all" if hasattr(editor, "sequences_all") else "strips_all"  # 4.4+
        for strip in getattr(editor, name):
            if strip.type == "IMAGE":
                folder = absolute(strip.directory, scene)
                found.extend(
                    FileReference(os.path.join(folder, element.filename))
                    for element in strip.elements
                )
            elif strip.type == "MOVIE" and strip.filepath:
                found.append(FileReference(absolute(strip.filepath, scene)))
    return found


# caches written by simulations ---------------------------------------------------------
def _point_caches(obj: Any) -> Iterator[Any]:
    for modifier in obj.modifiers:
        if modifier.type == "PARTICLE_SYSTEM":
            yield modifier.particle_system.point_cache
        elif modifier.type in ("CLOTH", "SOFT_BODY"):
            yield modifier.point_cache
        elif modifier.type == "DYNAMIC_PAINT" and modifier.canvas_settings is not None:
            for surface in modifier.canvas_settings.canvas_surfaces:
                yield surface.point_cache


def cache_prefix(cache: Any, owner: Any) -> str:
    """A cache's file-name prefix: its name; without one, its owner's name in hex, or
    nothing for an external cache (``ptcache_filepath``)."""
    if cache.name or cache.use_external:
        return str(cache.name)
    return "".join("{:02X}".format(byte) for byte in owner.name.encode("utf-8"))


def point_cache_folder(blend_file: str) -> str:
    """Where a .blend keeps its disk caches: ``//blendcache_<file name>/``."""
    stem = os.path.splitext(os.path.basename(blend_file))[0]
    return os.path.join(os.path.dirname(blend_file), "blendcache_" + stem)


def point_cache_pattern(cache: Any, owner: Any, blend_file: str) -> Optional[str]:
    """The ``######`` pattern of a cache kept on disk, or None when it lives in the .blend."""
    if not (cache.use_disk_cache or cache.use_external):
        return None
    if cache.use_external:
        folder = absolute(cache.filepath, owner)
    else:
        if not blend_file:
            return None
        folder = point_cache_folder(blend_file)
    prefix = cache_prefix(cache, owner)
    if cache.use_external and cache.index < 0:
        name = "{}_######.bphys".format(prefix)
    else:
        name = "{}_######_{:02d}.bphys".format(prefix, max(cache.index, 0))
    return os.path.join(folder, name)


def simulation_caches(frames: Frames, blend_file: str) -> List[FileReference]:
    found: List[FileReference] = []
    for obj in bpy.data.objects:
        for cache in _point_caches(obj):
            pattern = point_cache_pattern(cache, obj, blend_file)
            if pattern is not None:
                user = point_cache_user(cache.frame_start, cache.frame_end)
                found.extend(sequence_references(pattern, [user], frames))
        for modifier in obj.modifiers:
            folder = ""
            if modifier.type == "FLUID" and modifier.fluid_type == "DOMAIN":
                folder = absolute(modifier.domain_settings.cache_directory, obj)
            elif modifier.type == "OCEAN" and modifier.is_cached:
                folder = absolute(modifier.filepath, obj)
            if folder and os.path.isdir(folder):  # nothing baked yet: nothing to send
                found.append(FileReference(folder))
    return found


def scene_file_references(
    frames: Optional[Iterable[int]] = None, blend_file: str = ""
) -> List[FileReference]:
    """Every file the open .blend reads (see the module docstring), each once, in a stable
    order (by kind, then as Blender lists the data). ``blend_file`` is the .blend that will
    be rendered (default: the open one), whose name sets the point caches' folder."""
    frame_list = list(frames) if frames is not None else None
    blend_file = blend_file or bpy.data.filepath
    found: List[FileReference] = []
    seen = set()
    for part in (
        images(frame_list),
        libraries(),
        cache_files(frame_list),
        volumes(frame_list),
        movie_clips(frame_list),
        plain_files(),
        sequencer_strips(),
        simulation_caches(frame_list, blend_file),
    ):
        for reference in part:
            if reference not in seen:
                seen.add(reference)
                found.append(reference)
    return found
