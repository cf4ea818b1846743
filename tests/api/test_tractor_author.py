"""The seed's Tractor authoring examples, run with only the import line changed."""

import datetime

import pytest
from tractor_seed import SEED_TCL, seed_job

import farmhand.api.tractor.author as author


def test_seed_example_prints_the_seed_text_exactly():
    assert seed_job().asTcl() == SEED_TCL


def test_attribute_assignment_builds_the_same_job():
    job = author.Job()
    job.title = "a one-task render job"
    job.priority = 100
    job.service = "PixarRender"
    job.newTask(title="A one-command render task", argv=["/usr/bin/prman", "file.rib"])
    assert job.title == "a one-task render job"
    assert job.priority == 100
    assert job.asTcl() == (
        "Job -title {a one-task render job} -priority {100.0} -service {PixarRender}"
        " -subtasks {\n"
        "  Task {A one-command render task} -cmds {\n"
        "    RemoteCmd {{/usr/bin/prman} {file.rib}}\n"
        "  }\n"
        "}"
    )


def test_add_child_is_the_same_as_new_task():
    job = author.Job(title="a one-task render job", priority=100, service="PixarRender")
    task = author.Task(
        title="A one-command render task",
        argv=["/usr/bin/prman", "file.rib"],
        service="pixarRender",
    )
    job.addChild(task)
    assert job.asTcl() == SEED_TCL
    assert task.parent is job
    assert job.subtasks == [task]


def test_argv_shortcut_pushes_service_to_the_command():
    task = author.Task(
        title="render rib 1", argv=["/usr/bin/prman", "1.rib"], service="pixarRender"
    )
    assert task.service is None
    (command,) = task.cmds
    assert command.service == "pixarRender"
    assert command.argv == ["/usr/bin/prman", "1.rib"]
    # without argv the service stays on the task
    assert author.Task(title="group", service="PixarRender").service == "PixarRender"


def test_new_command_and_add_command_are_equivalent():
    first = author.Task(title="render rib 1")
    command = author.Command(argv=["/usr/bin/prman", "1.rib"], service="pixarRender")
    first.addCommand(command)
    second = author.Task(title="render rib 1")
    made = second.newCommand(argv=["/usr/bin/prman", "1.rib"], service="pixarRender")
    assert isinstance(made, author.Command)
    assert (
        first.asTcl()
        == second.asTcl()
        == (
            "Task {render rib 1} -cmds {\n"
            "  RemoteCmd {{/usr/bin/prman} {1.rib}} -service {pixarRender}\n"
            "}"
        )
    )


def test_serial_parent_child_and_parallel_siblings():
    parent = author.Task(title="comp", argv=["/usr/bin/comp", "fg.tif", "bg.tif"])
    parent.addChild(author.Task(title="render fg", argv=["/usr/bin/prman", "fg.rib"]))
    parent.addChild(author.Task(title="render bg", argv=["/usr/bin/prman", "bg.rib"]))
    parent.serialsubtasks = 1
    assert parent.asTcl() == (
        "Task {comp} -cmds {\n"
        "  RemoteCmd {{/usr/bin/comp} {fg.tif} {bg.tif}}\n"
        "} -serialsubtasks 1 -subtasks {\n"
        "  Task {render fg} -cmds {\n"
        "    RemoteCmd {{/usr/bin/prman} {fg.rib}}\n"
        "  }\n"
        "  Task {render bg} -cmds {\n"
        "    RemoteCmd {{/usr/bin/prman} {bg.rib}}\n"
        "  }\n"
        "}"
    )


def test_multi_command_task_keeps_command_order():
    task = author.Task(title="multi-command task", service="PixarRender")
    task.addCommand(author.Command(argv=["scp", "remote:/path/file.rib", "/local/file.rib"]))
    task.addCommand(author.Command(argv=["/usr/bin/prman", "/local/file.rib"]))
    task.addCommand(author.Command(argv=["scp", "/local/file.tif", "remote:/path/file.tif"]))
    other = author.Task(title="multi-command task", service="PixarRender")
    other.newCommand(argv=["scp", "remote:/path/file.rib", "/local/file.rib"])
    other.newCommand(argv=["/usr/bin/prman", "/local/file.rib"])
    other.newCommand(argv=["scp", "/local/file.tif", "remote:/path/file.tif"])
    expected = (
        "Task {multi-command task} -service {PixarRender} -cmds {\n"
        "  RemoteCmd {{scp} {remote:/path/file.rib} {/local/file.rib}}\n"
        "  RemoteCmd {{/usr/bin/prman} {/local/file.rib}}\n"
        "  RemoteCmd {{scp} {/local/file.tif} {remote:/path/file.tif}}\n"
        "}"
    )
    assert task.asTcl() == other.asTcl() == expected


