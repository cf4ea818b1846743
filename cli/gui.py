"""``farmhand gui [JOBFILE]``: the shared submitter in its own window.

For jobs made on the command line (the seed's quick start, a job file in a shot folder): the
same widgets every host shows, Preview and Submit to the chosen farm, and Save writes the job
file back. ``--screenshot PNG`` renders the window to a file and exits (for documentation
and for checking a display-less install).
"""

import argparse
import os
import sys
from typing import Any, List, Optional

from farmhand.cli.arguments import add_farm_argument, add_jobfile_argument
from farmhand.core.errors import InputError


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the submitter window (optionally on a job file)",
        description="Open the Farmhand submitter on a job file (or a new job): edit it with "
        "the same widgets the hosts show, preview, submit, and save it back.",
    )
    add_jobfile_argument(parser, optional=True)
    add_farm_argument(parser)
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the window to this PNG file and exit instead of showing it",
    )
    parser.set_defaults(run=run)


def application(argv: Optional[List[str]] = None) -> Any:
    """The running QApplication, or a new one (the binding is whatever qtpy picks)."""
    try:
        from qtpy import QtWidgets
    except Exception as error:  # qtpy raises its own errors when no binding imports
        raise InputError(
            "no Qt binding could be loaded ({}); install PySide6 or PySide2".format(error),
            field="gui",
        ) from None
    app = QtWidgets.QApplication.instance()
    if app is None:
        quiet_platform_noise()
        app = QtWidgets.QApplication(argv or [sys.argv[0]])
    return app


# Said by Qt's offscreen platform (screenshots, CI) for every window; not a problem to report.
PLATFORM_NOISE = ("This plugin does not support propagateSizeHints()",)


def quiet_platform_noise() -> None:
    """Forward Qt's messages to stderr, minus the offscreen platform's known chatter."""
    from qtpy import QtCore

    def handler(kind: Any, context: Any, message: str) -> None:
        if message not in PLATFORM_NOISE:
            sys.stderr.write(message + "\n")

    QtCore.qInstallMessageHandler(handler)


def open_window(args: argparse.Namespace) -> Any:
    """The submitter window for ``args`` (a QApplication must exist)."""
    from farmhand.shared_ui.standalone import SubmitterWindow
    from farmhand.shared_ui.targets import FarmTarget

    farm = getattr(args, "farm", None)
    target = FarmTarget.from_text(farm) if farm else None
    if args.jobfile and not os.path.exists(args.jobfile):
        raise InputError("job file {!r} does not exist".format(args.jobfile), field="jobfile")
    return SubmitterWindow(args.jobfile, target=target)


def run(args: argparse.Namespace) -> int:
    app = application()
    window = open_window(args)
    if args.screenshot:
        window.show()
        app.processEvents()
        if not window.grab().save(args.screenshot):
            raise InputError(
                "could not write the screenshot {!r}".format(args.screenshot), field="screenshot"
            )
        window.close()
        return 0
    window.show()
    return int(app.exec_())
