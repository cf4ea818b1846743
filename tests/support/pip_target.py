"""``pip install --target DIR`` of this checkout, as the README's first install step does it.

The sources are copied first, so the build leaves the checkout untouched (no ``build/`` or
``*.egg-info`` from this install). ``--no-deps``: the tests that need fileseq, requests or qtpy
put the test interpreter's own on the path after ``DIR``.
"""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = (
    "setup.py",
    "pyproject.toml",
    "README.md",
    "src",
    "core",
    "api",
    "cli",
    "farm",
    "shared_ui",
    "plugins",
    "startup",
)


def install_target(source, target, python=None):
    """Copy the sources to ``source`` and install them into ``target`` (both folders)."""
    for name in SOURCES:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(
                path,
                os.path.join(str(source), name),
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy(path, os.path.join(str(source), name))
    subprocess.run(
        [
            python or sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=170,
    )
    return str(target)