def test_a_task_with_no_commands_groups_a_subtree():
    group = author.Task(title="group")
    group.newTask(title="leaf", argv=["true"])
    assert group.asTcl() == (
        "Task {group} -subtasks {\n  Task {leaf} -cmds {\n    RemoteCmd {{true}}\n  }\n}"
    )


def test_a_task_added_under_a_second_parent_becomes_an_instance():
    job = author.Job(title="shared")
    shared = author.Task(title="setup", argv=["setup"])
    left = job.newTask(title="left")
    right = job.newTask(title="right")
    left.addChild(shared)
    right.addChild(shared)
    assert shared.parent is left
    (instance,) = right.subtasks
    assert isinstance(instance, author.Instance)
    assert instance.title == "setup"
    assert "  Task {right} -subtasks {\n    Instance {setup}\n  }" in job.asTcl()


def test_dirmaps_job_attributes_and_command_attributes():
    job = author.Job(
        title="all",
        tags=["prman", "big"],
        envkey=["rman-26"],
        projects=["show"],
        crews=["lighting"],
        afterjids=[12, 13],
        after=datetime.datetime(2026, 6, 23, 13, 45),
        maxactive=4,
        paused=True,
        atleast=1,
        atmost=8,
        comment="a {braced} comment",
        metadata="k=v",
        editpolicy="studio",
        serialsubtasks=0,
    )
    job.newDirMap(src="X:/", dst="//fileserver/projects", zone="UNC")
    job.newDirMap(src="X:/", dst="/fileserver/projects", zone="NFS")
    job.newAssignment("shot", "sq010_sh020")
    job.newCleanup(argv=["rm", "-rf", "/tmp/job"])
    job.newPostscript(argv=["notify", "done"], when="always")
    task = job.newTask(title="t", id="t1", chaser=["it", "out.exr"], preview=["sho", "out.exr"])
    task.newCommand(
        argv=["render"],
        envkey=["A=1"],
        retryrc=[2, -1],
        samehost=1,
        minrunsecs=1,
        maxrunsecs=60,
        atleast=2,
        atmost=4,
        id="c1",
        refersto="c0",
        expand=0,
        local=True,
    )
    assert job.asTcl() == (
        "Job -title {all} -projects {{show}} -crews {{lighting}} -maxactive 4 -paused 1"
        " -after {06 23 13:45} -afterjids {12 13} -init {\n"
        "  Assign shot {sq010_sh020}\n"
        "} -atleast 1 -atmost 8 -tags {{prman} {big}} -envkey {{rman-26}}"
        " -comment {a {braced} comment} -metadata {k=v} -editpolicy {studio} -cleanup {\n"
        "  RemoteCmd {{rm} {-rf} {/tmp/job}}\n"
        "} -postscript {\n"
        "  RemoteCmd {{notify} {done}} -when {always}\n"
        "} -dirmaps {\n"
        "  {{X:/} {//fileserver/projects} UNC}\n"
        "  {{X:/} {/fileserver/projects} NFS}\n"
        "} -serialsubtasks 0 -subtasks {\n"
        "  Task {t} -id {t1} -cmds {\n"
        "    Cmd {{render}} -id {c1} -refersto {c0} -expand 0 -atleast 2 -atmost 4"
        " -minrunsecs 1 -maxrunsecs 60 -samehost 1 -envkey {{A=1}} -retryrc {2 -1}\n"
        "  } -chaser {{it} {out.exr}} -preview {{sho} {out.exr}}\n"
        "}"
    )


def test_priority_prints_as_a_float_without_losing_digits():
    job = author.Job(title="p", priority=2.25)
    job.newTask(title="t")
    assert "-priority {2.25}" in job.asTcl()


def test_group_attributes_can_be_assigned_as_lists():
    first = author.Task(title="a", argv=["a"])
    second = author.Task(title="b", argv=["b"])
    job = author.Job(title="j", subtasks=[first, second])
    assert job.subtasks == [first, second]
    assert first.parent is job


# -- errors: every bad input names the attribute, the value and what is valid -----------------


def test_atmost_three_raises_author_error_as_in_the_seed():
    job = author.Job()
    with pytest.raises(author.AuthorError) as caught:
        job.atmost = "three"
    assert str(caught.value) == "Job.atmost: invalid value 'three' (str); expected an integer >= 0"
    assert caught.value.field == "Job.atmost"
    assert caught.value.value == "three"
    assert job.atmost is None


