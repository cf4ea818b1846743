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
