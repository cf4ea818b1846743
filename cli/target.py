"""``--target`` for the commands that talk to a farm, and the connector it opens.

The CLI is the layer that may import the local farm service, so it is the one that hands core
the function that starts it (``ensure_local``); core itself never imports ``farmhand.farm``.
"""

import argparse
from typing import Any, Tuple

from farmhand.core.connectors import Connector, connect, default_target


def add_target_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--target",
        default=None,
        metavar="local|URL",
        help="where the job goes: 'local' (the farm on this machine, started when needed) or "
        "the URL of a Conductor-compatible service (API key from CONDUCTOR_API_KEY); "
        "default: $CONDUCTOR_URL if set, else local",
    )


def ensure_local_farm() -> Tuple[str, Any]:
    from farmhand.farm.control import ensure_running  # the farm (aiohttp) only when needed

    return ensure_running()


def open_connector(args: argparse.Namespace) -> Connector:
    return connect(getattr(args, "target", None) or default_target(), ensure_local_farm)
