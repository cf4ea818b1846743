"""What several commands share: the JOBFILE argument, ``--farm``, and the connector it opens.

The farm is one concept with one name everywhere: ``--farm NAME|URL`` here, the ``farm`` key
of a job file, the Farm section of the submitter (``--target`` is its older spelling and
stays an alias). The local farm is reached the way every client reaches it
(``core.connectors.local_farm``: its state files, no import of the farm service, started only
when none answers), so a command against a running farm does not pay for importing the farm.
"""

import argparse
from typing import Optional

from farmhand.core.connectors import Connector, choose_farm, connect, connector_names

JOBFILE_HELP = "a Farmhand job file (JSON settings; see examples/)"


def add_jobfile_argument(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    parser.add_argument(
        "jobfile",
        metavar="JOBFILE",
        nargs="?" if optional else None,
        help=JOBFILE_HELP,
    )


def add_farm_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--farm",
        "--target",
        dest="farm",
        default=None,
        metavar="NAME|URL",
        help="where the job goes: {} (see `farmhand farms`), or the URL of a "
        "Conductor-compatible service (API key from CONDUCTOR_API_KEY); default: the job "
        "file's 'farm' key, else $CONDUCTOR_URL if set, else local".format(
            ", ".join(connector_names())
        ),
    )



def farm_of(args: argparse.Namespace, job_farm: Optional[str] = None) -> str:
    """The farm in force: ``--farm``, else the job file's ``farm`` key, else the default."""
    return choose_farm(getattr(args, "farm", None), job_farm)


def open_connector(args: argparse.Namespace, job_farm: Optional[str] = None) -> Connector:
    """The connector for ``farm_of(args, job_farm)``."""
    return connect(farm_of(args, job_farm))
