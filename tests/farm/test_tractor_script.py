"""Job scripts read into task trees: the same tree a real Tcl interpreter sees, and errors
that name the line, the column and the offending word."""

import binascii
import datetime
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tractor_seed import SEED_TCL

import farmhand.api.tractor.author as author
from farmhand.farm.tractor.errors import JobScriptError
from farmhand.farm.tractor.script import parse_job_script
from farmhand.farm.tractor.tree import ScriptInstance
from tests.conftest import require

# Evaluates a job script in tclsh with the operators defined as recorders: the tree a real
# Tcl interpreter builds, printed as events with every value hex-encoded.
TCL_HARNESS = r"""
fconfigure stdout -translation lf
proc hex {s} { return x[binary encode hex [encoding convertto utf-8 $s]] }
proc opts {words} {
    foreach {k v} $words {
        switch -- $k {
            -subtasks - -cmds - -cleanup - -postscript - -init {
                puts "OPEN $k"; uplevel #0 $v; puts "CLOSE $k"
            }
            -dirmaps {
                foreach m $v {
                    lassign $m src dst zone
                    puts "DIRMAP [hex $src] [hex $dst] [hex $zone]"
                }
            }
            default { puts "OPT $k [hex $v]" }
        }
    }
}
proc Job {args} { puts "BEGIN Job"; opts $args; puts "END" }
proc Task {title args} { puts "BEGIN Task [hex $title]"; opts $args; puts "END" }
proc cmd {op argv words} {
    set parts {}
    foreach a $argv { lappend parts [hex $a] }
    puts "BEGIN $op [join $parts { }]"; opts $words; puts "END"
}
proc RemoteCmd {argv args} { cmd RemoteCmd $argv $args }
proc Cmd {argv args} { cmd Cmd $argv $args }
proc Instance {title} { puts "BEGIN Instance [hex $title]"; puts "END" }
proc Assign {name value} { puts "ASSIGN $name [hex $value]" }
source -encoding utf-8 [lindex $argv 0]
"""


def _unhex(text):
    return binascii.unhexlify(text[1:]).decode("utf-8")


