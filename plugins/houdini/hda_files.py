"""The FarmhandJob ROP as an expanded (directory) HDA, generated without Houdini.

Houdini installs an asset library that is a folder as well as one that is a binary ``.hda``
file, when the folder sits in an ``otls`` (or ``hda``) folder on the Houdini path and its name
ends in ``.hda``: that is the form ``hotl -x`` and ``hou.hda.expandToDirectory`` write. A
binary ``.hda`` cannot be made here (no Houdini), the expanded form can, as plain text:

- ``houdini.hdalibrary`` (empty: marks the folder as a library), ``INDEX__SECTION`` (one
  ``Key: value`` block per operator), ``Sections.list`` (file name, tab, section name);
- one folder per operator, ``Driver_1farmhand_2_2job`` for ``Driver/farmhand::job`` (``_`` is
  written ``__``, ``/`` ``_1``, ``:`` ``_2``), holding its sections: ``DialogScript``,
  ``CreateScript``, ``TypePropertiesOptions``, ``Help``, ``Tools.shelf``, ``IconSVG``,
  ``PythonModule``, ``OnCreated``, ``ExtraFileOptions`` and its own ``Sections.list``.

The ROP's code is not here: ``PythonModule`` and ``OnCreated`` are one-line shims over
``farmhand.plugins.houdini.buttons``, so a fix ships with the Python package and the asset
never needs rebuilding. ``python -m farmhand.plugins.houdini.hda_files FOLDER`` rewrites the
checked-in copy (``startup/houdini/otls/farmhand_job.hda``); a test keeps the two identical.
"""

import json
import os
import sys
from typing import Dict, List, Optional, Tuple

from farmhand.plugins.houdini.dialog_script import LABEL, MAX_INPUTS, OPERATOR, dialog_script
from farmhand.plugins.houdini.parms import BUTTONS

TABLE = "Driver"
SECTION = "{}/{}".format(TABLE, OPERATOR)
LIBRARY_NAME = "farmhand_job.hda"
# A fixed date: the files are generated, and the same table must give the same bytes.
MODIFIED = "Sun Nov 22 09:00:00 2026"
BUTTONS_MODULE = "farmhand.plugins.houdini.buttons"

_ESCAPES = (("_", "__"), ("/", "_1"), (":", "_2"))


def section_file_name(section: str) -> str:
    """The file or folder name an expanded library gives a section (see the module docstring)."""
    for plain, escaped in _ESCAPES:
        section = section.replace(plain, escaped)
    return section


def section_of_file_name(name: str) -> str:
    """The inverse of ``section_file_name``."""
    out = []
    index = 0
    while index < len(name):
        char = name[index]
        if char == "_" and index + 1 < len(name):
            following = name[index + 1]
            decoded = {"_": "_", "1": "/", "2": ":"}.get(following)
            if decoded is not None:
                out.append(decoded)
                index += 2
                continue
        out.append(char)
        index += 1
    return "".join(out)


def sections_list(entries: List[Tuple[str, str]]) -> str:
    return '""\n' + "".join("{}\t{}\n".format(name, section) for name, section in entries)


def index_section() -> str:
    fields = [
        ("Operator", OPERATOR),
        ("Label", LABEL),
        ("Path", "oplib:/{0}?{0}".format(SECTION)),
        ("Icon", "opdef:/{}?IconSVG".format(SECTION)),
        ("Table", TABLE),
        ("License", ""),
        ("Extra", ""),
        ("User", ""),
        ("Inputs", "0 to {}".format(MAX_INPUTS)),
        ("Subnet", "false"),
        ("Python", "false"),
        ("Empty", "false"),
        ("Modified", MODIFIED),
    ]
    lines = ("{:<14}{}".format(key + ":", value).rstrip() for key, value in fields)
    return "\n".join(lines) + "\n\n"


def create_script() -> str:
    return (
        "# Automatically generated script\n"
        "\\set noalias = 1\n"
        "#\n"
        "#  Creation script for {0} operator\n"
        "#\n"
        "\n"
        'if ( "$arg1" == "" ) then\n'
        "    echo This script is intended as a creation script\n"
        "    exit\n"
        "endif\n"
        "\n"
        "# Node $arg1 ({1})\n"
        "opexprlanguage -s hscript $arg1\n"
        "opuserdata -n '___Version___' -v '' $arg1\n"
    ).format(OPERATOR, SECTION)


TYPE_PROPERTIES = (
    ("CheckExternal", 1),
    ("ContentsCompressionType", 1),
    ("ForbidOutsideParms", 1),
    ("GzipContents", 1),
    ("LockContents", 1),
    ("MakeDefault", 1),
    ("ParmsFromVfl", 0),
    ("PrefixDroppedParmLabel", 0),
    ("PrefixDroppedParmName", 0),
    ("SaveCachedCode", 0),
    ("SaveIcon", 1),
    ("SaveSpareParms", 0),
    ("UnlockOnCreate", 0),
    ("UseDSParms", 1),
)


