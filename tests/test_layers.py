"""The layer rules of DESIGN.md hold for every import in the source tree."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_no_layer_violations():
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "check_layers.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert result.returncode == 0, result.stdout


def test_checker_catches_binding_imports(tmp_path, monkeypatch):
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import check_layers
    finally:
        sys.path.pop(0)
    fake_root = tmp_path
    (fake_root / "shared_ui").mkdir()
    (fake_root / "shared_ui" / "__init__.py").write_text("from PySide2 import QtCore\n")
    (fake_root / "core").mkdir()
    (fake_root / "core" / "__init__.py").write_text("import qtpy\nimport maya.cmds\n")
    monkeypatch.setattr(check_layers, "ROOT", str(fake_root))
    problems = "\n".join(check_layers.check())
    assert "shared_ui/__init__.py:1: imports the Qt binding PySide2 by name" in problems
    assert "core/__init__.py:1: farmhand.core may import only" in problems
    assert "core/__init__.py:2: imports maya outside plugins/maya/" in problems


def test_an_engine_client_only_lazily_and_only_in_its_connector(tmp_path, monkeypatch):
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import check_layers
    finally:
        sys.path.pop(0)
    opencue = tmp_path / "core" / "connectors" / "opencue"
    opencue.mkdir(parents=True)
    (tmp_path / "core" / "__init__.py").write_text("def f():\n    import outline\n")
    (opencue / "__init__.py").write_text("import opencue\n\n\ndef g():\n    import outline\n")
    monkeypatch.setattr(check_layers, "ROOT", str(tmp_path))
    problems = check_layers.check()
    assert problems == [
        "core/__init__.py:2: farmhand.core may import only the standard library, fileseq and"
        " requests, not outline",
        "core/connectors/opencue/__init__.py:1: farmhand.core may import only the standard"
        " library, fileseq and requests, not opencue",
    ]
