"""Does hashing 1 GiB in the progress dialog ever block the UI thread for more than 100 ms?

A 10 ms ``QTimer`` on the UI thread records when it fires while the progress dialog hashes a
1 GiB file (the core's hashing, on the dialog's worker thread, progress arriving as signals).
The longest gap between two ticks is how long the UI was unresponsive. Side by side, the same
hashing called directly on the UI thread, which is what the dialog exists to avoid.

Run: ``python -m bench.ui_progress`` (PySide6 here, PySide2 in .venv-qt5 as a child run).
"""

import os
import sys
import tempfile
import time
from typing import Any, Dict, List

from bench.ui_support import api_name, application, both_bindings, median, table

SIZE = 1 << 30
BLOCK = 8 << 20
RUNS = 3
GOAL_MS = 100.0


def write_file(path: str, size: int = SIZE) -> None:
    """Real bytes (not a sparse file), so the hash reads what a scene file would give it."""
    block = os.urandom(BLOCK)
    with open(path, "wb") as handle:
        for _ in range(size // BLOCK):
            handle.write(block)


def probe_dialog(path: str) -> Dict[str, float]:
    from qtpy import QtCore

    from farmhand.core.transfer import collect_files, hash_files
    from farmhand.shared_ui.progress.dialog import SubmitProgressDialog

    app = application()
    files = collect_files([path])
    dialog = SubmitProgressDialog(
        lambda progress, cancel: hash_files(files, progress=progress, cancel=cancel),
        lambda report: "hashed",
    )
    dialog.show()
    ticks: List[float] = []
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QtCore.QEventLoop()
    dialog.succeeded.connect(loop.quit)
    dialog.failed.connect(loop.quit)
    timer.start()
    started = time.perf_counter()
    dialog.start()
    loop.exec_()
    seconds = time.perf_counter() - started
    timer.stop()
    dialog.close()
    app.processEvents()
    if dialog.state != "succeeded":
        raise RuntimeError("hashing failed: {}".format(dialog.error))
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    return {
        "max_gap_ms": max(gaps) * 1000.0,
        "seconds": seconds,
        "ticks": float(len(ticks)),
        "events": float(dialog.events_seen),
    }


def probe_blocking(path: str) -> Dict[str, float]:
    """The same hash on the UI thread: the timer cannot fire until it returns."""
    from qtpy import QtCore

    from farmhand.core.transfer import collect_files, hash_files

    app = application()
    ticks: List[float] = []
    timer = QtCore.QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    deadline = time.perf_counter() + 0.1
    while time.perf_counter() < deadline:
        app.processEvents()
    started = time.perf_counter()
    hash_files(collect_files([path]))
    seconds = time.perf_counter() - started
    deadline = time.perf_counter() + 0.1
    while time.perf_counter() < deadline:
        app.processEvents()
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    return {"max_gap_ms": max(gaps) * 1000.0, "seconds": seconds}


def measure() -> Dict[str, Any]:
    application()
    with tempfile.TemporaryDirectory(prefix="farmhand-bench-") as folder:
        path = os.path.join(folder, "one-gib.bin")
        write_file(path)
        runs = [probe_dialog(path) for _ in range(RUNS)]
        blocking = probe_blocking(path)
    return {
        "binding": api_name(),
        "max_gap_ms": median([r["max_gap_ms"] for r in runs]),
        "worst_gap_ms": max(r["max_gap_ms"] for r in runs),
        "seconds": median([r["seconds"] for r in runs]),
        "events": median([r["events"] for r in runs]),
        "blocking_gap_ms": blocking["max_gap_ms"],
        "blocking_seconds": blocking["seconds"],
    }


def main() -> List[Dict[str, Any]]:
    results = both_bindings("bench.ui_progress", measure)
    if not results:
        return results
    rows = []
    for r in results:
        rows.append([
            r["binding"],
            "{:.0f} ms".format(r["max_gap_ms"]),
            "{:.0f} ms".format(r["worst_gap_ms"]),
            "{:.2f} s".format(r["seconds"]),
            "{:.0f}".format(r["events"]),
            "{:.0f} ms".format(r["blocking_gap_ms"]),
            "{:.0f}x".format(r["blocking_gap_ms"] / max(r["max_gap_ms"], 1e-3)),
            "yes" if r["worst_gap_ms"] <= GOAL_MS else "NO",
        ])
    print("UI thread while the progress dialog hashes 1 GiB (median of {} runs; 10 ms probe)"
          .format(RUNS))
    print(table(
        ["binding", "longest UI gap (median)", "longest UI gap (worst run)", "hash time",
         "progress signals", "gap when hashing on the UI thread", "ratio", "<= 100 ms"],
        rows,
    ))
    return results


if __name__ == "__main__":
    main()
    sys.exit(0)
