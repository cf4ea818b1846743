"""What ``Job.spool()`` sends, and how it reports engines that refuse or do not answer.

A small recording HTTP server stands in for a remote Tractor engine here so the exact request
(path, query, headers, body) can be asserted; spooling to the real local farm is tested in
tests/farm/test_tractor_*.py.
"""

import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from tractor_seed import seed_job

import farmhand.api.tractor.author as author
from farmhand.api.tractor.author import engine


class RecordingEngine(object):
    def __init__(self, status=200, body=None):
        self.status = status
        self.body = body if body is not None else json.dumps({"rc": 0, "msg": "ok", "jid": 42})
        self.requests = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                recorder.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode("utf-8"),
                    }
                )
                payload = recorder.body.encode("utf-8")
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def fresh_engine_client(monkeypatch):
    """The engine client is module state (as in Tractor's API): give each test a clean one."""
    monkeypatch.setattr(engine, "THE_CLIENT", engine.EngineClient())
    for name in ("TRACTOR_ENGINE", "TRACTOR_USER", "TRACTOR_PASSWORD", "TRACTOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USER", "donovan")
    yield
    engine.THE_CLIENT.close()


def test_spool_posts_the_script_the_way_tractor_does(monkeypatch):
    job = seed_job()
    with RecordingEngine() as fake:
        monkeypatch.setenv("TRACTOR_ENGINE", "127.0.0.1:{}".format(fake.port))
        assert job.spool() == 42
    (request,) = fake.requests
    url = urlsplit(request["path"])
    assert url.path == "/Tractor/spool"
    query = dict(parse_qsl(url.query))
    assert query["spvers"] == "2.0"
    assert query["jobOwner"] == "donovan"
    assert query["hnm"] == socket.gethostname()
    assert query["jobFile"] == "no filename specified"
    assert query["cwd"] == os.getcwd()
    assert "jobAuthor" in query
    assert "blocking" not in query
    assert request["headers"]["Content-Type"] == "application/tractor-spool"
    assert request["headers"]["Cookie"] == "TractorUser=donovan"
    assert request["body"] == job.asTcl()


def test_block_owner_and_spool_file_are_sent():
    job = seed_job()
    with RecordingEngine() as fake:
        author.setEngineClientParam(hostname="127.0.0.1", port=fake.port, user="cher")
        job.spool(block=True, owner="sonny", spoolfile="/shows/x/job.alf", spoolhost="ws12")
    query = dict(parse_qsl(urlsplit(fake.requests[0]["path"]).query))
    assert query["blocking"] == "spool"
    assert query["jobOwner"] == "sonny"
    assert query["jobFile"] == "/shows/x/job.alf"
    assert query["hnm"] == "ws12"
    assert fake.requests[0]["headers"]["Cookie"] == "TractorUser=cher"


def test_explicit_parameters_win_over_tractor_engine(monkeypatch):
    monkeypatch.setenv("TRACTOR_ENGINE", "127.0.0.1:1")  # nothing listens there
    with RecordingEngine() as fake:
        author.setEngineClientParam(hostname="127.0.0.1", port=fake.port)
        assert seed_job().spool() == 42
        author.closeEngineClient()
        assert seed_job().spool(hostname="127.0.0.1", port=fake.port) == 42
    assert len(fake.requests) == 2


def test_debug_logs_the_exchange(capsys):
    with RecordingEngine() as fake:
        author.setEngineClientParam(hostname="127.0.0.1", port=fake.port, debug=True)
        seed_job().spool()
    err = capsys.readouterr().err
    assert "POST http://127.0.0.1:{}/Tractor/spool".format(fake.port) in err
    assert "HTTP 200" in err


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_engine_that_does_not_answer_raises_spool_error_with_the_url():
    port = _free_port()
    author.setEngineClientParam(hostname="127.0.0.1", port=port)
    with pytest.raises(author.SpoolError) as caught:
        seed_job().spool()
    url = "http://127.0.0.1:{}/Tractor/spool".format(port)
    # a few words, not urllib3's nested "HTTPConnectionPool(...): Max retries exceeded..."
    assert str(caught.value) == "spool: cannot reach the engine at {}: connection refused".format(
        url
    )
    assert caught.value.url == url
    assert isinstance(caught.value, author.AuthorError)


