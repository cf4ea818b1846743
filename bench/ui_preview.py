"""How long the preview takes to open for 10,000 and 100,000 tasks.

Timed from the built ``Submission`` to the dialog on screen with its first paint done:
reading the submission (payload text, task list, uploads, validation), building the dialog
and its lazy models, showing it, then scrolling the tasks table to the last row. The job
model's own ``build_submission`` is timed alongside (it runs before any preview, in the CLI
too). Side by side: putting the same payload text into a ``QPlainTextEdit``, the obvious
widget, which the dialog avoids by showing the text as a lazy list of lines.

Run: ``python -m bench.ui_preview`` (PySide6 here, PySide2 in .venv-qt5 as a child run).
"""

import time
from typing import Any, Dict, List

from bench.ui_support import api_name, application, both_bindings, median, table

RUNS = 5
SIZES = (10000, 100000)
TEMPLATE = "blender -b scene.blend -o /out/f_#### -s <chunkstart> -e <chunkend> -a"


def settings_for(tasks: int) -> Any:
    from farmhand.core.job import JobSettings

    return JobSettings(
        job_title="bench <sequence>",
        frames="1-{}".format(tasks * 10),
        chunk_size=10,
        max_tasks=tasks,
        scout_frames="fml",
        task_template=TEMPLATE,
        instance_type="standard-2",
        output_path="/out",
        dependency_scan_policy="none",
    )


def settle(app: Any) -> None:
    app.processEvents()
    app.processEvents()


def open_preview(submission: Any) -> Dict[str, float]:
    from farmhand.shared_ui.preview.content import PreviewContent
    from farmhand.shared_ui.preview.dialog import TASKS_TAB, PreviewDialog

    app = application()
    started = time.perf_counter()
    content = PreviewContent.from_submission(submission)
    read = time.perf_counter()
    dialog = PreviewDialog(content)
    dialog.resize(980, 680)
    dialog.show()
    settle(app)
    shown = time.perf_counter()
    dialog.tabs.setCurrentIndex(TASKS_TAB)
    dialog.tasks_view.scrollToBottom()
    settle(app)
    scrolled = time.perf_counter()
    assert dialog.tasks_model.rowCount() == len(submission.tasks)
    dialog.close()
    dialog.deleteLater()
    settle(app)
    return {
        "read": read - started,
        "shown": shown - started,
        "scrolled": scrolled - started,
    }


def plain_text_edit(text: str) -> float:
    from qtpy import QtWidgets

    app = application()
    started = time.perf_counter()
    edit = QtWidgets.QPlainTextEdit()
    edit.setReadOnly(True)
    edit.resize(980, 600)
    edit.setPlainText(text)
    edit.show()
    settle(app)
    seconds = time.perf_counter() - started
    edit.close()
    edit.deleteLater()
    settle(app)
    return seconds


def measure() -> Dict[str, Any]:
    from farmhand.core.job import build_submission

    application()
    rows: Dict[str, Any] = {"binding": api_name(), "sizes": {}}
    for size in SIZES:
        builds: List[float] = []
        opens: List[Dict[str, float]] = []
        submission = None
        for _ in range(RUNS):
            started = time.perf_counter()
            submission = build_submission(settings_for(size), None, None)
            submission.payload_json()
            builds.append(time.perf_counter() - started)
            opens.append(open_preview(submission))
        assert submission is not None and len(submission.tasks) == size, submission
        text = submission.payload_json()
        plain = [plain_text_edit(text) for _ in range(2)]
        rows["sizes"][str(size)] = {
            "bytes": len(text),
            "build": median(builds),
            "read": median([o["read"] for o in opens]),
            "shown": median([o["shown"] for o in opens]),
            "scrolled": median([o["scrolled"] for o in opens]),
            "plain_text_edit": median(plain),
        }
    return rows


def main() -> List[Dict[str, Any]]:
    results = both_bindings("bench.ui_preview", measure)
    if not results:
        return results
    rows = []
    for result in results:
        for size, r in sorted(result["sizes"].items(), key=lambda item: int(item[0])):
            rows.append([
                result["binding"],
                "{:,}".format(int(size)),
                "{:.1f} MB".format(r["bytes"] / 1e6),
                "{:.0f} ms".format(r["build"] * 1000),
                "{:.0f} ms".format(r["read"] * 1000),
                "{:.0f} ms".format(r["shown"] * 1000),
                "{:.0f} ms".format(r["scrolled"] * 1000),
                "{:.0f} ms".format(r["plain_text_edit"] * 1000),
                "{:.0f}x".format(r["plain_text_edit"] / max(r["shown"], 1e-6)),
            ])
    print("Preview dialog open time (median of {} runs)".format(RUNS))
    print(table(
        ["binding", "tasks", "payload", "build_submission + JSON", "read submission",
         "dialog shown", "shown + scrolled to last task", "QPlainTextEdit with the payload",
         "ratio"],
        rows,
    ))
    return results


if __name__ == "__main__":
    main()
