"""Tractor task trees become farm jobs whose dependency edges follow Tractor's rules."""

import datetime

import pytest
from tractor_seed import seed_job

import farmhand.api.tractor.author as author
from farmhand.farm.tractor.errors import JobScriptError
from farmhand.farm.tractor.script import parse_job_script
from farmhand.farm.tractor.translate import to_job_spec


def spec_of(job, **kwargs):
    script = job.asTcl()
    return to_job_spec(parse_job_script(script), script=script, **kwargs)


def edges(spec):
    """{title: sorted titles it waits for}."""
    titles = [task.title for task in spec.tasks]
    return {task.title: sorted(titles[d] for d in task.depends_on) for task in spec.tasks}


def test_the_seed_job_is_one_task_with_its_argv():
    job = seed_job()
    spec = spec_of(job, owner="cher", spool={"jobOwner": "cher"})
    (task,) = spec.tasks
    assert task.title == "A one-command render task"
    assert [c.argv for c in task.commands] == [("/usr/bin/prman", "file.rib")]
    assert task.depends_on == ()
    assert spec.title == "a one-task render job"
    assert spec.priority == 100
    assert spec.owner == "cher"
    assert spec.kind == "tractor"
    assert spec.metadata["tractor.service"] == "PixarRender"
    assert spec.payload["tractor"]["script"] == job.asTcl()
    assert spec.payload["tractor"]["spool"] == {"jobOwner": "cher"}


def test_a_parent_waits_for_its_child():
    parent = author.Task(title="parent runs second", argv=["/usr/bin/command"])
    parent.addChild(author.Task(title="child runs first", argv=["/usr/bin/command"]))
    job = author.Job(title="serial")
    job.addChild(parent)
    spec = spec_of(job)
    assert [t.title for t in spec.tasks] == ["child runs first", "parent runs second"]
    assert edges(spec) == {"child runs first": [], "parent runs second": ["child runs first"]}


def _comp(serial):
    parent = author.Task(title="comp", argv=["/usr/bin/comp", "fg.tif", "bg.tif"])
    parent.addChild(author.Task(title="render fg", argv=["/usr/bin/prman", "fg.rib"]))
    parent.addChild(author.Task(title="render bg", argv=["/usr/bin/prman", "bg.rib"]))
    parent.serialsubtasks = serial
    job = author.Job(title="comp job")
    job.addChild(parent)
    return job


def test_siblings_are_parallel_by_default():
    assert edges(spec_of(_comp(0))) == {
        "render fg": [],
        "render bg": [],
        "comp": ["render bg", "render fg"],
    }


def test_serialsubtasks_chains_siblings():
    assert edges(spec_of(_comp(1))) == {
        "render fg": [],
        "render bg": ["render fg"],
        "comp": ["render bg", "render fg"],
    }


def test_serialsubtasks_waits_for_a_whole_subtree_and_holds_back_a_whole_subtree():
    job = author.Job(title="j")
    top = job.newTask(title="top", argv=["top"], serialsubtasks=1)
    first = top.newTask(title="first", argv=["first"])
    first.newTask(title="first.a", argv=["a"])
    first.newTask(title="first.b", argv=["b"])
    second = top.newTask(title="second", argv=["second"])
    second.newTask(title="second.a", argv=["a"])
    deeper = second.newTask(title="second.b", argv=["b"])
    deeper.newTask(title="second.b.x", argv=["x"])
    assert edges(spec_of(job)) == {
        "first.a": [],
        "first.b": [],
        "first": ["first.a", "first.b"],
        # the leaves of the second subtree wait for the first subtree (its root)
        "second.a": ["first"],
        "second.b.x": ["first"],
        "second.b": ["second.b.x"],
        "second": ["second.a", "second.b"],
        "top": ["first", "second"],
    }


def test_job_level_serialsubtasks():
    job = author.Job(title="j", serialsubtasks=1)
    for name in ("one", "two", "three"):
        job.newTask(title=name, argv=[name])
    assert edges(spec_of(job)) == {"one": [], "two": ["one"], "three": ["two"]}


