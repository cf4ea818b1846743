"""A stand-in for GridMarkets' Envoy service (which cannot run here): answers the endpoints
GridMarkets' published client uses with fixed JSON, and records every request, so tests can
check what Farmhand sends. It is not Envoy: it checks nothing but what a test gives it."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

PRODUCTS = [
    {"id": 1, "name": "Houdini", "app_type": "hou", "version": "17.5.173",
     "compatible_modules": ["hou_redshift:2.6.37", "hou_redshift:2.6.38", "htoa:4.0.1"]},
    {"id": 2, "name": "Houdini", "app_type": "hou", "version": "17.5.229",
     "compatible_modules": ["hou_redshift:2.6.38"]},
    {"id": 3, "name": "Blender", "app_type": "blender", "version": "3.4.1",
     "compatible_modules": []},
]
USER_INFO = {
    "created": "2019-07-01T15:27:48",
    "credits_available": 1000.0,
    "credits_consumed": 200.0,
    "email_address": "artist@example.com",
    "job_throughput_limit": 30,
    "max_throughput": 30,
    "name": "artist",
    "service_plan": "Standard",
}


class EnvoyStandIn(object):
    def __init__(self, credits=1000.0, password="secret"):
        self.requests = []
        self.answers = {
            ("GET", "/credits-info"): (200, {"credits_available": credits}),
            ("GET", "/user-info"): (200, {"data": dict(USER_INFO)}),
            ("GET", "/products"): (200, PRODUCTS),
            ("POST", "/upload"): (200, None),  # answered with the project's name
            ("POST", "/project-submit"): (201, {"status": "submitted"}),
        }
        self.password = password
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw.decode("utf-8")) if raw else None
                stand_in.requests.append((method, self.path, body))
                status, data = stand_in.answer(method, self.path, body)
                text = b"" if data is None else json.dumps(data).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def do_GET(self):  # noqa: N802 (http.server's names)
                self._answer("GET")

            def do_POST(self):  # noqa: N802
                self._answer("POST")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}".format(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def answer(self, method, path, body):
        if (method, path) == ("POST", "/auth"):
            ok = isinstance(body, dict) and body.get("AccessKey") == self.password
            return (200, {}) if ok else (401, {"error": "invalid credentials"})
        if method == "GET" and path.startswith("/project-status/"):
            return self.answers.get(("GET", path), (404, {"error": "no such project"}))
        status, data = self.answers.get((method, path), (404, {"error": "no route"}))
        if (method, path) == ("POST", "/upload") and data is None and status == 200:
            root = body["upload"][0]["remoteRoot"]
            return 200, {"ID": root.lstrip("/")}
        return status, data

    def sent(self, method, path):
        return [body for m, p, body in self.requests if (m, p) == (method, path)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
