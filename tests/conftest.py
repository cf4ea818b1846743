"""Shared fixtures.

``require(name, reason_missing)`` is how a test asks for a real component (Blender, Slurm,
PySide2, ciocore...): on a developer machine a missing one skips the test, under ``CI=true``
it fails, because CI installs every component with the project's own scripts and a skip there
would hide a missing install step.
"""

import os
import sys

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(available, what):
    """Skip (locally) or fail (in CI) when a real component is missing."""
    if available:
        return
    message = "{} is not available".format(what)
    if IN_CI:
        pytest.fail(message + " (CI=true: every component must be installed by the project)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def farmhand_home(tmp_path, monkeypatch):
    """Every test gets its own FARMHAND_HOME, so no state leaks between tests or into ~."""
    home = tmp_path / "farmhand-home"
    home.mkdir()
    monkeypatch.setenv("FARMHAND_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def qt_garbage_collected_here(request):
    """After a Qt test (set up before qtbot, so torn down after it has closed its widgets),
    Qt's deferred deletes run and Python's cycle collector runs, on the main thread.

    Otherwise a test's dead widgets are collected whenever the collector next happens to run:
    inside a later test's widget constructor, or on a background thread of a non-Qt test,
    where destroying a QObject crashes the binding (seen as a segfault in QLabel.__init__ of
    an unrelated test, in full runs only).
    """
    yield
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        return
    import gc

    from qtpy import QtCore, QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
        app.processEvents()
    gc.collect()


@pytest.fixture
def python_exe():
    return sys.executable


# Test-support modules (tests/support/*.py) are plain modules: importable by name from tests.
SUPPORT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "support")
if SUPPORT_DIR not in sys.path:
    sys.path.insert(0, SUPPORT_DIR)


@pytest.fixture(scope="module")
def client_farm(request, tmp_path_factory):
    """A real local farm in its own process (tests/support/client_farm.py), shared by one
    module's tests and driven from this interpreter as a host drives it. A module sets
    ``CLIENT_FARM_CONFIG`` to give the farm a config.json."""
    from client_farm import FarmProcess, farm_python

    require(farm_python(), "a Python with aiohttp to run the local farm (.venv)")
    farm = FarmProcess(tmp_path_factory.mktemp("farm") / "farm")
    farm.start(getattr(request.module, "CLIENT_FARM_CONFIG", None))
    yield farm
    farm.stop()


@pytest.fixture
def farm_client(client_farm):
    """A connector to ``client_farm``, closed after the test."""
    connector = client_farm.connector()
    yield connector
    connector.close()


@pytest.fixture(scope="session")
def slurm_support():
    """The cluster harness module, once Slurm and munge are known to be installed."""
    import slurm_cluster as support

    missing = support.missing_components()
    require(not missing, "Slurm/munge ({} missing)".format(", ".join(missing)))
    return support


@pytest.fixture(scope="session")
def slurm_cluster(slurm_support, tmp_path_factory):
    """A real single-node Slurm cluster on 127.0.0.1 (tests/support/slurm_cluster.py), started
    once per session with the tuned settings and torn down with no daemon left behind."""
    cluster = slurm_support.SlurmCluster(
        str(tmp_path_factory.mktemp("slurm")), settings=slurm_support.TUNED_SETTINGS
    )
    with cluster:
        yield cluster
