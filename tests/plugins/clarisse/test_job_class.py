"""The FarmhandJob class as Clarisse registers it: every attribute and action of the table,
documented, with a new job's defaults; registered once; made from the New menu it already
holds usable settings; and no error ever escapes into Clarisse."""

import runpy
import sys

import pytest

from farmhand.core.job import JobSettings


def scripted(ix):
    return ix.state().classes["FarmhandJob"]


def test_every_attribute_and_action_is_declared_and_documented(project, ix):
    from farmhand.plugins.clarisse.attributes import ACTION, ATTRIBUTES

    s_class = scripted(ix)
    for spec in ATTRIBUTES:
        if spec.kind == ACTION:
            assert (spec.name, spec.group) in s_class.actions
        else:
            assert s_class.attributes[spec.name].group == spec.group
        assert s_class.docs[spec.name] == spec.doc and spec.doc.endswith(".")
    names = [name for name, _ in s_class.actions]
    assert names[:3] == ["connect", "preview", "submit"]
    assert set(names) >= {
        "best_chunk_size",
        "choose_packages",
        "manage_extra_uploads",
        "manage_extra_environment",
    }
    assert s_class.attributes["images"].filters == ["Image", "Layer"]
    assert s_class.attributes["farmhand_settings"].hidden
    assert s_class.attributes["frames_info"].read_only


def test_the_choices_and_menus_start_as_a_new_job(project, ix):
    attrs = scripted(ix).attributes
    assert [label for label, _ in attrs["dependency_scan_policy"].presets] == [
        "No scan",
        "Smart sequence",
        "Glob",
    ]
    assert attrs["dependency_scan_policy"].value == 1  # smart, the default
    assert attrs["project"].presets == [("- not set -", "0"), ("default", "1")]
    assert attrs["project"].value == 1
    assert attrs["instance_type"].presets == [("- not set -", "0")]
    assert attrs["custom_frames"].hidden and not attrs["scout_frames"].hidden
    assert attrs["email_addresses"].read_only


def test_an_item_from_the_new_menu_holds_a_new_jobs_settings(project, ix):
    from farmhand.plugins.clarisse.adapter import TASK_TEMPLATE
    from farmhand.plugins.clarisse.job_node import ClarisseJobNode

    item = ix.create_object("FarmhandJob1", "FarmhandJob")
    settings = ClarisseJobNode(item.get_full_name()).read_settings()
    expected = JobSettings(use_custom_frames=False, task_template=TASK_TEMPLATE)
    assert settings == expected


def test_registering_again_leaves_the_class_alone(project, ix):
    from farmhand.plugins.clarisse.registration import register

    assert register() is False
    assert ix.state().registrations == 1
    assert ix.state().log[-1] == ("info", "Farmhand: the FarmhandJob class is already registered")


def test_a_failed_registration_is_logged_not_raised(ix, monkeypatch):
    from farmhand.plugins.clarisse import registration

    def refuse(*args):
        raise RuntimeError("the CID is invalid")

    monkeypatch.setattr(ix.api.ModuleScriptedClass, "register_scripted_class", staticmethod(refuse))
    assert registration.register() is False
    level, text = ix.state().log[-1]
    assert level == "error"
    assert text == (
        "Farmhand: registering FarmhandJob failed: RuntimeError: the CID is invalid (the "
        "traceback is in the log)"
    )


def test_the_startup_script_registers_the_class(ix):
    from farmhand.plugins.clarisse.job_node import CLASS_NAME

    sys.modules.pop("farmhand.startup.clarisse.startup", None)
    __import__("farmhand.startup.clarisse.startup")
    assert CLASS_NAME in ix.state().classes
    ix.reset()
    import farmhand.startup.clarisse.startup as module

    runpy.run_path(module.__file__)
    assert CLASS_NAME in ix.state().classes


@pytest.mark.parametrize(
    "action",
    [
        "preview",
        "submit",
        "best_chunk_size",
        "choose_packages",
        "manage_extra_uploads",
        "manage_extra_environment",
    ],
)
def test_no_action_raises_into_clarisse(adapter, ix, no_qt, action):
    node = adapter.new_job("job")
    node.item().get_attribute("farmhand_settings").set_string("{broken")
    node.item().get_attribute("chunk_size").set_long(3)  # an edit still updates frames_info
    ix.state().log.clear()
    assert ix.press(node.full_name, action) is None
    errors = [text for level, text in ix.state().log if level == "error"]
    assert errors, ix.state().log
    assert errors[0].startswith(
        "Farmhand: {}: job node 'job', attribute farmhand_settings: holds text that is not "
        "JSON".format(action)
    )


def test_an_unknown_action_is_logged(adapter, ix):
    node = adapter.new_job("job")
    assert ix.press(node.full_name, "reload") is None
    assert ix.state().log[-1] == (
        "error",
        "Farmhand: reload failed: KeyError: \"FarmhandJob has no action 'reload'; actions: "
        "best_chunk_size, choose_packages, connect, manage_extra_environment, "
        'manage_extra_uploads, preview, submit" (the traceback is in the log)',
    )


def test_connect_without_a_farm_says_why_in_the_log(adapter, ix):
    node = adapter.new_job("job")
    ix.state().log.clear()
    assert ix.press(node.full_name, "connect") is None
    ((level, text),) = ix.state().log
    assert level == "error"
    assert text.startswith(
        "Farmhand: connect: could not start the local farm with `false farm start` (exit status 1)"
    )


def test_a_failing_attribute_update_is_logged_not_raised(adapter, ix, monkeypatch):
    from farmhand.plugins.clarisse import actions

    node = adapter.new_job("job")

    def broken(adapter, node):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(actions, "update_frames_info", broken)
    ix.state().log.clear()
    node.item().get_attribute("chunk_size").set_long(4)  # Clarisse calls on_attribute_change
    assert node.item().get_attribute("chunk_size").get_long() == 4
    assert ix.state().log == [
        (
            "error",
            "Farmhand: updating chunk_size failed: ZeroDivisionError: division by zero (the "
            "traceback is in the log)",
        )
    ]


def test_the_seeds_reference_attributes_are_all_there(project, ix):
    """The attributes the seeds' Clarisse reference describes, under its names."""
    s_class = scripted(ix)
    declared = set(s_class.attributes) | {name for name, _ in s_class.actions}
    assert declared >= {
        "title",
        "images",
        "project",
        "use_custom_frames",
        "custom_frames",
        "chunk_size",
        "best_chunk_size",
        "use_scout_frames",
        "scout_frames",
        "tiles",
        "frames_info",
        "instance_type",
        "preemptible",
        "retries",
        "dependency_scan_policy",
        "local_upload",
        "force_upload",
        "upload_only",
        "manage_extra_uploads",
        "extra_uploads",
        "choose_packages",
        "packages",
        "manage_extra_environment",
        "extra_environment",
        "task_template",
        "notify",
        "email_addresses",
        "log_level",
        "show_tracebacks",
    }
