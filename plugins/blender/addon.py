"""Registering the add-on: what ``startup/blender/farmhand_blender.py`` hands Blender, which
calls ``register`` when the add-on is enabled and ``unregister`` when it is disabled.

Both are guarded as every callback Blender calls is (``guarded`` with
``messages.show_error``): an error is logged and shown, never raised into Blender.
Registration is all-or-nothing: a step that fails undoes the ones before it, so a broken
install never leaves half an add-on behind (Blender then shows the add-on enabled with nothing
registered; the message says why). Unregistering runs every step it can: a step that fails is
reported on its own and the others still run, and what is not registered is skipped (after a
failed ``register``, disabling the add-on is quiet).
"""

import functools
from typing import Any, Callable, List, Tuple

import bpy

from farmhand.core.host import call_guarded, guarded
from farmhand.plugins.blender import operators, panel, properties
from farmhand.plugins.blender.messages import show_error

_CLASSES = operators.CLASSES + panel.CLASSES
REGISTER = "Farmhand: registering the add-on"
UNREGISTER = "Farmhand: unregistering "


@guarded(REGISTER, show_error)
def register() -> None:
    properties.register()
    done: List[Any] = []
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
    for name, step in _unregister_steps():
        call_guarded(UNREGISTER + name, step, show=show_error)


def _unregister_steps() -> List[Tuple[str, Callable[[], None]]]:
    steps: List[Tuple[str, Callable[[], None]]] = [
        ("the Render menu entry", _remove_menu_entry)
    ]
    for cls in reversed(_CLASSES):
        steps.append((cls.__name__, functools.partial(properties.unregister_class, cls)))
    steps.append(("the job properties", properties.unregister))
    return steps


def _remove_menu_entry() -> None:
    bpy.types.TOPBAR_MT_render.remove(panel.render_menu)  # no error when it is not there
