"""The Houdini install step of the README: after ``pip install --target DIR``, the package
file in DIR/farmhand/startup/houdini, loaded where it lies, puts DIR on Python's path and the
folder holding the FarmhandJob asset on the Houdini path; the installed asset is the one the
generator writes."""

import json
import os

import pytest
from installed_copy import install_copy

from farmhand.plugins.houdini import hda_files

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    return install_copy(tmp_path_factory.mktemp("houdini-install"))


def test_the_package_file_finds_farmhand_and_the_asset(installed):
    package_path = os.path.join(installed, "farmhand", "startup", "houdini")
    with open(os.path.join(package_path, "farmhand.json")) as handle:
        data = json.load(handle)
    (python_path,) = [e["PYTHONPATH"]["value"] for e in data["env"] if "PYTHONPATH" in e]
    resolved = os.path.normpath(python_path.replace("$HOUDINI_PACKAGE_PATH", package_path))
    assert resolved == os.path.normpath(installed)
    houdini_path = data["hpath"].replace("$HOUDINI_PACKAGE_PATH", package_path)
    library = os.path.join(houdini_path, "otls", hda_files.LIBRARY_NAME)
    for relative, text in hda_files.library_files().items():
        with open(os.path.join(library, *relative.split("/")), encoding="utf-8") as handle:
            assert handle.read() == text, relative
