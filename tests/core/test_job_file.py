"""Job files: every setting read with its type checked, lossless round trips, clear errors."""

import json
import os
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from farmhand.core.errors import InputError
from farmhand.core.job import (
    EnvEntry,
    JobFileError,
    JobSettings,
    load_job_file,
    save_job_file,
    settings_from_dict,
    settings_to_dict,
)
from farmhand.core.job.job_file import READERS


def test_every_setting_has_a_reader():
    assert sorted(READERS) == sorted(f.name for f in fields(JobSettings))


def test_defaults_round_trip():
    assert settings_from_dict(settings_to_dict(JobSettings())) == JobSettings()
    assert settings_from_dict({}) == JobSettings()


texts = st.text(max_size=12)
names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,6}", fullmatch=True)
small = st.integers(min_value=-5, max_value=10**6)
env_entries = st.builds(
    EnvEntry, names, texts, st.sampled_from(["exclusive", "append", "prepend"])
)
tasks = st.lists(
    st.fixed_dictionaries({"command": texts, "frames": st.sampled_from(["1", "2-4", "7"])}),
    max_size=3,
)
retry_rules = st.fixed_dictionaries({"max_retries": st.integers(0, 9)})
any_settings = st.builds(
    JobSettings,
    job_title=texts,
    project=texts,
    priority=small,
    location=texts,
    metadata=st.dictionaries(texts, texts, max_size=3),
    notify=st.lists(texts, max_size=3),
    instance_type=texts,
    machine_flavor=texts,
    cores=small,
    preemptible=st.booleans(),
    retries=small,
    autoretry_policy=st.none()
    | st.fixed_dictionaries({}, optional={"failed": retry_rules, "preempted": retry_rules}),
    use_custom_frames=st.booleans(),
    frames=texts,
    chunk_size=small,
    chunk_strategy=texts,
    best_chunk_size=st.booleans(),
    max_tasks=small,
    use_scout_frames=st.booleans(),
    scout_frames=texts,
    tiles=small,
    task_template=texts,
    tasks_data=st.none() | tasks,
    output_path=texts,
    software_package_ids=st.lists(texts, max_size=3),
    environment=st.dictionaries(names, texts, max_size=3),
    extra_environment=st.lists(env_entries, max_size=3),
    upload_paths=st.lists(texts, max_size=3),
    dependency_scan_policy=texts,
    missing_files=texts,
    local_upload=st.booleans(),
    force_upload=st.booleans(),
    upload_only=st.booleans(),
    log_level=texts,
    show_tracebacks=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(any_settings)
def test_any_settings_round_trip_through_dict_and_json(job):
    data = settings_to_dict(job)
    assert settings_from_dict(data) == job
    assert settings_from_dict(json.loads(json.dumps(data))) == job


def test_save_and_load_round_trip(tmp_path):
    job = JobSettings(
        job_title="t <job>",
        frames="1-10",
        upload_paths=[str(tmp_path / "a.txt")],
        extra_environment=[EnvEntry("PATH", "/x", "append")],
        tasks_data=[{"command": "echo 1", "frames": "1"}],
        autoretry_policy={"failed": {"max_retries": 2}},
    )
    (tmp_path / "jobs").mkdir()
    path = str(tmp_path / "jobs" / "job.json")
    save_job_file(job, path)
    assert load_job_file(path) == job
    assert os.listdir(str(tmp_path / "jobs")) == ["job.json"]  # no temporary file left


def test_relative_paths_resolve_against_the_job_file(tmp_path):
    folder = tmp_path / "shots" / "a"
    folder.mkdir(parents=True)
    path = folder / "job.json"
    path.write_text(
        json.dumps(
            {
                "upload_paths": ["tex/wood.exr", "/abs/file", "../common"],
                "output_path": "renders",
            }
        )
    )
    job = load_job_file(str(path))
    assert job.upload_paths == [
        str(folder / "tex" / "wood.exr"),
        "/abs/file",
        str(tmp_path / "shots" / "common"),
    ]
    assert job.output_path == str(folder / "renders")


def test_output_path_starting_with_a_token_is_kept(tmp_path):
    job = settings_from_dict({"output_path": "<pdir>/renders"}, base_dir=str(tmp_path))
    assert job.output_path == "<pdir>/renders"


VALID = (
    "farm, job_title, project, priority, location, metadata, notify, instance_type, "
    "machine_flavor, cores, max_instances, preemptible, retries, autoretry_policy, "
    "use_custom_frames, frames, chunk_size, chunk_strategy, best_chunk_size, max_tasks, "
    "use_scout_frames, scout_frames, tiles, "
    "task_template, tasks_data, output_path, software_package_ids, environment, "
    "extra_environment, upload_paths, dependency_scan_policy, missing_files, local_upload, "
    "force_upload, upload_only, log_level, show_tracebacks"
)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"chunk_sise": 2}, "chunk_sise: unknown setting (did you mean 'chunk_size'?); "
         "valid keys: " + VALID),
        ({"title": "x"}, "title: unknown setting (did you mean 'job_title'?); valid keys: "
         + VALID),
        ({"zzz": 1}, "zzz: unknown setting; valid keys: " + VALID),
        ({"chunk_size": "2"}, 'chunk_size: expected a whole number, got "2" (string)'),
        ({"chunk_size": 2.5}, "chunk_size: expected a whole number, got 2.5 (number)"),
        ({"chunk_size": True}, "chunk_size: expected a whole number, got true (boolean)"),
        ({"priority": None}, "priority: expected a whole number, got null (null)"),
        ({"preemptible": 1}, "preemptible: expected true or false, got 1 (number)"),
        ({"frames": 10}, "frames: expected a string, got 10 (number)"),
        ({"notify": "a@b.c"}, 'notify: expected a list of strings, got "a@b.c" (string)'),
        ({"notify": ["a@b.c", 3]}, "notify[1]: expected a string, got 3 (number)"),
        ({"metadata": ["shot"]}, 'metadata: expected an object of string values, got ["shot"] '
         "(array)"),
        ({"metadata": {"shot": 5}}, "metadata.shot: expected a string, got 5 (number)"),
        ({"environment": {"A": None}}, "environment.A: expected a string, got null (null)"),
        ({"extra_environment": {"name": "A"}}, "extra_environment: expected a list of "
         '{name, value, merge_policy} objects, got {"name": "A"} (object)'),
        ({"extra_environment": [{"name": "A", "value": 1}]},
         "extra_environment[0].value: expected a string, got 1 (number)"),
        ({"extra_environment": [{"name": "A"}]},
         "extra_environment[0]: missing 'value' (expected an object {name, value, merge_policy})"),
        ({"extra_environment": [{"name": "A", "value": "1", "policy": "append"}]},
         "extra_environment[0]: unknown key 'policy' (did you mean 'merge_policy'?); "
         "valid keys: name, value, merge_policy"),
        ({"tasks_data": {"command": "x"}}, "tasks_data: expected a list of {command, frames} "
         'objects, or null, got {"command": "x"} (object)'),
        ({"tasks_data": ["echo"]}, 'tasks_data[0]: expected an object {command, frames}, got '
         '"echo" (string)'),
        ({"autoretry_policy": {"failed": 2}}, 'autoretry_policy.failed: expected {"max_retries": '
         "n}, got 2 (number)"),
        ({"autoretry_policy": {"fail": {"max_retries": 1}}}, "autoretry_policy: unknown key "
         "'fail' (did you mean 'failed'?); valid keys: failed, preempted"),
        ({"autoretry_policy": {"failed": {"max_retries": "2"}}},
         'autoretry_policy.failed.max_retries: expected a whole number, got "2" (string)'),
        ({"upload_paths": [None]}, "upload_paths[0]: expected a string, got null (null)"),
    ],
)
def test_bad_settings_name_the_field_and_the_expected_type(data, message):
    with pytest.raises(InputError) as error:
        settings_from_dict(data)
    assert str(error.value) == message


