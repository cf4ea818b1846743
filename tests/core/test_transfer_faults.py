"""The transfer's small parts on their own: retries with growing pauses, which failures are
retried, progress rates and ETA, and a file this user may not read."""

import os
import shutil
import tempfile

import pytest
from obeying_permissions import run_python_obeying_permissions

from farmhand.core.connectors.conductor.uploads import RetriesExhaustedError, with_retries
from farmhand.core.errors import CancelledError, FarmConnectionError, InputError
from farmhand.core.transfer import ProgressEvent, ProgressTracker, eta_text


class Pauses(object):
    """Stands in for the threading.Event a retry waits on: records the pauses."""

    def __init__(self):
        self.waited = []

    def wait(self, seconds):
        self.waited.append(seconds)
        return False

    def is_set(self):
        return False


def failing(errors, result="done"):
    calls = []

    def action():
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return result

    return action, calls


def test_transient_failures_are_retried_with_growing_pauses():
    pauses = Pauses()
    errors = [
        FarmConnectionError("cannot reach the farm: connection reset by peer"),
        FarmConnectionError("the farm answered 500", status=500),
        FarmConnectionError("the farm answered 503", status=503),
    ]
    action, calls = failing(errors)
    assert with_retries(action, "uploading /a", pause=pauses, delays=(0.5, 1, 2, 4)) == "done"
    assert len(calls) == 4
    assert pauses.waited == [0.5, 1, 2]


def test_retries_end_with_an_error_naming_what_and_how_often():
    pauses = Pauses()
    errors = [FarmConnectionError("HTTP 502 from the farm", status=502) for _ in range(5)]
    action, calls = failing(errors)
    with pytest.raises(RetriesExhaustedError) as caught:
        with_retries(action, "uploading /tex/a b.exr", pause=pauses, delays=(0.1, 0.2))
    assert str(caught.value) == (
        "uploading /tex/a b.exr failed 3 times; giving up. Last failure: HTTP 502 from the farm"
    )
    assert caught.value.status == 502
    assert len(calls) == 3 and pauses.waited == [0.1, 0.2]


@pytest.mark.parametrize(
    "error",
    [
        InputError("Content-MD5 mismatch", field="Content-MD5"),
        FarmConnectionError("refused the token", status=401),
        FarmConnectionError("no such route", status=404),
        CancelledError("cancelled"),
    ],
)
def test_refusals_are_not_retried(error):
    action, calls = failing([error])
    with pytest.raises(type(error)):
        with_retries(action, "uploading /a", pause=Pauses(), delays=(0.1,))
    assert len(calls) == 1


def test_a_full_disk_is_not_retried_and_says_what_was_being_done():
    full = FarmConnectionError("the farm at http://f is out of disk space: no room", status=507)
    action, calls = failing([full])
    with pytest.raises(FarmConnectionError) as caught:
        with_retries(action, "uploading /big.vdb", pause=Pauses(), delays=(0.1,))
    assert str(caught.value) == (
        "uploading /big.vdb: the farm at http://f is out of disk space: no room"
    )
    assert len(calls) == 1


def test_a_cancel_during_the_pause_stops_the_retries():
    class Cancelled(Pauses):
        def wait(self, seconds):
            self.waited.append(seconds)
            return True

    stopped = []
    action, calls = failing([FarmConnectionError("reset") for _ in range(3)])
    with pytest.raises(CancelledError) as caught:
        with_retries(
            action, "uploading /a", stopped=lambda: bool(stopped.append(1) or len(stopped) > 1),
            pause=Cancelled(), delays=(5, 5),
        )
    assert str(caught.value) == "uploading /a cancelled"
    assert len(calls) == 1


# -- progress ---------------------------------------------------------------------------------


def test_rate_and_eta_leave_out_the_work_that_was_skipped():
    event = ProgressEvent(
        "uploading", bytes_done=600, bytes_total=1000, elapsed=2.0, bytes_skipped=400
    )
    assert event.rate == 100.0  # 200 bytes really sent in 2 s
    assert event.eta == 4.0
    assert str(event).endswith("(100 B/s, ETA 0:04)")


def test_eta_is_unknown_before_any_work_and_zero_at_the_end():
    assert ProgressEvent("hashing", bytes_total=10, elapsed=1.0).eta is None
    assert ProgressEvent("hashing", bytes_done=10, bytes_total=10, elapsed=1.0).eta == 0.0
    assert eta_text(None) == "" and eta_text(0.0) == ""
    assert eta_text(3725.4) == "ETA 1:02:05"


def test_the_tracker_counts_cached_files_and_resumed_parts_as_skipped():
    events = []
    tracker = ProgressTracker(events.append, "uploading", 3000, 2, interval=0)
    tracker.start()
    tracker.file_done("/a", 1000, skipped_bytes=1000)
    tracker.skip("/b", 1500, 2000)
    tracker.advance("/b", 500, 2000)
    tracker.file_done("/b", 2000)
    last = events[-1]
    assert (last.bytes_done, last.bytes_skipped, last.files_done) == (3000, 2500, 2)


# -- a file this user may not read ------------------------------------------------------------

HASH_AS_USER = """
import sys
from farmhand.core.errors import InputError
from farmhand.core.transfer import LocalFile, hash_files
try:
    hash_files([LocalFile.from_path(sys.argv[1])])
except InputError as error:
    print(error)
"""


def test_a_file_without_read_permission_is_named_at_hashing():
    folder = tempfile.mkdtemp(prefix="farmhand-hash-")
    try:
        path = os.path.join(folder, "secret texture.exr")
        with open(path, "wb") as handle:
            handle.write(b"not for everyone")
        os.chmod(path, 0)  # the hashing runs without root's read-anything
        result = run_python_obeying_permissions(
            HASH_AS_USER, [path], env=dict(os.environ, FARMHAND_HOME=folder)
        )
        assert result.stdout.strip() == (
            "upload_paths: cannot read {}: permission denied; make it readable for this "
            "user".format(path)
        ), result.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)
