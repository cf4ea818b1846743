"""Farmhand's Maya plug-in: the Farmhand menu and shelf (``farmhand.plugins.maya.menu``).

Found through ``farmhand.mod`` (see the README's "Maya" section); load it in the Plug-in
Manager or with ``cmds.loadPlugin("farmhand_maya")``. A failure to load names its reason in
the Script Editor, and leaves no half-made menu behind.
"""

from maya.api import OpenMaya

maya_useNewAPI = True  # noqa: N816 (the name Maya looks for: this plug-in uses API 2.0)


def initializePlugin(plugin: object) -> None:
    OpenMaya.MFnPlugin(plugin, "Farmhand", "0.1.0")
    from farmhand.plugins.maya.menu import install

    install()


def uninitializePlugin(plugin: object) -> None:
    from farmhand.plugins.maya.menu import uninstall

    uninstall()