def test_tasks_without_commands_only_group():
    job = author.Job(title="j", serialsubtasks=1)
    group = job.newTask(title="group")
    group.newTask(title="a", argv=["a"])
    group.newTask(title="b", argv=["b"])
    job.newTask(title="empty group").newTask(title="nothing")
    job.newTask(title="after", argv=["after"])
    spec = spec_of(job)
    assert [t.title for t in spec.tasks] == ["a", "b", "after"]
    # "after" waits for the group, i.e. for its children; the empty group changes nothing
    assert edges(spec) == {"a": [], "b": [], "after": ["a", "b"]}


def test_a_multi_command_task_keeps_its_commands_in_order():
    job = author.Job(title="j")
    task = job.newTask(title="multi-command task", service="PixarRender")
    task.newCommand(argv=["scp", "remote:/path/file.rib", "/local/file.rib"])
    task.newCommand(argv=["/usr/bin/prman", "/local/file.rib"])
    task.newCommand(argv=["scp", "/local/file.tif", "remote:/path/file.tif"])
    (farm_task,) = spec_of(job).tasks
    assert [c.argv for c in farm_task.commands] == [
        ("scp", "remote:/path/file.rib", "/local/file.rib"),
        ("/usr/bin/prman", "/local/file.rib"),
        ("scp", "/local/file.tif", "remote:/path/file.tif"),
    ]


def test_an_instance_makes_its_parent_wait_for_the_referenced_task():
    job = author.Job(title="j")
    shared = author.Task(title="setup", argv=["setup"])
    left = job.newTask(title="left", argv=["left"])
    right = job.newTask(title="right", argv=["right"])
    left.addChild(shared)
    right.addChild(shared)  # an Instance
    assert edges(spec_of(job)) == {"setup": [], "left": ["setup"], "right": ["setup"]}


def test_an_instance_of_a_group_waits_for_the_group_s_tasks():
    job = author.Job(title="j")
    group = job.newTask(title="renders")
    group.newTask(title="r1", argv=["r1"])
    group.newTask(title="r2", argv=["r2"])
    comp = job.newTask(title="comp", argv=["comp"])
    comp.addChild(author.Instance(title="renders"))
    assert edges(spec_of(job)) == {"r1": [], "r2": [], "comp": ["r1", "r2"]}


def test_an_instance_sibling_in_a_serial_parent():
    job = author.Job(title="j")
    job.newTask(title="prep", argv=["prep"])
    top = job.newTask(title="top", argv=["top"], serialsubtasks=1)
    top.addChild(author.Instance(title="prep"))
    top.newTask(title="after prep", argv=["go"])
    assert edges(spec_of(job)) == {
        "prep": [],
        "after prep": ["prep"],
        "top": ["after prep", "prep"],
    }


def test_spooled_job_options_are_recorded():
    job = author.Job(title="j", priority=2.6, tags=["a", "b"], comment="c", paused=0)
    job.newDirMap(src="X:/", dst="/x", zone="NFS")
    job.newTask(title="t", argv=["t"])
    spec = spec_of(job)
    assert spec.priority == 3
    assert spec.metadata == {
        "tractor.tags": "a b",
        "tractor.comment": "c",
        "tractor.priority": "2.6",
        "tractor.dirmaps": "X:/=/x@NFS",
    }


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda job, task: setattr(job, "paused", 1),
            "job script line 1, column 16: Job -paused 1 is not supported on the local farm (it"
            " cannot hold a job until it is unpaused)",
        ),
        (
            lambda job, task: setattr(job, "afterjids", [12, 13]),
            "job script line 1, column 16: Job -afterjids {12 13} is not supported on the local"
            " farm (it cannot make a job wait for other jobs)",
        ),
        (
            lambda job, task: setattr(job, "after", datetime.datetime(2026, 6, 23, 13, 45)),
            "job script line 1, column 16: Job -after {06 23 13:45} is not supported on the"
            " local farm (it cannot delay a job until a given time)",
        ),
        (
            lambda job, task: job.newCleanup(argv=["rm", "x"]),
            "job script line 1, column 16: Job -cleanup {...} is not supported on the local"
            " farm (it does not run cleanup commands)",
        ),
        (
            lambda job, task: job.newPostscript(argv=["mail"], when="done"),
            "job script line 1, column 16: Job -postscript {...} is not supported on the local"
            " farm (it does not run postscript commands)",
        ),
        (
            lambda job, task: task.newCleanup(argv=["rm", "x"]),
            "job script line 4, column 5: Task -cleanup {...} is not supported on the local"
            " farm (it does not run cleanup commands)",
        ),
    ],
)
def test_options_the_farm_cannot_honour_are_refused(change, message):
    job = author.Job(title="j")
    task = job.newTask(title="t", argv=["t"])
    change(job, task)
    with pytest.raises(JobScriptError) as caught:
        spec_of(job)
    assert str(caught.value) == message + "; remove it, or spool to a Tractor engine" + (
        " (TRACTOR_ENGINE)"
    )


