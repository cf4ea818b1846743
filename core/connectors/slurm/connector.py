"""``SlurmConnector``: submit, watch and steer Farmhand jobs on a Slurm cluster.

A job is written to its own folder under the jobs folder (``settings``), which must be on a
filesystem the nodes see at the same path: Slurm runs the scripts there, and the job's scene
and textures are read where they are (no uploads; docs/slurm.md). The Farmhand job id is the
Slurm id of the job's first array; ``<jobs folder>/<id>`` links to the job's folder.
"""

import json
import os
import shutil
import threading
import time
from typing import Any, Dict, List, Mapping, Optional

from farmhand.core.catalogue import Catalogue, InstanceType
from farmhand.core.catalogue_file import catalogue_from_dict
from farmhand.core.connectors.base import Connector, JobInfo, SubmitResult, TaskInfo
from farmhand.core.connectors.capabilities import Capabilities, payload_of
from farmhand.core.connectors.native_folder import write_folder
from farmhand.core.connectors.slurm import native_form, status
from farmhand.core.connectors.slurm.commands import SlurmCommands, split_rows
from farmhand.core.connectors.slurm.native_form import ArrayPlan, sbatch_args
from farmhand.core.connectors.slurm.settings import (
    SlurmInstanceType,
    SlurmSettings,
    partition_types,
)
from farmhand.core.errors import CancelledError, FarmConnectionError, InputError
from farmhand.core.transfer.progress import ProgressCallback, emit_phase


