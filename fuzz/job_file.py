"""Fuzz target: job files (JSON settings) read, built into a submission and its payload.

The input is written as a job file in a sandbox folder (with a scene and a texture sequence)
and read as ``farmhand preview`` reads one. Contract: ``read_job_file``/``settings_from_dict``
raise ``JobFileError``/``InputError`` naming the key, or give settings that survive the dict
round trip; ``build_submission`` never raises (problems are validation messages) and its
payload text is JSON that reads back as ``to_payload()``.

Two bounds keep each input fast without hiding a parser path: upload paths leaving the
sandbox are pointed at a missing file inside it (a job file may name ``/``, which a fuzz run
must not walk), and the task cap is at most 10,000 (a million tasks is a legal, slow job).

    python -m fuzz.job_file -max_total_time=60 fuzz/corpus/job_file
"""

import dataclasses
import json
import os
import tempfile

from farmhand.core.errors import FarmhandError
from farmhand.core.job.build import build_submission
from farmhand.core.job.job_file import (
    job_file_context,
    read_job_file,
    settings_from_dict,
    settings_to_dict,
)
from fuzz.harness import ContractError, check, main, typed_errors_only

SANDBOX = tempfile.mkdtemp(prefix="farmhand-fuzz-job-")
JOB_FILE = os.path.join(SANDBOX, "shot010.json")
MAX_TASKS = 10000


def _make_sandbox() -> None:
    os.makedirs(os.path.join(SANDBOX, "tex"), exist_ok=True)
    names = ["scene.blend"] + ["tex/wood.{:04d}.exr".format(f) for f in range(1, 4)]
    for name in names:
        with open(os.path.join(SANDBOX, name), "w") as handle:
            handle.write(name)
    os.environ["HOME"] = SANDBOX  # ~ in an upload path stays in the sandbox


def _inside(path: str) -> str:
    full = os.path.normpath(os.path.join(SANDBOX, os.path.expanduser(path)))
    return path if full.startswith(SANDBOX + os.sep) else "outside-the-sandbox"


def test_one_input(data: bytes) -> None:
    with open(JOB_FILE, "wb") as handle:
        handle.write(data)
    settings = None
    with typed_errors_only("read_job_file/settings_from_dict", data):
        raw = read_job_file(JOB_FILE)
        settings = settings_from_dict(raw, base_dir=SANDBOX)
    if settings is None:
        return
    check(
        settings_from_dict(settings_to_dict(settings)) == settings,
        "settings of {!r} change on a dict round trip".format(data),
    )
    settings = dataclasses.replace(
        settings,
        upload_paths=[_inside(path) for path in settings.upload_paths],
        max_tasks=min(settings.max_tasks, MAX_TASKS),
    )
    with typed_errors_only("build_submission", data, allowed=()):
        submission = build_submission(settings, job_file_context(JOB_FILE), environ={})
        text = submission.payload_json()
        check(text == submission.payload_json(), "payload text of {!r} unstable".format(data))
        check(
            json.loads(text) == json.loads(json.dumps(submission.to_payload())),
            "payload text of {!r} is not to_payload()".format(data),
        )
        if submission.ok:
            try:
                submission.check()
            except FarmhandError as error:
                raise ContractError("ok, yet check() raised {}".format(error)) from error


_make_sandbox()

if __name__ == "__main__":
    main(test_one_input)
