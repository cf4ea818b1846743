"""Clarisse: ``CLARISSE_STARTUP_SCRIPT`` in the user's ``clarisse.env``, and a launcher.

Clarisse runs the scripts ``CLARISSE_STARTUP_SCRIPT`` lists (separated by ``;``) at start-up,
the same list as Preferences > General > Startup Script, and reads its environment from
``clarisse.env`` in the user's folder for each version (``~/.isotropix/clarisse/X.Y``,
``Library/Preferences/Isotropix/Clarisse/X.Y`` on macOS, ``%APPDATA%/Isotropix/Clarisse/X.Y``
on Windows). Clarisse runs a start-up script from its text, without ``__file__``, so the one
listed is a launcher written next to ``clarisse.env`` with the install folder spelt out; it
runs the installed ``startup/clarisse/startup.py`` as a file. The line is edited in place:
other scripts listed there, and every other line, stay as they were.
"""

import os
from typing import List, Tuple

from farmhand.install import installed
from farmhand.install.errors import InstallInputError
from farmhand.install.files import Action, read_text, remove, write_text
from farmhand.install.places import Places, check_version, version_folders

ENV_FILE = "clarisse.env"
LAUNCHER = "farmhand_startup.py"
VARIABLE = "CLARISSE_STARTUP_SCRIPT"
MARKER = "# Farmhand's Clarisse start-up, written by python -m farmhand.install clarisse."
NEXT_STEP = "Start Clarisse: FarmhandJob is in the Create and New menus."


def preferences_root(places: Places) -> str:
    if places.windows:
        return places.join(places.app_data(), "Isotropix", "Clarisse")
    if places.mac:
        return places.join(places.home(), "Library", "Preferences", "Isotropix", "Clarisse")
    return places.join(places.home(), ".isotropix", "clarisse")


def destinations(places: Places, dest: str, version: str) -> List[str]:
    if dest:
        return [dest]
    root = preferences_root(places)
    if version:
        if not check_version(version):
            raise InstallInputError(
                "Clarisse's versions are major.minor (5.0), got {!r}".format(version), "--version"
            )
        return [places.join(root, version)]
    found = [folder for _, folder in version_folders(root)]
    if not found:
        raise InstallInputError(
            "no Clarisse preferences folder in {} (looked for X.Y); start Clarisse once, or "
            "name its version: --version 5.0".format(root),
            "--version",
        )
    return found


def launcher_text() -> str:
    startup = installed.posix(installed.startup_file("clarisse", "startup.py"))
    return "\n".join(
        [
            MARKER,
            "# Clarisse runs start-up scripts without __file__: this runs Farmhand's as a file.",
            "_STARTUP = {!r}".format(startup),
            "with open(_STARTUP) as _handle:",
            "    _code = compile(_handle.read(), _STARTUP, 'exec')",
            "exec(_code, {'__name__': 'farmhand_clarisse_startup', '__file__': _STARTUP})",
            "",
        ]
    )


def is_launcher(path: str) -> bool:
    return read_text(path).startswith(MARKER)


def _split_line(line: str) -> Tuple[str, List[str]]:
    """``(name with its '=', listed scripts)`` of a ``CLARISSE_STARTUP_SCRIPT=...`` line."""
    name, _, value = line.partition("=")
    return name + "=", [entry for entry in value.strip().split(";") if entry.strip()]


def edited_env(text: str, launcher: str, add: bool) -> str:
    """``clarisse.env``'s ``text`` with ``launcher`` listed once (``add``) or not at all;
    any other Farmhand launcher listed is taken out (a move of the install)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = False
    for index, line in enumerate(lines):
        if line.strip().partition("=")[0].strip() != VARIABLE or "=" not in line:
            continue
        head, scripts = _split_line(line)
        scripts = [s for s in scripts if os.path.basename(s.strip()) != LAUNCHER]
        if add and not found:
            scripts.append(launcher)
        lines[index] = head + ";".join(scripts)
        found = True
    if add and not found:
        lines.append("{}={}".format(VARIABLE, launcher))
    return newline.join(lines) + newline if lines else ""


def install(folder: str) -> List[Action]:
    launcher = os.path.join(folder, LAUNCHER)
    env_file = os.path.join(folder, ENV_FILE)
    actions = [write_text(launcher, launcher_text(), is_launcher)]
    text = edited_env(read_text(env_file), installed.posix(launcher), add=True)
    actions.append(write_text(env_file, text, lambda path: True))
    return actions


def uninstall(folder: str) -> List[Action]:
    env_file = os.path.join(folder, ENV_FILE)
    actions = []
    if os.path.isfile(env_file):
        text = edited_env(read_text(env_file), "", add=False)
        actions.append(write_text(env_file, text, lambda path: True))
    actions.append(remove(os.path.join(folder, LAUNCHER), is_launcher))
    return actions
