"""The farm monitor shows an upload-only job (no tasks) as done: state ``success``,
"upload only" with a full progress bar, and an empty task list."""

import pytest

from farmhand.shared_ui.monitor.jobs_model import PROGRESS_ROLE
from farmhand.shared_ui.monitor.window import FarmMonitor

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def test_an_upload_only_job_shows_as_done(qtbot, farm_connector, tmp_path):
    asset = tmp_path / "wood.tex"
    asset.write_bytes(b"wood grain")
    payload = {
        "job_title": "assets only",
        "project": "default",
        "instance_type": farm_connector.catalogue().instance_types[0].name,
        "tasks_data": [],
        "output_path": "",
        "upload_paths": [str(asset)],
    }
    job_id = farm_connector.submit(payload).job_id
    monitor = FarmMonitor(connector=farm_connector, interval_ms=150)
    qtbot.addWidget(monitor)
    monitor.show()
    qtbot.waitExposed(monitor)
    model = monitor.jobs_model
    qtbot.waitUntil(
        lambda: (
            model.row_of(job_id) >= 0 and model.record(model.row_of(job_id)).status == "success"
        ),
        timeout=15000,
    )
    row = model.row_of(job_id)
    assert model.index(row, 3).data() == "upload only"
    assert model.index(row, 3).data(PROGRESS_ROLE) == (1, 1)
    assert monitor.select_job(job_id)
    qtbot.wait(300)
    assert monitor.tasks_model.records() == []
    assert not monitor.kill_button.isEnabled()  # nothing left to kill
    assert monitor.last_error is None
