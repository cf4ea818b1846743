"""Creating the job: one ``POST /jobs/`` that a lost answer cannot turn into two jobs.

After the uploads, the job itself is the last request of a submit, and the one whose failure
is the most ambiguous: a connection reset or a read timeout after the body was sent leaves
the client unable to tell whether the farm created the job. So every submit sends one fresh
``Idempotency-Key`` (a UUID) with the job and sends the very same bytes and key again after
a dropped connection, a timeout or a 5xx, with the doubling pauses the uploads use. The farm
answers a repeated key with the job the key first created (the local farm stores the key
with the job, so this holds across its restarts). A refusal (400, 409...) is never retried;
running out of attempts is one error naming the farm's URL, the attempts and the last answer.

A Conductor-compatible service that ignores the header gets the same retries; there a job
whose answer was lost may be created twice, as with any client that retries.
"""

import json
import uuid
from typing import Any, Dict, Optional, Sequence

import requests

from farmhand.core.connectors.conductor.transport import ConductorHttp, FarmRejectedError
from farmhand.core.connectors.conductor.uploads import with_retries

JOBS_PATH = "/jobs/"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Seconds to wait before each new attempt (the uploads' doubling pauses: about 15 s in all,
# long enough for a local farm to be restarted).
SUBMIT_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)


# Times a submit sends its files again when the farm lost received uploads (killed before
# they reached its store) and refused the job for it.
LOST_UPLOAD_ROUNDS = 2
_LOST_UPLOAD = "is not in the farm's store"


def lost_upload(error: FarmRejectedError) -> bool:
    """The farm refused the job because it lacks an uploaded file (it lost it, or the
    upload never happened): sending the files again can fix it."""
    field = error.field or ""
    return (
        error.status == 400
        and field.startswith("upload_files[")
        and field.endswith("].md5")
        and _LOST_UPLOAD in error.message
    )


def new_key() -> str:
    return uuid.uuid4().hex


def create_job(
    http: ConductorHttp,
    payload: Dict[str, Any],
    key: Optional[str] = None,
    delays: Optional[Sequence[float]] = None,
) -> requests.Response:
    """POST the payload under ``key`` (a new one when None) until the farm answers 200/201."""
    body = json.dumps(payload).encode("utf-8")  # the same bytes on every attempt
    headers = {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: key or new_key(),
    }

    def attempt() -> requests.Response:
        return http.request("POST", JOBS_PATH, expected=(201, 200), data=body, headers=headers)

    response: requests.Response = with_retries(
        attempt,
        "creating the job at {} (POST {}, {} {})".format(
            http.url, JOBS_PATH, IDEMPOTENCY_HEADER, headers[IDEMPOTENCY_HEADER]
        ),
        delays=SUBMIT_RETRY_DELAYS if delays is None else delays,
    )
    return response
