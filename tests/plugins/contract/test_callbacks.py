"""Callbacks never raise into the host: errors are logged and shown, a fallback returned."""

import logging

from farmhand.core.errors import InputError
from farmhand.core.host import call_guarded, guarded, report_error


def test_a_bug_is_logged_with_its_traceback_and_shown(caplog):
    shown = []

    @guarded("Farmhand: Submit", shown.append, fallback="nothing")
    def submit():
        raise KeyError("camera")

    with caplog.at_level(logging.ERROR, logger="farmhand.host"):
        assert submit() == "nothing"
    assert shown == ["Farmhand: Submit failed: KeyError: 'camera' (the traceback is in the log)"]
    assert caplog.records[0].exc_info is not None


def test_an_error_farmhand_raises_on_purpose_says_what_to_fix(caplog):
    shown = []

    def preview():
        raise InputError("is empty; give the frames to render, e.g. 1-100", "frames")

    with caplog.at_level(logging.WARNING, logger="farmhand.host"):
        assert call_guarded("Farmhand: Preview", preview, show=shown.append) is None
    assert shown == ["Farmhand: Preview: frames: is empty; give the frames to render, e.g. 1-100"]
    assert caplog.records[0].levelname == "WARNING" and caplog.records[0].exc_info is None


def test_showing_that_fails_is_logged_not_raised(caplog):
    def broken_show(message):
        raise RuntimeError("no window")

    with caplog.at_level(logging.ERROR, logger="farmhand.host"):
        message = report_error("Farmhand: Open", ValueError("x"), broken_show)
    assert message == "Farmhand: Open failed: ValueError: x (the traceback is in the log)"
    assert "could not show the error to the artist" in caplog.text


def test_a_callback_that_works_returns_its_value():
    assert guarded("x")(lambda a, b=1: a + b)(1, b=2) == 3
