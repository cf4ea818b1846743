"""The one seam between the seed-style API and a farm: the catalogue, and submitting.

The farm is the default target of ``farmhand.core.connectors``: the local farm (found from its
state files, started when none answers: ``core.connectors.local_farm``), or the service
``CONDUCTOR_URL`` names with ``CONDUCTOR_API_KEY``, as Conductor's own tools do. Submitting
hashes the job's files (cached), uploads only what the farm lacks, and creates the job; the
farm's answer is the seed's ``(response, response_code)``.
"""

import threading
from typing import Any, Dict, Mapping, Optional, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors import connect
from farmhand.core.job import Submission
from farmhand.core.transfer import ProgressCallback


def fetch_catalogue(environ: Optional[Mapping[str, str]] = None) -> Catalogue:
    """Projects, instance types and packages of the default farm target."""
    with connect(None, environ) as connector:
        return connector.catalogue()


def submit_payload(
    submission: Submission,
    extra: Optional[Mapping[str, Any]] = None,
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[threading.Event] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Tuple[Dict[str, Any], int]:
    """Upload and submit to the default farm; returns ``(response, response_code)``.

    ``response`` is the farm's answer (``{"body": "job submitted.", "jobid": "00695",
    "status": "success", "uri": "/jobs/00695"}``) and ``response_code`` its status (201).
    No job is created when an upload fails or ``cancel`` is set first.
    """
    with connect(None, environ) as connector:
        result = connector.submit(submission, progress=progress, cancel=cancel, extra=extra)
    return dict(result.response), result.status_code
