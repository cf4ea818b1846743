"""The fake ``maya.cmds`` speaks Maya's language: every command it offers exists in the
published stubs (types-maya), with every flag it takes. (mypy checks the adapter against the
same stubs, so adapter and fake cannot drift apart silently.)"""

import glob
import inspect
import os
import re

import maya_cmds
import pytest

from tests.conftest import require

# Flags Maya has that the stubs lack (documented in Maya's command reference).
STUB_GAPS = {("currentTime", "query")}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture(scope="module")
def stub_flags():
    found = glob.glob(
        os.path.join(ROOT, ".venv", "lib", "python3*", "site-packages", "maya-stubs", "cmds.pyi")
    )
    require(found, "types-maya in .venv (requirements/main.txt)")
    flags = {}
    pattern = re.compile(r"^def (\w+)\((.*)\) ->", re.M)
    with open(found[0]) as handle:
        for name, parameters in pattern.findall(handle.read()):
            flags.setdefault(name, set()).update(re.findall(r"(\w+):", parameters))
    return flags


@pytest.mark.parametrize("name", maya_cmds.__all__)
def test_each_fake_command_and_flag_exists_in_maya(stub_flags, name):
    assert name in stub_flags, "maya.cmds has no command {}".format(name)
    signature = inspect.signature(getattr(maya_cmds, name))
    flags = [
        p.name for p in signature.parameters.values() if p.default is not inspect.Parameter.empty
    ]
    unknown = [
        flag for flag in flags if flag not in stub_flags[name] and (name, flag) not in STUB_GAPS
    ]
    assert not unknown, "maya.cmds.{} has no flag {}".format(name, unknown)


# maya.api.OpenMaya ------------------------------------------------------------------------
FAKE_API_CLASSES = (
    "MObject",
    "MTypeId",
    "MFnData",
    "MFnNumericData",
    "MFnStringData",
    "MFnAttribute",
    "MFnTypedAttribute",
    "MFnNumericAttribute",
    "MFnEnumAttribute",
    "MPxNode",
    "MFnPlugin",
)


@pytest.fixture(scope="module")
def api_stubs():
    """``{class: {member: parameter names}}`` of the stubs' OpenMaya (members of base classes
    included), and the names the stubs declare without a type (``MPxNode: Incomplete``)."""
    import ast

    # (not collected on Python 3.7, which cannot parse the stubs: tests/plugins/maya/conftest.py)
    found = glob.glob(
        os.path.join(
            ROOT, ".venv", "lib", "python3*", "site-packages", "maya-stubs", "api", "OpenMaya.pyi"
        )
    )
    require(found, "types-maya in .venv (requirements/main.txt)")
    with open(found[0]) as handle:
        tree = ast.parse(handle.read())
    classes, bases, untyped = {}, {}, set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = classes.setdefault(node.name, {})
            bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    arguments = item.args.posonlyargs + item.args.args + item.args.kwonlyargs
                    names = members.setdefault(item.name, set())
                    names.update(a.arg for a in arguments if a.arg != "self")
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.setdefault(item.target.id, set())
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            annotation = node.annotation
            if isinstance(annotation, ast.Name) and annotation.id == "Incomplete":
                untyped.add(node.target.id)

    def with_bases(name):
        members = {}
        for base in bases.get(name, []):
            members.update(with_bases(base))
        for member, names in classes.get(name, {}).items():
            members[member] = members.get(member, set()) | names
        return members

    return {name: with_bases(name) for name in classes}, untyped


def fake_members(cls):
    """Public members the fake class defines itself or inherits from another fake class."""
    members = {}
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in vars(klass).items():
            if name.startswith("_") and name != "__init__":
                continue
            wrapped = isinstance(value, (staticmethod, classmethod))
            if callable(value) or wrapped:
                function = value.__func__ if wrapped else value
                parameters = inspect.signature(function).parameters
                members[name] = [p for p in parameters if p != "self"]
            else:
                members[name] = []
    return members


@pytest.mark.parametrize("name", FAKE_API_CLASSES)
def test_each_fake_api_member_and_parameter_exists_in_maya(api_stubs, name):
    import maya_openmaya

    classes, untyped = api_stubs
    fake = getattr(maya_openmaya, name)
    if name in classes:
        known = classes[name]
        where = "types-maya"
    else:
        assert name in untyped, "maya.api.OpenMaya has no {}".format(name)
        known = {member: set(p) for member, p in maya_openmaya.DOCUMENTED[name].items()}
        where = "Maya's API reference (DOCUMENTED)"
    for member, parameters in fake_members(fake).items():
        assert member in known, "{}.{} is not in {}".format(name, member, where)
        unknown = [p for p in parameters if p not in known[member]]
        assert not unknown, "{}.{} has no parameter {} in {}".format(name, member, unknown, where)


def test_the_documented_classes_are_the_ones_the_stubs_leave_untyped(api_stubs):
    import maya_openmaya

    classes, untyped = api_stubs
    for name in maya_openmaya.DOCUMENTED:
        assert name in untyped and name not in classes, name
