"""Validation: every bad setting gives one message naming its field; errors block, warnings ask."""

import pytest

from farmhand.core.catalogue import Catalogue, InstanceType
from farmhand.core.errors import InputError
from farmhand.core.job import EnvEntry, HostContext, JobSettings, build_submission
from farmhand.core.validation import ValidationReport, check_settings


def good(**changes):
    base = {
        "frames": "1-10",
        "instance_type": "standard-2",
        "task_template": "render <chunkstart>",
        "output_path": "/out",
    }
    base.update(changes)
    return JobSettings(**base)


CATALOGUE = Catalogue(
    projects=("default",),
    instance_types=(InstanceType("standard-2", 2, 7.5, "2 core, 7.50GB Mem", "standard"),),
)


def errors(settings, catalogue=None):
    report = ValidationReport()
    check_settings(settings, report, catalogue)
    return [str(m) for m in report.errors]


def test_good_settings_have_no_errors():
    assert errors(good()) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"chunk_size": 0}, "chunk_size: must be a whole number of at least 1, got 0"),
        ({"max_tasks": -1}, "max_tasks: must be a whole number of at least 1, got -1"),
        ({"max_tasks": 1000001}, "max_tasks: must be at most 1,000,000 (a job of more tasks is "
         "too big to build and submit), got 1000001"),
        ({"tiles": 0}, "tiles: must be a whole number of at least 1, got 0"),
        ({"retries": -2}, "retries: must be a whole number of at least 0, got -2"),
        ({"priority": -1}, "priority: must be a whole number of at least 0, got -1"),
        ({"chunk_strategy": "random"}, "chunk_strategy: unknown chunk strategy 'random'; "
         "valid strategies: linear, progressions, cycle"),
        ({"dependency_scan_policy": "deep"}, "dependency_scan_policy: unknown dependency scan "
         "policy 'deep'; valid dependency scan policies: none, smart, glob"),
        ({"log_level": "LOUD"}, "log_level: unknown log level 'LOUD'; valid log levels: DEBUG, "
         "INFO, WARNING, ERROR, CRITICAL"),
        ({"notify": ["ok@example.com", "bob@"]}, "notify: 'bob@' (entry 2) is not an email "
         "address such as name@example.com"),
        ({"notify": ["a@b.com, c@d.com"]}, "notify: 'a@b.com, c@d.com' (entry 1) is not an email "
         "address such as name@example.com"),
        ({"extra_environment": [EnvEntry("PATH", "/x", "add")]}, "extra_environment[0]."
         "merge_policy: unknown merge policy 'add'; valid merge policies: exclusive, append, "
         "prepend"),
        ({"extra_environment": [EnvEntry("MY VAR", "1")]}, "extra_environment[0].name: 'MY VAR' "
         "is not a variable name (letters, digits and _, not starting with a digit)"),
        ({"environment": {"1A": "x"}}, "environment: '1A' is not a variable name (letters, "
         "digits and _, not starting with a digit)"),
        ({"task_template": " "}, "task_template: is empty; give a command template such as "
         "'blender -b scene.blend -s <chunkstart> -e <chunkend> -a', or tasks_data"),
        ({"project": ""}, "project: is empty; choose the farm project the job belongs to"),
        ({"task_template": "render\x00 <chunkstart>"}, "task_template: holds a NUL character "
         "(\\x00) at position 6; a command line cannot carry one"),
    ],
)
def test_each_bad_setting_gives_one_clear_error(changes, message):
    assert errors(good(**changes)) == [message]
    # ... and only that one once the whole submission is built (no second line from a later
    # step tripping over the same value)
    built = build_submission(good(**changes), catalogue=CATALOGUE).validation.errors
    assert [str(m) for m in built] == [message]


def test_unknown_project_lists_the_farm_projects():
    catalogue = Catalogue(projects=("default", "spiderman"))
    assert errors(good(project="batman"), catalogue) == [
        "project: unknown project 'batman'; this farm has: default, spiderman"
    ]


def test_empty_output_path_is_a_warning_and_upload_only_ignores_tasks():
    report = ValidationReport()
    check_settings(good(output_path=""), report)
    assert [str(m) for m in report.warnings] == [
        "output_path: is empty: rendered files will not be copied back to this machine"
    ]
    report = ValidationReport()
    check_settings(good(upload_only=True, tasks_data=[{"command": "x"}]), report)
    assert [str(m) for m in report.warnings] == [
        "tasks_data: ignored: an upload-only job runs no tasks (upload_only is on)"
    ]


def test_a_bad_chunk_size_gives_one_message_not_a_cascade():
    submission = build_submission(good(chunk_size=0), HostContext(job_name="j"))
    assert [str(m) for m in submission.errors] == [
        "chunk_size: must be a whole number of at least 1, got 0"
    ]


def test_errors_block_warnings_and_info_do_not():
    report = ValidationReport()
    report.info("frames", "10 frames")
    report.warning("output_path", "is empty")
    assert report.ok
    report.raise_first()  # nothing to raise
    report.error("notify", "bad")
    assert not report.ok
    with pytest.raises(InputError) as error:
        report.raise_first()
    assert str(error.value) == "notify: bad"
    assert repr(report) == "<ValidationReport 1 errors, 1 warnings, 1 info>"
    assert report.has_error("notify") and not report.has_error("frames")


def test_unknown_level_is_refused():
    with pytest.raises(ValueError):
        ValidationReport().add("fatal", None, "x")


def test_no_tasks_is_an_error():
    submission = build_submission(
        good(task_template="", tasks_data=[]), HostContext(job_name="j")
    )
    assert [str(m) for m in submission.errors] == ["tasks_data: the job has no tasks"]
