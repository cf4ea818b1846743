"""How long the submitter takes to open: the first window in a fresh process (imports
included) and the next ones (what a host pays each time the artist opens it again).

Timed from nothing to the window on screen with its first paint done, on the standalone
window around a job file (the same widgets every host shows). The import of
``farmhand.shared_ui`` is timed on its own, after Qt itself is loaded (a host has Qt loaded
already). Each binding runs in a fresh interpreter.

Run: ``python -m bench.ui_open`` (PySide6 here, PySide2 in .venv-qt5 as a child run).
"""

import json
import os
import tempfile
import time
from typing import Any, Dict, List

from bench.ui_support import api_name, application, both_bindings, median, table

RUNS = 10

JOB = {
    "job_title": "shot010 lighting <sequence>",
    "frames": "1001-1100",
    "chunk_size": 10,
    "scout_frames": "fml",
    "task_template": "blender -b shot010.blend -s <chunkstart> -e <chunkend> -a",
    "output_path": "renders",
    "notify": ["lighting@example.com"],
    "extra_environment": [{"name": "PYTHONPATH", "value": "/pipeline", "merge_policy": "append"}],
    "metadata": {"shot": "010"},
}


def open_once(window_class: Any, path: str) -> float:
    app = application()
    started = time.perf_counter()
    window = window_class(path)
    window.resize(760, 980)
    window.show()
    app.processEvents()
    app.processEvents()
    seconds = time.perf_counter() - started
    window.close()
    window.deleteLater()
    app.processEvents()
    return seconds


def measure() -> Dict[str, Any]:
    started = time.perf_counter()
    application()
    qt_seconds = time.perf_counter() - started
    started = time.perf_counter()
    from farmhand.shared_ui.standalone import SubmitterWindow

    import_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="farmhand-bench-") as folder:
        path = os.path.join(folder, "shot010.json")
        with open(path, "w") as handle:
            json.dump(JOB, handle)
        first = open_once(SubmitterWindow, path)
        again: List[float] = [open_once(SubmitterWindow, path) for _ in range(RUNS)]
    return {
        "binding": api_name(),
        "qt": qt_seconds,
        "import": import_seconds,
        "first": first,
        "again": median(again),
    }


def main() -> List[Dict[str, Any]]:
    results = both_bindings("bench.ui_open", measure)
    if not results:
        return results
    rows = [
        [
            r["binding"],
            "{:.0f} ms".format(r["qt"] * 1000),
            "{:.0f} ms".format(r["import"] * 1000),
            "{:.0f} ms".format(r["first"] * 1000),
            "{:.0f} ms".format(r["again"] * 1000),
        ]
        for r in results
    ]
    print("Submitter window open time (fresh process; 'again' is the median of {})".format(RUNS))
    print(table(
        ["binding", "QApplication (not ours)", "import farmhand.shared_ui", "first window",
         "window again"],
        rows,
    ))
    return results


if __name__ == "__main__":
    main()
