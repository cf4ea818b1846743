"""Fixtures for the Qt widget tests, which run once per binding (see the Makefile).

The binding is chosen by ``QT_API``/``PYTEST_QT_API`` before anything imports Qt; the
platform is offscreen so the tests need no display, and fontconfig finds Debian's DejaVu
fonts so text really renders (the screenshot test checks it).
"""

import os
import tempfile

# Must happen before qtpy or pytest-qt import a binding.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt builds whose offscreen plugin lacks fontconfig read fonts from this folder instead
# (Debian's fonts-dejavu-core, installed by scripts/bootstrap.sh).
DEJAVU = "/usr/share/fonts/truetype/dejavu"
if os.path.isdir(DEJAVU):
    os.environ.setdefault("QT_QPA_FONTDIR", DEJAVU)
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


@pytest.fixture
def local_farm(farmhand_home):
    """A real local farm (``farmhand.farm``) in this test's FARMHAND_HOME, stopped afterwards.

    Yields ``(url, api_key_json)``; the submitter finds the farm itself, from its state files
    in FARMHAND_HOME, as it would on a workstation.
    """
    from tests.conftest import require

    try:
        from farmhand.farm import control
    except ImportError as error:  # aiohttp missing from this venv
        require(False, "the local farm ({})".format(error))
    url, key = control.start(slots=2)
    try:
        yield url, key
    finally:
        control.stop()


@pytest.fixture
def farm_connector(local_farm):
    from farmhand.core.connectors import connect

    connector = connect("local")
    yield connector
    connector.close()


def echo_payload(catalogue, frames=(1, 2, 3, 4), scout="1", command="echo frame {frame}"):
    """A raw payload of one task per frame, for tests that need a job on the farm fast."""
    return {
        "job_title": "ui test",
        "project": "default",
        "instance_type": catalogue.instance_types[0].name,
        "tasks_data": [{"command": command.format(frame=f), "frames": str(f)} for f in frames],
        "scout_frames": scout,
        "output_path": "",
        "local_upload": True,
    }


@pytest.fixture
def make_payload():
    return echo_payload


def type_into_cell(qtbot, table, row, column, text):
    """Edit a table cell as a user does: open its editor, type, press Enter."""
    from qtpy import QtCore, QtWidgets

    def editors():
        return [w for w in table.viewport().findChildren(QtWidgets.QLineEdit) if w.isVisible()]

    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    found = editors()
    assert len(found) == 1, found
    found[0].selectAll()
    qtbot.keyClicks(found[0], text)
    qtbot.keyClick(found[0], QtCore.Qt.Key_Return)
    qtbot.waitUntil(lambda: not editors())


@pytest.fixture
def cell_typer(qtbot):
    return lambda table, row, column, text: type_into_cell(qtbot, table, row, column, text)


# -- did text really render? (fonts missing offscreen draw nothing, or the same box per glyph)
def dark_pixel_count(image, threshold=110):
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).lightness() < threshold:
                count += 1
    return count


def render_text(font, text):
    from qtpy import QtWidgets

    label = QtWidgets.QLabel(text)
    label.setFont(font)
    label.setStyleSheet("background: white; color: black;")
    label.adjustSize()
    return label.grab().toImage()


def assert_text_rendered(label):
    """``label`` shows its text as glyphs: enough dark pixels compared with a blank render,
    and different letters draw differently (missing fonts draw nothing or one box shape)."""
    image = label.grab().toImage()
    text_pixels = dark_pixel_count(image)
    blank = dark_pixel_count(render_text(label.font(), ""))
    assert text_pixels >= blank + 8 * len(label.text().strip()) // 2, (
        "label {!r}: {} dark pixels, blank render {}".format(label.text(), text_pixels, blank)
    )
    thin = dark_pixel_count(render_text(label.font(), "iiiiiiii"))
    wide = dark_pixel_count(render_text(label.font(), "WWWWWWWW"))
    assert wide > 1.5 * thin > 0, "no glyph variation: {} vs {} dark pixels".format(wide, thin)


@pytest.fixture
def text_check():
    return assert_text_rendered
