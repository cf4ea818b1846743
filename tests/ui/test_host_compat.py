"""shared_ui runs inside hosts: Python 3.7 syntax and runtime annotations, and Qt only
through qtpy (the layer checker, reused here so both binding runs check it)."""

import ast
import os
import subprocess
import sys

import pytest

from tests.conftest import require

pytestmark = pytest.mark.ui

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_UI = os.path.join(ROOT, "shared_ui")
PY37 = os.path.join(ROOT, ".venv-py37", "bin", "python")
BUILTIN_GENERICS = {"list", "dict", "set", "frozenset", "tuple", "type"}


def sources():
    for folder, _, files in os.walk(SHARED_UI):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(folder, name)


def evaluated_annotations(tree):
    """Annotations Python 3.7 evaluates: function signatures and class-level variables
    (a module without ``from __future__ import annotations``)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
            for arg in arguments + [node.args.vararg, node.args.kwarg]:
                if arg is not None and arg.annotation is not None:
                    yield arg.annotation
            if node.returns is not None:
                yield node.returns
        elif isinstance(node, (ast.Module, ast.ClassDef)):
            for statement in node.body:
                if isinstance(statement, ast.AnnAssign):
                    yield statement.annotation


def newer_syntax(annotation):
    for node in ast.walk(annotation):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return "X | Y (PEP 604)"
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id in BUILTIN_GENERICS:
            return "{}[...] (PEP 585)".format(node.value.id)
    return None


def test_shared_ui_parses_as_python_37():
    for path in sources():
        with open(path) as handle:
            source = handle.read()
        tree = ast.parse(source, path, feature_version=(3, 7))
        if "from __future__ import annotations" in source:
            continue
        for annotation in evaluated_annotations(tree):
            problem = newer_syntax(annotation)
            assert problem is None, "{}:{}: {}".format(
                os.path.relpath(path, ROOT), annotation.lineno, problem
            )


def test_shared_ui_compiles_on_python_37():
    require(os.path.exists(PY37), ".venv-py37 (scripts/bootstrap.sh pyenv)")
    result = subprocess.run(
        [PY37, "-m", "py_compile"] + list(sources()),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert result.returncode == 0, result.stdout


def test_no_qt_binding_is_imported_by_name():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import check_layers
    finally:
        sys.path.pop(0)
    problems = [line for line in check_layers.check() if "Qt binding" in line]
    assert problems == []
