"""Farmhand's Blender add-on: link or copy this file into Blender's ``scripts/addons``.

Farmhand itself must be importable by Blender's Python (see the README's "Blender" section);
everything is in ``farmhand.plugins.blender``.
"""

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

from farmhand.plugins.blender.addon import register, unregister  # noqa: E402, F401
