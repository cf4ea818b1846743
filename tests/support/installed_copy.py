"""Farmhand installed as the README's install steps install it: ``pip install --target DIR``
of a copy of the sources (the checkout stays untouched; no dependencies fetched)."""

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


def install_copy(workdir):
    """Install a copy of the sources into ``workdir/target``; returns the target folder."""
    source = os.path.join(str(workdir), "source")
    os.makedirs(source)
    for name in SOURCES:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(
                path,
                os.path.join(source, name),
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy(path, os.path.join(source, name))
    target = os.path.join(str(workdir), "target")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            target,
            source,
        ],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=170,
    )
    return target
