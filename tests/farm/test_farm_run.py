"""Running tasks: commands, logs, exit codes, the environment, slots and order."""

import json
import os
import time

import pytest


def test_job_runs_to_success_with_logs_and_attempts(farm):
    jid = farm.submit(["echo hello from $FARMHAND_TASK_ID", "echo second"])
    job = farm.wait(jid)
    assert job["status"] == "success"
    assert job["tasks"]["success"] == 2
    tasks = farm.tasks(jid)
    assert [t["status"] for t in tasks] == ["success", "success"]
    assert [t["attempts"] for t in tasks] == [1, 1]
    assert all(t["exit_code"] == 0 and t["duration"] >= 0 for t in tasks)
    assert "hello from 000" in farm.log(jid, "000")
    detail = farm.task(jid, "001")
    assert [a["outcome"] for a in detail["attempts"]] == ["success"]
    assert detail["attempts"][0]["log"] == detail["log"]


def test_submit_answer_is_conductors(farm):
    reply = farm.post("/jobs/", farm.payload(["true"]))
    assert reply.status_code == 201
    body = reply.json()
    assert body == {
        "body": "job submitted.",
        "jobid": body["jobid"],
        "status": "success",
        "uri": "/jobs/" + body["jobid"],
    }
    assert len(body["jobid"]) == 5 and body["jobid"].isdigit()


def test_nonexistent_command_fails_with_the_shell_error_in_its_log(farm):
    jid = farm.submit(["definitely-not-a-command-xyz --flag"])
    job = farm.wait(jid)
    assert job["status"] == "failed"
    task = farm.tasks(jid)[0]
    assert task["status"] == "failed"
    assert task["exit_code"] == 127
    log = farm.log(jid, "000")
    assert "definitely-not-a-command-xyz: not found" in log
    assert "[farmhand] exit code 127" in log
    # ciocore's own log call sees the same lines.
    logs = farm.get("/get_log_file", job=jid, task="000", **{"num_lines[]": 0}).json()
    assert logs["task_status"] == "failed"
    assert any("not found" in line for line in logs["logs"][0]["log"])


def test_argv_command_that_does_not_exist_fails_clearly(farm):
    jid = farm.submit(payload=farm.payload([{"command": ["/no/such/program", "x"]}]))
    farm.wait(jid)
    task = farm.tasks(jid)[0]
    assert task["status"] == "failed" and task["exit_code"] == 127
    assert "[farmhand] cannot run '/no/such/program': No such file or directory" in farm.log(
        jid, "000"
    )


def test_exit_code_is_recorded(farm):
    jid = farm.submit(["exit 3"])
    farm.wait(jid)
    assert farm.tasks(jid)[0]["exit_code"] == 3


def test_multi_command_task_stops_at_first_failure(farm, tmp_path):
    trace = tmp_path / "trace"
    commands = [
        ["sh", "-c", "echo one >> {}".format(trace)],
        "echo two >> {}".format(trace),
        "false",
        "echo never >> {}".format(trace),
    ]
    jid = farm.submit(payload=farm.payload([{"commands": commands}]))
    farm.wait(jid)
    assert trace.read_text() == "one\ntwo\n"
    log = farm.log(jid, "000")
    assert log.count("[farmhand] exit code 0") == 2 and "[farmhand] exit code 1" in log


def test_argv_runs_without_a_shell(farm, tmp_path):
    target = tmp_path / "argv.txt"
    jid = farm.submit(
        payload=farm.payload(
            [
                {
                    "command": [
                        "/bin/sh",
                        "-c",
                        'printf "%s" "$1" > "$2"',
                        "sh",
                        "$HOME; `x`",
                        str(target),
                    ]
                }
            ]
        )
    )
    farm.wait(jid)
    assert target.read_text() == "$HOME; `x`"


