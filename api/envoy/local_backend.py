"""The seed's client against the local farm (the default when no Envoy service is set).

Uploads go through the same hashing (md5 cache), negotiation and upload code as every
Farmhand submission; each file lands on the farm under its remote path (``<project>/...``,
relative, so the farm places it in the job's ``$FARMHAND_INPUTS`` folder and nowhere else).
A submitted project is one farm job (``local_payload``); what the status and a later
``skip_upload`` submission need is kept in the project's record (``records``). Results are
downloaded by a watcher process (``watcher``) and by every status call.
"""

import datetime
import getpass
import os
import socket
import time
from typing import Any, Dict, List, Optional, Tuple

from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.api.envoy.farm_errors import seed_errors
from farmhand.api.envoy.local_payload import CORE_SECONDS_PER_CREDIT, FARM_PROJECT, build_payload
from farmhand.api.envoy.local_products import LocalProducts
from farmhand.api.envoy.records import ProjectRecords, envoy_home
from farmhand.api.envoy.status import project_status
from farmhand.api.envoy.watcher import run_pass, start_watcher
from farmhand.core.connectors import LOCAL, Connector, connect
from farmhand.core.connectors.conductor.uploads import negotiate, upload_all
from farmhand.core.transfer.files import LocalFile, upload_file_entry
from farmhand.core.transfer.hashing import hash_files
from farmhand.core.transfer.md5_cache import open_cache
from farmhand.core.transfer.plan import unique_by_md5
from farmhand.core.transfer.progress import ProgressEvent

# How often upload progress is written to the project's record (for other processes).
PROGRESS_WRITE_INTERVAL = 0.5