def type_properties_options() -> str:
    return "".join("{} := {};\n".format(key, value) for key, value in TYPE_PROPERTIES)


def python_module() -> str:
    """The ROP's PythonModule: the buttons' callbacks (``hou.phm().submit(kwargs)``)."""
    names = ", ".join(sorted(parm.callback for parm in BUTTONS))
    return "from {} import {}  # noqa: F401\n".format(BUTTONS_MODULE, names)


def on_created() -> str:
    return "from {} import on_created; on_created(kwargs)\n".format(BUTTONS_MODULE)


def extra_file_options() -> Dict[str, Dict[str, object]]:
    options: Dict[str, Dict[str, object]] = {}
    for section in ("OnCreated", "PythonModule"):
        options[section + "/IsExpr"] = {"type": "bool", "value": False}
        options[section + "/IsPython"] = {"type": "bool", "value": True}
        options[section + "/IsScript"] = {"type": "bool", "value": True}
        options[section + "/Source"] = {"type": "string", "value": ""}
    return options


def tools_shelf() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<shelfDocument>\n"
        '  <tool name="$HDA_DEFAULT_TOOL" label="$HDA_LABEL" icon="$HDA_ICON">\n'
        '    <toolMenuContext name="viewer">\n'
        "      <contextNetType>ROP</contextNetType>\n"
        "    </toolMenuContext>\n"
        '    <toolMenuContext name="network">\n'
        "      <contextOpType>$HDA_TABLE_AND_NAME</contextOpType>\n"
        "    </toolMenuContext>\n"
        "    <toolSubmenu>Farm</toolSubmenu>\n"
        '    <script scriptType="python"><![CDATA[import drivertoolutils\n'
        "\n"
        "drivertoolutils.genericTool(kwargs, '$HDA_NAME')]]></script>\n"
        "  </tool>\n"
        "</shelfDocument>\n"
    )


def help_text() -> str:
    return (
        "= Farmhand Job =\n"
        "\n"
        '"""Renders the ROPs wired into it on a farm: the local farm, a Slurm cluster or a\n'
        'Conductor-compatible service."""\n'
        "\n"
        "Connect the ROPs to render to this node's inputs. Each renders its own frame\n"
        "range unless __Use Custom Frames__ is on. __Preview__ saves the render package\n"
        "next to the scene and shows exactly what would be submitted; __Submit__ sends it;\n"
        "__Open Submitter__ shows every setting (packages, environment, extra uploads).\n"
        "\n"
        "ROPs wired into those ROPs render first, as tasks of their own. A simulation\n"
        "(a Geometry ROP whose SOP leads to a DOP network) is one task over the whole frame\n"
        "range that every render chunk waits for; list ROP paths under __Simulations__ to\n"
        "make any input ROP one, or under __Chunked ROPs__ to split a detected one.\n"
    )


ICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">\n'
    '  <rect x="6" y="10" width="52" height="44" rx="6" fill="#3b6e8f"/>\n'
    '  <path d="M18 22h28v6H26v6h16v6H26v10h-8z" fill="#ffffff"/>\n'
    "</svg>\n"
)


def operator_sections() -> List[Tuple[str, str]]:
    """(section name, text) of the operator, in the order Houdini lists them."""
    return [
        ("DialogScript", dialog_script()),
        ("CreateScript", create_script()),
        ("TypePropertiesOptions", type_properties_options()),
        ("Help", help_text()),
        ("Tools.shelf", tools_shelf()),
        ("IconSVG", ICON_SVG),
        ("PythonModule", python_module()),
        ("OnCreated", on_created()),
        ("ExtraFileOptions", json.dumps(extra_file_options(), indent="\t", sort_keys=True) + "\n"),
    ]


def library_files() -> Dict[str, str]:
    """Every file of the expanded library: relative path (``/``-separated) -> text."""
    folder = section_file_name(SECTION)
    files = {
        "houdini.hdalibrary": "",
        "INDEX__SECTION": index_section(),
        "Sections.list": sections_list(
            [
                ("INDEX__SECTION", "INDEX_SECTION"),
                ("houdini.hdalibrary", "houdini.hdalibrary"),
                (folder, SECTION),
            ]
        ),
    }
    sections = operator_sections()
    files[folder + "/Sections.list"] = sections_list(
        [(section_file_name(name), name) for name, _ in sections]
    )
    for name, text in sections:
        files[folder + "/" + section_file_name(name)] = text
    return files


def write_library(folder: str) -> List[str]:
    """Write the library into ``folder`` (created; files it no longer has are removed).
    Returns the paths written."""
    files = library_files()
    written = []
    for relative, text in sorted(files.items()):
        path = os.path.join(folder, *relative.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if relative not in files:
                os.remove(path)
    return written


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m farmhand.plugins.houdini.hda_files FOLDER.hda\n")
        return 2
    for path in write_library(args[0]):
        sys.stdout.write(path + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