def test_environment_is_clean_and_merged_by_package_policy(farm_factory, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAKY_TEST_VARIABLE", "from-the-farm-process")
    config = {
        "probe_software": False,
        "packages": [
            {
                "package_id": "tool-1",
                "product": "tool",
                "major_version": "1",
                "environment": [
                    {"name": "PATH", "value": "/opt/tool/bin", "merge_policy": "append"},
                    {
                        "name": "TOOL_PLUGINS",
                        "value": "/opt/tool/plugins",
                        "merge_policy": "prepend",
                    },
                ],
            }
        ],
    }
    farm = farm_factory(config=config)
    dump = tmp_path / "env.json"
    command = 'python3 -c \'import json, os; json.dump(dict(os.environ), open("{}", "w"))\''
    jid = farm.submit(
        [command.format(dump)],
        software_package_ids=["tool-1"],
        environment={"PATH": "/opt/tool/bin", "TOOL_PLUGINS": "/mine", "MY_VAR": "x y"},
    )
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")
    env = json.loads(dump.read_text())
    assert "LEAKY_TEST_VARIABLE" not in env
    assert env["PATH"].endswith(":/opt/tool/bin") and "/usr/bin" in env["PATH"]
    assert env["TOOL_PLUGINS"] == "/mine"  # prepend onto an empty base
    assert env["MY_VAR"] == "x y"
    assert env["FARMHAND_JOB_ID"] == jid and env["FARMHAND_TASK_ID"] == "000"
    assert env["FARMHAND_ATTEMPT"] == "1" and env["FARMHAND_FRAMES"] == "1"
    assert env["HOME"] and env["USER"]


def test_at_most_slots_tasks_run_at_once_in_priority_then_submission_order(farm, tmp_path):
    trace = tmp_path / "trace"
    # Hold the two slots with a job whose tasks wait for a file, then queue two more jobs.
    gate = tmp_path / "gate"
    blocker = farm.submit(["while [ ! -e {} ]; do sleep 0.02; done".format(gate)] * 2, priority=5)
    farm.wait(blocker, predicate=lambda j: j["tasks"]["running"] == 2)
    low = farm.submit(["echo low$FARMHAND_TASK_ID >> {}".format(trace)] * 2, priority=1)
    high = farm.submit(["echo high$FARMHAND_TASK_ID >> {}".format(trace)] * 2, priority=9)
    time.sleep(0.2)
    assert farm.job(low)["tasks"]["pending"] == 2
    assert farm.job(high)["tasks"]["pending"] == 2
    gate.write_text("go")
    for jid in (blocker, low, high):
        assert farm.wait(jid)["status"] == "success"
    # Started in priority order: every high task before any low task.
    high_starts = [t["started_at"] for t in farm.tasks(high)]
    low_starts = [t["started_at"] for t in farm.tasks(low)]
    assert max(high_starts) <= min(low_starts)
    assert sorted(trace.read_text().split()) == ["high000", "high001", "low000", "low001"]


def test_concurrency_never_exceeds_slots(farm_factory, tmp_path):
    farm = farm_factory(slots=3)
    marks = tmp_path / "marks"
    marks.mkdir()
    script = (
        "touch {d}/$FARMHAND_TASK_ID; n=$(ls {d} | wc -l); echo $n >> {d}.counts; sleep 0.1;"
        " rm {d}/$FARMHAND_TASK_ID"
    ).format(d=marks)
    jid = farm.submit([script] * 12)
    assert farm.wait(jid)["status"] == "success"
    counts = [int(n) for n in (tmp_path / "marks.counts").read_text().split()]
    assert max(counts) <= 3
    assert max(counts) >= 2  # it did run in parallel


def test_two_clients_submitting_at_once_both_complete(farm):
    import threading

    import requests

    results = {}

    def client(name):
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + farm.token()
        reply = session.post(
            farm.url + "/jobs/",
            data=json.dumps(farm.payload(["echo {} $FARMHAND_TASK_ID".format(name)] * 20)),
        )
        results[name] = reply

    threads = [threading.Thread(target=client, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    jids = {results[n].json()["jobid"] for n in ("a", "b")}
    assert all(results[n].status_code == 201 for n in ("a", "b"))
    assert len(jids) == 2
    for jid in jids:
        job = farm.wait(jid)
        assert job["status"] == "success" and job["tasks"]["success"] == 20


def test_task_working_directory_is_the_jobs_work_dir(farm, tmp_path):
    target = tmp_path / "cwd"
    jid = farm.submit(["pwd > {}".format(target)])
    farm.wait(jid)
    assert target.read_text().strip() == os.path.join(farm.paths.work, jid)


@pytest.mark.parametrize(
    "tid, message",
    [
        ("7", "job {jid} has no task 007 (it has tasks 000 to 000)"),
        ("x", "no task 'x' (task ids are numbers like 003)"),
    ],
)
def test_unknown_task_is_404(farm, tid, message):
    jid = farm.submit(["true"])
    reply = farm.get("/api/v1/jobs/{}/tasks/{}".format(jid, tid))
    assert reply.status_code == 404
    assert reply.json()["error"] == message.format(jid=jid)


def test_unknown_job_is_404(farm):
    reply = farm.get("/api/v1/jobs/00999")
    assert reply.status_code == 404
    assert reply.json()["error"] == "no job 00999"


def test_tasks_inherit_no_descriptor_of_the_farm(farm, tmp_path):
    listing = tmp_path / "fds"
    probe = (
        "import os\n"
        "def is_open(fd):\n"
        "    try:\n"
        "        os.fstat(fd)\n"
        "        return True\n"
        "    except OSError:\n"
        "        return False\n"
        "found = [fd for fd in range(4096) if is_open(fd)]\n"
        "open({!r}, 'w').write(repr(found))\n"
    ).format(str(listing))
    jid = farm.submit(payload=farm.payload([{"command": ["python3", "-c", probe]}]))
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")
    assert listing.read_text() == "[0, 1, 2]"


def test_argv_program_is_found_in_the_tasks_path(farm, tmp_path):
    tools = tmp_path / "tools"
    tools.mkdir()
    tool = tools / "my-tool"
    tool.write_text("#!/bin/sh\necho tool ran with $1\n")
    tool.chmod(0o755)
    jid = farm.submit(
        payload=farm.payload([{"command": ["my-tool", "arg"]}], environment={"PATH": str(tools)})
    )
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")
    assert "tool ran with arg" in farm.log(jid, "000")
