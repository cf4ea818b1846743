"""The expanded FarmhandJob HDA (startup/houdini/otls/farmhand_job.hda), checked as far as
can be done without Houdini: it is what the generator writes, every file is listed in its
Sections.list and every listed file exists, the index names the operator, the DialogScript
parses and holds every mirrored setting and button, and the Python sections are one-line shims
that import what exists."""

import ast
import json
import os
import re
import xml.etree.ElementTree as ElementTree

import dialog_script_reader
import pytest

from farmhand.core.job import JobSettings
from farmhand.plugins.houdini import hda_files, parms

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LIBRARY = os.path.join(ROOT, "startup", "houdini", "otls", "farmhand_job.hda")


def read(*parts):
    with open(os.path.join(LIBRARY, *parts), encoding="utf-8") as handle:
        return handle.read()


def listed(text):
    lines = text.splitlines()
    assert lines[0] == '""', "Sections.list starts with an empty quoted line, got {!r}".format(
        lines[0]
    )
    entries = [tuple(line.split("\t")) for line in lines[1:]]
    assert all(len(entry) == 2 for entry in entries), entries
    return entries


OPERATOR_FOLDER = hda_files.section_file_name(hda_files.SECTION)


def test_the_checked_in_library_is_what_the_generator_writes(tmp_path):
    hda_files.write_library(str(tmp_path / "fresh.hda"))
    written = {}
    for directory, _, names in os.walk(str(tmp_path / "fresh.hda")):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8") as handle:
                written[os.path.relpath(path, str(tmp_path / "fresh.hda"))] = handle.read()
    shipped = {}
    for directory, _, names in os.walk(LIBRARY):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, encoding="utf-8") as handle:
                shipped[os.path.relpath(path, LIBRARY)] = handle.read()
    assert shipped == written, (
        "startup/houdini/otls/farmhand_job.hda is out of date: run "
        "python -m farmhand.plugins.houdini.hda_files startup/houdini/otls/farmhand_job.hda"
    )


def test_rewriting_removes_files_the_library_no_longer_has(tmp_path):
    folder = tmp_path / "lib.hda"
    (folder / OPERATOR_FOLDER).mkdir(parents=True)
    stale = folder / OPERATOR_FOLDER / "OldSection"
    stale.write_text("x")
    hda_files.write_library(str(folder))
    assert not stale.exists()
    assert (folder / "houdini.hdalibrary").read_text() == ""


def test_every_file_is_listed_and_every_listed_file_exists():
    top = listed(read("Sections.list"))
    assert sorted([name for name, _ in top] + ["Sections.list"]) == sorted(os.listdir(LIBRARY))
    assert ("INDEX__SECTION", "INDEX_SECTION") in top
    assert ("houdini.hdalibrary", "houdini.hdalibrary") in top
    assert (OPERATOR_FOLDER, "Driver/farmhand::job") in top
    inner = listed(read(OPERATOR_FOLDER, "Sections.list"))
    files = sorted(os.listdir(os.path.join(LIBRARY, OPERATOR_FOLDER)))
    assert sorted([name for name, _ in inner] + ["Sections.list"]) == files
    for name, section in inner:
        assert hda_files.section_file_name(section) == name
    for required in ("DialogScript", "CreateScript", "TypePropertiesOptions", "PythonModule"):
        assert required in dict(inner)


@pytest.mark.parametrize(
    "section, name",
    [
        ("Driver/farmhand::job", "Driver_1farmhand_2_2job"),
        ("Driver/deadline_cloud", "Driver_1deadline__cloud"),
        ("Sop/my_ns::my_node::2.0", "Sop_1my__ns_2_2my__node_2_22.0"),
    ],
)
def test_section_names_escape_and_unescape(section, name):
    assert hda_files.section_file_name(section) == name
    assert hda_files.section_of_file_name(name) == section


def test_the_index_names_the_operator_in_the_driver_table():
    fields = {}
    for line in read("INDEX__SECTION").splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    assert fields["Operator"] == "farmhand::job"
    assert fields["Table"] == "Driver"
    assert fields["Path"] == "oplib:/Driver/farmhand::job?Driver/farmhand::job"
    assert fields["Icon"] == "opdef:/Driver/farmhand::job?IconSVG"
    assert re.fullmatch(r"0 to \d+", fields["Inputs"])
    assert {fields[k] for k in ("Subnet", "Python", "Empty")} <= {"true", "false"}


