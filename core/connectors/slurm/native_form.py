"""A Farmhand job as Slurm's native form: a folder of scripts and the arrays to submit.

The folder is what ``farmhand preview --farm slurm --export FOLDER`` writes and what the
connector submits from (export and submit share this one path):

- ``tasks/<number>.sh``: one ``/bin/sh`` script per task (``farmhand.core.connectors.
  task_scripts``: the job's and the task's environment, then its commands);
- ``run_task.sh``: the batch script every array runs. It runs ``tasks/$SLURM_ARRAY_TASK_ID.sh``
  (the array index *is* the task number: the manifest is looked up, no index arithmetic in
  a shell), appends the attempt to ``results/<number>`` (exit status, start, end, restarts)
  and, when the task failed and retries remain, requeues itself (``scontrol requeue``);
- ``submit.sh``: the ``sbatch`` lines, one array per stage (``engine_tasks.stage_job``: the
  scout tasks first, then the rest ``--dependency=afterok`` on them and ``--hold`` until
  released, unless the job releases on scout success; a job's own ``depends_on`` become
  further stages), each ``--array=<numbers>%<max_instances>``, with the instance type's
  partition/account/qos/``--gres``/cores, ``--nice`` from the priority and the site's own
  options. The connector runs exactly these lines; a user can run the script by hand;
- ``job.json``: the payload and the plan, which the connector reads back for status;
- ``logs/<number>.log`` (Slurm's output, every attempt appended) and ``results/``.
"""

import json
import shlex
from typing import Any, Dict, List, Mapping, Optional, Sequence

from farmhand.core.connectors.capabilities import DEFAULT_PRIORITY
from farmhand.core.connectors.engine_tasks import StagedJob, number_ranges, stage_job
from farmhand.core.connectors.slurm.settings import SlurmInstanceType
from farmhand.core.connectors.task_scripts import script_name, task_script
from farmhand.core.errors import InputError

FORMAT = 1
RUN_SCRIPT = "run_task.sh"
SUBMIT_SCRIPT = "submit.sh"
RECORD = "job.json"
LOGS = "logs"
RESULTS = "results"
# Each step of priority below the default lowers the job by this much Slurm ``--nice``.
NICE_PER_STEP = 100
NAME_LIMIT = 100


class ArrayPlan(object):
    """One ``sbatch`` array: a stage's task numbers, the arrays it waits for, its options."""

    __slots__ = ("name", "numbers", "after", "hold", "options")

    def __init__(
        self, name: str, numbers: List[int], after: List[int], hold: bool, options: List[str]
    ) -> None:
        self.name = name
        self.numbers = numbers
        self.after = after
        self.hold = hold
        self.options = options

    def as_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "numbers": self.numbers,
            "after": self.after,
            "hold": self.hold,
            "options": self.options,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ArrayPlan":
        return cls(
            str(data["name"]),
            [int(n) for n in data["numbers"]],
            [int(a) for a in data["after"]],
            bool(data["hold"]),
            [str(o) for o in data["options"]],
        )


def throttle_of(payload: Mapping[str, Any]) -> int:
    value = payload.get("max_instances") or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(
            "expected a whole number of at least 0, got {!r}".format(value), field="max_instances"
        )
    return value


def array_spec(numbers: Sequence[int], throttle: int = 0) -> str:
    """``1-3,7`` (``%N`` appended when at most N may run at once)."""
    parts = [str(a) if a == b else "{}-{}".format(a, b) for a, b in number_ranges(numbers)]
    return ",".join(parts) + ("%{}".format(throttle) if throttle else "")


def nice_of(payload: Mapping[str, Any]) -> int:
    """Slurm lets users only lower their jobs (a positive ``--nice``): priorities below the
    default are ``NICE_PER_STEP`` per step lower; the default and above run at nice 0."""
    priority = payload.get("priority", DEFAULT_PRIORITY)
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 0:
        raise InputError(
            "expected a whole number of at least 0, got {!r}".format(priority), field="priority"
        )
    return max(0, DEFAULT_PRIORITY - priority) * NICE_PER_STEP


def max_retries(payload: Mapping[str, Any]) -> int:
    policy = payload.get("autoretry_policy") or {}
    rule = policy.get("failed") if isinstance(policy, Mapping) else None
    value = rule.get("max_retries", 0) if isinstance(rule, Mapping) else 0
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def job_name(title: str, stage: str, staged: StagedJob) -> str:
    name = " ".join(title.split()) or "farmhand"
    if len(staged.stages) > 1:
        name = "{} [{}]".format(name, stage)
    return name[:NAME_LIMIT]


def plan_arrays(
    payload: Mapping[str, Any],
    staged: StagedJob,
    instance: Optional[SlurmInstanceType],
    site_options: Sequence[str],
) -> List[ArrayPlan]:
    throttle = throttle_of(payload)
    nice = nice_of(payload)
    release = bool(payload.get("release_on_scout_success"))
    title = str(payload.get("job_title") or "")
    has_scouts = any(task.scout for task in staged.tasks)
    scout_stages = {i for i, stage in enumerate(staged.stages) if any(t.scout for t in stage.tasks)}
    behind: List[bool] = []  # stage waits for a scout stage, directly or through others
    for stage in staged.stages:
        behind.append(any(a in scout_stages or behind[a] for a in stage.after))
    arrays = []
    for index, stage in enumerate(staged.stages):
        options = ["--job-name={}".format(job_name(title, stage.name, staged))]
        if instance is not None:
            options.extend(instance.sbatch_options())
        if nice:
            options.append("--nice={}".format(nice))
        options.extend(site_options)
        options.append("--array={}".format(array_spec(stage.numbers, throttle)))
        hold = has_scouts and not release and behind[index] and index not in scout_stages
        arrays.append(ArrayPlan(stage.name, stage.numbers, list(stage.after), hold, options))
    return arrays


