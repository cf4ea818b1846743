"""``farmhand farm serve|start|stop|status|credentials`` as a user runs them."""

import json
import os
import signal
import socket
import subprocess
import sys

import pytest
import requests

FARMHAND = [sys.executable, "-m", "farmhand"]


def read(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def run(*args, check=True):
    result = subprocess.run(FARMHAND + list(args), capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(autouse=True)
def stop_farm_after():
    yield
    run("farm", "stop", check=False)


def test_start_status_credentials_stop(farmhand_home):
    result = run("farm", "status", check=False)
    assert result.returncode == 3
    assert result.stdout == "farm not running\n"

    started = run("farm", "start", "--slots", "3")
    url = started.stdout.strip().split()[-1]
    assert started.stdout == "farm running at {}\n".format(url)
    assert url.startswith("http://127.0.0.1:")
    # A second start finds the running farm.
    assert run("farm", "start").stdout == started.stdout

    status = run("farm", "status").stdout.splitlines()
    pid = int(read(str(farmhand_home), "farm", "farm.pid"))
    assert status[0] == "farm running at {} (pid {}, 3 slots, 0 running)".format(url, pid)
    assert status[1] == "home: {}".format(os.path.join(str(farmhand_home), "farm"))
    assert status[2:] == ["jobs: none", "tasks: none"]

    lines = run("farm", "credentials").stdout
    shown = subprocess.run(
        ["sh", "-c", lines + 'printf "%s\\n%s" "$CONDUCTOR_URL" "$CONDUCTOR_API_KEY"'],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shown[0] == url
    key = json.loads(shown[1])
    token = requests.get(
        url + "/api/oauth_jwt",
        params={"client_id": key["client_id"], "client_secret": key["private_key"]},
    ).json()
    assert token["token_type"] == "Bearer"

    assert run("farm", "stop").stdout == "farm stopped\n"
    assert run("farm", "stop").stdout == "no farm was running\n"
    assert run("farm", "status", check=False).returncode == 3
    assert not os.path.exists(os.path.join(str(farmhand_home), "farm", "farm.pid"))


def test_status_counts_jobs_and_tasks(farmhand_home):
    url = run("farm", "start").stdout.split()[-1]
    key = json.loads(read(str(farmhand_home), "farm", "api_key.json"))
    token = requests.get(
        url + "/api/oauth_jwt",
        params={"client_id": key["client_id"], "client_secret": key["private_key"]},
    ).json()["access_token"]
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + token
    kind = session.get(url + "/api/v1/instance-types").json()["data"][0]["name"]
    payload = {
        "project": "default",
        "instance_type": kind,
        "tasks_data": [{"command": "true"}, {"command": "exit 1"}],
    }
    jid = session.post(url + "/jobs/", data=json.dumps(payload)).json()["jobid"]
    revision = -1
    while True:
        job = session.get(
            url + "/api/v1/jobs/" + jid, params={"wait": 10, "revision": revision}
        ).json()["data"]
        if job["status"] == "failed":
            break
        revision = job["revision"]
    status = run("farm", "status").stdout.splitlines()
    assert status[2:] == ["jobs: 1 failed", "tasks: 1 failed, 1 success"]


def test_serve_in_the_foreground_stops_on_interrupt(farmhand_home):
    process = subprocess.Popen(
        FARMHAND + ["farm", "serve", "--port", "0", "--slots", "1"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while not line.startswith("farmhand farm: listening on "):
            line = process.stderr.readline()
            assert line, "farm serve exited early"
        url = line.strip().split()[-1]
        assert requests.get(url + "/api/v1/jobs").status_code == 401
        assert run("farm", "status").stdout.startswith("farm running at " + url)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert run("farm", "status", check=False).returncode == 3


def test_serve_on_a_busy_port_says_so(farmhand_home):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        result = run("farm", "serve", "--port", str(port), check=False)
    finally:
        busy.close()
    assert result.returncode == 1
    assert (
        "farmhand farm: error: cannot listen on 127.0.0.1:{} (Address already in use); pick"
        " another port with --port".format(port)
    ) in result.stderr


def test_start_on_a_busy_port_says_so(farmhand_home):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        result = run("farm", "start", "--port", str(port), check=False)
    finally:
        busy.close()
    assert result.returncode == 1
    assert result.stderr.startswith(
        "farmhand: error: the farm did not start: cannot listen on 127.0.0.1:{} (Address already"
        " in use); pick another port with --port; see ".format(port)
    )


def test_second_serve_on_the_same_home_is_refused(farmhand_home):
    run("farm", "start")
    result = run("farm", "serve", "--port", "0", check=False)
    assert result.returncode == 1
    pid = read(str(farmhand_home), "farm", "farm.pid").strip()
    assert (
        "farmhand farm: error: a farm is already running for {} (pid {}); stop it with"
        " `farmhand farm stop`".format(os.path.join(str(farmhand_home), "farm"), pid)
        in result.stderr
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["farm", "start", "--slots", "0"], "argument --slots: must be at least 1, got 0"),
        (["farm", "start", "--slots", "two"], "argument --slots: expected an integer, got 'two'"),
        (["farm", "serve", "--port", "70000"], "argument --port: port 70000 is not in 0..65535"),
        (
            ["farm", "serve", "--port", "http"],
            "argument --port: expected a port number, got 'http'",
        ),
        (["farm", "launch"], "argument ACTION: invalid choice: 'launch'"),
    ],
)
def test_bad_arguments(farmhand_home, args, message):
    result = run(*args, check=False)
    assert result.returncode == 2
    assert message in result.stderr


def test_bad_config_file_stops_the_start_with_its_reason(farmhand_home):
    folder = os.path.join(str(farmhand_home), "farm")
    os.makedirs(folder)
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump({"slots": 0}, handle)
    result = run("farm", "start", check=False)
    assert result.returncode == 1
    assert (
        "{}: slots: expected an integer >= 1, got 0".format(os.path.join(folder, "config.json"))
        in result.stderr
    )


def test_ensure_running_from_two_processes_at_once_starts_one_farm(farmhand_home):
    script = "from farmhand.farm import control; url, key = control.ensure_running(); print(url)"
    processes = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    urls = {process.communicate(timeout=120)[0].strip() for process in processes}
    assert all(process.returncode == 0 for process in processes)
    assert len(urls) == 1 and urls.pop().startswith("http://127.0.0.1:")
    status = run("farm", "status").stdout
    assert status.startswith("farm running at ")
