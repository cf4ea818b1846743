"""Tractor jobs built with the author API spool to a real local farm and run as Tractor
would: children before parents, siblings in parallel unless serialsubtasks, a task's commands
in order, Instances waiting for the task they name.

Each command appends ``start X`` / ``end X`` lines to one file, so the order tasks really ran
in is read back from that file (and from the farm's recorded start/end times).
"""

import json
import shlex

import pytest
import requests

import farmhand.api.tractor.author as author
from farmhand.api.tractor.author import engine
from farmhand.farm import control

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def tractor_farm(farm, monkeypatch):
    """The test farm, found by ``Job.spool()`` the way a host finds it: through FARMHAND_HOME."""
    monkeypatch.setenv("FARMHAND_HOME", farm.home)
    monkeypatch.delenv("TRACTOR_ENGINE", raising=False)
    monkeypatch.setattr(engine, "THE_CLIENT", engine.EngineClient())
    yield farm
    engine.THE_CLIENT.close()


@pytest.fixture
def trace(tmp_path):
    return tmp_path / "trace.txt"


def step(trace, name, seconds=0.0):
    """A command that records its start and end in ``trace``."""
    script = "echo start {0} >> {1}; sleep {2}; echo end {0} >> {1}".format(
        shlex.quote(name), shlex.quote(str(trace)), seconds
    )
    return ["/bin/sh", "-c", script]


def lines(trace):
    return trace.read_text().splitlines()


def run(farm, job, **spool_options):
    jid = job.spool(**spool_options)
    assert isinstance(jid, int)
    done = farm.wait(str(jid))
    assert done["status"] == "success", farm.tasks(str(jid))
    return jid, {task["title"]: task for task in farm.tasks(str(jid))}


def test_the_seed_job_spools_and_runs(tractor_farm, trace):
    job = author.Job(title="a one-task render job", priority=100, service="PixarRender")
    job.newTask(
        title="A one-command render task", argv=step(trace, "render"), service="pixarRender"
    )
    jid, tasks = run(tractor_farm, job, owner="cher")
    assert lines(trace) == ["start render", "end render"]
    assert list(tasks) == ["A one-command render task"]
    record = tractor_farm.job(str(jid))
    assert record["title"] == "a one-task render job"
    assert record["owner"] == "cher"
    assert record["priority"] == 100


def test_a_child_runs_before_its_parent(tractor_farm, trace):
    parent = author.Task(title="parent runs second", argv=step(trace, "parent"))
    parent.addChild(author.Task(title="child runs first", argv=step(trace, "child", 0.2)))
    job = author.Job(title="serial")
    job.addChild(parent)
    _, tasks = run(tractor_farm, job)
    assert lines(trace) == ["start child", "end child", "start parent", "end parent"]
    assert tasks["child runs first"]["completed_at"] <= tasks["parent runs second"]["started_at"]


def _comp_job(trace, serial):
    parent = author.Task(title="comp", argv=step(trace, "comp"))
    parent.addChild(author.Task(title="render fg", argv=step(trace, "fg", 1.0)))
    parent.addChild(author.Task(title="render bg", argv=step(trace, "bg", 1.0)))
    if serial:
        parent.serialsubtasks = 1
    job = author.Job(title="comp job")
    job.addChild(parent)
    return job


def test_siblings_run_in_parallel(tractor_farm, trace):
    _, tasks = run(tractor_farm, _comp_job(trace, serial=False))
    order = lines(trace)
    # both renders started before either ended (2 slots), and comp came last
    assert sorted(order[:2]) == ["start bg", "start fg"]
    assert sorted(order[2:4]) == ["end bg", "end fg"]
    assert order[4:] == ["start comp", "end comp"]
    fg, bg = tasks["render fg"], tasks["render bg"]
    assert fg["started_at"] < bg["completed_at"] and bg["started_at"] < fg["completed_at"]


def test_serialsubtasks_runs_siblings_one_after_the_other(tractor_farm, trace):
    run(tractor_farm, _comp_job(trace, serial=True))
    assert lines(trace) == ["start fg", "end fg", "start bg", "end bg", "start comp", "end comp"]