def test_the_dialog_script_holds_every_mirrored_setting_with_its_default():
    text = read(OPERATOR_FOLDER, "DialogScript")
    top = dialog_script_reader.read(text)
    header = {statement[0]: statement[1:] for statement in top if statement[0] != "parm"}
    assert header["name"] == ["farmhand::job"] and header["script"] == ["farmhand::job"]
    found = {parm["name"][0]: parm for parm in dialog_script_reader.parms(text)}
    assert len(found) == len(dialog_script_reader.parms(text)), "parm names repeat"
    defaults = JobSettings()
    for spec in parms.MIRRORED:
        parm = found[spec.name]
        assert parm["type"] == [{"list": "string"}.get(spec.kind, spec.kind)], spec
        default = parm["default"][0]
        value = getattr(defaults, spec.field)
        if spec.kind == parms.TOGGLE:
            assert default == ("1" if value else "0"), spec
        elif spec.kind == parms.LIST:
            assert parms.split_list(default) == value, spec
        else:
            assert default == str(value), spec
        assert parm["help"][0], "{} has no help".format(spec.name)
        if spec.menu:
            assert [token for token, _ in parm["menu"]] == [t for t, _ in spec.menu]
            assert str(value) in [token for token, _ in parm["menu"]]
    assert "invisible" in found["farmhand_settings"]


def test_buttons_call_functions_the_python_module_imports():
    from farmhand.plugins.houdini import buttons

    text = read(OPERATOR_FOLDER, "DialogScript")
    module = read(OPERATOR_FOLDER, "PythonModule")
    tree = ast.parse(module)
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert [node.module for node in tree.body] == ["farmhand.plugins.houdini.buttons"]
    buttons_found = [p for p in dialog_script_reader.parms(text) if p["type"] == ["button"]]
    assert {p["name"][0] for p in buttons_found} == {"open_submitter", "preview", "submit"}
    for parm in buttons_found:
        callback = parm["parmtag"]["script_callback"]
        match = re.fullmatch(r"hou\.phm\(\)\.(\w+)\(kwargs\)", callback)
        assert match, callback
        assert match.group(1) in imported
        assert callable(getattr(buttons, match.group(1)))
        assert parm["parmtag"]["script_callback_language"] == "python"


def test_on_created_is_a_shim_over_the_buttons_module():
    from farmhand.plugins.houdini import buttons

    tree = ast.parse(read(OPERATOR_FOLDER, "OnCreated"))
    assert len(module_lines(read(OPERATOR_FOLDER, "OnCreated"))) == 1
    names = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
    assert names == ["on_created"] and callable(buttons.on_created)


def module_lines(text):
    return [line for line in text.splitlines() if line.strip()]


def test_the_other_sections_are_well_formed():
    shelf = ElementTree.fromstring(read(OPERATOR_FOLDER, "Tools.shelf"))
    tool = shelf.find("tool")
    assert tool is not None and tool.get("name") == "$HDA_DEFAULT_TOOL"
    assert "drivertoolutils.genericTool" in tool.find("script").text
    options = json.loads(read(OPERATOR_FOLDER, "ExtraFileOptions"))
    assert options["PythonModule/IsPython"] == {"type": "bool", "value": True}
    for line in read(OPERATOR_FOLDER, "TypePropertiesOptions").splitlines():
        assert re.fullmatch(r"[A-Za-z]+ := [01];", line), line
    create = read(OPERATOR_FOLDER, "CreateScript")
    assert "opexprlanguage -s hscript $arg1" in create
    ElementTree.fromstring(read(OPERATOR_FOLDER, "IconSVG"))


def test_the_reader_refuses_what_houdini_would_refuse():
    with pytest.raises(ValueError, match="line 1: brace never closed"):
        dialog_script_reader.read('{\n    parm {\n        name "x"\n}\n')
    with pytest.raises(ValueError, match="unterminated string"):
        dialog_script_reader.read('{\n    name "x\n}\n')


def test_the_generator_command_line(tmp_path, capsys):
    assert hda_files.main([]) == 2
    assert (
        "usage: python -m farmhand.plugins.houdini.hda_files FOLDER.hda" in capsys.readouterr().err
    )
    assert hda_files.main([str(tmp_path / "x.hda")]) == 0
    assert str(tmp_path / "x.hda" / "INDEX__SECTION") in capsys.readouterr().out
