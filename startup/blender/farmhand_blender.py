"""Farmhand's Blender add-on: ``python -m farmhand.install blender`` links this file into
Blender's ``scripts/addons`` (or link or copy it there by hand).

The folder Farmhand was installed into (``pip install --target DIR``) is found through the
link and put first on ``sys.path`` before Farmhand is imported, so Blender needs no other
set-up and loads the very Farmhand that was registered. Everything else is in
``farmhand.plugins.blender``.
"""

import os
import sys

bl_info = {
    "name": "Farmhand",
    "author": "Farmhand contributors",
    "version": (0, 1, 0),
    "blender": (3, 4, 0),
    "location": "Properties > Render > Farmhand; Render menu",
    "description": "Preview and submit render jobs to a local farm or a render farm",
    "doc_url": "https://github.com/farmhand/farmhand#blender",
    "category": "Render",
}


def _install_folder(path: str) -> str:
    """``DIR`` for this file at ``DIR/farmhand/startup/blender/farmhand_blender.py``, seen
    through the link in ``scripts/addons`` (one step, then all the way), or ""."""
    candidates = [path]
    if os.path.islink(path):
        candidates.insert(0, os.path.join(os.path.dirname(path), os.readlink(path)))
    candidates.append(os.path.realpath(path))
    for candidate in candidates:
        folder = candidate
        for _ in range(4):
            folder = os.path.dirname(folder)
        if os.path.isfile(os.path.join(folder, "farmhand", "__init__.py")):
            return os.path.normpath(folder)
    return ""


_FOLDER = _install_folder(os.path.abspath(__file__))
if _FOLDER and _FOLDER not in sys.path:
    sys.path.insert(0, _FOLDER)

from farmhand.plugins.blender.addon import register, unregister  # noqa: E402, F401
