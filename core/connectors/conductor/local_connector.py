"""The local farm as a connector: the Conductor protocol, spoken to the farm on this machine.

Only what differs from a remote service lives here: how it is found (``local_farm``: its
state files, started when none answers) and what it honours (it runs task dependencies and
copies outputs back, but has one machine: no per-task environment, throttle, preemption or
email).
"""

from typing import Mapping, Optional

from farmhand.core.connectors.capabilities import Capabilities
from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.local_farm import local_farm_http


class LocalFarmConnector(ConductorConnector):
    name = "local"
    summary = "the farm on this workstation (started when needed)"
    capabilities = Capabilities(
        ("scouts", "dependencies", "uploads", "priority", "retries", "outputs"),
        notes={
            "per_task_env": "its tasks get the job's environment only",
            "max_instances": "it runs as many tasks as it has slots (farm config)",
            "preemptible": "this workstation is never preempted",
            "notify": "it sends no email",
        },
    )

    @classmethod
    def from_environment(
        cls, environ: Optional[Mapping[str, str]] = None
    ) -> "LocalFarmConnector":
        """``environ`` adds to ``os.environ`` (``FARMHAND_HOME``, ``FARMHAND_COMMAND``): a
        started farm needs the rest of the environment too."""
        http = local_farm_http(environ)
        connector = cls(http.url, http.api_key, "local farm")
        connector.http = http  # holds the token just exchanged: no second exchange
        return connector
