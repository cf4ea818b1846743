"""Farmhand's menu and shelf in Maya, added by the plug-in and removed when it unloads.

Only in an interactive session: ``mayabatch``, ``mayapy`` and ``Render`` load the plug-in
for its node type, and have no menus or shelves to add to. The shelf is rebuilt on each load
(Maya saves shelves on exit, so an old copy may already be there) with one button whose
command is a one-line shim over ``commands``.
"""

from typing import Any

from maya import cmds, mel

from farmhand.plugins.maya import commands
from farmhand.plugins.maya.job_attributes import ALL_LAYERS, CURRENT_LAYER, ONE_JOB_PER_LAYER

MENU = "farmhandMenu"
SHELF = "Farmhand"
SHELF_COMMAND = "import farmhand.plugins.maya.commands as c; c.open_submitter()"


def _main_window() -> str:
    return str(mel.eval("$farmhandTmp = $gMainWindow"))


def _shelf_parent() -> str:
    return str(mel.eval("$farmhandTmp = $gShelfTopLevel"))


def install() -> None:
    if cmds.about(batch=True):
        return
    uninstall()
    try:
        _install_menu()
        _install_shelf()
    except Exception:
        uninstall()  # all or nothing
        raise


def _item(label: str, annotation: str, command: Any) -> None:
    cmds.menuItem(label=label, annotation=annotation, command=command, parent=MENU)


def _install_menu() -> None:
    cmds.menu(MENU, label="Farmhand", parent=_main_window(), tearOff=True)
    _item(
        "Submitter...",
        "Open the Farmhand submitter for the selected job (a new job if the scene has none)",
        lambda *args: commands.open_submitter(),
    )
    _item(
        "New Job for All Renderable Layers",
        "Create a Farmhand job that renders every renderable layer in one job",
        lambda *args: commands.new_job(ALL_LAYERS),
    )
    _item(
        "New Job for the Current Layer",
        "Create a Farmhand job that renders the layer current when it is submitted",
        lambda *args: commands.new_job(CURRENT_LAYER),
    )
    _item(
        "New Job per Render Layer",
        "Create a Farmhand job submitted as one job per renderable layer",
        lambda *args: commands.new_job(ONE_JOB_PER_LAYER),
    )
    _item(
        "Submit Selected Jobs",
        "Submit the selected jobs without opening the submitter",
        lambda *args: commands.submit(),
    )


def _install_shelf() -> None:
    cmds.shelfLayout(SHELF, parent=_shelf_parent())
    cmds.shelfButton(
        parent=SHELF,
        label="Farmhand",
        annotation="Open the Farmhand submitter",
        image="render.png",
        imageOverlayLabel="FH",
        sourceType="python",
        command=SHELF_COMMAND,
    )


def uninstall() -> None:
    if cmds.menu(MENU, exists=True):
        cmds.deleteUI(MENU, menu=True)
    if cmds.shelfLayout(SHELF, exists=True):
        cmds.deleteUI(SHELF, layout=True)