class LocalBackend(object):
    def __init__(self, environ: Optional[Dict[str, str]] = None) -> None:
        self.environ = environ
        self._connector: Optional[Connector] = None
        self.records = ProjectRecords()

    def describe(self) -> str:
        return "the local farm"

    def connector(self) -> Any:
        if self._connector is None:
            with seed_errors():
                self._connector = connect(LOCAL, environ=self.environ)
        return self._connector

    def close(self) -> None:
        if self._connector is not None:
            self._connector.close()
            self._connector = None

    # -- account ----------------------------------------------------------------------------

    def validate_auth(self, email: Optional[str], secret: Optional[str]) -> bool:
        """The local farm authenticates with its own API key (exchanged for a token here);
        the email is who submits, recorded as the jobs' owner."""
        with seed_errors():
            self.connector().http.token()
        return True

    def credits(self) -> Tuple[float, float]:
        """(available, consumed): the local farm sets no credit limit; consumption is the
        measured core-seconds of every task it ran, in core-hours."""
        with seed_errors():
            usage = self.connector().http.json("GET", "/api/v1/usage").get("data") or {}
        consumed = float(usage.get("core_seconds", 0.0)) / CORE_SECONDS_PER_CREDIT
        return float("inf"), round(consumed, 6)

    def user_info(self, email: Optional[str]) -> Dict[str, Any]:
        available, consumed = self.credits()
        with seed_errors():
            farm = self.connector().http.json("GET", "/api/v1/farm").get("data") or {}
        key_file = os.path.join(str(farm.get("home") or ""), "api_key.json")
        try:
            created = datetime.datetime.fromtimestamp(os.stat(key_file).st_mtime)
        except OSError:
            created = datetime.datetime.fromtimestamp(float(farm.get("started_at") or 0))
        slots = int(farm.get("slots") or 1)
        return {
            "created": created.strftime("%Y-%m-%dT%H:%M:%S"),
            "credits_available": available,
            "credits_consumed": consumed,
            "email_address": email or "",
            "job_throughput_limit": slots,
            "max_throughput": slots,
            "name": "{}@{}".format(getpass.getuser(), socket.gethostname()),
            "service_plan": "Local farm",
        }

    # -- catalogue --------------------------------------------------------------------------

    def products(self) -> LocalProducts:
        with seed_errors():
            return LocalProducts(self.connector().catalogue())

    # -- uploads ----------------------------------------------------------------------------

    def _upload(self, project: Any) -> List[Dict[str, Any]]:
        """Send the project's files the farm lacks; returns their ``upload_files`` entries
        (destination: the remote path) and records them."""
        name = project.name
        if not project.files:
            raise InvalidRequestError(
                "the project has no files to upload (add them with add_files)", field="files"
            )
        http = self.connector().http
        by_local: Dict[str, List[str]] = {}
        for remote, local in sorted(project.files.items()):
            by_local.setdefault(local, []).append(remote)
        try:
            locals_ = [LocalFile.from_path(path) for path in sorted(by_local)]
        except OSError as error:
            raise InvalidRequestError(
                "cannot read {}: {}".format(error.filename, error.strerror), field="files"
            ) from None
        total = sum(f.size for f in locals_)
        started = time.time()

        def begin(record: Dict[str, Any]) -> None:
            record.update(local_root=project.LocalRoot, remote_root=project.RemoteRoot)
            record["upload"] = {
                "state": "Uploading",
                "message": "File uploads in progress.",
                "bytes_done": 0,
                "bytes_total": total,
                "speed": 0,
                "started_at": started,
                "files": {
                    remote: {"size": f.size, "done": 0}
                    for f in locals_
                    for remote in by_local[f.path]
                },
            }

        self.records.update(name, begin)
        progress = _ProgressWriter(self.records, name, by_local, started)
        cache = open_cache()
        try:
            with seed_errors():
                report = hash_files(locals_, cache=cache)
                distinct = unique_by_md5(locals_, report.md5s)
                todo = negotiate(http, FARM_PROJECT, distinct, report.md5s)
                upload_all(http, FARM_PROJECT, todo, progress)
        except Exception as error:
            message = str(error)
            self.records.update(name, lambda r: _upload_failed(r, message))
            raise
        finally:
            if cache is not None:
                cache.close()
        entries = []
        for local in locals_:
            for remote in by_local[local.path]:
                entry = upload_file_entry(local, report.md5s[local.path])
                entry["destination"] = remote.lstrip("/")
                entries.append(entry)
        ended = time.time()

        def finish(record: Dict[str, Any]) -> None:
            files = record.setdefault("files", {})
            for local in locals_:
                for remote in by_local[local.path]:
                    files[remote] = {
                        "md5": report.md5s[local.path],
                        "size": local.size,
                        "local": local.path,
                        "uploaded_at": ended,
                    }
            upload = record["upload"]
            upload.update(
                state="Completed",
                message="{} files uploaded.".format(len(entries)),
                bytes_done=total,
                ended_at=ended,
                speed=round(total / max(ended - started, 1e-6), 2),
            )
            for item in upload["files"].values():
                item["done"] = item["size"]

        self.records.update(name, finish)
        return entries

    def upload(self, project: Any) -> str:
        """Upload the project's files and keep them on the farm (an upload-only job)."""
        entries = self._upload(project)
        with seed_errors():
            catalogue = self.connector().catalogue()
            body = {
                "job_title": "{}: upload".format(project.name),
                "project": FARM_PROJECT,
                "instance_type": catalogue.instance_types[0].name,
                "tasks_data": [],
                "upload_only": True,
                "upload_files": entries,
                "local_upload": True,
                "metadata": {"envoy_project": project.name},
            }
            answer = self.connector().http.json("POST", "/jobs/", expected=(201,), json_body=body)
        self.records.update(
            project.name, lambda r: r["upload"].update(job_id=str(answer.get("jobid")))
        )
        return str(project.name)

    # -- submitting -------------------------------------------------------------------------

    def _uploaded_entries(self, project: Any) -> Tuple[List[str], List[Dict[str, Any]]]:
        """For ``skip_upload``: the files uploaded earlier, as ``upload_files`` entries."""
        record = self.records.load(project.name) or {}
        files = record.get("files") or {}
        if not files:
            raise InvalidRequestError(
                "project {!r} has no uploaded files; submit without skip_upload or call"
                " upload_project_files first".format(project.name),
                field="skip_upload",
            )
        missing = sorted(set(project.files) - set(files))
        if missing:
            raise InvalidRequestError(
                "{} was never uploaded ({} of the project's files); submit without"
                " skip_upload".format(missing[0], len(missing)),
                field="skip_upload",
            )
        entries = [
            {"md5": item["md5"], "destination": remote.lstrip("/"), "st_size": item["size"]}
            for remote, item in sorted(files.items())
        ]
        return sorted(files), entries

    def submit(self, project: Any, skip_upload: bool, skip_auto_download: bool) -> str:
        products = self.products()
        results_dir = os.path.join(envoy_home(), "remote") + project.remote_output_folder
        if skip_upload:
            remote_files, entries = self._uploaded_entries(project)
        else:
            remote_files, entries = sorted(project.files), []
        # Everything is checked before a byte is sent: nothing half-done on bad input.
        build_payload(project, products, remote_files, entries, results_dir)
        if not skip_upload:
            entries = self._upload(project)
        payload, groups = build_payload(project, products, remote_files, entries, results_dir)
        with seed_errors():
            answer = self.connector().http.json(
                "POST", "/jobs/", expected=(201,), json_body=payload
            )
        job_id = str(answer["jobid"])
        watch_files = [] if skip_auto_download else (
            project.watch_files or [project.default_watch_file()]
        )
        submission = {
            "submission_name": project.submission_name,
            "job_id": job_id,
            "remote_output_folder": project.remote_output_folder,
            "results_dir": results_dir,
            "watch_files": [[w.output_pattern, w.download_path] for w in watch_files],
            "jobs": groups,
            "submitted_at": time.time(),
            "downloaded": {},
        }
        index: List[int] = []

        def add(record: Dict[str, Any]) -> None:
            record.update(local_root=project.LocalRoot, remote_root=project.RemoteRoot)
            record.setdefault("submissions", []).append(submission)
            index.append(len(record["submissions"]) - 1)

        self.records.update(project.name, add)
        if watch_files:
            start_watcher(project.name, index[0])
        return str(project.name)

    # -- status -----------------------------------------------------------------------------

    def status(self, name: str) -> Dict[str, Any]:
        record = self.records.load(name) if isinstance(name, str) and name else None
        if record is None:
            known = self.records.names()
            raise InvalidRequestError(
                "no project named {!r}; projects: {}".format(name, ", ".join(known) or "(none)"),
                field="name",
            )
        job = budgets = None
        submissions = record.get("submissions") or []
        if submissions:
            submission = submissions[-1]
            with seed_errors():
                http = self.connector().http
                job = self.connector().status(submission["job_id"])
                budgets = http.json(
                    "GET", "/api/v1/jobs/{}/budgets".format(submission["job_id"])
                ).get("data")
                if submission.get("watch_files") and job.counts.get("success"):
                    run_pass(self.records, name, len(submissions) - 1, http, block=False)
                    record = self.records.load(name) or record
        return project_status(record, job, budgets)


def _upload_failed(record: Dict[str, Any], message: str) -> None:
    upload = record.setdefault("upload", {})
    upload.update(state="Failed", message="Upload failed: {}".format(message))


class _ProgressWriter(object):
    """Upload progress into the project's record, at most every half second."""

    def __init__(
        self, records: ProjectRecords, name: str, by_local: Dict[str, List[str]], started: float
    ) -> None:
        self.records = records
        self.name = name
        self.by_local = by_local
        self.started = started
        self.done: Dict[str, int] = {}
        self.last = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        if event.path:
            self.done[event.path] = event.file_bytes
        now = time.monotonic()
        if now - self.last < PROGRESS_WRITE_INTERVAL and event.phase != "done":
            return
        self.last = now
        done = dict(self.done)

        def change(record: Dict[str, Any]) -> None:
            upload = record.get("upload") or {}
            upload["bytes_done"] = event.bytes_done
            upload["speed"] = round(event.rate, 2)
            for local, count in done.items():
                for remote in self.by_local.get(local, ()):
                    if remote in upload.get("files", {}):
                        upload["files"][remote]["done"] = count

        self.records.update(self.name, change)
