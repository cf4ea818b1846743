"""Entry point of the ``farmhand`` command.

Each subcommand module exposes ``register(subparsers)``; the list below is explicit so that a
broken module fails loudly at start-up instead of silently dropping its commands.
Bad input exits with status 2 and one line on stderr naming the field; farm and network
failures exit with status 1.
"""

import argparse
import importlib
import sys
from typing import List, Optional

from farmhand import __version__
from farmhand.core.errors import FarmhandError, InputError

COMMAND_MODULES = (
    "farmhand.cli.farm",
    "farmhand.cli.farms",
    "farmhand.cli.gui",
    "farmhand.cli.jobs",
    "farmhand.cli.preview",
    "farmhand.cli.submit",
    "farmhand.cli.uploader",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="farmhand",
        description="Preview, submit and watch render-farm jobs.",
    )
    parser.add_argument("--version", action="version", version="farmhand " + __version__)
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback on errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args) or 0)
    except InputError as error:
        if args.traceback:
            raise
        print("farmhand: error: {}".format(error), file=sys.stderr)
        return 2
    except FarmhandError as error:
        if args.traceback:
            raise
        print("farmhand: error: {}".format(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("farmhand: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
