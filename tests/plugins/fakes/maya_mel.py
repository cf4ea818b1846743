"""A fake ``maya.mel``: the two global variables Farmhand reads."""

import maya_cmds

GLOBALS = {"$gMainWindow": "MayaWindow", "$gShelfTopLevel": "MainShelfLayout|ShelfLayout"}


def eval(command):  # noqa: A001 - Maya's name
    name = command.split("=", 1)[-1].strip().rstrip(";")
    if name not in GLOBALS:
        raise RuntimeError("the fake evaluates {} only".format(", ".join(GLOBALS)))
    if maya_cmds.SCENE.batch and name == "$gMainWindow":
        return ""
    return GLOBALS[name]
