"""A few lines of the standard library's ``http.server`` standing in for whatever answers at a
wrong ``CONDUCTOR_URL`` (a web server, a proxy) or for a service with fixed answers."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class StandIn(object):
    """Answers each path with a fixed (status, content type, body); 404 with no body else."""

    def __init__(self, answers):
        answers = dict(answers)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                status, content_type, body = answers.get(path, (404, None, b""))
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}".format(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
