"""How the add-on tells the artist something outside an operator: a popup and the console."""

import logging

import bpy

log = logging.getLogger("farmhand.blender")


def show_error(message: str) -> None:
    """A popup when Blender has a window to show it in; the console always."""
    print("Farmhand: {}".format(message))
    window_manager = getattr(bpy.context, "window_manager", None)
    if bpy.app.background or window_manager is None or not window_manager.windows:
        return

    def draw(menu, context):  # type: ignore[no-untyped-def]
        for line in message.splitlines() or [""]:
            menu.layout.label(text=line)

    window_manager.popup_menu(draw, title="Farmhand", icon="ERROR")