@pytest.mark.parametrize(
    "status, body, message",
    [
        (
            400,
            json.dumps({"rc": 1, "msg": "line 3: unknown operator Tsk"}),
            "refused the job (HTTP 400): line 3: unknown operator Tsk",
        ),
        (500, "internal trouble", "refused the job (HTTP 500): internal trouble"),
        (
            200,
            json.dumps({"rc": 2, "msg": "spooling is paused"}),
            "refused the job (rc 2): spooling is paused",
        ),
        (200, "<html>", "answered with something that is not a JSON object: '<html>'"),
        (200, json.dumps({"rc": 0}), "did not answer with a job id: {'rc': 0}"),
    ],
)
def test_engine_refusals_raise_spool_error_with_the_engine_message(status, body, message):
    with RecordingEngine(status=status, body=body) as fake:
        author.setEngineClientParam(hostname="127.0.0.1", port=fake.port)
        with pytest.raises(author.SpoolError) as caught:
            seed_job().spool()
    url = "http://127.0.0.1:{}/Tractor/spool".format(fake.port)
    assert str(caught.value) == "spool: the engine at {} {}".format(url, message)


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"host": "x"},
            "setEngineClientParam.host: unknown engine client parameter; valid parameters:"
            " hostname, port, user, password, debug",
        ),
        (
            {"port": "8000"},
            "setEngineClientParam.port: invalid value '8000' (str); expected a port number"
            " from 1 to 65535",
        ),
        (
            {"port": 70000},
            "setEngineClientParam.port: invalid value 70000 (int); expected a port number"
            " from 1 to 65535",
        ),
        (
            {"hostname": ""},
            "setEngineClientParam.hostname: invalid value '' (str); expected a non-empty string",
        ),
        (
            {"debug": "yes"},
            "setEngineClientParam.debug: invalid value 'yes' (str); expected True or False",
        ),
        (
            {"password": 1234},
            "setEngineClientParam.password: invalid value 1234 (int); expected a string or None",
        ),
    ],
)
def test_bad_engine_parameters_are_refused(params, message):
    before = vars(engine.THE_CLIENT).copy()
    # a valid parameter next to the bad one is not applied either: all or nothing
    params = dict({"hostname": "engine-a"}, **params)
    with pytest.raises(author.AuthorError) as caught:
        author.setEngineClientParam(**params)
    assert str(caught.value) == message
    assert vars(engine.THE_CLIENT) == before


@pytest.mark.parametrize(
    "value, message",
    [
        (
            "engine:http",
            "TRACTOR_ENGINE: invalid port 'http' in engine 'engine:http'; expected a number"
            " from 1 to 65535",
        ),
        (":8000", "TRACTOR_ENGINE: invalid engine ':8000'; expected host or host:port"),
    ],
)
def test_bad_tractor_engine_variable_is_refused(monkeypatch, value, message):
    monkeypatch.setenv("TRACTOR_ENGINE", value)
    with pytest.raises(author.AuthorError) as caught:
        seed_job().spool()
    assert str(caught.value) == message


def test_tractor_engine_without_port_means_port_80():
    assert engine.parse_engine("tractor-engine") == ("tractor-engine", 80)
    assert engine.parse_engine("farm:8080") == ("farm", 8080)


def test_bad_spool_arguments_are_refused():
    with pytest.raises(author.AuthorError) as caught:
        seed_job().spool(owner=5)
    assert str(caught.value) == "spool.owner: invalid value 5 (int); expected a non-empty string"
    with pytest.raises(author.AuthorError) as caught:
        seed_job().spool(hostname="127.0.0.1", port=0)
    assert str(caught.value) == (
        "spool.port: invalid value 0 (int); expected a port number from 1 to 65535"
    )


def test_a_job_that_cannot_be_written_is_not_sent():
    with RecordingEngine() as fake:
        author.setEngineClientParam(hostname="127.0.0.1", port=fake.port)
        with pytest.raises(author.RequiredValueError):
            author.Job(title="no tasks").spool()
    assert fake.requests == []
