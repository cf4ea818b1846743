"""No secret appears in what Farmhand prints, logs, stores or sends back.

A real flow runs against a farm whose API key, signing secret and tokens are recognisable:
farm start, the credentials command, preview, submit (with an environment and a failing task),
listings, task logs, requests with a wrong key, and a request for a job that does not exist.
Every output, every file under FARMHAND_HOME (logs, the SQLite database and its journal,
job records, the store) and every task log is then searched for the secrets.
"""

import json
import logging
import os
import re
import subprocess
import sys

import pytest

from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.gridmarkets.envoy_service import EnvoyService
from farmhand.core.errors import FarmhandError
from farmhand.farm import control
from farmhand.farm.paths import FarmPaths

pytestmark = [pytest.mark.timeout(240), pytest.mark.slow]

PRIVATE_KEY = "PRIVKEYsecret0123456789abcdefRECOGNISABLE"
CLIENT_ID = "farmhand-secretsclient"
SIGNING_SECRET = "SIGNINGsecret" + "9" * 40
WRONG_KEY = "WRONGKEYsecret0123456789xyzRECOGNISABLE"
ENV_TOKEN = "ENVTOKENsecret42"  # a user's own token, handed to the task via the job's env
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{20,}")

JOB = {
    "job_title": "secrets flow",
    "project": "default",
    "instance_type": "standard-1",
    "output_path": "",
    "environment": {"STUDIO_TOKEN": ENV_TOKEN},
    "tasks_data": [
        {"command": "env | sort; echo token-length ${#STUDIO_TOKEN}", "frames": "1"},
        {"command": "echo failing on purpose; exit 3", "frames": "2"},
    ],
}


