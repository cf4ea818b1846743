"""Fuzz target: the local farm's HTTP request bodies, parsed in-process as the routes do.

The first byte picks the route whose body parser reads the rest: a job submission
(``parse_payload``), upload URLs (``files._entries``), job and task actions
(``actions._action``/``_ids``), downloads (``downloads._wanted``), multipart completion
(``multipart._completed_parts``). Contract: a ``RequestError`` (the farm's 400, naming the
field) or another ``FarmhandError`` with its own 4xx status, never anything else, which the
app would answer with a 500. ``tests/fuzz/test_farm_http_bodies.py`` posts generated bodies to
a real farm for the same contract end to end.

    python -m fuzz.farm_bodies -max_total_time=60 fuzz/corpus/farm_bodies
"""

import json
from typing import Any, Callable, Dict, List

from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
)
from farmhand.core.errors import FarmhandError
from farmhand.farm.errors import status_of
from farmhand.farm.http_util import object_body, parse_json_body
from farmhand.farm.multipart import _completed_parts
from farmhand.farm.payload import parse_payload
from farmhand.farm.routes.actions import JOB_ACTIONS, TASK_ACTIONS, _action, _ids
from farmhand.farm.routes.downloads import _wanted
from farmhand.farm.routes.files import _entries
from fuzz.harness import ContractError, check, main, typed_errors_only

CATALOGUE = Catalogue(
    projects=("default", "spider"),
    instance_types=(InstanceType("standard-2", 2, 7.5), InstanceType("highmem-2", 2, 13.0)),
    packages=(
        SoftwarePackage(
            "blender-id",
            "blender",
            "3",
            "4",
            "1",
            environment=(PackageEnvironmentEntry("PATH", "/usr/bin", "append"),),
        ),
    ),
)


def _submit(body: Dict[str, Any]) -> None:
    spec = parse_payload(body, CATALOGUE)
    check(len(spec.tasks) > 0, "a job without tasks from {!r}".format(body))
    json.dumps(spec.payload)  # what the farm stores must stay JSON


def _job_actions(body: Dict[str, Any]) -> None:
    _action(body, JOB_ACTIONS)
    _ids(body, "jobids")


def _task_actions(body: Dict[str, Any]) -> None:
    _action(body, TASK_ACTIONS)
    _ids(body, "taskids")


PARSERS: List[Callable[[Dict[str, Any]], Any]] = [
    _submit,
    _entries,
    _job_actions,
    _task_actions,
    _wanted,
    lambda body: _completed_parts(body.get("completedParts"), 4),
]


def test_one_input(data: bytes) -> None:
    parser = PARSERS[data[0] % len(PARSERS)] if data else _submit
    body = data[1:]
    with typed_errors_only(getattr(parser, "__name__", "parser"), body):
        try:
            parser(object_body(parse_json_body(body)))
        except FarmhandError as error:
            if not 400 <= status_of(error) < 500:
                raise ContractError(
                    "{!r} answered {}: {}".format(body, status_of(error), error)
                ) from error
            raise


if __name__ == "__main__":
    main(test_one_input)
