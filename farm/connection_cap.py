"""A cap on the farm's open connections, so no process on the machine can take them all.

aiohttp accepts every connection and has no per-peer limit (and on loopback every peer is
127.0.0.1). Any local user can connect without the key, so without a cap one of them could
hold thousands of idle connections and leave the farm no file descriptors for its database,
store and task logs. Over the cap a new connection is answered at once with a 503 naming it
and closed; those already open carry on. The cap is far above what Farmhand's own clients
open (a submitter's upload threads, the UI, the CLI), so it only bites on abuse. It does not
tell users apart: a flood still makes the farm busy for everybody (see SECURITY.md).
"""

import json
import logging
from typing import Any, List

from aiohttp import web

log = logging.getLogger("farmhand.farm")

MAX_CONNECTIONS = 256


def busy_answer(limit: int) -> bytes:
    """The whole HTTP response a connection over the cap gets, before it is closed."""
    body = json.dumps(
        {
            "error": "the farm has {} connections open (the limit); close idle ones or try"
            " again shortly".format(limit),
            "field": None,
        },
        separators=(",", ":"),
    ).encode("utf-8")
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n".format(len(body))
    )
    return head.encode("ascii") + body


def cap_connections(server: web.Server, limit: int) -> None:
    """Answer 503 to connections beyond ``limit`` open ones (``server`` is the runner's)."""
    admit = server.connection_made
    answer = busy_answer(limit)
    warned: List[bool] = []

    def connection_made(handler: Any, transport: Any) -> None:
        admit(handler, transport)
        if len(server.connections) > limit:
            if not warned:  # once: a flood would fill the log otherwise
                warned.append(True)
                log.warning("refusing connections over the limit of %d", limit)
            transport.write(answer)
            transport.close()

    server.connection_made = connection_made  # type: ignore[method-assign]