def run_script(folder: str, retries: int) -> str:
    quoted = shlex.quote(folder)
    return "\n".join(
        [
            "#!/bin/sh",
            # On one line whatever the folder's name holds (a newline would start a command).
            "# Farmhand: the batch script of every array of the job in {}.".format(
                " ".join(folder.split())
            ),
            "# Runs tasks/<SLURM_ARRAY_TASK_ID>.sh, records the attempt in results/, and",
            "# requeues a failed task while it has retries left ({}).".format(retries),
            "folder={}".format(quoted),
            'number="$SLURM_ARRAY_TASK_ID"',
            'restarts="${SLURM_RESTART_COUNT:-0}"',
            "started=$(date +%s)",
            'echo "farmhand: task $number (Slurm job ${SLURM_ARRAY_JOB_ID}_$number, after'
            ' $restarts requeue(s)) on $(hostname)"',
            '/bin/sh "$folder/tasks/$number.sh"',
            "status=$?",
            'echo "$status $started $(date +%s) $restarts $SLURM_ARRAY_JOB_ID"'
            ' >> "$folder/results/$number"',
            'if [ "$status" -ne 0 ] && [ "$restarts" -lt {} ]; then'.format(retries),
            '    echo "farmhand: task $number failed (exit status $status): requeued"',
            '    scontrol requeue "${SLURM_ARRAY_JOB_ID}_$number"',
            "fi",
            'exit "$status"',
            "",
        ]
    )


def sbatch_args(folder: str, array: ArrayPlan, after_ids: Sequence[str]) -> List[str]:
    """The ``sbatch`` command line of ``array`` once the arrays it waits for have ids.

    Tasks get the node's environment, not the submitting shell's (``--export=NONE``), unless
    the site's ``sbatch_options`` choose an ``--export`` themselves: with ``NONE`` Slurm starts
    each task about a second after it allocates it on the test cluster (BENCHMARKS.md, "Local
    farm or Slurm"), which a site running many short tasks may prefer to avoid."""
    args = ["sbatch", "--parsable"] + list(array.options)
    args += [
        "--output={}/{}/%a.log".format(folder, LOGS),
        "--open-mode=append",
        "--requeue",
    ]
    if not any(option.startswith("--export") for option in array.options):
        args.append("--export=NONE")
    args += [
        "--chdir={}".format(folder),
    ]
    if after_ids:
        args.append("--dependency=afterok:{}".format(":".join(after_ids)))
    if array.hold:
        args.append("--hold")
    args.append("{}/{}".format(folder, RUN_SCRIPT))
    return args


def submit_script(folder: str, arrays: List[ArrayPlan]) -> str:
    lines = [
        "#!/bin/sh",
        "# Farmhand: submits the job in this folder as {} Slurm array(s); prints their ids."
        .format(len(arrays)),
        "# `farmhand submit --farm slurm` runs these same sbatch lines.",
        "set -e",
    ]
    for index, array in enumerate(arrays):
        after = ["${{array_{}}}".format(a) for a in array.after]
        args = sbatch_args(folder, array, after)
        words = [arg if arg.startswith("--dependency=") else shlex.quote(arg) for arg in args]
        lines.append("array_{}=$({})".format(index, " ".join(words)))
        lines.append('echo "{} array: $array_{}"'.format(array.name, index))
    return "\n".join(lines) + "\n"


def job_files(
    payload: Mapping[str, Any],
    folder: str,
    instance: Optional[SlurmInstanceType],
    site_options: Sequence[str] = (),
) -> Dict[str, str]:
    """Every file of the job folder (relative path -> text); ``folder`` is where it will be,
    since the scripts name it."""
    staged = stage_job(payload)
    arrays = plan_arrays(payload, staged, instance, site_options)
    environment = payload.get("environment") or {}
    title = str(payload.get("job_title") or "")
    files = {
        script_name(task.number): task_script(task, len(staged.tasks), title, environment)
        for task in staged.tasks
    }
    files[RUN_SCRIPT] = run_script(folder, max_retries(payload))
    files[SUBMIT_SCRIPT] = submit_script(folder, arrays)
    record = {
        "format": FORMAT,
        "farm": "slurm",
        "title": title,
        "output_path": payload.get("output_path") or "",
        "tasks": [
            {"number": t.number, "frames": t.frames, "title": t.label(), "scout": t.scout}
            for t in staged.tasks
        ],
        "arrays": [array.as_dict() for array in arrays],
        "payload": dict(payload),
    }
    files[RECORD] = json.dumps(record, indent=2, sort_keys=True) + "\n"
    files[LOGS + "/README"] = "Slurm writes each task's output here (<number>.log).\n"
    files[RESULTS + "/README"] = (
        "run_task.sh appends one line per attempt to <number>: exit status, start, end (epoch"
        " seconds), requeues before it, Slurm array job id.\n"
    )
    return files