# -- trees the farm cannot run: errors with the position of the culprit --------------------


def _script_error(script):
    with pytest.raises(JobScriptError) as caught:
        to_job_spec(parse_job_script(script))
    return str(caught.value)


def test_an_instance_of_an_unknown_title():
    assert _script_error(
        "Job -title j -subtasks {\n  Task a -cmds {RemoteCmd x} -subtasks {\n"
        "    Instance {b}\n  }\n}"
    ) == (
        "job script line 3, column 5: Instance 'b' refers to no task; task titles in this job: 'a'"
    )


def test_an_instance_of_an_ambiguous_title():
    assert _script_error(
        "Job -title j -subtasks {\n  Task a -cmds {RemoteCmd x}\n  Task a -cmds {RemoteCmd y}\n"
        "  Task c -cmds {RemoteCmd z} -subtasks {Instance a}\n}"
    ) == (
        "job script line 4, column 41: Instance 'a' is ambiguous: 2 tasks have this title"
        " (lines 2, 3)"
    )


def test_an_instance_of_its_own_ancestor_would_wait_for_itself():
    assert _script_error(
        "Job -title j -subtasks {\n  Task top -cmds {RemoteCmd x} -subtasks {\n"
        "    Task mid -cmds {RemoteCmd y} -subtasks {\n      Instance top\n    }\n  }\n}"
    ) == (
        "job script line 4, column 7: Instance 'top' refers to a task that contains it, so it"
        " would wait for itself"
    )


def test_instances_that_wait_for_each_other_are_a_cycle():
    assert _script_error(
        "Job -title j -subtasks {\n  Task A -cmds {RemoteCmd x} -subtasks {Instance B}\n"
        "  Task B -cmds {RemoteCmd y} -subtasks {Instance A}\n}"
    ) == (
        "job script line 2, column 41: Instance 'B' makes tasks wait for each other in a"
        " cycle: 'A' waits for 'B' waits for 'A'"
    )


def test_an_instance_of_the_group_that_contains_it():
    assert _script_error(
        "Job -title j -subtasks {\n  Task group -subtasks {\n"
        "    Task a -cmds {RemoteCmd y} -subtasks {Instance group}\n  }\n}"
    ) == (
        "job script line 3, column 43: Instance 'group' refers to a task that contains it, so"
        " it would wait for itself"
    )


def test_expanding_commands_are_refused():
    assert _script_error(
        "Job -title j -subtasks {\n  Task a -cmds {\n    RemoteCmd {gen} -expand 1\n  }\n}"
    ) == (
        "job script line 3, column 5: RemoteCmd -expand 1 (tasks generated while the job"
        " runs) is not supported on the local farm"
    )


def test_a_job_without_commands_is_refused():
    assert _script_error("Job -title j -subtasks {Task a -subtasks {Task b}}") == (
        "job script line 1, column 1: the job has no commands to run (no task has -cmds)"
    )
