"""The command line of ``farmhand.install`` (see the package docstring).

Bad input exits with status 2, a path that cannot be written with status 1, each as one line
``farmhand.install: error: ...`` naming the option or the path.
"""

import argparse
import sys
from typing import List, Optional

from farmhand.core.errors import FarmhandError, InputError
from farmhand.install import HOSTS, installed, register

VERBS = {
    "wrote": "wrote",
    "linked": "linked",
    "unchanged": "already there",
    "removed": "removed",
    "absent": "not there",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m farmhand.install",
        description="Register this Farmhand with a host (after pip install --target DIR "
        "farmhand): Maya's module file, Houdini's package file, Clarisse's start-up script, "
        "Blender's add-on link.",
    )
    parser.add_argument("host", choices=sorted(HOSTS), help="the host to register with")
    parser.add_argument(
        "--dest",
        default="",
        metavar="FOLDER",
        help="write here instead of the host's user folder (a folder on MAYA_MODULE_PATH, a "
        "Houdini packages folder, the folder of a clarisse.env, a Blender scripts/addons)",
    )
    parser.add_argument(
        "--version",
        default="",
        metavar="X.Y",
        help="the host version whose user folder to use (default: every version found; "
        "Maya: its shared modules folder)",
    )
    parser.add_argument(
        "--uninstall", action="store_true", help="take the registration out again"
    )
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        actions = register(args.host, args.dest, args.version, args.uninstall)
    except InputError as error:
        print("farmhand.install: error: {}".format(error), file=sys.stderr)
        return 2
    except FarmhandError as error:
        print("farmhand.install: error: {}".format(error), file=sys.stderr)
        return 1
    for action in actions:
        print("{}: {} {}".format(args.host, VERBS[action.verb], action.path))
    if not args.uninstall:
        print("{}: Farmhand from {}".format(args.host, installed.site_dir()))
        print(HOSTS[args.host].NEXT_STEP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
