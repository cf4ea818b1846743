"""Farmhand installed as the README's install steps install it: ``pip install --target DIR``
of a copy of the sources (the checkout stays untouched; no dependencies fetched)."""

import os

from pip_target import install_target


def install_copy(workdir):
    """Install a copy of the sources into ``workdir/target``; returns the target folder."""
    source = os.path.join(str(workdir), "source")
    os.makedirs(source)
    return install_target(source, os.path.join(str(workdir), "target"))
