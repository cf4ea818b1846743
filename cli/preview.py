"""``farmhand preview JOBFILE``: print exactly the payload a submit would send.

The text is ``Submission.payload_json()``, the same bytes the preview dialog shows and the
golden tests compare. ``--info`` prints the frames info and every validation message instead.
Validation errors go to stderr, one line each (``farmhand: error: field: problem``), and the
command exits with status 2 without printing a payload; warnings go to stderr too.

The catalogue (instance types, packages, projects) is by default the one ``farmhand submit``
would check against, so the two agree: the local farm's, built without starting the farm, or
the one of the farm that ``--farm``, the job file's ``farm`` key or ``CONDUCTOR_URL`` names
(asked over the network). What that farm will not honour of the payload (notify on Slurm,
per-task environments on the local farm...) is a warning on stderr, so nothing is dropped
silently; ``--export FOLDER`` writes the farm's native form there (the Slurm scripts, the
payload for the Conductor protocol) without submitting.
``--catalogue local`` forces the local farm's, ``--catalogue FILE`` reads a saved one and
``--catalogue none`` previews without any (see ``farmhand.core.job.build`` for what that
changes).
"""

import argparse
import os
import sys
from typing import Any, List, Optional

from farmhand.cli.arguments import add_farm_argument, add_jobfile_argument, farm_of
from farmhand.core.catalogue import Catalogue
from farmhand.core.catalogue_file import load_catalogue_file
from farmhand.core.connectors import LOCAL as LOCAL_FARM
from farmhand.core.connectors import connect
from farmhand.core.connectors.farm_classes import farm_capabilities, native_form
from farmhand.core.job import Submission, build_submission, load_job_file
from farmhand.core.job.job_file import job_file_context
from farmhand.core.units import plural
from farmhand.core.validation import INFO, Message

LOCAL = "local"
NONE = "none"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="print the payload a job file submits (or its frames info with --info)",
        description="Print the Conductor-compatible payload JOBFILE resolves to: exactly what "
        "`farmhand submit` sends and the preview dialog shows.",
    )
    add_jobfile_argument(parser)
    parser.add_argument(
        "--info",
        action="store_true",
        help="print the frames info and the validation messages instead of the payload",
    )
    parser.add_argument(
        "--catalogue",
        default=None,
        metavar="local|none|FILE",
        help="instance types and packages to check against: this machine's local farm "
        "catalogue, none, or a catalogue JSON file (default: the catalogue of the --target "
        "that farmhand submit would use)",
    )
    parser.add_argument(
        "--export",
        default=None,
        metavar="FOLDER",
        help="also write the farm's native form of the job (Slurm scripts, the Conductor "
        "payload...) into FOLDER, without submitting; the files written go to stderr",
    )
    add_farm_argument(parser)
    parser.set_defaults(run=run)


def local_catalogue() -> Catalogue:
    """The local farm's catalogue, as the farm itself builds it (its config and probe cache)."""
    from farmhand.farm.config import load_config
    from farmhand.farm.machine import machine_catalogue
    from farmhand.farm.paths import FarmPaths

    paths = FarmPaths.default()
    os.makedirs(paths.root, exist_ok=True)
    cache = os.path.join(paths.root, "software.json")
    return machine_catalogue(load_config(paths.config), cache_path=cache)


def choose_catalogue(value: Optional[str], farm: str) -> Optional[Catalogue]:
    """``farm`` is the farm in force (``arguments.farm_of``)."""
    if value is None:  # what submit checks against: the farm's
        if farm == LOCAL_FARM:
            return local_catalogue()
        with connect(farm) as connector:
            return connector.catalogue()
    if value == LOCAL:
        return local_catalogue()
    if value == NONE:
        return None
    return load_catalogue_file(value)


def frames_line(submission: Submission) -> str:
    if submission.frames_info is not None:
        return "frames info: {}".format(submission.frames_info)
    if submission.settings.upload_only:
        return "frames info: upload only, no tasks"
    if submission.settings.tasks_data is None:  # no plan: the frames settings have errors
        return "frames info: none, the frames could not be resolved (see the errors)"
    return "frames info: {}, {}".format(
        plural(len(submission.tasks), "given task"),
        plural(submission.scout_task_count, "scout task"),
    )


def print_problems(submission: Submission) -> None:
    """Errors when there are any (one line each), else warnings: what needs fixing first."""
    shown = submission.errors or submission.warnings
    for message in shown:
        print("farmhand: {}: {}".format(message.level, message), file=sys.stderr)


def farm_messages(farm: str, submission: Submission) -> List[Message]:
    """What ``farm`` will not honour of the payload (nothing while the job has errors)."""
    if not submission.ok:
        return []
    name, capabilities = farm_capabilities(farm)
    from farmhand.core.connectors import unhonoured

    return unhonoured(capabilities, submission.to_payload(), name)


def export(farm: str, submission: Submission, folder: str) -> None:
    for path in native_form(farm, submission, folder):
        print("wrote {}".format(path), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    settings = load_job_file(args.jobfile)
    farm = farm_of(args, settings.farm)
    catalogue = choose_catalogue(args.catalogue, farm)
    submission = build_submission(settings, job_file_context(args.jobfile), catalogue)
    unhonoured = farm_messages(farm, submission)
    if args.export and submission.ok:
        export(farm, submission, args.export)
    if args.info:
        lines = [frames_line(submission)]
        lines.extend(
            "{}: {}".format(m.level, m)
            for m in list(submission.validation) + unhonoured
            if not (m.level == INFO and m.field == "frames")
        )
        sys.stdout.write("\n".join(lines) + "\n")
        if not submission.ok:
            for message in submission.errors:
                print("farmhand: error: {}".format(message), file=sys.stderr)
            return 2
        return 0
    print_problems(submission)
    for message in unhonoured:
        print("farmhand: {}: {}".format(message.level, message), file=sys.stderr)
    if not submission.ok:
        return 2
    sys.stdout.write(submission.payload_json())
    return 0
