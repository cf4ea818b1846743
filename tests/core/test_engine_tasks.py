"""Payload tasks as engines see them: numbering, scouts, dependencies and stages."""

import pytest

from farmhand.core.connectors.engine_tasks import engine_tasks, number_ranges, stage_job
from farmhand.core.connectors.task_scripts import command_line, task_script
from farmhand.core.errors import InputError


def payload(count=6, scout="", **extra):
    tasks = [{"command": "echo {}".format(f), "frames": str(f)} for f in range(1, count + 1)]
    data = {"job_title": "T", "scout_frames": scout, "tasks_data": tasks}
    data.update(extra)
    return data


def test_scout_tasks_are_a_first_stage_the_rest_waits_for():
    staged = stage_job(payload(6, scout="1,5"))
    assert [(s.name, s.numbers, s.after) for s in staged.stages] == [
        ("scout", [1, 5], ()),
        ("render", [2, 3, 4, 6], (0,)),
    ]
    assert staged.waits_for_whole_stage(1, 0)


def test_without_scouts_one_stage():
    staged = stage_job(payload(3))
    assert [(s.name, s.numbers) for s in staged.stages] == [("render", [1, 2, 3])]


def test_every_task_a_scout_is_one_stage():
    staged = stage_job(payload(2, scout="1-2"))
    assert [s.numbers for s in staged.stages] == [[1, 2]]


def test_explicit_dependencies_make_numbered_stages_with_exact_waits():
    data = payload(4)
    data["tasks_data"][3]["depends_on"] = [1]
    data["tasks_data"][1]["depends_on"] = [0]
    staged = stage_job(data)
    assert [(s.name, s.numbers, s.after) for s in staged.stages] == [
        ("stage_1", [1, 3], ()),
        ("stage_2", [2], (0,)),
        ("stage_3", [4], (1,)),
    ]
    assert staged.waits_between(1, 0) == [(1, 0)]
    assert not staged.waits_for_whole_stage(1, 0)


def test_a_task_a_scout_waits_for_does_not_wait_for_the_scouts():
    data = payload(3, scout="3")
    data["tasks_data"][2]["depends_on"] = [0]
    staged = stage_job(data)
    assert staged.edges == [(), (2,), (0,)]


@pytest.mark.parametrize(
    "change, field, text",
    [
        ({"tasks_data": []}, "tasks_data", "expected a non-empty list of tasks, got []"),
        ({"tasks_data": ["x"]}, "tasks_data[0]", "expected an object with a 'command', got 'x'"),
        ({"tasks_data": [{"frames": "1"}]}, "tasks_data[0].command", "has no 'command'"),
        ({"tasks_data": [{"command": "  "}]}, "tasks_data[0].command", "is empty"),
        (
            {"tasks_data": [{"command": "a", "commands": ["b"]}]},
            "tasks_data[0]",
            "give either 'command' or 'commands', not both",
        ),
        (
            {"tasks_data": [{"command": ["", "x"]}]},
            "tasks_data[0].command",
            "argv[0] (the program) is empty",
        ),
        (
            {"tasks_data": [{"command": "a", "depends_on": [0]}]},
            "tasks_data[0].depends_on",
            "a task cannot depend on itself",
        ),
        (
            {"tasks_data": [{"command": "a", "depends_on": [3]}]},
            "tasks_data[0].depends_on",
            "task index 3 is out of range (the job has tasks 0 to 0)",
        ),
        (
            {
                "tasks_data": [
                    {"command": "a", "depends_on": [1]},
                    {"command": "b", "depends_on": [0]},
                ]
            },
            "tasks_data[0].depends_on",
            "the dependencies form a cycle through task 0",
        ),
        (
            {"tasks_data": [{"command": "a", "environment": {"1X": "y"}}]},
            "tasks_data[0].environment",
            "'1X' is not a valid variable name (letters, digits and _, not starting with a digit)",
        ),
        (
            {"tasks_data": [{"command": "a", "frames": 1.5}]},
            "tasks_data[0].frames",
            "expected a frame spec string, got 1.5",
        ),
        ({"scout_frames": 3}, "scout_frames", "expected a frame spec string, got 3"),
    ],
)
def test_bad_tasks_name_the_field(change, field, text):
    data = payload(1)
    data.update(change)
    with pytest.raises(InputError) as caught:
        stage_job(data)
    assert caught.value.field == field
    assert caught.value.message == text


def test_bad_frames_name_the_task():
    data = payload(1)
    data["tasks_data"][0]["frames"] = "1-x"
    with pytest.raises(InputError) as caught:
        engine_tasks(data)
    assert caught.value.field == "tasks_data[0].frames"
    assert "invalid frame spec '1-x'" in str(caught.value)


def test_number_ranges():
    assert number_ranges([7, 1, 2, 3, 9, 10]) == [(1, 3), (7, 7), (9, 10)]


def test_task_script_exports_quoted_values_and_runs_commands_in_order():
    data = payload(1, environment={"B": "it's $HOME"})
    data["tasks_data"][0] = {
        "commands": ["echo one", ["printf", "%s\\n", "a b"]],
        "environment": {"A": "1"},
        "frames": "1",
    }
    task = engine_tasks(data)[0]
    text = task_script(task, 1, "T", data["environment"])
    assert text.splitlines() == [
        "#!/bin/sh",
        "# Farmhand job 'T': task 1 (frames 1) of 1 tasks",
        "export A=1",
        "export B='it'\"'\"'s $HOME'",
        "{",
        "echo one",
        "} || exit $?",
        "printf '%s\\n' 'a b'",
    ]
    assert command_line(("a b", "c")) == "'a b' c"
