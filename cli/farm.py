"""``farmhand farm serve|start|stop|status|credentials``: the local farm from the shell."""

import argparse
import sys
from typing import Any, Dict


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "farm",
        help="run and manage the local farm",
        description="The local farm runs tasks on this machine and speaks the Conductor "
        "protocol on 127.0.0.1 (see docs/protocol.md).",
    )
    commands = parser.add_subparsers(dest="farm_command", metavar="ACTION")

    serve = commands.add_parser("serve", help="run the farm in the foreground")
    _port_and_slots(serve)
    serve.set_defaults(run=run_serve)

    start = commands.add_parser("start", help="start the farm in the background")
    _port_and_slots(start)
    start.set_defaults(run=run_start)

    stop = commands.add_parser("stop", help="stop the background farm cleanly")
    stop.set_defaults(run=run_stop)

    status = commands.add_parser("status", help="where the farm listens, jobs and tasks by state")
    status.set_defaults(run=run_status)

    credentials = commands.add_parser(
        "credentials",
        help="print CONDUCTOR_URL and CONDUCTOR_API_KEY for eval (starts the farm if needed)",
    )
    credentials.set_defaults(run=run_credentials)
    parser.set_defaults(run=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected an integer, got {!r}".format(text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got {}".format(value))
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a port number, got {!r}".format(text)) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("port {} is not in 0..65535".format(value))
    return value


def _port_and_slots(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=_port,
        default=None,
        help="TCP port on 127.0.0.1 (default: the last one used, else a free one)",
    )
    parser.add_argument(
        "--slots",
        type=_positive,
        default=None,
        help="tasks run at once (default: the machine's cores)",
    )


def run_serve(args: argparse.Namespace) -> int:
    from farmhand.farm.server import serve_forever

    return serve_forever(args.port, args.slots)


def run_start(args: argparse.Namespace) -> int:
    from farmhand.farm import control

    url, _ = control.start(port=args.port, slots=args.slots)
    print("farm running at {}".format(url))
    return 0


def run_stop(args: argparse.Namespace) -> int:
    from farmhand.farm import control

    if control.stop():
        print("farm stopped")
    else:
        print("no farm was running")
    return 0


def format_status(data: Dict[str, Any]) -> str:
    lines = [
        "farm running at {} (pid {}, {} slots, {} running)".format(
            data["url"], data["pid"], data["slots"], data["running"]
        ),
        "home: {}".format(data["home"]),
    ]
    for what in ("jobs", "tasks"):
        counts = data[what]
        text = ", ".join("{} {}".format(n, state) for state, n in sorted(counts.items()))
        lines.append("{}: {}".format(what, text or "none"))
    return "\n".join(lines)


def run_status(args: argparse.Namespace) -> int:
    from farmhand.farm import control

    data = control.status()
    if data is None:
        print("farm not running")
        return 3
    print(format_status(data))
    return 0


def run_credentials(args: argparse.Namespace) -> int:
    from farmhand.farm import control
    from farmhand.farm.credentials import load_or_create_api_key, shell_lines
    from farmhand.farm.paths import FarmPaths

    url, _ = control.ensure_running()
    sys.stdout.write(shell_lines(url, load_or_create_api_key(FarmPaths.default().ensure())))
    return 0
