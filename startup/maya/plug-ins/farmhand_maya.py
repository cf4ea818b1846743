"""Farmhand's Maya plug-in: the ``farmhandJob`` node type, and in an interactive session the
Farmhand menu and shelf (``farmhand.plugins.maya``).

Found through ``farmhand.mod`` (``python -m farmhand.install maya`` writes one); load it in
the Plug-in Manager or with ``cmds.loadPlugin("farmhand_maya")``. A failure to load names its
reason in the Script Editor and leaves nothing half-registered behind. Maya refuses to unload
it while the scene holds job nodes; the menu and shelf then stay too.
"""

from maya.api import OpenMaya

maya_useNewAPI = True  # noqa: N816 (the name Maya looks for: this plug-in uses API 2.0)


def initializePlugin(plugin: object) -> None:
    from farmhand import __version__
    from farmhand.plugins.maya import menu, node_type

    OpenMaya.MFnPlugin(plugin, "Farmhand", __version__)
    node_type.register(plugin)
    try:
        menu.install()
    except Exception:
        node_type.deregister(plugin)
        raise


def uninitializePlugin(plugin: object) -> None:
    from farmhand.plugins.maya import menu, node_type

    node_type.deregister(plugin)
    menu.uninstall()
