"""Registering the add-on: what ``startup/blender/farmhand_blender.py`` calls.

Registration is all-or-nothing: a class that fails to register unregisters the ones before
it, and the error names the class, so a broken install never leaves half an add-on behind.
"""

import bpy

from farmhand.plugins.blender import operators, panel, properties

_CLASSES = operators.CLASSES + panel.CLASSES


def register() -> None:
    properties.register()
    done = []
    try:
        for cls in _CLASSES:
            bpy.utils.register_class(cls)
            done.append(cls)
        bpy.types.TOPBAR_MT_render.append(panel.render_menu)
    except Exception:
        for cls in reversed(done):
            bpy.utils.unregister_class(cls)
        properties.unregister()
        raise


def unregister() -> None:
    bpy.types.TOPBAR_MT_render.remove(panel.render_menu)
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
    properties.unregister()