def _write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _farmhand(args, env, check=None):
    done = subprocess.run(
        [sys.executable, "-m", "farmhand.cli.main"] + args,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check is not None:
        assert done.returncode == check, (args, done.stdout, done.stderr)
    return done


def _secrets(token):
    return [PRIVATE_KEY, SIGNING_SECRET, WRONG_KEY, token, token.rsplit(".", 1)[1]]


def _assert_clean(where, text, secrets):
    for secret in secrets:
        assert secret not in text, "{} shows a secret ({}...)".format(where, secret[:8])
    assert not JWT.search(text), "{} shows a bearer token".format(where)


@pytest.fixture
def flow_home(tmp_path):
    home = tmp_path / "home"
    paths = FarmPaths(str(home / "farm")).ensure()
    _write_private(paths.api_key, json.dumps({"client_id": CLIENT_ID, "private_key": PRIVATE_KEY}))
    _write_private(paths.secret, SIGNING_SECRET)
    with open(paths.config, "w") as handle:
        handle.write('{"probe_software": false}')
    env = dict(os.environ, FARMHAND_HOME=str(home))
    for name in ("CONDUCTOR_URL", "CONDUCTOR_API_KEY", "CONDUCTOR_API_KEY_PATH"):
        env.pop(name, None)
    yield home, paths, env
    control.stop(paths)


def test_a_whole_flow_leaks_no_secret(flow_home, tmp_path):
    home, paths, env = flow_home
    outputs = {}
    outputs["farm start"] = _farmhand(["farm", "start"], env, check=0)
    url = control.farm_url(paths)
    assert url
    key_json = json.dumps({"client_id": CLIENT_ID, "private_key": PRIVATE_KEY})
    token = control.get_token(url, key_json)
    secrets = _secrets(token)

    # The credentials command prints the key on purpose (for eval): that output only.
    credentials = _farmhand(["farm", "credentials"], env, check=0)
    assert PRIVATE_KEY in credentials.stdout

    job_file = tmp_path / "job.json"
    job = dict(JOB)
    job_file.write_text(json.dumps(job))
    outputs["preview"] = _farmhand(["preview", str(job_file)], env, check=0)
    outputs["submit"] = _farmhand(["submit", "--wait", str(job_file)], env)
    assert outputs["submit"].returncode != 0  # one task fails on purpose
    job_id = outputs["submit"].stdout.split()[0]
    outputs["jobs"] = _farmhand(["jobs"], env, check=0)
    outputs["job"] = _farmhand(["jobs", job_id], env, check=0)
    outputs["logs 0"] = _farmhand(["logs", job_id, "0"], env, check=0)
    outputs["logs 1"] = _farmhand(["logs", job_id, "1"], env, check=0)
    assert "token-length {}".format(len(ENV_TOKEN)) in outputs["logs 0"].stdout
    outputs["missing job"] = _farmhand(["jobs", "99999"], env)
    assert outputs["missing job"].returncode != 0
    outputs["status"] = _farmhand(["farm", "status"], env, check=0)

    # The same farm reached by URL with a wrong key, a malformed key and the right key.
    wrong = json.dumps({"client_id": CLIENT_ID, "private_key": WRONG_KEY})
    for name, key in (("wrong key", wrong), ("malformed key", WRONG_KEY), ("url", key_json)):
        remote_env = dict(env, CONDUCTOR_API_KEY=key)
        outputs[name] = _farmhand(["jobs", "--farm", url], remote_env)
    assert outputs["wrong key"].returncode != 0 and outputs["malformed key"].returncode != 0
    assert outputs["url"].returncode == 0, outputs["url"].stderr
    assert "refused" in outputs["wrong key"].stderr or "401" in outputs["wrong key"].stderr
    outputs["farm stop"] = _farmhand(["farm", "stop"], env, check=0)

    # The task's environment is the job's, not the farm's or the client's: no farm secret.
    env_lines = outputs["logs 0"].stdout
    assert "STUDIO_TOKEN=" + ENV_TOKEN in env_lines  # the user's own variable, as asked
    for name, done in outputs.items():
        _assert_clean(name + " (stdout)", done.stdout, secrets)
        _assert_clean(name + " (stderr)", done.stderr, secrets)

    searched = 0
    for folder, _, names in os.walk(str(home)):
        for name in names:
            path = os.path.join(folder, name)
            if path in (paths.api_key, paths.secret):
                continue
            with open(path, "rb") as handle:
                data = handle.read().decode("latin-1")
            _assert_clean(path, data, secrets)
            searched += 1
    assert searched >= 5  # the database, its journal, serve.log, task logs...
    assert os.path.exists(paths.db) and os.path.exists(paths.serve_log)


def test_conductor_connector_errors_and_reprs_hold_no_key(live_farm, caplog):
    """A service reached by URL: errors, their ``url`` and reprs hold no key. (Conductor's
    protocol itself puts the key in the token exchange's query string, as ciocore does, so
    urllib3's own DEBUG log of that URL is not searched here; see SECURITY.md.)"""
    caplog.set_level(logging.DEBUG)
    wrong = json.dumps({"client_id": "someone", "private_key": WRONG_KEY})
    texts = []
    for url in (live_farm.url, "http://127.0.0.1:9"):
        connector = ConductorConnector.at_url(url, {"CONDUCTOR_API_KEY": wrong})
        texts.append(repr(connector))
        texts.append(repr(vars(connector)))
        texts.append(repr(connector.http.api_key))
        with pytest.raises(FarmhandError) as caught:
            connector.jobs()
        texts.extend([str(caught.value), repr(caught.value), repr(vars(caught.value))])
        connector.close()
    assert "unknown API key client_id 'someone'" in texts[3]
    texts.extend(r.getMessage() for r in caplog.records if r.name.startswith("farmhand"))
    for text in texts:
        assert WRONG_KEY not in text


def test_the_local_farm_client_sends_the_key_in_no_url(live_farm, caplog, monkeypatch):
    """Farmhand's own client of the local farm posts the key in the body: no URL, so no log
    line (not even urllib3's DEBUG one) and no error holds it."""
    from farmhand.core.connectors.local_farm import local_farm_http

    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("FARMHAND_HOME", os.path.dirname(live_farm.paths.root))
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    http = local_farm_http()
    token = http.token()
    assert http.json("GET", "/api/v1/jobs") is not None
    http.close()
    key = json.loads(live_farm.api_key)["private_key"]
    assert "oauth_jwt" in caplog.text  # urllib3 logged the exchange...
    assert key not in caplog.text and token not in caplog.text  # ...without the key
    url, key_json = live_farm.url, live_farm.api_key
    control_token = control.get_token(url, key_json)
    assert control_token and key not in caplog.text


def test_envoy_credentials_stay_out_of_errors_and_reprs(caplog):
    from envoy_stand_in import EnvoyStandIn

    caplog.set_level(logging.DEBUG)
    texts = []
    with EnvoyStandIn(password="the-real-one") as stand_in:
        service = EnvoyService(stand_in.url, "artist@example.com", WRONG_KEY)
        texts.append(repr(service))
        with pytest.raises(FarmhandError) as caught:
            service.validate_auth()
            service.user_info()
        texts.extend([str(caught.value), repr(caught.value)])
    gone = EnvoyService("http://127.0.0.1:9", "artist@example.com", WRONG_KEY)
    with pytest.raises(FarmhandError) as caught:
        gone.user_info()
    texts.extend([str(caught.value), repr(caught.value), caplog.text])
    for text in texts:
        assert WRONG_KEY not in text


def test_the_gridmarkets_connector_keeps_its_key_to_itself(caplog):
    from envoy_stand_in import EnvoyStandIn

    from farmhand.core.connectors.gridmarkets.connector import GridMarketsConnector

    caplog.set_level(logging.DEBUG)
    texts = []
    with EnvoyStandIn(password="the-real-one") as stand_in:
        environ = {
            "GRIDMARKETS_ENVOY_URL": stand_in.url,
            "GRIDMARKETS_EMAIL": "artist@example.com",
            "GRIDMARKETS_ACCESS_KEY": WRONG_KEY,
        }
        connector = GridMarketsConnector.from_environment(environ)
        texts.extend([repr(connector), connector.describe()])
        with pytest.raises(FarmhandError) as caught:
            connector.service.validate_auth()
            connector.service.user_info()
        texts.extend([str(caught.value), repr(caught.value)])
        connector.close()
    unreachable = GridMarketsConnector.from_environment(
        dict(environ, GRIDMARKETS_ENVOY_URL="http://127.0.0.1:9")
    )
    with pytest.raises(FarmhandError) as caught:
        unreachable.catalogue()
    texts.extend([str(caught.value), repr(caught.value), caplog.text])
    for text in texts:
        assert WRONG_KEY not in text
