"""The farm monitor against a real local farm: jobs and tasks with state, logs, and the
actions release scouts, retry and kill; refreshing never freezes the UI thread."""

import time

import pytest
from qtpy import QtCore, QtWidgets

from farmhand.shared_ui.monitor.window import FarmMonitor

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def open_monitor(qtbot, connector, interval_ms=150):
    monitor = FarmMonitor(connector=connector, interval_ms=interval_ms)
    qtbot.addWidget(monitor)
    monitor.show()
    qtbot.waitExposed(monitor)
    return monitor


def task_states(monitor):
    return [task.status for task in monitor.tasks_model.records()]


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, QtCore.Qt.LeftButton)


def test_release_scouts_then_read_a_log_and_retry(qtbot, farm_connector, make_payload,
                                                  tmp_path):
    catalogue = farm_connector.catalogue()
    marker = tmp_path / "failed-once"
    # frame 3 fails on its first attempt only, so Retry has something to fix
    command = "test {frame} != 3 || test -e MARK || { touch MARK; exit 3; }; echo frame {frame}"
    payload = make_payload(catalogue, command=command.replace("{ ", "{{ ").replace("; }", "; }}")
                           .replace("MARK", str(marker)))
    job_id = farm_connector.submit(payload).job_id
    monitor = open_monitor(qtbot, farm_connector)
    qtbot.waitUntil(lambda: monitor.jobs_model.row_of(job_id) >= 0, timeout=10000)
    assert monitor.select_job(job_id)
    qtbot.waitUntil(lambda: sorted(task_states(monitor)) == ["held"] * 3 + ["success"],
                    timeout=15000)
    assert monitor.jobs_model.index(0, 5).data() == "3"  # the Held column
    assert [t.scout for t in monitor.tasks_model.records()] == [True, False, False, False]
    assert not monitor.retry_button.isEnabled()
    click(qtbot, monitor.release_button)
    qtbot.waitUntil(lambda: task_states(monitor) == ["success", "success", "failed", "success"],
                    timeout=20000)
    assert not monitor.release_button.isEnabled()

    failed = monitor.tasks_model.records()[2].task_id
    assert monitor.select_task(failed)
    qtbot.waitUntil(lambda: "exit code 3" in monitor.log_view.toPlainText(), timeout=10000)
    click(qtbot, monitor.retry_button)
    qtbot.waitUntil(lambda: task_states(monitor) == ["success"] * 4, timeout=20000)
    assert monitor.tasks_model.record(2).attempts == 2
    qtbot.waitUntil(lambda: "frame 3" in monitor.log_view.toPlainText(), timeout=10000)
    assert monitor.last_error is None


def test_kill_asks_then_kills(qtbot, farm_connector, make_payload):
    catalogue = farm_connector.catalogue()
    payload = make_payload(catalogue, frames=(1, 2), scout="1-2", command="sleep 60 # {frame}")
    job_id = farm_connector.submit(payload).job_id
    monitor = open_monitor(qtbot, farm_connector)
    qtbot.waitUntil(lambda: monitor.select_job(job_id), timeout=10000)
    qtbot.waitUntil(lambda: "running" in task_states(monitor), timeout=15000)
    click(qtbot, monitor.kill_button)
    box = monitor.kill_question
    assert box is not None and job_id in box.text()
    with qtbot.waitSignal(monitor.action_done, timeout=10000):
        qtbot.mouseClick(box.button(QtWidgets.QMessageBox.Yes), QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: set(task_states(monitor)) == {"killed"}, timeout=15000)
    # the job row catches up on the next refresh (jobs and tasks are two requests)
    qtbot.waitUntil(lambda: not monitor.kill_button.isEnabled(), timeout=5000)


class SlowConnector(object):
    """The real connector, each call delayed as over a slow network."""

    def __init__(self, connector, delay):
        self._connector = connector
        self.delay = delay
        self.calls = 0

    def __getattr__(self, name):
        attribute = getattr(self._connector, name)
        if not callable(attribute) or name == "describe":
            return attribute

        def slow(*args, **kwargs):
            self.calls += 1
            time.sleep(self.delay)
            return attribute(*args, **kwargs)

        return slow


def test_refresh_does_not_freeze_the_ui(qtbot, farm_connector, make_payload):
    farm_connector.submit(make_payload(farm_connector.catalogue()))
    slow = SlowConnector(farm_connector, 0.6)
    ticks = []
    probe = QtCore.QTimer()
    probe.setInterval(10)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()
    monitor = open_monitor(qtbot, slow, interval_ms=100)
    qtbot.waitUntil(lambda: monitor.refresh_count >= 2, timeout=15000)
    probe.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert max(gaps) < 0.3, max(gaps)
    assert slow.calls >= 2
    assert len(monitor.jobs()) == 1


def test_an_unreachable_farm_is_a_status_line(qtbot, local_farm):
    from farmhand.core.connectors import connect
    from farmhand.farm import control

    connector = connect("local")
    control.stop()
    monitor = open_monitor(qtbot, connector)
    qtbot.waitUntil(lambda: monitor.last_error is not None, timeout=15000)
    assert "Could not reach the farm" in monitor.status_label.text()
    assert monitor.jobs_hint.is_shown()
    assert monitor.jobs_hint.text() == "Could not reach the farm; the line below says why."


def test_empty_tables_say_why_they_are_empty(qtbot, farm_connector):
    monitor = open_monitor(qtbot, farm_connector, interval_ms=100000)
    assert monitor.tasks_hint.text() == "Select a job to see its tasks."
    qtbot.waitUntil(lambda: monitor.refresh_count >= 1, timeout=15000)
    assert monitor.jobs_hint.is_shown()
    assert monitor.jobs_hint.text().startswith("No jobs on local farm at http://127.0.0.1:")
    assert monitor.jobs_hint.text().endswith(" yet. Jobs you submit appear here.")
