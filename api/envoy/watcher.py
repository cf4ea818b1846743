"""The background downloader of one submission (``watch_process`` runs it).

GridMarkets' Envoy downloads results while the user's script has long ended; on the local
farm this process does it: started (detached) by ``submit_project``, it follows the farm job
(long polls, no busy loop), runs a download pass whenever tasks have succeeded, and ends once
the job has ended and every result matching a watch file is downloaded, or when the farm is
gone. ``get_project_status`` runs the same pass, so results arrive even where this process
could not be started (a DCC whose ``sys.executable`` is not a Python).
"""

import os
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

from farmhand.api.envoy.downloads import download_pass
from farmhand.api.envoy.records import ProjectRecords, envoy_home

MAX_LIFETIME = 7 * 24 * 3600.0
FOLLOW_WAIT = 10.0


def run_pass(records: ProjectRecords, name: str, index: int, http: Any, block: bool) -> bool:
    """One download pass for submission ``index`` of project ``name``; False when another
    process was running one (``block`` off) or errors are left."""
    with records.locked(name, ".download", blocking=block) as got:
        if not got:
            return False
        record = records.load(name) or {}
        submission = (record.get("submissions") or [])[index]
        downloaded, errors, _ = download_pass(http, submission)

        def change(data: Dict[str, Any]) -> None:
            entry = data["submissions"][index]
            entry.setdefault("downloaded", {}).update(downloaded)
            entry["download_errors"] = errors
            entry["downloads_checked_at"] = time.time()

        records.update(name, change)
        return not errors


def watch(name: str, index: int, environ: Optional[Dict[str, str]] = None) -> int:
    from farmhand.core.connectors import connect
    from farmhand.core.errors import FarmhandError

    records = ProjectRecords()
    record = records.load(name)
    if record is None:
        return 1
    job_id = record["submissions"][index]["job_id"]
    started = time.monotonic()
    env = {"FARMHAND_COMMAND": "false"}  # never start a farm: one that is gone ends this
    env.update(environ or {})
    try:
        connector = connect("local", environ=env)
    except FarmhandError:
        return 1
    with connector:
        revision = None
        successes = -1
        while time.monotonic() - started < MAX_LIFETIME:
            try:
                job = connector.job(job_id, wait=FOLLOW_WAIT if revision else 0.0,
                                    revision=revision)
            except FarmhandError:
                return 1
            revision = job.revision
            done = job.counts.get("success", 0)
            if done != successes or job.is_final:
                successes = done
                try:
                    clean = run_pass(records, name, index, connector.http, block=True)  # type: ignore[attr-defined]
                except FarmhandError:
                    return 1
                if job.is_final and clean:
                    return 0
                if job.is_final:
                    time.sleep(5.0)  # a failed download: try again a little later
    return 0


def python_for_watcher() -> Optional[str]:
    """This interpreter, when it is one (a DCC's ``sys.executable`` may be the DCC)."""
    exe = sys.executable or ""
    return exe if os.path.basename(exe).lower().startswith("python") else None


def start_watcher(name: str, index: int) -> bool:
    """Start the downloader detached; False when no Python could be found to run it."""
    python = python_for_watcher()
    if python is None:
        return False
    log_dir = envoy_home()
    os.makedirs(log_dir, exist_ok=True)
    env = dict(os.environ)
    env["FARMHAND_HOME"] = os.path.dirname(log_dir)
    path = list(filter(None, env.get("PYTHONPATH", "").split(os.pathsep)))
    env["PYTHONPATH"] = os.pathsep.join(path + [p for p in sys.path if p and p not in path])
    with open(os.path.join(log_dir, "watcher.log"), "ab") as log:
        subprocess.Popen(
            [python, "-m", "farmhand.api.envoy.watch_process", name, str(index)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
    return True


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[1].isdigit():
        print(
            "usage: python -m farmhand.api.envoy.watch_process PROJECT SUBMISSION",
            file=sys.stderr,
        )
        return 2
    return watch(args[0], int(args[1]))


if __name__ == "__main__":
    sys.exit(main())
