"""A FarmhandJob item keeps a job's settings in its attributes, each in Clarisse's own way
(choices, farm-name menus, lists, email switch, NAME+=value lines), and every bad value names
the item and the attribute."""

import pytest

from farmhand.core.errors import InputError
from farmhand.core.host import HostError
from farmhand.core.job import EnvEntry, JobSettings


@pytest.fixture
def node(adapter):
    return adapter.new_job("job")


def attr(node, name):
    return node.item().get_attribute(name)


def test_attributes_the_artist_edits_are_the_settings(node):
    attr(node, "chunk_size").set_long(4)
    attr(node, "dependency_scan_policy").set_long(2)  # Glob
    attr(node, "extra_uploads").add_string("/textures/extra.tx")
    attr(node, "extra_environment").add_string("PATH+=/opt/tools/bin")
    attr(node, "extra_environment").add_string("OCIO=/show/config.ocio")
    attr(node, "extra_environment").add_string("PYTHONPATH=+/show/python")
    settings = node.read_settings()
    assert settings.chunk_size == 4
    assert settings.dependency_scan_policy == "glob"
    assert settings.upload_paths == ["/textures/extra.tx"]
    assert settings.extra_environment == [
        EnvEntry("PATH", "/opt/tools/bin", "append"),
        EnvEntry("OCIO", "/show/config.ocio", "exclusive"),
        EnvEntry("PYTHONPATH", "/show/python", "prepend"),
    ]


def test_email_addresses_count_only_while_notify_is_on(node):
    attr(node, "email_addresses").set_string("a@example.com, b@example.com,")
    assert node.read_settings().notify == []
    attr(node, "notify").set_bool(True)
    assert node.read_settings().notify == ["a@example.com", "b@example.com"]
    node.write_settings(JobSettings(notify=[]))
    assert attr(node, "notify").get_bool() is False
    assert attr(node, "email_addresses").read_only  # the switch greys the field out


def test_a_project_the_farm_has_not_listed_is_kept(node):
    node.write_settings(JobSettings(project="spiderman", instance_type="gpu-8"))
    assert [label for label, _ in attr(node, "project").presets] == [
        "- not set -",
        "default",
        "spiderman",
    ]
    assert node.read_settings().project == "spiderman"
    node.write_settings(JobSettings(instance_type=""))
    assert attr(node, "instance_type").get_long() == 0
    assert node.read_settings().instance_type == ""


def test_a_bad_environment_line_names_the_entry(node):
    attr(node, "extra_environment").add_string("PATH+=/ok")
    attr(node, "extra_environment").add_string("not an assignment")
    with pytest.raises(HostError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'job', attribute extra_environment[1], setting extra_environment: 'not an "
        "assignment' is not NAME=value, NAME+=value or NAME=+value"
    )


def test_a_choice_out_of_range_names_the_attribute_and_the_choices(node):
    attr(node, "log_level").value = 9  # a project saved by a future Farmhand with more levels
    with pytest.raises(InputError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'job', attribute log_level: holds choice 9, not one of 0 to 4 (DEBUG, INFO, "
        "WARNING, ERROR, CRITICAL)"
    )


def test_a_value_an_attribute_cannot_hold_changes_nothing(node):
    with pytest.raises(InputError) as caught:
        node.write_settings(JobSettings(job_title="new", log_level="LOUD"))
    assert str(caught.value) == (
        "log_level: 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    )
    assert attr(node, "title").get_string() == "Farmhand <job> <sequence>"
    with pytest.raises(InputError, match="chunk_size: attribute chunk_size holds int, got '2'"):
        node.write_settings(JobSettings(chunk_size="2"))


def test_a_deleted_item_is_named(node, ix):
    del ix.state().items[node.full_name]
    with pytest.raises(HostError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node: the FarmhandJob item project://scene/job is gone (deleted or renamed)"
    )


def test_new_items_get_the_next_free_name_in_the_current_context(adapter, ix):
    assert adapter.new_job().full_name == "project://scene/FarmhandJob1"
    assert adapter.new_job().full_name == "project://scene/FarmhandJob2"
    ix.state().current_context = "project://lighting"
    assert adapter.new_job().full_name == "project://lighting/FarmhandJob1"
    assert [n.name for n in adapter.job_nodes()] == ["FarmhandJob1", "FarmhandJob1", "FarmhandJob2"]


def test_without_the_class_registered_the_error_says_how_to_register_it(adapter, ix):
    del ix.state().classes["FarmhandJob"]
    with pytest.raises(HostError) as caught:
        adapter.new_job("job")
    assert str(caught.value) == (
        "job node: Clarisse could not create a FarmhandJob named 'job' in project://scene; is "
        "the class registered (startup/clarisse/startup.py)?"
    )