def test_serialsubtasks_completes_a_whole_subtree_before_the_next_sibling(tractor_farm, trace):
    job = author.Job(title="subtrees")
    top = job.newTask(title="top", argv=step(trace, "top"), serialsubtasks=1)
    first = top.newTask(title="first", argv=step(trace, "first"))
    first.newTask(title="first.a", argv=step(trace, "first.a", 0.8))
    first.newTask(title="first.b", argv=step(trace, "first.b", 0.8))
    second = top.newTask(title="second", argv=step(trace, "second"))
    second.newTask(title="second.a", argv=step(trace, "second.a", 0.8))
    second.newTask(title="second.b", argv=step(trace, "second.b", 0.8))
    run(tractor_farm, job)
    order = lines(trace)
    assert order.index("end first") < order.index("start second.a")
    assert order.index("end first") < order.index("start second.b")
    # inside each subtree the two leaves still run in parallel
    assert order.index("start first.b") < order.index("end first.a")
    assert order.index("start second.b") < order.index("end second.a")
    assert order[-2:] == ["start top", "end top"]


def test_a_multi_command_task_runs_its_commands_in_order(tractor_farm, trace):
    job = author.Job(title="multi")
    task = job.newTask(title="multi-command task", service="PixarRender")
    task.addCommand(author.Command(argv=step(trace, "copy in", 0.1)))
    task.addCommand(author.Command(argv=step(trace, "render", 0.1)))
    task.newCommand(argv=step(trace, "copy out"))
    _, tasks = run(tractor_farm, job)
    assert lines(trace) == [
        "start copy in",
        "end copy in",
        "start render",
        "end render",
        "start copy out",
        "end copy out",
    ]
    assert len(tasks) == 1


def test_a_failing_command_stops_its_task_and_its_parent(tractor_farm, trace):
    job = author.Job(title="failing")
    parent = job.newTask(title="parent", argv=step(trace, "parent"))
    task = parent.newTask(title="broken")
    task.newCommand(argv=step(trace, "one"))
    task.newCommand(argv=["/bin/sh", "-c", "exit 3"])
    task.newCommand(argv=step(trace, "never"))
    jid = job.spool()
    done = tractor_farm.wait(str(jid))
    assert done["status"] == "failed"
    states = {t["title"]: t["status"] for t in tractor_farm.tasks(str(jid))}
    assert states["broken"] == "failed"
    assert states["parent"] != "success"
    assert lines(trace) == ["start one", "end one"]


def test_an_instance_waits_for_the_task_it_names(tractor_farm, trace):
    job = author.Job(title="instances")
    setup = author.Task(title="setup", argv=step(trace, "setup", 0.4))
    left = job.newTask(title="left", argv=step(trace, "left"))
    right = job.newTask(title="right", argv=step(trace, "right"))
    left.addChild(setup)
    right.addChild(setup)  # added again: an Instance of setup
    assert "Instance {setup}" in job.asTcl()
    run(tractor_farm, job)
    order = lines(trace)
    assert order[:2] == ["start setup", "end setup"]
    assert sorted(order[2:]) == ["end left", "end right", "start left", "start right"]


def test_a_job_the_farm_refuses_raises_spool_error_with_the_position(tractor_farm):
    job = author.Job(title="bad instance")
    job.newTask(title="t", argv=["true"]).addChild(author.Instance(title="nowhere"))
    before = tractor_farm.get("/api/v1/jobs").json()["data"]
    with pytest.raises(author.SpoolError) as caught:
        job.spool(block=True)
    url = "{}/Tractor/spool".format(tractor_farm.url)
    assert str(caught.value) == (
        "spool: the engine at {} refused the job (HTTP 400): job script line 5, column 5:"
        " Instance 'nowhere' refers to no task; task titles in this job: 't'".format(url)
    )
    assert caught.value.status == 400
    assert tractor_farm.get("/api/v1/jobs").json()["data"] == before


def test_a_paused_job_is_refused_rather_than_run_now(tractor_farm):
    job = author.Job(title="for later", paused=True)
    job.newTask(title="t", argv=["true"])
    with pytest.raises(author.SpoolError) as caught:
        job.spool()
    assert str(caught.value).endswith(
        "(HTTP 400): job script line 1, column 24: Job -paused 1 is not supported on the local"
        " farm (it cannot hold a job until it is unpaused); remove it, or spool to a Tractor"
        " engine (TRACTOR_ENGINE)"
    )
    assert tractor_farm.get("/api/v1/jobs").json()["data"] == []


def _post(farm, body, content_type="application/tractor-spool", auth=True, **params):
    headers = {"Content-Type": content_type}
    if auth:
        headers["Authorization"] = farm.session.headers["Authorization"]
    return requests.post(
        farm.url + "/Tractor/spool", data=body, headers=headers, params=params, timeout=30
    )


