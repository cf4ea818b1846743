"""What several commands share: the JOBFILE argument, ``--target``, and the connector it opens.

The local farm is reached the way every client reaches it (``core.connectors.local_farm``:
its state files, no import of the farm service, started only when none answers), so a
command against a running farm does not pay for importing the farm.
"""

import argparse

from farmhand.core.connectors import Connector, connect, default_target

JOBFILE_HELP = "a Farmhand job file (JSON settings; see examples/)"


def add_jobfile_argument(parser: argparse.ArgumentParser, optional: bool = False) -> None:
    parser.add_argument(
        "jobfile",
        metavar="JOBFILE",
        nargs="?" if optional else None,
        help=JOBFILE_HELP,
    )


def add_target_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        default=None,
        metavar="local|URL",
        help="where the job goes: 'local' (the farm on this machine, started when needed) or "
        "the URL of a Conductor-compatible service (API key from CONDUCTOR_API_KEY); "
        "default: $CONDUCTOR_URL if set, else local",
    )


def open_connector(args: argparse.Namespace) -> Connector:
    """The connector for ``--target`` (or the default target)."""
    return connect(getattr(args, "target", None) or default_target())
