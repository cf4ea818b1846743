"""Turns a submitted payload into a ``JobSpec``, or a 400 naming the bad field.

It accepts what ciocore's ``conductor_submit.Submit`` posts and what Farmhand's
``Submission.to_payload()`` posts (same keys), plus the farm's own task extensions (argv
commands, several commands per task, ``depends_on``; see ``payload_tasks``). Keys the farm
does not act on are kept with the job, unknown ones included, because a Conductor-compatible
service ignores them too.
"""

import base64
import binascii
import os
import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.farm.budgets import parse_budgets
from farmhand.farm.errors import RequestError
from farmhand.farm.model import JobSpec, RetryPolicy, UploadRef
from farmhand.farm.payload_tasks import parse_tasks
from farmhand.farm.payload_values import (
    boolean_field,
    describe,
    integer_field,
    string_field,
    string_map_field,
    type_name,
)
from farmhand.farm.scouts import parse_frames

MAX_BODY_BYTES = 64 * 1024 * 1024
MAX_UPLOAD_FILES = 100_000
MAX_ENV_VARS = 10_000
MAX_RETRIES = 100
ENV_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
RETRY_KINDS = ("failed", "preempted")


def is_md5_base64(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return len(base64.b64decode(text, validate=True)) == 16
    except (binascii.Error, ValueError):
        return False


def upload_file_objects(value: Any, shape: str) -> List[Tuple[str, Dict[str, Any]]]:
    """``upload_files`` as ``[(where, object)]``: a list of at most ``MAX_UPLOAD_FILES``
    objects (of the ``shape`` the message names), in a job payload and in an upload-URL
    request alike."""
    if not isinstance(value, list):
        raise RequestError(
            "expected a list of {} objects, got {}".format(shape, type_name(value)),
            field="upload_files",
        )
    if len(value) > MAX_UPLOAD_FILES:
        raise RequestError(
            "has {} files; the limit is {}".format(len(value), MAX_UPLOAD_FILES),
            field="upload_files",
        )
    items = []
    for index, item in enumerate(value):
        where = "upload_files[{}]".format(index)
        if not isinstance(item, dict):
            raise RequestError("expected an object, got {}".format(describe(item)), field=where)
        items.append((where, item))
    return items


def parse_uploads(value: Any, local_upload: bool = True) -> Tuple[UploadRef, ...]:
    """The files a job needs. With ``local_upload`` false an md5 may be null: the upload
    daemon (ciocore's ``conductor uploader``) hashes and sends the file after the submit."""
    if value is None:
        return ()
    refs = []
    for where, item in upload_file_objects(value, "{md5, destination}"):
        destination = item.get("destination")
        if not isinstance(destination, str) or not destination:
            raise RequestError(
                "expected a file path, got {}".format(describe(destination)),
                field=where + ".destination",
            )
        if ".." in destination.replace("\\", "/").split("/"):
            # Each upload is placed under the job's inputs folder at its destination.
            raise RequestError(
                "{!r} has a '..' component: an upload's path may not climb out of the job's"
                " inputs folder".format(destination),
                field=where + ".destination",
            )
        md5 = item.get("md5")
        if md5 is None and not local_upload:
            pass
        elif not is_md5_base64(md5):
            raise RequestError(
                "{} is not an md5 (base64 of 16 bytes) for {}".format(describe(md5), destination),
                field=where + ".md5",
            )
        size = item.get("st_size", -1)
        if isinstance(size, bool) or not isinstance(size, int):
            raise RequestError("expected an integer size", field=where + ".st_size")
        refs.append(
            UploadRef(md5=None if md5 is None else str(md5), destination=destination, size=size)
        )
    return tuple(refs)


def parse_retry(value: Any) -> RetryPolicy:
    if not value:
        return RetryPolicy()
    if not isinstance(value, dict):
        raise RequestError(
            "expected {{'failed': {{'max_retries': n}}, 'preempted': {{...}}}}, got {}".format(
                describe(value)
            ),
            field="autoretry_policy",
        )
    counts = {"failed": 0, "preempted": 1}
    for kind, rule in value.items():
        where = "autoretry_policy.{}".format(kind)
        if kind not in RETRY_KINDS:
            raise RequestError(
                "unknown kind {!r}; valid kinds: {}".format(kind, ", ".join(RETRY_KINDS)),
                field=where,
            )
        if not isinstance(rule, dict) or "max_retries" not in rule:
            raise RequestError(
                "expected {{'max_retries': n}}, got {}".format(describe(rule)), field=where
            )
        number = rule["max_retries"]
        if (
            isinstance(number, bool)
            or not isinstance(number, int)
            or not (0 <= number <= MAX_RETRIES)
        ):
            raise RequestError(
                "expected an integer from 0 to {}, got {}".format(MAX_RETRIES, describe(number)),
                field=where + ".max_retries",
            )
        counts[kind] = number
    # A restart of the farm is never the task's fault: it gets at least one more try.
    return RetryPolicy(failed=counts["failed"], preempted=max(1, counts["preempted"]))


def parse_payload(
    data: Any, catalogue: Catalogue, account_env: Sequence[Mapping[str, str]] = ()
) -> JobSpec:
    if not isinstance(data, dict):
        raise RequestError(
            "the payload must be a JSON object, got {}".format(type_name(data)), field="payload"
        )
    for key in ("tasks_data", "instance_type", "project"):
        if key not in data:
            raise RequestError("is required", field=key)
    tasks = parse_tasks(data)

    instance_type = string_field(data, "instance_type")
    names = [i.name for i in catalogue.instance_types]
    if instance_type not in names:
        raise RequestError(
            "unknown instance type {!r}; this farm offers: {}".format(
                instance_type, ", ".join(names)
            ),
            field="instance_type",
        )
    project = string_field(data, "project")
    if project not in catalogue.projects:
        raise RequestError(
            "unknown project {!r}; this farm has: {} (add projects in the farm's"
            " config.json)".format(project, ", ".join(catalogue.projects)),
            field="project",
        )
    package_ids = data.get("software_package_ids") or []
    if not isinstance(package_ids, list) or not all(isinstance(p, str) for p in package_ids):
        raise RequestError(
            "expected a list of package ids, got {}".format(describe(package_ids)),
            field="software_package_ids",
        )
    known = {p.package_id: p for p in catalogue.packages}
    policies: Dict[str, str] = {}
    for entry in account_env:
        policies[entry["name"]] = entry.get("merge_policy", "exclusive")
    for index, package_id in enumerate(package_ids):
        if package_id not in known:
            raise RequestError(
                "unknown software package id {!r}; this farm has: {}".format(
                    package_id,
                    ", ".join("{} ({})".format(p.package_id, p.label) for p in known.values())
                    or "(none)",
                ),
                field="software_package_ids[{}]".format(index),
            )
        for env in known[package_id].environment:
            policies[env.name] = env.merge_policy

    environment = string_map_field(data, "environment", MAX_ENV_VARS)
    for name, value in environment.items():
        if not ENV_NAME.match(name):
            raise RequestError(
                "{!r} is not a valid variable name (letters, digits and _, not starting with"
                " a digit)".format(name),
                field="environment",
            )
        if "\x00" in value:
            raise RequestError("contains a NUL character", field="environment." + name)

    output_path = string_field(data, "output_path", "", 4096)
    if "\x00" in output_path:  # os calls raise ValueError on it when outputs are copied
        raise RequestError("contains a NUL character", field="output_path")
    if output_path and not os.path.isabs(output_path):
        raise RequestError("{!r} is not an absolute path".format(output_path), field="output_path")
    scout = data.get("scout_frames", "")
    if isinstance(scout, list) and all(isinstance(f, int) for f in scout):
        scout = ",".join(str(f) for f in scout)
    if scout is None:
        scout = ""
    if not isinstance(scout, str):
        raise RequestError(
            "expected a frame spec string, got {}".format(describe(scout)), field="scout_frames"
        )
    parse_frames(scout, "scout_frames")
    parse_budgets(data.get("budgets"), catalogue, len(tasks), instance_type)
    integer_field(data, "chunk_size", 1, minimum=1)
    local_upload = boolean_field(data, "local_upload", True)
    boolean_field(data, "preemptible", False)
    uploads = parse_uploads(data.get("upload_files"), local_upload)
    metadata = string_map_field(data, "metadata", 1000)
    notify = data.get("notify")
    if notify is not None and not isinstance(notify, (dict, list)):
        raise RequestError(
            "expected {{'emails': [...]}} or a list of addresses, got {}".format(describe(notify)),
            field="notify",
        )
    return JobSpec(
        tasks=tasks,
        title=string_field(data, "job_title", "Untitled job", 1024) or "Untitled job",
        project=project,
        instance_type=instance_type,
        priority=integer_field(data, "priority", 5),
        owner=string_field(data, "owner", "", 256),
        location=string_field(data, "location", "", 256),
        output_path=os.path.normpath(output_path) if output_path else "",
        scout_frames=scout,
        release_on_scout_success=boolean_field(data, "release_on_scout_success", False),
        environment=environment,
        env_policies=policies,
        retry=parse_retry(data.get("autoretry_policy")),
        uploads=uploads,
        local_upload=local_upload,
        metadata=metadata,
        payload=dict(data),
    )
