"""Farmhand's Maya plug-in file, loaded as Maya loads it (a file on ``MAYA_PLUG_IN_PATH``, not
a module of a package), for the tests that run it against the fake Maya session."""

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STARTUP = os.path.join(ROOT, "startup", "maya")
PLUGIN_FILE = os.path.join(STARTUP, "plug-ins", "farmhand_maya.py")


def load_plugin_file():
    spec = importlib.util.spec_from_file_location("farmhand_maya", PLUGIN_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
