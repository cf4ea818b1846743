"""How the add-on tells the artist something outside an operator: a popup and the console."""

import logging
from typing import Any, Callable

import bpy

from farmhand.plugins.blender.guards import draw_function

log = logging.getLogger("farmhand.blender")


def show_error(message: str) -> None:
    """A popup when Blender has a window to show it in; the console always (the message
    starts with 'Farmhand' there, once)."""
    print(message if message.startswith("Farmhand") else "Farmhand: " + message)
    window_manager = getattr(bpy.context, "window_manager", None)
    if bpy.app.background or window_manager is None or not window_manager.windows:
        return
    window_manager.popup_menu(popup_draw(message), title="Farmhand", icon="ERROR")


def popup_draw(message: str) -> Callable[[Any, Any], None]:
    """The popup's draw function (Blender calls it, guarded as every draw function is)."""

    @draw_function("Farmhand's error popup")
    def draw(menu: Any, context: Any) -> None:
        for line in message.splitlines() or [""]:
            menu.layout.label(text=line)

    return draw
