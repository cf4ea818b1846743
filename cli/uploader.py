"""``farmhand uploader``: the upload daemon for jobs submitted with ``local_upload: false``.

Start it before or after submitting; it asks the farm for uploads every few seconds (only
those of its ``--location`` when given), sends them and reports each on stderr, one line per
upload. ``--once`` sends whatever is owed now and exits (status 1 if an upload failed), for
scripts and cron. Ctrl-C or SIGTERM stop it between two requests; an upload cut short is owed
again by the farm.
"""

import argparse
import signal
import sys
import threading
import time
from typing import Any, List

from farmhand.cli.arguments import add_farm_argument, open_connector
from farmhand.cli.progress_line import StatusLine, TransferProgress
from farmhand.core.connectors.conductor.upload_daemon import DaemonUpload, UploadDaemon
from farmhand.core.errors import InputError
from farmhand.core.transfer.md5_cache import open_cache
from farmhand.core.units import human_bytes, plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "uploader",
        help="upload the files of jobs submitted with local_upload false (a daemon)",
        description="Ask the farm for the uploads it is owed (jobs submitted with "
        "local_upload: false), check each file still has the md5 it was submitted with, "
        "upload what the farm lacks and let the job start.",
    )
    parser.add_argument(
        "--location",
        default="",
        help="only take the uploads of jobs submitted with this location",
    )
    parser.add_argument(
        "--once",
        action="store_true",
        help="send what is owed now, then exit (status 1 if an upload failed)",
    )
    parser.add_argument(
        "--poll",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how often to ask the farm when it owes nothing (default 5)",
    )
    add_farm_argument(parser)
    parser.set_defaults(run=run)


def describe(result: DaemonUpload, seconds: float) -> str:
    what = "upload {} for job {}".format(result.upload_id, result.job_id or "?")
    if not result.ok:
        return "{} failed: {}".format(what, result.error)
    return "{}: {}, {} sent ({}) in {:.1f} s".format(
        what,
        plural(result.files, "file"),
        plural(result.uploaded_files, "file"),
        human_bytes(result.uploaded_bytes),
        seconds,
    )


def run(args: argparse.Namespace) -> int:
    if args.poll <= 0:
        raise InputError("must be more than 0 seconds, got {}".format(args.poll), "--poll")
    stop = threading.Event()

    def stop_on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, stop_on_signal)
    line = StatusLine()
    results: List[DaemonUpload] = []
    try:
        with open_connector(args) as connector:
            http = getattr(connector, "http", None)
            if http is None:
                raise InputError(
                    "{} has no upload daemon protocol; only the local farm and "
                    "Conductor-compatible services take uploads from a daemon".format(
                        connector.describe()
                    ),
                    "--farm",
                )
            cache = open_cache()
            daemon = UploadDaemon(
                http, args.location, cache, progress=TransferProgress(line), stop=stop
            )
            where = " for location {!r}".format(args.location) if args.location else ""
            line.show("uploader: asking {}{}".format(connector.describe(), where), True)
            line.done()
            started = [time.monotonic()]

            def report(result: DaemonUpload) -> None:
                line.done()
                print(
                    "uploader: " + describe(result, time.monotonic() - started[0]),
                    file=sys.stderr,
                )
                started[0] = time.monotonic()

            try:
                results = daemon.serve(args.poll, args.once, report)
            except KeyboardInterrupt:
                stop.set()
            finally:
                if cache is not None:
                    cache.close()
    finally:
        signal.signal(signal.SIGTERM, previous)
    if args.once and not results:
        print("uploader: the farm owes no uploads", file=sys.stderr)
    return 1 if any(not r.ok for r in results) else 0