ARGV = "a non-empty list of strings, e.g. ['/usr/bin/prman', 'file.rib']"
NOT_SPLIT = " (a string is not split; use shlex.split() if you mean that)"
FLAG = "0 or 1 (or True/False)"
STRINGS = "a list of strings"


@pytest.mark.parametrize(
    "element, name, value, message",
    [
        (author.Job, "title", 5, "invalid value 5 (int); expected a string"),
        (author.Job, "priority", "high", "invalid value 'high' (str); expected a finite number"),
        (author.Job, "priority", True, "invalid value True (bool); expected a finite number"),
        (
            author.Job,
            "priority",
            float("nan"),
            "invalid value nan (float); expected a finite number",
        ),
        (author.Job, "maxactive", -1, "invalid value -1 (int); expected an integer >= 0"),
        (author.Job, "tags", "prman", "invalid value 'prman' (str); expected " + STRINGS),
        (author.Job, "tags", ["a", 1], "invalid item 1 (int) at index 1; expected " + STRINGS),
        (
            author.Job,
            "afterjids",
            [0],
            "invalid item 0 (int) at index 0; expected a list of integers >= 1",
        ),
        (author.Job, "afterjids", 12, "invalid value 12 (int); expected a list of integers >= 1"),
        (
            author.Job,
            "after",
            "tomorrow",
            "invalid value 'tomorrow' (str); expected a datetime.datetime",
        ),
        (author.Job, "paused", "yes", "invalid value 'yes' (str); expected " + FLAG),
        (author.Task, "serialsubtasks", 2, "invalid value 2 (int); expected " + FLAG),
        (author.Task, "serialsubtasks", "1", "invalid value '1' (str); expected " + FLAG),
        (
            author.Task,
            "chaser",
            "it out.exr",
            "invalid value 'it out.exr' (str); expected " + ARGV + NOT_SPLIT,
        ),
        (
            author.Task,
            "cmds",
            ["echo"],
            "invalid item 'echo' (str) at index 0; expected a list of Command elements",
        ),
        (
            author.Task,
            "subtasks",
            "t",
            "invalid value 't' (str); expected a list of Task or Instance elements",
        ),
        (
            author.Command,
            "argv",
            "prman file.rib",
            "invalid value 'prman file.rib' (str); expected " + ARGV + NOT_SPLIT,
        ),
        (author.Command, "argv", [], "invalid value [] (list); expected " + ARGV),
        (author.Command, "argv", ["prman", 3], "invalid item 3 (int) at index 1; expected " + ARGV),
        (
            author.Command,
            "argv",
            ("prman", None),
            "invalid item None (NoneType) at index 1; expected " + ARGV,
        ),
        (
            author.Command,
            "when",
            "sometimes",
            "invalid value 'sometimes' (str); expected one of 'done', 'error', 'always'",
        ),
        (
            author.Command,
            "retryrc",
            ["1"],
            "invalid item '1' (str) at index 0; expected a list of integers",
        ),
        (author.Command, "samehost", 3, "invalid value 3 (int); expected " + FLAG),
    ],
)
def test_wrong_types_are_refused_on_assignment_and_by_keyword(element, name, value, message):
    message = "{}.{}: {}".format(element.__name__, name, message)
    instance = element(argv=["x"]) if element is author.Command else element()
    with pytest.raises(author.AuthorError) as caught:
        setattr(instance, name, value)
    assert str(caught.value) == message
    with pytest.raises(author.AuthorError) as caught:
        if element is author.Command:
            element(**{"argv": ["x"], name: value})
        else:
            element(**{name: value})
    assert str(caught.value) == message


def test_unknown_attributes_are_refused_with_the_valid_names():
    job = author.Job(title="j")
    with pytest.raises(author.AuthorError) as caught:
        job.titlee = "A Title"
    assert str(caught.value).startswith(
        "Job.titlee: unknown attribute of a Job; valid attributes: after, afterjids, atleast,"
    )
    assert "title" in caught.value.valid
    with pytest.raises(author.AuthorError) as caught:
        author.Task(titel="x")
    assert str(caught.value).startswith(
        "Task.titel: unknown attribute of a Task; valid attributes:"
    )
    with pytest.raises(author.AuthorError) as caught:
        author.Command(argv=["x"], servce="PixarRender")
    assert str(caught.value).startswith("Command.servce: unknown attribute of a Command;")
    # reading a typo is an AttributeError too, so getattr() with a default still works
    with pytest.raises(AttributeError):
        job.priorty  # noqa: B018
    assert getattr(job, "priorty", "default") == "default"