@pytest.mark.parametrize(
    "body, content_type, status, message, field",
    [
        (
            b"Job -title {x} -subtasks {\n  Tsk {a}\n}",
            "application/tractor-spool",
            400,
            "job script line 2, column 3: unknown operator 'Tsk' in -subtasks; expected Task or"
            " Instance",
            "job script line 2, column 3",
        ),
        (
            b'{"title": "x"}',
            "application/tractor-spool-json",
            400,
            "Tractor's JSON job format is not supported by the local farm; spool the Tcl job"
            " script (Content-Type: application/tractor-spool)",
            "Content-Type",
        ),
        (
            b"Job -title x",
            "image/png",
            400,
            "unsupported Content-Type 'image/png'; expected application/tractor-spool",
            "Content-Type",
        ),
        (
            b"Job -title \xff",
            "application/tractor-spool",
            400,
            "the job script is not UTF-8 text (byte 11 of the body)",
            "body",
        ),
        (b"  \n", "application/tractor-spool", 400, "the job script is empty", "body"),
    ],
)
def test_bad_spool_requests_are_refused_and_store_nothing(
    tractor_farm, body, content_type, status, message, field
):
    reply = _post(tractor_farm, body, content_type)
    assert reply.status_code == status
    answer = reply.json()
    assert answer == {"rc": 1, "msg": message, "error": message, "field": field}
    assert tractor_farm.get("/api/v1/jobs").json()["data"] == []


def test_spooling_needs_the_farm_s_token(tractor_farm):
    script = "Job -title x -subtasks {Task t -cmds {RemoteCmd {true}}}"
    reply = _post(tractor_farm, script.encode(), auth=False)
    assert reply.status_code == 401
    assert reply.json()["error"].startswith("missing 'Authorization: Bearer <token>'")
    assert tractor_farm.get("/api/v1/jobs").json()["data"] == []


def test_tractor_engine_naming_the_local_farm_spools_with_its_key(tractor_farm, monkeypatch):
    monkeypatch.setenv("TRACTOR_ENGINE", tractor_farm.url[len("http://") :])
    job = author.Job(title="x")
    job.newTask(title="t", argv=["true"])
    assert tractor_farm.wait(str(job.spool()))["status"] == "success"


def test_raw_spool_answers_like_a_tractor_engine(tractor_farm):
    script = "Job -title raw -subtasks {Task t -cmds {RemoteCmd {true}}}"
    reply = _post(
        tractor_farm,
        script.encode(),
        jobOwner="donovan",
        blocking="spool",
        spvers="2.0",
        hnm="ws1",
        jobFile="/tmp/raw.alf",
        cwd="/tmp",
    )
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["rc"] == 0 and isinstance(answer["jid"], int)
    assert answer["msg"] == "job script accepted, jid: {} (1 tasks)".format(answer["jid"])
    job = tractor_farm.wait(str(answer["jid"]))
    assert job["owner"] == "donovan" and job["status"] == "success"


def test_spool_starts_the_local_farm_when_none_runs(farm_factory, monkeypatch, trace):
    handle = farm_factory("fresh", start=False)  # stopped at the end of the test
    handle.paths.ensure()
    with open(handle.paths.config, "w") as config:
        json.dump(handle.config, config)
    monkeypatch.setenv("FARMHAND_HOME", handle.home)
    monkeypatch.delenv("TRACTOR_ENGINE", raising=False)
    monkeypatch.setattr(engine, "THE_CLIENT", engine.EngineClient())
    assert not control.is_running(handle.paths)
    job = author.Job(title="auto")
    job.newTask(title="t", argv=step(trace, "auto"))
    jid = job.spool()
    assert control.is_running(handle.paths)
    handle.start()  # attaches to the farm the spool started
    assert handle.wait(str(jid))["status"] == "success"
    assert lines(trace) == ["start auto", "end auto"]


def test_spool_restarts_a_farm_that_was_killed(tractor_farm, trace):
    first = author.Job(title="before")
    first.newTask(title="t", argv=step(trace, "before"))
    run(tractor_farm, first)
    tractor_farm.kill9()  # leaves its port and pid files behind
    second = author.Job(title="after")
    second.newTask(title="t", argv=step(trace, "after"))
    jid = second.spool()
    tractor_farm.restart()
    assert tractor_farm.wait(str(jid))["status"] == "success"
    assert lines(trace) == ["start before", "end before", "start after", "end after"]


def test_spools_from_one_script_exchange_the_key_once(tractor_farm):
    jobs = []
    for title in ("one", "two"):
        job = author.Job(title=title)
        job.newTask(title="t", argv=["true"])
        jobs.append(job)
    first = jobs[0].spool()
    transport = engine.THE_CLIENT._local_farm
    token = transport.token()
    second = jobs[1].spool()
    assert engine.THE_CLIENT._local_farm is transport and transport.token() == token
    for jid in (first, second):
        assert tractor_farm.wait(str(jid))["status"] == "success"
