"""What the submitter pays to hand out its settings when a job file gives 100,000 tasks.

``JobForm.settings()`` copies the loaded settings before the sections write into them, on
every Preview, Submit and Save (and each sync to a host node). A job file's ``tasks_data``
makes that copy large. Timed side by side: ``copy.deepcopy`` of the settings (what it did)
and ``copy_settings`` (each task's dict copied, its values shared), then the whole Preview
click in the standalone window (build the job, open the dialog) on the same job file.

Run: ``python -m bench.ui_settings_copy`` (pure Python: one binding is enough).
"""

import copy
import json
import os
import tempfile
import time
from typing import Any, Dict, List

from bench.ui_support import api_name, application, median, offscreen, table

TASKS = 100000
RUNS = 7
PREVIEW_RUNS = 3


def job() -> Dict[str, Any]:
    return {
        "job_title": "bench",
        "instance_type": "standard-2",
        "output_path": "/out",
        "tasks_data": [{"command": "echo {}".format(i), "frames": str(i)} for i in range(TASKS)],
    }


def timed(fn: Any, runs: int) -> float:
    times: List[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return median(times)


def preview_click(path: str) -> float:
    from farmhand.shared_ui.standalone import SubmitterWindow

    app = application()
    window = SubmitterWindow(path)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    dialog = window.submitter.preview()
    app.processEvents()
    seconds = time.perf_counter() - started
    assert dialog is not None and dialog.tasks_model.rowCount() == TASKS
    dialog.close()
    window.close()
    window.deleteLater()
    app.processEvents()
    return seconds


def main() -> Dict[str, Any]:
    offscreen()
    from farmhand.core.job import settings_from_dict
    from farmhand.shared_ui.form import copy_settings

    application()
    data = job()
    settings = settings_from_dict(data)
    deep = timed(lambda: copy.deepcopy(settings), RUNS)
    ours = timed(lambda: copy_settings(settings), RUNS)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "job.json")
        with open(path, "w") as handle:
            json.dump(data, handle)
        click = median([preview_click(path) for _ in range(PREVIEW_RUNS)])
    print("Settings copy with {:,} given tasks ({}; median of {} runs, Preview of {})".format(
        TASKS, api_name(), RUNS, PREVIEW_RUNS))
    print(table(
        ["copy.deepcopy", "copy_settings", "ratio", "Preview click (build + dialog)"],
        [["{:.0f} ms".format(deep * 1000), "{:.0f} ms".format(ours * 1000),
          "{:.0f}x".format(deep / max(ours, 1e-9)), "{:.0f} ms".format(click * 1000)]],
    ))
    return {"deepcopy": deep, "copy_settings": ours, "preview_click": click}


if __name__ == "__main__":
    main()
