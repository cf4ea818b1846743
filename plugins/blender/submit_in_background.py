"""Submitting from the panel without freezing Blender: the farm is reached on worker threads.

Three steps: connect to the farm and fetch its catalogue (a thread: it may start the local
farm), build the job against that catalogue (Blender's main thread, in a timer: it reads the
scene and writes the render package), hash, upload and submit (a thread). A timer polls the
threads and reports the outcome; it is guarded (``farmhand.core.host.guarded``): a failure
of any step, or of ``report`` itself, is logged and reported, the connection is closed and
the timer stops, never raising into Blender. ``wait=True`` runs the same steps one after the
other, for background sessions (``blender -b``), where timers do not run: that is
``farmhand.core.host.submit.submit_job``.
"""

import threading
from typing import Any, Callable, Dict, Optional

import bpy

from farmhand.core.connectors import SubmitResult, connect
from farmhand.core.host import JobNode, guarded
from farmhand.plugins.blender.adapter import BlenderAdapter

POLL_INTERVAL = 0.2
SUBMIT = "Farmhand: Submit"
Report = Callable[[str, str], None]  # (level "INFO"/"ERROR", message)


class _Worker(object):
    """A function run on a thread, its result or error kept for the main thread."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self.result = work()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            self.error = error

    @property
    def done(self) -> bool:
        return not self.thread.is_alive()


def describe(result: SubmitResult, where: str) -> str:
    return "submitted job {} to the {} ({} files, {} uploaded)".format(
        result.job_id, where, result.files, result.uploaded_files
    )


def submit_later(
    adapter: BlenderAdapter, node: JobNode, report: Report, target: str = ""
) -> Callable[[], Optional[float]]:
    """The three steps, the farm's on threads, then ``report(level, message)``; returns the
    timer function (registered already), which answers None once all is done."""
    state: Dict[str, Any] = {}
    state["connect"] = _Worker(lambda: _connected(target))

    def show(message: str) -> None:
        report("ERROR", message)

    @guarded(SUBMIT, show)
    def poll() -> Optional[float]:
        try:
            return _step(state, adapter, node, report)
        except BaseException:
            _close(state)
            raise

    bpy.app.timers.register(poll, first_interval=POLL_INTERVAL)
    return poll


def _connected(target: str) -> Any:
    connector = connect(target or None)
    try:
        return connector, connector.catalogue()
    except BaseException:
        connector.close()
        raise


def _close(state: Dict[str, Any]) -> None:
    connector = state.pop("connector", None)
    if connector is not None:
        connector.close()


def _step(
    state: Dict[str, Any], adapter: BlenderAdapter, node: JobNode, report: Report
) -> Optional[float]:
    if "submit" not in state:
        worker = state["connect"]
        if not worker.done:
            return POLL_INTERVAL
        if worker.error is not None:
            raise worker.error
        connector, catalogue = worker.result
        state["connector"] = connector
        submission = adapter.build(node, None, catalogue).check()
        report("INFO", "Farmhand: uploading and submitting {}...".format(node.name))
        state["submit"] = _Worker(lambda: connector.submit(submission))
        return POLL_INTERVAL
    worker = state["submit"]
    if not worker.done:
        return POLL_INTERVAL
    where = state["connector"].describe()
    _close(state)
    if worker.error is not None:
        raise worker.error
    report("INFO", "Farmhand: " + describe(worker.result, where))
    return None
