"""Paths as Maya resolves them: environment variables expanded, relative ones in the project."""

import os

from maya import cmds


def project_root() -> str:
    """The current Maya project (workspace) folder, absolute."""
    return os.path.normpath(str(cmds.workspace(query=True, rootDirectory=True) or os.getcwd()))


def resolve(path: str) -> str:
    """``path`` absolute: ``$VAR``/``%VAR%`` expanded, ``~`` expanded, a relative path taken
    in the project folder (Maya's file rules look there first)."""
    expanded = os.path.expanduser(os.path.expandvars(path.strip()))
    if not os.path.isabs(expanded):
        expanded = os.path.join(project_root(), expanded)
    return os.path.normpath(expanded)


def images_folder() -> str:
    """Where renders go: the project's ``images`` file rule (``images`` by default)."""
    rule = str(cmds.workspace(fileRuleEntry="images") or "images")
    return resolve(rule)
