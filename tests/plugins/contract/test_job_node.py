"""Job nodes keep every setting losslessly, let the host's own attributes win, and name the
node, the attribute and the setting when what they hold cannot be read."""

import json

import pytest
from host_conformance import every_field_set

from farmhand.core.host import SETTINGS_ATTRIBUTE, JobNodeError
from farmhand.core.job import JobSettings


def test_a_node_never_written_gives_the_defaults(adapter):
    node = adapter.create_job_node("blank")
    assert node.read_settings() == JobSettings()


def test_every_setting_round_trips(adapter):
    node = adapter.create_job_node("job")
    settings = every_field_set()
    node.write_settings(settings)
    assert node.read_settings() == settings
    stored = json.loads(adapter.scene.nodes["job"][SETTINGS_ATTRIBUTE])
    assert stored["frames"] == "1-20x2,30"


def test_mirrored_attributes_are_written_and_win_when_edited_in_the_host(adapter):
    node = adapter.create_job_node("job")
    node.write_settings(JobSettings(frames="1-5", chunk_size=2))
    attributes = adapter.scene.nodes["job"]
    assert attributes["frames"] == "1-5" and attributes["chunkSize"] == 2
    attributes["chunkSize"] = 4  # the artist edits the attribute in the host's UI
    assert node.read_settings().chunk_size == 4


def test_text_that_is_not_json_names_the_node_and_attribute(adapter):
    node = adapter.create_job_node("shotJob")
    node.write_text("{oops")
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'shotJob', attribute farmhand_settings: holds text that is not JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); "
        "fix it or clear it to start over with the defaults"
    )


def test_json_that_is_not_an_object_is_refused(adapter):
    node = adapter.create_job_node("shotJob")
    node.write_text("[1, 2]")
    with pytest.raises(
        JobNodeError, match=r"holds JSON that is not an object of settings: \[1, 2\]"
    ):
        node.read_settings()


def test_a_bad_setting_in_the_json_names_node_attribute_and_setting(adapter):
    node = adapter.create_job_node("shotJob")
    node.write_text(json.dumps({"priority": "high"}))
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'shotJob', attribute farmhand_settings, setting priority: expected a whole "
        'number, got "high" (string)'
    )
    assert caught.value.node == "shotJob" and caught.value.setting == "priority"


def test_an_unknown_setting_in_the_json_is_named(adapter):
    node = adapter.create_job_node("shotJob")
    node.write_text(json.dumps({"chunksize": 2}))
    with pytest.raises(
        JobNodeError,
        match=r"setting chunksize: unknown setting \(did you mean "
        r"'chunk_size'\?\)",
    ):
        node.read_settings()


def test_a_bad_mirrored_value_names_the_hosts_attribute(adapter):
    node = adapter.create_job_node("shotJob")
    adapter.scene.nodes["shotJob"]["chunkSize"] = 2.5
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'shotJob', attribute chunkSize, setting chunk_size: expected a whole number, "
        "got 2.5 (number)"
    )


def test_a_mirrored_field_that_is_no_setting_is_refused(adapter):
    node = adapter.create_job_node("shotJob")
    node.read_mirrored = lambda: {"chunks": 2}
    with pytest.raises(JobNodeError, match="attribute chunks: is mirrored but is not a setting"):
        node.read_settings()


def test_settings_that_cannot_be_stored_change_nothing(adapter):
    node = adapter.create_job_node("shotJob")
    node.write_settings(JobSettings(frames="1-5"))
    before = dict(adapter.scene.nodes["shotJob"])
    with pytest.raises(TypeError):
        node.write_settings(JobSettings(frames="1-9", metadata={"bad": object()}))
    assert adapter.scene.nodes["shotJob"] == before
