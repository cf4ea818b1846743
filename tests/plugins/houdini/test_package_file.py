"""The Houdini package file (startup/houdini/farmhand.json): valid JSON in the packages
format, every path relative to where Houdini finds it ($HOUDINI_PACKAGE_PATH), so loaded from
an installed Farmhand it puts the installed ``farmhand`` on Python's path and the folder that
holds ``otls/farmhand_job.hda`` on the Houdini path."""

import json
import os

import farmhand

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PACKAGE_FILE = os.path.join(ROOT, "startup", "houdini", "farmhand.json")


def load():
    with open(PACKAGE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def resolve(text, package_path):
    return os.path.normpath(text.replace("$HOUDINI_PACKAGE_PATH", package_path))


def test_the_package_file_is_in_houdinis_format():
    data = load()
    assert set(data) <= {"description", "load_package_once", "env", "hpath", "enable"}
    for entry in data["env"]:
        assert isinstance(entry, dict) and len(entry) == 1, entry
        (value,) = entry.values()
        if isinstance(value, dict):
            assert set(value) == {"value", "method"} and value["method"] in ("prepend", "append")
    assert "$HOUDINI_PACKAGE_PATH" in data["hpath"]


def test_loaded_from_an_installed_farmhand_it_finds_the_package_and_the_asset():
    """The installed tree is the editable install's (build/...): farmhand/startup/houdini."""
    installed = os.path.join(os.path.dirname(farmhand.__file__), "startup", "houdini")
    assert os.path.isfile(os.path.join(installed, "farmhand.json")), installed
    data = load()
    python_path = [
        resolve(entry["PYTHONPATH"]["value"], installed)
        for entry in data["env"]
        if "PYTHONPATH" in entry
    ]
    assert len(python_path) == 1
    assert os.path.isfile(
        os.path.join(python_path[0], "farmhand", "plugins", "houdini", "buttons.py")
    )
    houdini_path = resolve(data["hpath"], installed)
    library = os.path.join(houdini_path, "otls", "farmhand_job.hda")
    assert os.path.isfile(os.path.join(library, "houdini.hdalibrary"))
    assert os.path.isfile(os.path.join(library, "Driver_1farmhand_2_2job", "DialogScript"))
