"""Issue 6: every function Blender calls into the add-on catches its own errors and reports
them. One real Blender session (``blender_driver.py guards``) makes each kind fail: register
and unregister as Blender's add-on manager calls them, an operator's execute and invoke, the
panel's draw, the job list's rows, the Render menu entry, the error popup's draw, and the
panel's Submit timer. For each: what the artist is shown, what is logged, and that nothing
escaped into Blender (which then goes on: the add-on still works at the end)."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ALL_CLASSES = [
    "FARMHAND_OT_add_job",
    "FARMHAND_OT_export_job",
    "FARMHAND_OT_open_submitter",
    "FARMHAND_OT_preview",
    "FARMHAND_OT_remove_job",
    "FARMHAND_OT_submit",
    "FARMHAND_UL_jobs",
    "RENDER_PT_farmhand",
]
NOTHING = {"classes": [], "job properties": False, "menu entry": False}


@pytest.fixture(scope="module")
def guards(run_blender, tmp_path_factory):
    return run_blender("guards", tmp_path_factory.mktemp("guards"), timeout=150)


def test_nothing_escapes_into_blender_and_it_goes_on(guards):
    assert guards["escaped"] == {}
    assert guards["still working"] == ["FINISHED"]
    assert guards["jobs"] == ["FarmhandJob", "after"]


def test_a_failing_register_is_reported_and_leaves_nothing_registered(guards):
    message = (
        "Farmhand: registering the add-on failed: RuntimeError: RENDER_PT_farmhand refused "
        "by the test (the traceback is in the log)"
    )
    register = guards["register"]
    # Blender's add-on manager saw no exception (it would have printed it and returned None)
    assert register["enabled by Blender"] is True
    assert register["state"] == NOTHING  # the classes before the failure were undone
    assert register["log"] == [["ERROR", message, True]]
    assert message in guards["_output"]  # show_error: the console (a popup with a window)
    assert "Exception in module register()" not in guards["_output"]
    # disabling it then is quiet: nothing registered is skipped
    assert guards["unregister after a failed register"] == []
    assert guards["registered"] == {
        "classes": ALL_CLASSES,
        "job properties": True,
        "menu entry": True,
    }


def test_a_failing_unregister_step_is_reported_and_the_others_still_run(guards):
    message = (
        "Farmhand: unregistering FARMHAND_OT_preview failed: RuntimeError: FARMHAND_OT_preview "
        "refused by the test (the traceback is in the log)"
    )
    assert guards["unregister"] == {"state": NOTHING, "log": [["ERROR", message, True]]}
    assert message in guards["_output"]
    assert "Exception in module unregister()" not in guards["_output"]


def test_operators_report_an_unexpected_error_and_cancel(guards):
    assert guards["execute"] == (
        "Error: Farmhand Preview failed: RuntimeError: the scan exploded (the traceback is in "
        "the log)"
    )
    assert guards["invoke"] == (
        "Error: Export Farmhand Job File failed: RuntimeError: the scan exploded (the "
        "traceback is in the log)"
    )
    assert guards["operator log"] == [
        [
            "ERROR",
            "Farmhand Preview failed: RuntimeError: the scan exploded (the traceback is in the "
            "log)",
            True,
        ],
        [
            "ERROR",
            "Export Farmhand Job File failed: RuntimeError: the scan exploded (the traceback is "
            "in the log)",
            True,
        ],
    ]
    assert guards["preview after"] == ["FINISHED"]


@pytest.mark.parametrize(
    "case, message",
    [
        ("panel", "Farmhand panel failed: ValueError: qt_problem broke"),
        ("row", "Farmhand job list failed: KeyError: 'farmhand_jobs'"),
        ("menu", "Farmhand Render menu entries failed: KeyError: 'farmhand.submit'"),
        ("popup", "Farmhand's error popup failed: UnicodeError: no glyph"),
    ],
)
def test_a_failing_draw_is_drawn_in_its_layout_and_logged(guards, case, message):
    message += " (the traceback is in the log)"
    draw = guards["draws"][case]
    assert draw["labels"][-1] == [message, "ERROR"]
    assert draw["log"] == [["ERROR", message, True]]


def test_the_render_menu_entry_fails_inside_blenders_own_menu_draw(guards):
    # Blender's Render menu draws its entries, then each function appended to it: ours is
    # there once, drew its first entry, failed at the second and said so in the menu
    assert guards["menu entry"] == 1
    operators = guards["draws"]["menu"]["operators"]
    assert operators[0] == "render.render"
    assert operators[-1] == "farmhand.open_submitter"
    # Blender's menu prints a function's escaping exception itself: none did
    assert "Traceback" not in guards["_output"]


def test_a_draw_failing_on_every_redraw_is_logged_once(guards):
    again = guards["draws"]["panel again"]
    assert again["labels"] == [
        [
            "Farmhand panel failed: ValueError: qt_problem broke (the traceback is in the log)",
            "ERROR",
        ]
    ]
    assert again["log"] == []


def test_a_failing_submit_timer_reports_and_stops(guards):
    message = (
        "Farmhand: Submit failed: ConnectionError: the farm at 'x' is unreachable (the "
        "traceback is in the log)"
    )
    timer = guards["timer"]
    assert timer["registered"] is True  # Blender's timer is the guarded function
    assert timer["returned"] is None  # a timer returning None stops
    assert timer["reports"] == [["ERROR", message]]
    assert timer["log"] == [["ERROR", message, True]]
    failing = guards["timer with a failing report"]
    assert failing["returned"] is None
    assert failing["log"] == [
        ["ERROR", message, True],
        ["ERROR", "could not show the error to the artist: " + message, True],
    ]
