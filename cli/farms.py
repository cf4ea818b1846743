"""``farmhand farms``: every farm Farmhand can submit to, and what each honours.

One row per farm (``local``, ``conductor``, ``slurm``...) with a mark per capability
(``core.connectors.capabilities.FEATURES``), so a user can pick a farm for a job that needs
scouts or per-task environments before writing the job file. ``--json`` prints the same as
data for scripts. A farm whose connector has not landed yet says so instead of a row of marks.
"""

import argparse
import json
import sys
from typing import Any, Dict, List

from farmhand.cli.jobs import table
from farmhand.core.connectors import FEATURES, farm_entries


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "farms",
        help="list the farms a job can go to, with what each supports",
        description="Every farm name `farmhand submit --farm NAME` and a job file's 'farm' "
        "key accept, with the features each honours (yes/no; scouts 'stage': run as a "
        "first stage the other tasks depend on). A URL is a "
        "Conductor-compatible service: the 'conductor' row.",
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(run=run)


def farm_records() -> List[Dict[str, Any]]:
    records = []
    for entry in farm_entries():
        record: Dict[str, Any] = {"name": entry.name}
        if entry.connector is None:
            record.update(available=False, problem=entry.problem, summary="", supports={})
        else:
            caps = entry.connector.capabilities
            record.update(
                available=True,
                problem="",
                summary=entry.connector.summary,
                supports=caps.as_dict(),
                scout_stage=caps.scout_stage,
                notes=dict(caps.notes),
            )
        records.append(record)
    return records


def mark(record: Dict[str, Any], key: str) -> str:
    """``yes``, ``-``, or ``stage``: scouts run as a first stage the rest depends on."""
    if key == "scouts" and record.get("scout_stage"):
        return "stage"
    return "yes" if record["supports"][key] else "-"


def run(args: argparse.Namespace) -> int:
    records = farm_records()
    if args.json:
        sys.stdout.write(json.dumps(records, indent=2, sort_keys=True) + "\n")
        return 0
    rows = []
    for record in records:
        if record["available"]:
            marks = [mark(record, f.key) for f in FEATURES]
            rows.append([record["name"]] + marks + [record["summary"]])
        else:
            rows.append([record["name"]] + [""] * len(FEATURES) + [record["problem"]])
    header = ["FARM"] + [f.label.upper() for f in FEATURES] + ["WHAT"]
    sys.stdout.write(table(rows, header))
    return 0