class SlurmConnector(Connector):
    name = "slurm"
    summary = "a Slurm cluster (SLURM_CONF): job arrays over a shared filesystem"
    capabilities = Capabilities(
        ("scouts", "dependencies", "per_task_env", "priority", "max_instances", "retries"),
        notes={
            "uploads": "the nodes read them where they are: they must see the same paths "
            "(a shared filesystem; docs/slurm.md)",
            "priority": "Slurm lets users only lower a job (--nice)",
            "preemptible": "preemption is the cluster's own policy",
            "notify": "Farmhand asks Slurm for no mail",
            "outputs": "tasks write to output_path on the shared filesystem",
        },
    )

    def __init__(self, settings: SlurmSettings) -> None:
        self.settings = settings
        self.commands = SlurmCommands(settings.environ)
        self._instance_types: Optional[List[SlurmInstanceType]] = None

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "SlurmConnector":
        return cls(SlurmSettings.from_environment(environ))

    def describe(self) -> str:
        conf = (self.settings.environ or os.environ).get("SLURM_CONF") or "/etc/slurm/slurm.conf"
        return "Slurm cluster of {}".format(conf)

    # -- catalogue ----------------------------------------------------------------------------
    def instance_types(self) -> List[SlurmInstanceType]:
        """The site file's instance types, else one per partition and core count (sinfo)."""
        if self._instance_types is None:
            if self.settings.instance_types:
                self._instance_types = list(self.settings.instance_types)
            else:
                rows = []
                text = self.commands.output(["sinfo", "-h", "-o", "%R|%c|%m|%G"])
                for row in split_rows(text):
                    if len(row) >= 4 and row[1].isdigit():
                        memory = float(row[2].rstrip("+")) / 1024 if row[2].rstrip("+").isdigit() \
                            else 0.0
                        rows.append((row[0], int(row[1]), memory, row[3]))
                self._instance_types = partition_types(rows)
        return self._instance_types

    def catalogue(self) -> Catalogue:
        source = self.settings.config_path or "the Slurm site file"
        base = catalogue_from_dict(self.settings.catalogue_data, source)
        types = tuple(InstanceType.from_dict(t.catalogue_entry()) for t in self.instance_types())
        projects = base.projects or ("default",)
        return Catalogue(projects=projects, instance_types=types, packages=base.packages)

    def instance_type(self, name: str) -> Optional[SlurmInstanceType]:
        if not name:
            return None
        types = self.instance_types()
        for entry in types:
            if entry.name == name:
                return entry
        raise InputError(
            "unknown instance type {!r} on this Slurm cluster; valid instance types: {}".format(
                name, ", ".join(t.name for t in types) or "none"
            ),
            field="instance_type",
        )

    # -- native form and submit ---------------------------------------------------------------
    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        payload = payload_of(submission)
        payload.update(extra or {})
        target = os.path.abspath(os.path.expanduser(folder))
        files = native_form.job_files(
            payload,
            target,
            self.instance_type(str(payload.get("instance_type") or "")),
            self.settings.sbatch_options,
        )
        written = write_folder(target, files)
        return [os.path.join(written, name) for name in sorted(files)]

    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        started = time.monotonic()
        if cancel is not None and cancel.is_set():
            raise CancelledError("submission cancelled; no job was submitted")
        os.makedirs(self.settings.jobs_folder, exist_ok=True)
        folder = os.path.join(
            self.settings.jobs_folder,
            "job-{}-{}".format(time.strftime("%Y%m%d-%H%M%S"), os.urandom(3).hex()),
        )
        emit_phase(progress, "submitting", "writing the job to {}".format(folder))
        self.export(submission, folder, extra)
        record = read_record(folder)
        arrays = [ArrayPlan.from_dict(a) for a in record["arrays"]]
        ids: List[str] = []
        try:
            for array in arrays:
                if cancel is not None and cancel.is_set():
                    raise CancelledError("submission cancelled; no job was submitted")
                after = [ids[a] for a in array.after]
                out = self.commands.output(sbatch_args(folder, array, after)).strip()
                ids.append(out.split(";")[0])
        except BaseException:
            if ids:  # nothing half-submitted stays queued
                self.commands.run(["scancel"] + ids, check=False)
            shutil.rmtree(folder, ignore_errors=True)
            raise
        record["array_ids"] = ids
        record["submitted_at"] = time.time()
        write_record(folder, record)
        job_id = ids[0]
        link = os.path.join(self.settings.jobs_folder, job_id)
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.basename(folder), link)
        body = {"jobid": job_id, "arrays": ids, "folder": folder}
        result = SubmitResult(job_id, folder, body, 201)
        result.seconds = time.monotonic() - started
        emit_phase(progress, "done", "job {} submitted".format(job_id))
        return result

    # -- jobs ---------------------------------------------------------------------------------
    def folder_of(self, job_id: str) -> str:
        text = str(job_id).strip()
        link = os.path.join(self.settings.jobs_folder, text)
        if not text.isdigit() or not os.path.isfile(os.path.join(link, native_form.RECORD)):
            raise InputError(
                "no Slurm job {!r} in {} (Farmhand's Slurm job ids are the Slurm id of the"
                " job's first array)".format(job_id, self.settings.jobs_folder),
                field="job",
            )
        return os.path.realpath(link)

    def jobs(self) -> List[JobInfo]:
        try:
            names = os.listdir(self.settings.jobs_folder)
        except OSError:
            return []
        ids = sorted((n for n in names if n.isdigit()), key=int, reverse=True)
        return [self._job(i, with_tasks=False) for i in ids]

    def status(self, job_id: str) -> JobInfo:
        return self._job(job_id, with_tasks=True)

    def _job(self, job_id: str, with_tasks: bool) -> JobInfo:
        folder = self.folder_of(job_id)
        record = read_record(folder)
        ids = [str(i) for i in record.get("array_ids") or []]
        queued = status.queue(self.commands, ids)
        attempts = {t["number"]: status.read_attempts(folder, t["number"])
                    for t in record["tasks"]}
        unaccounted = [n for n in attempts if n not in queued and not attempts[n]]
        final = status.accounting_states(self.commands, ids) if unaccounted else {}
        tasks = []
        counts: Dict[str, int] = {}
        for task in record["tasks"]:
            number = task["number"]
            state, code = status.task_state(
                number, queued.get(number), attempts[number], final, ids,
                bool(record.get("cancelled")),
            )
            counts[state] = counts.get(state, 0) + 1
            tried = attempts[number]
            duration = tried[-1].ended - tried[-1].started if tried else None
            tasks.append(
                TaskInfo(
                    str(job_id), "{:03d}".format(number - 1), state, frames=task["frames"],
                    attempts=len(tried), duration=duration, exit_code=code,
                    log=os.path.join(folder, native_form.LOGS, "{}.log".format(number)),
                    scout=bool(task["scout"]), raw={"number": number},
                )
            )
        job = JobInfo(
            str(job_id),
            str(record.get("title") or ""),
            job_state(counts, len(tasks)),
            counts=counts,
            task_count=len(tasks),
            output_path=str(record.get("output_path") or ""),
            created_at=record.get("submitted_at"),
            tasks=tasks if with_tasks else None,
            raw={"folder": folder, "array_ids": ids},
        )
        job.revision = hash(tuple(sorted(counts.items())))
        return job

    def logs(self, job_id: str, task_id: str) -> str:
        folder = self.folder_of(job_id)
        number = task_number(task_id, read_record(folder))
        try:
            with open(os.path.join(folder, native_form.LOGS, "{}.log".format(number)),
                      encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            return ""

    def kill(self, job_id: str) -> None:
        folder = self.folder_of(job_id)
        record = read_record(folder)
        record["cancelled"] = True
        write_record(folder, record)
        ids = [str(i) for i in record.get("array_ids") or []]
        if ids:
            self.commands.run(["scancel"] + ids)

    def release(self, job_id: str) -> None:
        record = read_record(self.folder_of(job_id))
        ids = [str(i) for i, a in zip(record.get("array_ids") or [], record["arrays"])
               if a.get("hold")]
        if ids:
            self.commands.run(["scontrol", "release", ",".join(ids)], check=False)

    def retry(self, job_id: str, task_id: Optional[str] = None) -> None:
        """Requeue the failed or killed tasks (or one task) in their own array, so the
        arrays that wait for them (``afterok``) wait again."""
        job = self.status(job_id)
        record = read_record(self.folder_of(job_id))
        ids = [str(i) for i in record.get("array_ids") or []]
        wanted = None if task_id is None else task_number(task_id, record)
        for task in job.tasks or []:
            number = int(task.raw["number"])
            if (wanted is not None and number != wanted) or task.status not in (
                "failed", "killed"
            ):
                continue
            array = next(i for i, a in zip(ids, record["arrays"]) if number in a["numbers"])
            self.commands.run(["scontrol", "requeue", "{}_{}".format(array, number)])
        if record.get("cancelled"):
            record["cancelled"] = False
            write_record(self.folder_of(job_id), record)


def job_state(counts: Mapping[str, int], total: int) -> str:
    for state in ("running", "pending", "waiting", "held"):
        if counts.get(state):
            return state
    if counts.get("success", 0) == total:
        return "success"
    return "killed" if counts.get("killed") and not counts.get("failed") else "failed"


def task_number(task_id: str, record: Mapping[str, Any]) -> int:
    text = str(task_id).strip()
    count = len(record["tasks"])
    if not text.isdigit() or int(text) >= count:
        raise InputError(
            "task id {!r} is not a task of this job (tasks 000 to {:03d})".format(
                task_id, count - 1
            ),
            field="task",
        )
    return int(text) + 1


def read_record(folder: str) -> Dict[str, Any]:
    path = os.path.join(folder, native_form.RECORD)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise FarmConnectionError(
            "cannot read the Slurm job record {}: {}".format(path, error)
        ) from None
    if not isinstance(data, dict) or data.get("format") != native_form.FORMAT:
        raise FarmConnectionError("{} is not a Farmhand Slurm job record".format(path))
    return data


def write_record(folder: str, record: Mapping[str, Any]) -> None:
    path = os.path.join(folder, native_form.RECORD)
    temporary = "{}.{}.tmp".format(path, os.getpid())
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(temporary, path)

