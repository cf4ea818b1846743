#!/usr/bin/env python3
"""Checks the layer rules of DESIGN.md on every import statement of the source folders.

Why a script and not review: the rules are what keeps a host from breaking when another host's
binding or module is missing (Maya 2025 broke submitters that imported PySide2 by name), so a
violation must fail `make test`, not wait for a reader to notice.

Usage: ``python scripts/check_layers.py`` (exit 1 and one line per violation).
"""

import ast
import os
import sys
from typing import Iterator, List, Optional, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# folder -> import name, as in setup.py
FOLDERS = {
    "src/farmhand": "farmhand",
    "core": "farmhand.core",
    "api": "farmhand.api",
    "cli": "farmhand.cli",
    "farm": "farmhand.farm",
    "shared_ui": "farmhand.shared_ui",
    "plugins": "farmhand.plugins",
    "startup": "farmhand.startup",
}

QT_BINDINGS = {"PySide2", "PySide6", "PyQt5", "PyQt6", "shiboken2", "shiboken6", "sip"}
HOST_MODULES = {
    "maya": "maya",
    "pymel": "maya",
    "hou": "houdini",
    "ix": "clarisse",
    "pyix": "clarisse",
    "bpy": "blender",
    "bmesh": "blender",
    "mathutils": "blender",
}
THIRD_PARTY_CORE = {"fileseq", "requests"}
# A farm engine's own client library, which its connector package in core may import, but
# only inside a function (lazily): the code a host imports never needs it, and a missing one
# breaks that engine alone, with a message that says what to install.
ENGINE_CLIENTS = {
    "farmhand.core.connectors.opencue": {"outline", "opencue", "FileSequence"},
}

# layer -> farmhand layers it may import
ALLOWED_LAYERS = {
    "farmhand": {"farmhand", "farmhand.cli"},  # __main__ runs the command
    # python -m farmhand.install: registers the installed start-up files with a host
    "farmhand.install": {"farmhand", "farmhand.core", "farmhand.install"},
    "farmhand.core": {"farmhand", "farmhand.core"},
    "farmhand.api": {"farmhand", "farmhand.core", "farmhand.api"},
    "farmhand.farm": {"farmhand", "farmhand.core", "farmhand.farm"},
    "farmhand.shared_ui": {"farmhand", "farmhand.core", "farmhand.shared_ui"},
    "farmhand.plugins": {"farmhand", "farmhand.core", "farmhand.shared_ui", "farmhand.plugins"},
    "farmhand.startup": {
        "farmhand",
        "farmhand.core",
        "farmhand.shared_ui",
        "farmhand.plugins",
        "farmhand.startup",
    },
    "farmhand.cli": {
        "farmhand",
        "farmhand.core",
        "farmhand.api",
        "farmhand.farm",
        "farmhand.shared_ui",
        "farmhand.cli",
    },
}


def stdlib_modules() -> Set[str]:
    names = getattr(sys, "stdlib_module_names", None)
    if names is None:  # Python < 3.10: the check runs in .venv (3.11), so this is a fallback
        return set(sys.builtin_module_names)
    return set(names)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and ".".join(parts[:2]) in ALLOWED_LAYERS:
        return ".".join(parts[:2])
    return "farmhand"


def iter_sources() -> Iterator[Tuple[str, str]]:
    for folder, package in FOLDERS.items():
        base = os.path.join(ROOT, folder)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "__"))]
            for filename in sorted(filenames):
                if filename.endswith(".py"):
                    path = os.path.join(dirpath, filename)
                    rel = os.path.relpath(path, base)[: -len(".py")].replace(os.sep, ".")
                    module = package if rel == "__init__" else package + "." + rel
                    module = module[: -len(".__init__")] if module.endswith(".__init__") else module
                    yield path, module


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[Tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                keep = len(base) - node.level + (1 if is_package else 0)
                prefix = ".".join(base[:keep])
                target = prefix + ("." + node.module if node.module else "")
            else:
                target = node.module or ""
            yield node.lineno, target


def lazy_import_lines(tree: ast.AST) -> Set[int]:
    """Line numbers of the import statements inside a function body."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    lines.add(inner.lineno)
    return lines


def engine_client(module: str, top: str, lineno: int, lazy: Set[int]) -> bool:
    """Whether ``top`` is the engine's own client, imported lazily by its connector."""
    for package, clients in ENGINE_CLIENTS.items():
        if (module == package or module.startswith(package + ".")) and top in clients:
            return lineno in lazy
    return False


def host_of(module: str) -> Optional[str]:
    parts = module.split(".")
    if parts[:2] == ["farmhand", "plugins"] and len(parts) > 2:
        return parts[2]
    if parts[:2] == ["farmhand", "startup"] and len(parts) > 2:
        return parts[2]
    return None


def check() -> List[str]:
    stdlib = stdlib_modules()
    problems = []
    for path, module in iter_sources():
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), path)
        layer = layer_of(module)
        is_package = path.endswith("__init__.py")
        rel = os.path.relpath(path, ROOT)
        lazy = lazy_import_lines(tree)
        for lineno, name in imported_names(tree, module, is_package):
            top = name.split(".")[0]
            where = "{}:{}".format(rel, lineno)
            if top in QT_BINDINGS:
                problems.append(
                    "{}: imports the Qt binding {} by name; use qtpy".format(where, top)
                )
            elif top == "core":
                problems.append("{}: imports a top-level 'core'; use farmhand.core".format(where))
            elif top in HOST_MODULES:
                host = HOST_MODULES[top]
                if host_of(module) != host:
                    problems.append(
                        "{}: imports {} outside plugins/{}/".format(where, top, host)
                    )
            elif top == "farmhand":
                target = layer_of(name)
                if target not in ALLOWED_LAYERS[layer]:
                    problems.append(
                        "{}: {} may not import {}".format(where, layer, target)
                    )
                target_host = host_of(name)
                if target_host and host_of(module) not in (None, target_host):
                    problems.append("{}: one host plugin imports another".format(where))
            elif layer == "farmhand.core" and top not in stdlib and top not in THIRD_PARTY_CORE:
                if top != "__future__" and not engine_client(module, top, lineno, lazy):
                    problems.append(
                        "{}: farmhand.core may import only the standard library, fileseq and"
                        " requests, not {}".format(where, top)
                    )
            elif layer == "farmhand.shared_ui" and top not in stdlib | THIRD_PARTY_CORE | {
                "qtpy",
                "__future__",
            }:
                problems.append(
                    "{}: farmhand.shared_ui may import only qtpy besides the core, not {}".format(
                        where, top
                    )
                )
    return problems


def main() -> int:
    problems = check()
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
