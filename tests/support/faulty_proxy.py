"""A TCP proxy in front of a real local farm that breaks chosen requests on purpose.

The faults of a network and of a farm that a client must survive, produced on a loopback
socket instead of faked inside the client: ``cut(...)`` forwards part of a request body and
then closes both connections (a dropped connection mid-upload; the farm sees a truncated
body), ``fail(...)`` answers a request with an HTTP error itself without forwarding it (a
farm answering 500), ``drop_answer(...)`` forwards a request whole and lets the farm answer,
then closes the client's connection without the answer (a reply lost on the way back),
``delay_answer(...)`` holds the farm's answer back for some seconds (a slow farm or
network). Everything else passes through untouched, so the farm really stores
what the client really sends. The farm builds its upload URLs from the ``Host`` the client
used, so a client that talks to the proxy keeps talking to the proxy.

It understands just enough HTTP/1.1 for Farmhand's client and the farm: requests and
responses with ``Content-Length`` (or none), keep-alive connections, one request at a time
per connection. ``log`` records ``(method, path, body bytes forwarded, what happened)``.
"""

import socket
import threading
import time


class _Rule(object):
    def __init__(self, method, path_contains, times, **action):
        self.method = method
        self.path_contains = path_contains
        self.times = times
        self.action = action

    def matches(self, method, path):
        return (
            self.times != 0
            and (self.method is None or self.method == method)
            and self.path_contains in path
        )


def _read_head(sock, buffer):
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            return None, buffer
        buffer += data
    head, rest = buffer.split(b"\r\n\r\n", 1)
    return head + b"\r\n\r\n", rest


def _content_length(head):
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _relay_body(source, target, rest, length, limit=None):
    """Forward ``length`` body bytes (``rest`` first); stop after ``limit`` bytes. Returns
    (bytes forwarded, leftover read past the body)."""
    sent = 0
    while sent < length:
        if not rest:
            rest = source.recv(1024 * 1024)
            if not rest:
                break
        take = rest[: length - sent]
        rest = rest[len(take) :]
        if limit is not None and sent + len(take) > limit:
            take = take[: max(0, limit - sent)]
            if take:
                target.sendall(take)
            return sent + len(take), None
        target.sendall(take)
        sent += len(take)
    return sent, rest


class FaultyProxy(object):
    def __init__(self, upstream_url):
        host_port = upstream_url.split("://", 1)[1].rstrip("/")
        host, port = host_port.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.rules = []
        self.log = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = "http://127.0.0.1:{}".format(self.listener.getsockname()[1])
        self.closed = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    # -- faults -----------------------------------------------------------------------------

    def cut(self, path_contains, after_bytes, times=1, method="PUT"):
        """Close both sides after forwarding ``after_bytes`` of the body of matching requests."""
        with self.lock:
            self.rules.append(_Rule(method, path_contains, times, cut=after_bytes))

    def fail(self, path_contains, status=500, times=1, method=None, body=b"boom"):
        """Answer matching requests with ``status`` (``times=-1``: always) without forwarding."""
        with self.lock:
            self.rules.append(_Rule(method, path_contains, times, status=status, body=body))

    def drop_answer(self, path_contains, times=1, method="POST"):
        """Forward matching requests whole, read the farm's answer, close the client's side."""
        with self.lock:
            self.rules.append(_Rule(method, path_contains, times, drop=True))

    def delay_answer(self, path_contains, seconds, times=1, method="POST"):
        """Forward matching requests, hold the farm's answer ``seconds`` before relaying it."""
        with self.lock:
            self.rules.append(_Rule(method, path_contains, times, delay=seconds))

    def clear(self):
        with self.lock:
            self.rules = []

    def requests(self, path_contains="", method=None):
        with self.lock:
            return [
                entry
                for entry in self.log
                if path_contains in entry[1] and (method is None or entry[0] == method)
            ]

    def close(self):
        self.closed = True
        self.listener.close()

    # -- pumping ----------------------------------------------------------------------------

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _rule_for(self, method, path):
        with self.lock:
            for rule in self.rules:
                if rule.matches(method, path):
                    if rule.times > 0:
                        rule.times -= 1
                    return rule
        return None

    def _serve(self, client):
        upstream = None
        buffer = b""
        try:
            while True:
                head, buffer = _read_head(client, buffer)
                if head is None:
                    return
                method, path = head.split(b" ", 2)[:2]
                method, path = method.decode(), path.decode()
                length = _content_length(head)
                rule = self._rule_for(method, path)
                if rule is not None and "status" in rule.action:
                    sent, buffer = _relay_body(client, _Sink(), buffer, length)
                    body = rule.action["body"]
                    # recorded before answering: the client may read the log as soon as it
                    # has the answer (recorded after, the last fault was sometimes missing)
                    self._record(method, path, 0, rule.action["status"])
                    client.sendall(
                        "HTTP/1.1 {} Fault\r\nContent-Length: {}\r\nContent-Type: text/plain"
                        "\r\n\r\n".format(rule.action["status"], len(body)).encode()
                        + body
                    )
                    continue
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                upstream.sendall(head)
                limit = rule.action.get("cut") if rule is not None else None
                sent, buffer = _relay_body(client, upstream, buffer, length, limit)
                if buffer is None:  # cut: both connections die mid-body
                    self._record(method, path, sent, "cut")
                    return
                if rule is not None and rule.action.get("drop"):
                    answered = self._relay_response(upstream, _Sink(), method)
                    # (a farm that died meanwhile gave no answer to drop)
                    self._record(method, path, sent, "answer dropped" if answered else "no answer")
                    return
                self._record(method, path, sent, "forwarded")
                if rule is not None and "delay" in rule.action:
                    time.sleep(rule.action["delay"])
                if not self._relay_response(upstream, client, method):
                    return
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()

    def _relay_response(self, upstream, client, method):
        head, rest = _read_head(upstream, b"")
        if head is None:
            return False
        client.sendall(head)
        status = int(head.split(b" ", 2)[1])
        length = 0 if method == "HEAD" or status in (204, 304) else _content_length(head)
        _, leftover = _relay_body(upstream, client, rest, length)
        return leftover is not None

    def _record(self, method, path, sent, what):
        with self.lock:
            self.log.append((method, path.split("?", 1)[0], sent, what))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Sink(object):
    def sendall(self, data):
        pass