def tcl_tree(tmp_path, script):
    """The job as tclsh evaluates it: nested dicts of operator, head words, options, groups."""
    require(shutil.which("tclsh"), "tclsh (Debian package tcl)")
    harness = tmp_path / "harness.tcl"
    harness.write_text(TCL_HARNESS)
    job_file = tmp_path / "job.tcl"
    job_file.write_bytes(script.encode("utf-8"))
    result = subprocess.run(
        ["tclsh", str(harness), str(job_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode()
    root = {"groups": {}}
    stack = [root]
    groups = []
    for line in result.stdout.decode().splitlines():
        kind, _, rest = line.partition(" ")
        parts = rest.split(" ") if rest else []
        if kind == "BEGIN":
            node = {
                "op": parts[0],
                "head": [_unhex(p) for p in parts[1:]],
                "opts": {},
                "groups": {},
                "dirmaps": [],
                "init": {},
            }
            if groups:
                stack[-1]["groups"].setdefault(groups[-1], []).append(node)
            else:
                root["job"] = node
            stack.append(node)
        elif kind == "END":
            stack.pop()
        elif kind == "OPEN":
            groups.append(parts[0][1:])
        elif kind == "CLOSE":
            groups.pop()
        elif kind == "OPT":
            stack[-1]["opts"][parts[0][1:]] = _unhex(parts[1])
        elif kind == "DIRMAP":
            stack[-1]["dirmaps"].append(tuple(_unhex(p) for p in parts))
        elif kind == "ASSIGN":
            root["job"]["init"][parts[0]] = _unhex(parts[1])
    return root["job"]


def our_tree(script):
    """The same shape from farmhand's reader."""
    job = parse_job_script(script)

    def command(cmd):
        return {
            "op": "Cmd" if cmd.local else "RemoteCmd",
            "head": list(cmd.argv),
            "opts": dict(cmd.raw),
            "groups": {},
            "dirmaps": [],
            "init": {},
        }

    def node(item):
        if isinstance(item, ScriptInstance):
            return {
                "op": "Instance",
                "head": [item.title],
                "opts": {},
                "groups": {},
                "dirmaps": [],
                "init": {},
            }
        groups = {}
        if item.commands:
            groups["cmds"] = [command(c) for c in item.commands]
        if item.cleanup:
            groups["cleanup"] = [command(c) for c in item.cleanup]
        if item.children:
            groups["subtasks"] = [node(c) for c in item.children]
        return {
            "op": "Task",
            "head": [item.title],
            "opts": dict(item.raw),
            "groups": groups,
            "dirmaps": [],
            "init": {},
        }

    groups = {}
    if job.children:
        groups["subtasks"] = [node(c) for c in job.children]
    if job.cleanup:
        groups["cleanup"] = [command(c) for c in job.cleanup]
    if job.postscript:
        groups["postscript"] = [command(c) for c in job.postscript]
    return {
        "op": "Job",
        "head": [],
        "opts": dict(job.raw),
        "groups": groups,
        "dirmaps": [(m.src, m.dst, m.zone) for m in job.dirmaps],
        "init": dict(job.assignments),
    }


def test_the_seed_script_reads_into_its_task_tree():
    job = parse_job_script(SEED_TCL)
    assert job.title == "a one-task render job"
    assert job.options == {
        "title": "a one-task render job",
        "priority": 100.0,
        "service": "PixarRender",
    }
    (task,) = job.children
    assert task.title == "A one-command render task"
    assert (task.where.line, task.where.column) == (2, 3)
    (command,) = task.commands
    assert command.argv == ("/usr/bin/prman", "file.rib")
    assert command.options == {"service": "pixarRender"}
    assert not command.local


def test_the_seed_script_reads_as_tclsh_reads_it(tmp_path):
    assert our_tree(SEED_TCL) == tcl_tree(tmp_path, SEED_TCL)


def _full_job():
    job = author.Job(
        title="all {the} options",
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
        comment='a $comment [with] "quotes"',
        metadata="k=v",
        editpolicy="studio",
        serialsubtasks=1,
        priority=2.5,
    )
    job.newDirMap(src="X:/", dst="//fileserver/projects", zone="UNC")
    job.newDirMap(src="X:/ my", dst="/fileserver/{projects", zone="NFS")
    job.newAssignment("shot", "sq010 sh020")
    job.newCleanup(argv=["rm", "-rf", "/tmp/job"])
    job.newPostscript(argv=["notify", "done"], when="always")
    comp = job.newTask(title="comp", argv=["comp", "fg.tif", "bg.tif"], service="Nuke")
    comp.serialsubtasks = 1
    fg = comp.newTask(title="render {fg", id="fg", chaser=["it", "fg.exr"])
    fg.newCommand(
        argv=["prman", "-t:4", "fg file.rib"],
        envkey=["A=1"],
        retryrc=[2, -1],
        samehost=1,
        minrunsecs=1,
        maxrunsecs=60,
        local=True,
        tags=["x"],
    )
    fg.newCommand(argv=["echo", "line1\nline2", "trailing\\"], msg="m", when="done")
    comp.newTask(title="render bg", argv=["prman", "bg.rib"]).newCleanup(argv=["rm", "bg.rib"])
    job.newTask(title="other").addChild(fg)  # becomes an Instance
    return job


def test_every_option_reads_back_as_tclsh_reads_it(tmp_path):
    script = _full_job().asTcl()
    assert our_tree(script) == tcl_tree(tmp_path, script)


def test_options_are_converted_to_their_kinds():
    job = parse_job_script(_full_job().asTcl())
    assert job.options["afterjids"] == [12, 13]
    assert job.options["priority"] == 2.5
    assert job.options["after"] == "06 23 13:45"
    assert job.options["paused"] == 1
    assert job.options["tags"] == ["prman", "big"]
    assert job.serialsubtasks
    assert job.assignments == {"shot": "sq010 sh020"}
    assert [(m.src, m.dst, m.zone) for m in job.dirmaps] == [
        ("X:/", "//fileserver/projects", "UNC"),
        ("X:/ my", "/fileserver/{projects", "NFS"),
    ]
    comp = job.children[0]
    assert comp.serialsubtasks
    fg = comp.children[0]
    assert fg.title == "render {fg"
    assert fg.options == {"id": "fg", "chaser": ["it", "fg.exr"]}
    first, second = fg.commands
    assert first.local and first.argv == ("prman", "-t:4", "fg file.rib")
    assert first.options["retryrc"] == [2, -1]
    assert second.argv == ("echo", "line1\nline2", "trailing\\")
    other = job.children[1]
    assert isinstance(other.children[0], ScriptInstance)
    assert other.children[0].title == "render {fg"


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
ARG = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def jobs(draw):
    job = author.Job(title=draw(TEXT))
    titles = []

    def add(parent, depth):
        for _ in range(draw(st.integers(min_value=1 if depth == 0 else 0, max_value=3))):
            title = draw(TEXT)
            titles.append(title)
            task = parent.newTask(title=title)
            for _ in range(draw(st.integers(min_value=0, max_value=2))):
                task.newCommand(
                    argv=draw(st.lists(ARG, min_size=1, max_size=4)), local=draw(st.booleans())
                )
            if draw(st.booleans()):
                task.serialsubtasks = 1
            if depth < 2:
                add(task, depth + 1)

    add(job, 0)
    if draw(st.booleans()):
        job.newTask(title="refers").addChild(author.Instance(title=draw(st.sampled_from(titles))))
    return job


@settings(max_examples=25, deadline=None)
@given(jobs())
def test_any_authored_job_reads_back_as_tclsh_reads_it(tmp_path_factory, job):
    script = job.asTcl()
    assert our_tree(script) == tcl_tree(tmp_path_factory.mktemp("job"), script)


def test_hand_written_scripts_with_comments_semicolons_and_quotes(tmp_path):
    script = (
        "##AlfredToDo 3.0\n"
        "# a hand-written job\n"
        'Job -title "quoted title" -priority 7 \\\n'
        "    -subtasks {\n"
        "    Task {a} -cmds {RemoteCmd {echo a}}; Task b -cmds {\n"
        '        Cmd "echo {b c}" -service local\n'
        "    }\n"
        "}\n"
    )
    assert our_tree(script) == tcl_tree(tmp_path, script)
    job = parse_job_script(script)
    assert [task.title for task in job.children] == ["a", "b"]
    assert job.children[1].commands[0].argv == ("echo", "b c")
    assert job.children[1].commands[0].local


# -- errors: line, column, the word, and what was expected ----------------------------------


@pytest.mark.parametrize(
    "script, message, word",
    [
        (
            "Job -title {x} -subtasks {\n  Tsk {a}\n}",
            "job script line 2, column 3: unknown operator 'Tsk' in -subtasks; expected Task or"
            " Instance",
            "Tsk",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {a} -cmds {\n    Remote {x}\n  }\n}",
            "job script line 3, column 5: unknown operator 'Remote' in -cmds; expected"
            " RemoteCmd, Cmd or Command",
            "Remote",
        ),
        (
            "Task {a}",
            "job script line 1, column 1: unknown operator 'Task' at the top of the script; a job"
            " script holds one Job (Task, Instance and commands go in its -subtasks)",
            "Task",
        ),
        (
            "# only a comment\n",
            "job script line 1, column 1: the script has no Job (expected 'Job -title {...} ...')",
            None,
        ),
        (
            "Job -title a -subtasks {Task t -cmds {RemoteCmd x}}\nJob -title b",
            "job script line 2, column 1: the script has a second Job; a job script holds exactly"
            " one",
            "Job",
        ),
        ("Job -priority 1", "job script line 1, column 1: the Job has no -title", "Job"),
        (
            "Job -title {x} -titel {y}",
            "job script line 1, column 16: unknown option -titel of Job; valid options: -after,"
            " -afterjids, -atleast, -atmost, -cleanup, -comment, -crews, -dirmaps, -editpolicy,"
            " -envkey, -etalevel, -init, -maxactive, -metadata, -paused, -postscript, -priority,"
            " -projects, -serialsubtasks, -service, -spoolcwd, -subtasks, -tags, -tier, -title",
            "-titel",
        ),
        (
            "Job -title {x} -service",
            "job script line 1, column 16: option -service of Job has no value",
            "-service",
        ),
        (
            "Job -title {x} -title {y}",
            "job script line 1, column 16: option -title of Job is given twice",
            "-title",
        ),
        (
            "Job -title {x} extra",
            "job script line 1, column 16: expected an option of Job (-name value), got 'extra'",
            "extra",
        ),
        (
            "Job -title {x} -atmost three",
            "job script line 1, column 24: invalid value 'three'"
            " for -atmost of Job; expected an integer >= 0",
            "three",
        ),
        (
            "Job -title {x} -atmost -1",
            "job script line 1, column 24: invalid value '-1' for"
            " -atmost of Job; expected an integer >= 0",
            "-1",
        ),
        (
            "Job -title {x} -priority {high}",
            "job script line 1, column 26: invalid value 'high'"
            " for -priority of Job; expected a number",
            "high",
        ),
        (
            "Job -title {x} -priority {inf}",
            "job script line 1, column 26: invalid value 'inf'"
            " for -priority of Job; expected a number",
            "inf",
        ),
        (
            "Job -title {x} -paused maybe",
            "job script line 1, column 24: invalid value 'maybe'"
            " for -paused of Job; expected 0 or 1",
            "maybe",
        ),
        (
            "Job -title {x} -after {13 40 10:00}",
            "job script line 1, column 23: invalid value"
            " '13 40 10:00' for -after of Job; expected a date {month day hour:minute} or"
            " {hour:minute}",
            "13 40 10:00",
        ),
        (
            "Job -title {x} -afterjids {1 two}",
            "job script line 1, column 30: invalid item 'two'"
            " in -afterjids of Job; expected a list of integers",
            "two",
        ),
        (
            "Job -title {x} -tags {{a}b}",
            "job script line 1, column 26: extra characters after close-brace in the list '{a}b'",
            "{a}b",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {a} -cmds {\n    RemoteCmd {x} -when sometimes\n"
            "  }\n}",
            "job script line 3, column 25: invalid value 'sometimes' for -when of RemoteCmd;"
            " expected done, error or always",
            "sometimes",
        ),
        (
            "Job -title {x} -subtasks {\n  Task\n}",
            "job script line 2, column 3: Task has no title (expected 'Task {title} ...')",
            "Task",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {}\n}",
            "job script line 2, column 8: Task has an empty title",
            "{}",
        ),
        (
            "Job -title {x} -subtasks {Instance {a} -x 1}",
            "job script line 1, column 40: Instance takes only a title; unexpected '-x'",
            "-x",
        ),
        (
            "Job -title {x} -subtasks {Task {a} -cmds {RemoteCmd}}",
            "job script line 1, column"
            " 43: RemoteCmd has no command line (expected 'RemoteCmd {{prog} {arg}} ...')",
            "RemoteCmd",
        ),
        (
            "Job -title {x} -subtasks {Task {a} -cmds {RemoteCmd {}}}",
            "job script line 1, column 53: RemoteCmd has an empty command line",
            "{}",
        ),
        (
            "Job -title {x} -dirmaps {{{X:/} {/y}}}",
            "job script line 1, column 26: invalid"
            " directory map '{X:/} {/y}'; expected {src dst zone}",
            "{X:/} {/y}",
        ),
        (
            "Job -title {x} -init {Assign 1x {y}}",
            "job script line 1, column 23: expected 'Assign name {value}'",
            "Assign",
        ),
        (
            "Job -title {x} -init {Set x {y}}",
            "job script line 1, column 23: unknown operator 'Set' in -init; expected Assign",
            "Set",
        ),
        (
            "Job -title {x} -subtasks {Iterate i -from 1 -to 3}",
            "job script line 1, column 27:"
            " Iterate is not supported on the local farm; write one Task per iteration",
            "Iterate",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {a} -cmds {\n    RemoteCmd {echo $HOME}\n  }\n}",
            None,
            None,
        ),
        (
            "Job -title $title",
            "job script line 1, column 12: variable substitution ($) is not"
            " supported in job scripts; put the value in braces to use it literally",
            "$title",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {a\n}",
            "job script line 1, column 26: missing close-brace for the open-brace here",
            "{\n  Task {a\n}",
        ),
        (
            "Job -title {x} -subtasks {\n  Task {a} -cmds {RemoteCmd {x}}z\n}",
            "job script line 2, column 33: extra characters after close-brace",
            "{RemoteCmd {x}}z",
        ),
    ],
)
def test_bad_scripts_are_refused_with_line_column_and_word(script, message, word):
    if message is None:  # braces keep $ literal: not an error
        job = parse_job_script(script)
        assert job.children[0].commands[0].argv == ("echo", "$HOME")
        return
    with pytest.raises(JobScriptError) as caught:
        parse_job_script(script)
    assert str(caught.value) == message
    assert caught.value.word == word


def test_positions_are_exact_deep_inside_nested_scripts():
    job = author.Job(title="deep")
    task = job
    for depth in range(6):
        task = task.newTask(title="level {}".format(depth))
    task.newCommand(argv=["echo"], atmost=1)
    script = job.asTcl().replace("-atmost 1", "-atmost x")
    with pytest.raises(JobScriptError) as caught:
        parse_job_script(script)
    lines = script.splitlines()
    line = next(n for n, text in enumerate(lines) if "-atmost x" in text)
    column = lines[line].index("-atmost x") + len("-atmost ") + 1
    assert (caught.value.line, caught.value.column) == (line + 1, column)


def test_tractor_s_own_local_command_operator_is_read_as_cmd():
    job = parse_job_script("Job -title x -subtasks {Task t -cmds {Command {{echo} {hi}}}}")
    (command,) = job.children[0].commands
    assert command.local and command.argv == ("echo", "hi")


def test_text_is_required():
    with pytest.raises(TypeError) as caught:
        parse_job_script(b"Job -title x")
    assert str(caught.value) == "parse_job_script needs text, got bytes"
