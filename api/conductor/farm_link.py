"""The one seam between the seed-style API and a farm: the catalogue, and submitting.

The farm is the default target of ``farmhand.core.connectors`` (the local farm, or the service
``CONDUCTOR_URL`` names, as Conductor's own tools do). Submitting is not wired here yet: the
client that uploads and submits is being connected to this API, and until it is,
``submit_payload`` says so rather than pretending a job was created.
"""

from typing import Any, Dict, Mapping, Optional, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors import connect
from farmhand.core.errors import FarmConnectionError
from farmhand.core.job import Submission


def fetch_catalogue(environ: Optional[Mapping[str, str]] = None) -> Catalogue:
    """Projects, instance types and packages of the default farm target."""
    with connect(None, None, environ) as connector:
        return connector.catalogue()


def submit_payload(
    submission: Submission, extra: Optional[Mapping[str, Any]] = None
) -> Tuple[Dict[str, Any], int]:
    """Upload and submit; returns the seed's ``(response, response_code)``.

    Not connected yet: raises ``FarmConnectionError`` (nothing is uploaded or created).
    """
    raise FarmConnectionError(
        "Submit(args).main() built and validated the payload of {!r} ({} tasks), but "
        "submitting from farmhand.api.conductor needs the local farm client, which is not "
        "connected to this API yet; nothing was submitted (use `farmhand submit` with a job "
        "file meanwhile)".format(submission.job_title, len(submission.tasks))
    )
