"""The DialogScript section of the FarmhandJob HDA: its parameter interface, from ``parms``.

Houdini keeps an asset's parameters in a section written in its dialog-script language
(braced blocks of ``key value`` lines); in an expanded HDA that section is a plain text file,
so it is generated here from the parameter table instead of being edited by hand, and the
defaults are ``JobSettings``' own.
"""

from typing import Any, List

from farmhand.core.job.settings import JobSettings
from farmhand.plugins.houdini.parms import BUTTON, INTEGER, LIST, PARMS, STRING, TOGGLE, Parm

OPERATOR = "farmhand::job"
LABEL = "Farmhand Job"
MAX_INPUTS = 64
_INDENT = "    "

_DS_TYPES = {
    STRING: "string",
    LIST: "string",
    INTEGER: "integer",
    TOGGLE: "toggle",
    BUTTON: "button",
}


def quoted(text: str) -> str:
    """A dialog-script string literal: double quotes, backslash and quote escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def default_text(parm: Parm, defaults: JobSettings) -> str:
    if parm.kind == BUTTON or not parm.field:
        return "0" if parm.kind == BUTTON else ""
    value: Any = getattr(defaults, parm.field)
    if parm.kind == TOGGLE:
        return "1" if value else "0"
    if parm.kind == LIST:
        return ", ".join(value)
    return str(value)


def parm_block(parm: Parm, defaults: JobSettings) -> List[str]:
    pad = _INDENT * 2
    lines = [_INDENT + "parm {"]
    lines.append(pad + "name    " + quoted(parm.name))
    lines.append(pad + "label   " + quoted(parm.label))
    lines.append(pad + "type    " + _DS_TYPES[parm.kind])
    if parm.join_next:
        lines.append(pad + "joinnext")
    if parm.hidden:
        lines.append(pad + "invisible")
    lines.append(pad + "default { " + quoted(default_text(parm, defaults)) + " }")
    if parm.disable_when:
        lines.append(pad + "disablewhen " + quoted(parm.disable_when))
    if parm.menu:
        lines.append(pad + "menu {")
        for token, label in parm.menu:
            lines.append(pad + _INDENT + quoted(token) + " " + quoted(label))
        lines.append(pad + "}")
    if parm.minimum is not None:
        top = max(parm.minimum + 10, 10)
        lines.append(pad + "range   { " + "{}! {}".format(parm.minimum, top) + " }")
    lines.append(pad + "help    " + quoted(parm.help))
    if parm.callback:
        lines.append(
            pad
            + "parmtag { "
            + quoted("script_callback")
            + " "
            + quoted("hou.phm().{}(kwargs)".format(parm.callback))
            + " }"
        )
        lines.append(
            pad + "parmtag { " + quoted("script_callback_language") + " " + quoted("python") + " }"
        )
    lines.append(_INDENT + "}")
    return lines


def dialog_script() -> str:
    defaults = JobSettings()
    lines = [
        "# Dialog script for {} automatically generated".format(OPERATOR),
        "",
        "{",
        _INDENT + "name\t" + OPERATOR,
        _INDENT + "script\t" + OPERATOR,
        _INDENT + "label\t" + quoted(LABEL),
        "",
        _INDENT + "help {",
        "\t" + quoted(""),
        _INDENT + "}",
        "",
    ]
    for index in range(1, MAX_INPUTS + 1):
        lines.append(_INDENT + "inputlabel\t{}\t{}".format(index, quoted("ROP to render")))
    lines.append("")
    for parm in PARMS:
        lines.extend(parm_block(parm, defaults))
    lines.append("}")
    return "\n".join(lines) + "\n"
