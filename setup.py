"""Farmhand: one render-farm submitter for Clarisse, Maya, Houdini and Blender.

The repository keeps the design card's top-level folders (``core/``, ``shared_ui/``,
``plugins/``, ...) so a newcomer finds the room for a change from the folder names, while
everything installs under the single import namespace ``farmhand``. ``package_dir`` below is
the one place where folder names and import names meet.
"""

import os

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))

# import name -> folder, for every package root; subpackages are found below each root.
ROOTS = {
    "farmhand": "src/farmhand",
    "farmhand.core": "core",
    "farmhand.api": "api",
    "farmhand.cli": "cli",
    "farmhand.farm": "farm",
    "farmhand.shared_ui": "shared_ui",
    "farmhand.plugins": "plugins",
    "farmhand.startup": "startup",
}


def _find_packages():
    """Walk each root folder and list every directory holding an ``__init__.py``."""
    packages = []
    package_dir = {}
    for name, folder in ROOTS.items():
        package_dir[name] = folder
        base = os.path.join(HERE, folder)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            if "__init__.py" not in filenames:
                continue
            rel = os.path.relpath(dirpath, base)
            packages.append(name if rel == "." else name + "." + rel.replace(os.sep, "."))
    return sorted(packages), package_dir


PACKAGES, PACKAGE_DIR = _find_packages()


def _read(*parts):
    with open(os.path.join(HERE, *parts)) as handle:
        return handle.read()


def _version():
    about = {}
    exec(_read("src", "farmhand", "_version.py"), about)
    return about["__version__"]


setup(
    name="farmhand",
    version=_version(),
    description="Render-farm submitter suite: one submitter for Clarisse, Maya, Houdini and "
    "Blender, a local farm, and connectors to real farm engines.",
    long_description=_read("README.md"),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.7",
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    include_package_data=True,
    package_data={
        "farmhand.startup": ["*/*", "*/*/*", "*/*/*/*", "*/*/*/*/*"],
        "farmhand.shared_ui": ["resources/*"],
        "farmhand": ["py.typed"],
        "farmhand.core": ["py.typed"],
    },
    install_requires=[
        # What a host imports: keep it to pure-Python packages that install with
        # ``pip install --target`` next to a DCC's own interpreter (3.7 and up).
        "fileseq>=2.3",
        "requests>=2.20",
        "qtpy>=1.9",
    ],
    extras_require={
        # The local farm service runs outside the hosts, on the workstation's Python.
        "farm": ["aiohttp>=3.8; python_version>='3.8'"],
        "test": [
            "pytest>=7",
            "hypothesis>=6",
            "pytest-timeout>=2",
            # the CLI and farm tests start a real local farm
            "aiohttp>=3.8; python_version>='3.8'",
        ],
        "dev": [
            "ruff>=0.6",
            "mypy>=1.10",
            "types-requests",
        ],
    },
    entry_points={"console_scripts": ["farmhand=farmhand.cli.main:main"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Topic :: Multimedia :: Graphics :: 3D Rendering",
    ],
)
