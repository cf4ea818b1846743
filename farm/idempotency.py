"""Submitting a job at most once per ``Idempotency-Key``.

A client whose ``POST /jobs/`` lost its answer (the connection dropped, the answer came after
its read timeout, a proxy answered 502) cannot know whether the farm created the job, so it
sends the same request again with the same key. The farm stores the key, a digest of the
body and the job id in the job's own transaction (``Database.insert_job``), so the first
request's job is the only one, also across a farm restart or crash: a repeated key with the
same body is answered with the first job's answer, with a different body it is refused (409
naming the key), never run as a second job.

Two requests with one key can also overlap (the retry arrives while the first is still
checking its files): the later one waits for the earlier to end, then answers from what it
stored, or submits itself when the earlier one stored nothing (it was refused).
"""

import asyncio
import hashlib
import json
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from farmhand.core.errors import FarmhandError
from farmhand.farm.db import Database
from farmhand.farm.errors import RequestError
from farmhand.farm.model import job_id_text

HEADER = "Idempotency-Key"
# The answer to a repeated key says so (the first job's answer, not a new job).
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class KeyReusedError(FarmhandError):
    """409: the key already created a job from a different body. The answer's ``field``
    names the header; its ``error`` is the bare message (a client adds the field)."""

    status = 409
    field = HEADER


def parse_key(value: Optional[str]) -> Optional[str]:
    """The header's key: 1 to 255 printable ASCII characters, or None when not sent."""
    if value is None:
        return None
    if not value.strip():
        raise RequestError(
            "the {} header is empty; send a unique value per job (a UUID) or no header".format(
                HEADER
            ),
            field=HEADER,
        )
    if len(value) > MAX_KEY_LENGTH:
        raise RequestError(
            "the {} header is {} characters long; the limit is {}".format(
                HEADER, len(value), MAX_KEY_LENGTH
            ),
            field=HEADER,
        )
    bad = [c for c in value if not " " < c < "\x7f"]
    if bad:
        raise RequestError(
            "the {} header {!r} holds {!r}; use printable ASCII without spaces".format(
                HEADER, value, bad[0]
            ),
            field=HEADER,
        )
    return value


def body_digest(data: Any) -> str:
    """SHA-256 of the body's JSON in one canonical form (key order and spacing do not count)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


class SubmitKeys:
    """The keys being submitted right now (in memory) and the ones stored (in SQLite)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._running: Dict[str, "asyncio.Future[None]"] = {}

    def stored(self, key: str, digest: str) -> Optional[int]:
        """The job the key created, None if none; a different body is a ``KeyReusedError``."""
        row = self.db.submit_key(key)
        if row is None:
            return None
        if row["digest"] != digest:
            raise KeyReusedError(
                "{!r} was already used to submit job {} with a different body; send a new key"
                " for a new job".format(key, job_id_text(int(row["job_id"])))
            )
        return int(row["job_id"])

    async def submit_once(
        self,
        key: str,
        digest: str,
        submit: Callable[[Tuple[str, str]], Awaitable[int]],
    ) -> Tuple[int, bool]:
        """``(job id, replayed)``: the stored job of ``key``, or ``submit((key, digest))``'s
        new one (which must store the key with the job)."""
        while True:
            job_id = self.stored(key, digest)
            if job_id is not None:
                return job_id, True
            earlier = self._running.get(key)
            if earlier is None:
                break
            await asyncio.shield(earlier)  # never fails: see ``finally`` below
        done: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._running[key] = done
        try:
            return await submit((key, digest)), False
        finally:
            del self._running[key]
            done.set_result(None)
