"""Fixtures for the Qt widget tests, which run once per binding (see the Makefile).

The binding is chosen by ``QT_API``/``PYTEST_QT_API`` before anything imports Qt; the
platform is offscreen so the tests need no display, and fontconfig finds Debian's DejaVu
fonts so text really renders (the screenshot test checks it).
"""

import os
import tempfile

# Must happen before qtpy or pytest-qt import a binding.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "XDG_RUNTIME_DIR" not in os.environ:  # Qt warns on every start without one
    _runtime = os.path.join(tempfile.gettempdir(), "farmhand-xdg-{}".format(os.getuid()))
    os.makedirs(_runtime, mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = _runtime

import pytest  # noqa: E402

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage  # noqa: E402


@pytest.fixture
def requested_api():
    """The binding this run asked for (``pyside6``/``pyside2``), or ``None`` if unspecified."""
    api = os.environ.get("QT_API") or os.environ.get("PYTEST_QT_API")
    return api.lower() if api else None


@pytest.fixture
def catalogue():
    """A farm's catalogue as the wire would bring it: three projects, instance types, a host
    with two versions and a plug-in for one of them."""
    packages = [
        SoftwarePackage.from_dict(data)
        for data in (
            {"package_id": "b402", "product": "blender", "major_version": "4",
             "minor_version": "0", "release_version": "2",
             "environment": [{"name": "PATH", "value": "/opt/blender-4.0.2",
                              "merge_policy": "append"}]},
            {"package_id": "b341", "product": "blender", "major_version": "3",
             "minor_version": "4", "release_version": "1"},
            {"package_id": "cyc4", "product": "cycles-x", "major_version": "1",
             "plugin_host_product": "blender", "plugin_host_version": "4.0.2"},
        )
    ]
    return Catalogue(
        projects=("default", "lighting", "spiderman"),
        instance_types=(
            InstanceType("standard-2", 2, 7.5),
            InstanceType("highmem-4", 4, 26.0, flavor="highmem"),
            InstanceType("highcpu-8", 8, 7.2, flavor="highcpu"),
        ),
        packages=packages,
    )
