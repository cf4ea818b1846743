"""Farmhand's menu and shelf in Maya, added by the plug-in and removed when it unloads.

Only in an interactive session (``mayabatch`` has no UI). The shelf is rebuilt on each load
(Maya saves shelves on exit, so an old copy may already be there) with one button whose
command is a one-line shim over ``commands``.
"""

from typing import Any

from maya import cmds, mel

from farmhand.plugins.maya import commands

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
        "Open the Farmhand submitter for the selected job",
        lambda *args: commands.open_submitter(),
    )
    _item(
        "New Job",
        "Create a Farmhand job for every renderable layer",
        lambda *args: commands.new_job(),
    )
    _item(
        "New Job for the Current Layer",
        "Create a Farmhand job that renders the current render layer",
        lambda *args: commands.new_layer_jobs(["current"]),
    )
    _item(
        "New Job per Render Layer",
        "Create one Farmhand job for each renderable layer",
        lambda *args: commands.new_layer_jobs(),
    )
    _item(
        "Submit Selected Job",
        "Submit the selected job without opening the submitter",
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
