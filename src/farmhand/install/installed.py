"""Where this Farmhand is: the folder ``pip install --target DIR`` filled (DIR, which a host
puts on its Python path) and the start-up files the hosts load from ``DIR/farmhand/startup``.

Found from the ``farmhand`` package that runs the installer, so ``python -m farmhand.install``
registers the very copy it comes from, wherever it was installed (a ``--target`` folder, a
virtualenv, this repository's editable install).
"""

import os

import farmhand
from farmhand.install.errors import InstallError


def package_dir() -> str:
    """``DIR/farmhand``."""
    return os.path.dirname(os.path.abspath(farmhand.__file__))


def site_dir() -> str:
    """``DIR``: the folder that holds the ``farmhand`` package."""
    return os.path.dirname(package_dir())


def startup_file(host: str, *parts: str) -> str:
    """The path of one of ``host``'s start-up files; ``InstallError`` if this install lacks
    it (a broken or partial copy)."""
    path = os.path.join(package_dir(), "startup", host, *parts)
    if not os.path.exists(path):
        raise InstallError(
            "Farmhand's {} start-up file is missing from this install; reinstall Farmhand "
            "(pip install --target DIR farmhand)".format(host),
            path,
        )
    return path


def posix(path: str) -> str:
    """``path`` with forward slashes, which every host reads on every platform."""
    return path.replace(os.sep, "/")
