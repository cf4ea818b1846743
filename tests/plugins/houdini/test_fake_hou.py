"""The fake ``hou`` spells every member as Houdini does: each function, class and method it
offers as ``hou`` API exists in the published stubs (types-houdini), with the same parameter
names, so the plugin cannot pass here with a call Houdini would refuse (mypy checks the plugin
itself against the same stubs in ``make typecheck``)."""

import ast
import glob
import inspect
import os
import sys

import fake_hou
import pytest

from tests.conftest import require

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# The fake's own helpers, which are not hou API.
HELPERS = {
    "reset",
    "state",
    "register_type",
    "register_builtin_types",
    "register_hda",
    "add_node",
    "press_button",
    "scene_data",
    "ParmTemplate",  # stands for hou.ParmTemplate; only tags() and name() are API
}
# Fake classes standing for several hou classes (Node is hou.OpNode/hou.RopNode...).
STANDS_FOR = {
    "Node": ("Node", "OpNode", "RopNode", "NetworkMovableItem"),
    "NodeType": ("NodeType", "OpNodeType"),
    "NodeTypeCategory": ("NodeTypeCategory", "OpNodeTypeCategory"),
    "Parm": ("Parm",),
    "ParmTuple": ("ParmTuple",),
    "ParmTemplate": ("ParmTemplate",),
}


def stub_path():
    candidates = [os.path.join(p, "hou-stubs", "__init__.pyi") for p in sys.path]
    candidates += glob.glob(
        os.path.join(ROOT, ".venv", "lib", "python*", "site-packages", "hou-stubs", "__init__.pyi")
    )
    found = [path for path in candidates if os.path.isfile(path)]
    require(found, "types-houdini (hou-stubs), installed in .venv by requirements/main.txt")
    return found[0]


@pytest.fixture(scope="module")
def stubs():
    with open(stub_path(), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    functions = {}
    classes = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = node
        elif isinstance(node, ast.ClassDef):
            members = {}
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    members[item.name] = item
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            members[target.id] = item
            classes[node.name] = members
    return functions, classes


def parameter_names(function):
    args = function.args
    positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
    return [a.arg for a in positional + list(args.kwonlyargs) if a.arg != "self"]


def named_parameters(function):
    """The fake's parameter names, without ``*args``/``**kwargs`` (which take the rest)."""
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind not in variadic and name != "self"
    ]


def api_members():
    for name, value in vars(fake_hou).items():
        if name.startswith("_") or name in HELPERS or inspect.ismodule(value):
            continue
        if getattr(value, "__module__", fake_hou.__name__) != fake_hou.__name__:
            continue
        yield name, value


def test_every_module_function_exists_with_houdinis_parameters(stubs):
    functions, classes = stubs
    for name, value in api_members():
        if inspect.isfunction(value):
            assert name in functions, "hou has no function {}".format(name)
            wanted = parameter_names(functions[name])
            mine = named_parameters(value)
            assert mine == wanted[: len(mine)], (name, mine, wanted)


def test_every_class_and_method_exists_in_houdini(stubs):
    functions, classes = stubs
    for name, value in api_members():
        if not inspect.isclass(value):
            continue
        real = STANDS_FOR.get(name, (name,))
        assert any(r in classes for r in real), "hou has no class {}".format(name)
        if issubclass(value, Exception):
            continue
        members = {}
        for candidate in real:
            members.update(classes.get(candidate, {}))
        for member, attribute in vars(value).items():
            if member.startswith("_"):
                continue
            assert member in members, "hou.{} has no member {}".format(real[0], member)
            stub = members[member]
            function = getattr(attribute, "__func__", attribute)
            if isinstance(stub, ast.FunctionDef) and inspect.isfunction(function):
                mine = named_parameters(function)
                wanted = parameter_names(stub)
                assert mine[: len(wanted)] == wanted[: len(mine)] or not wanted, (
                    name,
                    member,
                    mine,
                    wanted,
                )


def test_the_helpers_are_not_mistaken_for_api():
    names = dict(api_members())
    assert "node" in names and "fileReferences" in names and "hipFile" in names
    assert not HELPERS & set(names)
