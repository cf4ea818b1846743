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


@pytest.fixture
def python_exe():
    return sys.executable
