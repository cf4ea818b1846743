"""Shared set-up of the UI benchmarks: offscreen Qt, one run per binding, a results table.

Each UI benchmark measures in the current interpreter (PySide6 in ``.venv``) and, when
``.venv-qt5`` exists, runs itself again there for the PySide2 column: the same code on both
bindings, each in its own process (a process can hold only one binding).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any, Callable, Dict, List, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QT5_PYTHON = os.path.join(ROOT, ".venv-qt5", "bin", "python")
RESULT_MARK = "BENCH-RESULT "


def offscreen(api: Optional[str] = None) -> None:
    """Headless Qt, before any binding is imported."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if api:
        os.environ["QT_API"] = api
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = os.path.join(tempfile.gettempdir(), "farmhand-xdg-{}".format(os.getuid()))
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = runtime


def application() -> Any:
    from qtpy import QtWidgets

    return QtWidgets.QApplication.instance() or QtWidgets.QApplication([])


def api_name() -> str:
    import qtpy

    return str(qtpy.API_NAME)


def median(values: List[float]) -> float:
    return statistics.median(values)


def emit(result: Dict[str, Any]) -> None:
    """How a child process hands its measurements back."""
    print(RESULT_MARK + json.dumps(result), flush=True)


def run_in_qt5(module: str, args: Optional[List[str]] = None) -> Optional[Dict[str, Any]]:
    """Run ``python -m module --child`` in .venv-qt5 (PySide2); None if that venv is missing."""
    if not os.path.exists(QT5_PYTHON):
        return None
    env = dict(os.environ, QT_API="pyside2", QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [QT5_PYTHON, "-m", module, "--child"] + list(args or []),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=1800,
    )
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return dict(json.loads(line[len(RESULT_MARK):]))
    raise RuntimeError(
        "{} under PySide2 failed (exit {}):\n{}".format(
            module, completed.returncode, completed.stderr[-3000:]
        )
    )


def both_bindings(
    module: str, measure: Callable[[], Dict[str, Any]], argv: Optional[List[str]] = None
) -> List[Dict[str, Any]]:
    """``[pyside6 result, pyside2 result]`` (or just the one), or as a child: emit and exit."""
    argv = sys.argv[1:] if argv is None else argv
    if "--child" in argv:
        offscreen()
        emit(measure())
        return []
    offscreen("pyside6")
    results = [measure()]
    qt5 = run_in_qt5(module)
    if qt5 is not None:
        results.append(qt5)
    return results


def table(headers: List[str], rows: List[List[Any]]) -> str:
    """A Markdown table, as BENCHMARKS.md holds them."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)
