"""Run a call off the UI thread and get its result back on the UI thread, as signals.

Network requests, hashing and uploads block for seconds; on the UI thread they freeze the
host (Maya, Houdini and Clarisse all share their UI thread with the submitter). ``Call`` runs
the function in a ``QThread``; its signals are emitted from that thread and Qt queues them to
receivers living in the UI thread, so slots can touch widgets. The function receives a
``report`` callable for progress, which emits ``progressed`` the same way.
"""

import sys
import threading
import traceback
from typing import Any, Callable, Optional, Set

from qtpy import QtCore
from qtpy.QtCore import Signal

# Calls still running, kept alive here: a QThread collected while running aborts the process.
_RUNNING: "Set[Call]" = set()


class Call(QtCore.QThread):
    """``fn(report)`` on a worker thread; ``succeeded(result)`` or ``failed(error)`` after."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)

    def __init__(
        self,
        fn: Callable[[Callable[[Any], None]], Any],
        parent: Optional[QtCore.QObject] = None,
    ) -> None:
        super(Call, self).__init__(parent)
        self._fn = fn
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.error_traceback = ""
        self.done = threading.Event()
        self.finished.connect(self._on_finished)

    def start_call(self) -> "Call":
        _wait_at_quit()
        _RUNNING.add(self)
        self.start()
        return self

    def run(self) -> None:
        try:
            self.result = self._fn(self.progressed.emit)
        except BaseException as error:  # reported to the UI, never lost
            self.error = error
            self.error_traceback = "".join(traceback.format_exception(*sys.exc_info()))
        finally:
            self.done.set()

    def _on_finished(self) -> None:
        # released on the next loop turn, not inside the signal that is still running
        QtCore.QTimer.singleShot(0, lambda: _RUNNING.discard(self))
        if self.error is not None:
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)


# How long quitting waits for calls still running (a refresh, a catalogue fetch) before the
# process exits anyway; a QThread destroyed while running would abort with a core dump.
QUIT_WAIT_MS = 3000
_QUIT_HOOKED: Set[int] = set()


def _wait_at_quit() -> None:
    app = QtCore.QCoreApplication.instance()
    if app is None or id(app) in _QUIT_HOOKED:
        return
    _QUIT_HOOKED.add(id(app))
    app.aboutToQuit.connect(wait_for_running)


def wait_for_running(timeout_ms: int = QUIT_WAIT_MS) -> bool:
    """Wait for every running call to finish; False if some were still running."""
    finished = True
    for call in list(_RUNNING):
        finished = bool(call.wait(timeout_ms)) and finished
    return finished


def run_in_background(
    fn: Callable[[Callable[[Any], None]], Any],
    on_success: Optional[Callable[[Any], None]] = None,
    on_failure: Optional[Callable[[BaseException], None]] = None,
    on_progress: Optional[Callable[[Any], None]] = None,
    parent: Optional[QtCore.QObject] = None,
) -> Call:
    """Start ``fn(report)`` on a worker thread and wire its outcome to UI-thread callbacks."""
    call = Call(fn, parent)
    if on_success is not None:
        call.succeeded.connect(on_success)
    if on_failure is not None:
        call.failed.connect(on_failure)
    if on_progress is not None:
        call.progressed.connect(on_progress)
    return call.start_call()
