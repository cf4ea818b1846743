"""Calls off the UI thread: the work runs on a worker thread, its progress, result and error
arrive on the UI thread as signals, and quitting waits for what is still running."""

import threading
import time

import pytest

from farmhand.core.errors import FarmConnectionError
from farmhand.shared_ui.background import run_in_background, wait_for_running

pytestmark = pytest.mark.ui


def test_result_and_progress_arrive_on_the_ui_thread(qtbot):
    seen = {"work": None, "progress": [], "result": None}

    def work(report):
        seen["work"] = threading.current_thread()
        for step in range(3):
            report(step)
        return "done"

    def on_progress(step):
        seen["progress"].append((step, threading.current_thread()))

    call = run_in_background(work, on_progress=on_progress,
                             on_success=lambda result: seen.update(result=result))
    with qtbot.waitSignal(call.succeeded, timeout=5000):
        pass
    qtbot.waitUntil(lambda: seen["result"] == "done")
    assert seen["work"] is not threading.main_thread()
    assert [step for step, _ in seen["progress"]] == [0, 1, 2]
    assert all(thread is threading.main_thread() for _, thread in seen["progress"])


def test_an_error_is_delivered_with_its_traceback(qtbot):
    errors = []

    def work(report):
        raise FarmConnectionError("cannot reach the farm at http://x", url="http://x")

    call = run_in_background(work, on_failure=errors.append)
    with qtbot.waitSignal(call.failed, timeout=5000):
        pass
    assert isinstance(errors[0], FarmConnectionError)
    assert "cannot reach the farm" in call.error_traceback


def test_quitting_waits_for_running_calls(qtbot):
    call = run_in_background(lambda report: time.sleep(0.3) or "slow")
    assert wait_for_running(5000)
    assert call.done.is_set() and call.result == "slow"