def test_non_list_argv_in_the_task_shortcut_names_the_shortcut():
    with pytest.raises(author.AuthorError) as caught:
        author.Task(title="t", argv="/usr/bin/prman file.rib")
    assert str(caught.value) == (
        "Task.argv: the argv shortcut creates the task's command: Command.argv: invalid value"
        " '/usr/bin/prman file.rib' (str); expected a non-empty list of strings, e.g."
        " ['/usr/bin/prman', 'file.rib'] (a string is not split; use shlex.split() if you mean"
        " that)"
    )


def test_command_local_flag_is_checked():
    with pytest.raises(author.AuthorError) as caught:
        author.Command(argv=["x"], local="yes")
    assert str(caught.value) == "Command.local: invalid value 'yes' (str); expected True or False"


def test_required_values_are_reported_when_writing_the_script():
    with pytest.raises(author.RequiredValueError) as caught:
        author.Job(priority=1).asTcl()
    assert str(caught.value) == (
        "Job.title: a value is required to write the job script (Job has none)"
    )
    with pytest.raises(author.RequiredValueError) as caught:
        author.Job(title="empty").asTcl()
    assert str(caught.value) == (
        "Job.subtasks: a value is required to write the job script (Job 'empty' has none)"
    )
    job = author.Job(title="j")
    job.addChild(author.Task(argv=["x"]))
    with pytest.raises(author.RequiredValueError) as caught:
        job.asTcl()
    assert (
        str(caught.value)
        == "Task.title: a value is required to write the job script (Task has none)"
    )


def test_add_child_refuses_what_is_not_a_task():
    job = author.Job(title="j")
    with pytest.raises(author.AuthorError) as caught:
        job.addChild(author.Command(argv=["x"]))
    assert str(caught.value) == (
        "Job.subtasks: cannot add <Command ['x']> (Command) as a subtask; expected a Task or"
        " an Instance"
    )
    with pytest.raises(author.AuthorError) as caught:
        author.Task(title="t").addCommand(author.Task(title="u"))
    assert str(caught.value) == "Task.cmds: cannot add <Task 'u'> (Task); expected a Command"


def test_an_instance_has_one_parent_only():
    instance = author.Instance(title="setup")
    author.Task(title="a").addChild(instance)
    with pytest.raises(author.ParentExistsError) as caught:
        author.Task(title="b").addChild(instance)
    assert str(caught.value) == ("Task.subtasks: Instance 'setup' is already a subtask of Task 'a'")


def test_a_task_cannot_be_its_own_ancestor():
    root = author.Task(title="root")
    child = root.newTask(title="child")
    with pytest.raises(author.AuthorError) as caught:
        child.addChild(root)
    assert str(caught.value) == (
        "Task.subtasks: cannot add Task 'root' under itself or one of its own subtasks"
    )
    with pytest.raises(author.AuthorError):
        root.addChild(root)


def test_an_untitled_task_cannot_be_instanced():
    untitled = author.Task(argv=["x"])
    author.Task(title="a").addChild(untitled)
    with pytest.raises(author.AuthorError) as caught:
        author.Task(title="b").addChild(untitled)
    assert str(caught.value).startswith("Task.title: a task that already has a parent is added")


@pytest.mark.parametrize(
    "src, dst, zone, message",
    [
        (1, "/a", "NFS", "DirMap.src: invalid value 1 (int); expected a non-empty string"),
        (
            "X:/",
            None,
            "NFS",
            "DirMap.dst: invalid value None (NoneType); expected a non-empty string",
        ),
        ("X:/", "/a", "", "DirMap.zone: invalid value '' (str); expected a non-empty string"),
    ],
)
def test_bad_dirmaps_are_refused(src, dst, zone, message):
    job = author.Job(title="j")
    with pytest.raises(author.AuthorError) as caught:
        job.newDirMap(src=src, dst=dst, zone=zone)
    assert str(caught.value) == message
    assert job.dirmaps == []


def test_bad_assignment_names_are_refused():
    job = author.Job(title="j")
    with pytest.raises(author.AuthorError) as caught:
        job.newAssignment("1shot", "x")
    assert str(caught.value) == (
        "Assign.varname: invalid variable name '1shot' (str); expected letters, digits and _"
        " (not starting with a digit)"
    )
    with pytest.raises(author.AuthorError) as caught:
        job.newAssignment("shot", 3)
    assert str(caught.value) == "Assign.value: invalid value 3 (int); expected a string"


def test_lists_mutated_after_assignment_are_checked_again_when_written():
    job = author.Job(title="j", tags=["ok"])
    job.newTask(title="t")
    job.tags.append(5)
    with pytest.raises(author.AuthorError) as caught:
        job.asTcl()
    assert (
        str(caught.value) == "Job.tags: invalid item 5 (int) at index 1; expected a list of strings"
    )