def test_settings_must_be_an_object():
    with pytest.raises(InputError) as error:
        settings_from_dict([1, 2])
    assert str(error.value) == "settings: expected an object of settings, got [1, 2] (array)"


def write(tmp_path, text, name="job.json"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_job_file_errors_start_with_the_path(tmp_path):
    path = write(tmp_path, '{"frames": "1-10", "chunk_size": "2"}')
    with pytest.raises(JobFileError) as error:
        load_job_file(path)
    assert str(error.value) == (
        '{}: chunk_size: expected a whole number, got "2" (string)'.format(path)
    )
    assert error.value.field == "chunk_size"
    assert isinstance(error.value, InputError)


def test_missing_job_file(tmp_path):
    path = str(tmp_path / "nope.json")
    with pytest.raises(JobFileError) as error:
        load_job_file(path)
    assert str(error.value) == "{}: cannot read the job file: No such file or directory".format(
        path
    )


def test_invalid_json(tmp_path):
    path = write(tmp_path, '{"frames": "1-10",}')
    with pytest.raises(JobFileError) as error:
        load_job_file(path)
    message = str(error.value)  # the parser's own words vary between Python versions
    assert message.startswith("{}: not valid JSON: ".format(path))
    assert ": line 1 column " in message


def test_job_file_must_hold_an_object(tmp_path):
    path = write(tmp_path, '["frames"]')
    with pytest.raises(JobFileError) as error:
        load_job_file(path)
    assert str(error.value) == (
        '{}: a job file holds one JSON object of settings, not ["frames"] (array)'.format(path)
    )


def test_duplicate_keys_are_refused(tmp_path):
    path = write(tmp_path, '{"frames": "1-10", "frames": "1-20"}')
    with pytest.raises(JobFileError) as error:
        load_job_file(path)
    assert str(error.value) == "{}: frames: appears twice in one object".format(path)
