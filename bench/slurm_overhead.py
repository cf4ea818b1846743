"""Slurm's per-task overhead: N ``true`` tasks as one job array on the single-node test cluster.

Why: the local farm promises far less overhead per task than a real engine on the same
machine; this measures the engine side honestly, with Slurm's defaults and with the best
settings found (``TUNED_SETTINGS`` in tests/support/slurm_conf.py), so the ratio the local-farm
benchmark prints is against a tuned Slurm, not a strawman.

A run starts a private cluster (tests/support/slurm_cluster.py), runs one warm-up job, then
times submit-to-all-done of an N-task ``sbatch --array`` of ``true`` (the jobcomp log says when
each task finished), ``repeats`` times on the same cluster (fewer when a run takes minutes, as
with the defaults); per-task overhead = median wall / N.

    python bench/slurm_overhead.py                    # default vs tuned, 100 tasks, 3 repeats
    python bench/slurm_overhead.py --ablation         # each tuned setting removed / added
    python -m bench.slurm_overhead --configs tuned --tasks 1000 --repeats 1

For other benchmarks: ``tuned_per_task_overhead()`` returns seconds per task (median).
"""

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.join(ROOT, "tests", "support") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

import slurm_cluster  # noqa: E402  (the test harness, found through the path above)

TUNED = dict(slurm_cluster.TUNED_SETTINGS)


def _tuned(**changes: Optional[str]) -> Dict[str, str]:
    """The tuned settings with some changed (a value) or dropped (None)."""
    settings = dict(TUNED)
    for key, value in changes.items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    return settings


# name -> (slurm.conf settings, what it shows)
CONFIGS = collections.OrderedDict([
    ("default", ({}, "Slurm's defaults: each job is given the node's whole memory")),
    ("default+CR_Core", ({"SelectTypeParameters": "CR_Core"},
                         "defaults, cores as the only consumable (2 tasks at a time)")),
    ("scheduler-tuned", ({"SelectTypeParameters": "CR_Core",
                          "SchedulerParameters": "batch_sched_delay=0,sched_min_interval=0"},
                         "+ no batching delay (the team's earlier 'tuned')")),
    ("tuned", (TUNED, "+ no-op Epilog: epilog-complete runs the scheduler at once")),
])

# Each tuned setting taken away, and the other candidates added: which ones matter.
ABLATION = collections.OrderedDict([
    ("default +Epilog", ({"Epilog": "/bin/true"}, "")),
    ("tuned -Epilog", (_tuned(Epilog=None), "")),
    ("tuned -batch_sched_delay", (_tuned(SchedulerParameters=None), "")),
    ("tuned -CR_Core", (_tuned(SelectTypeParameters=None), "")),
    ("tuned +sched_min_interval=0", (_tuned(
        SchedulerParameters="batch_sched_delay=0,sched_min_interval=0"), "")),
    ("tuned +defer", (_tuned(SchedulerParameters="batch_sched_delay=0,defer"), "")),
    ("tuned +sched/builtin", (_tuned(SchedulerType="sched/builtin"), "")),
    ("tuned +MinJobAge=2", (_tuned(MinJobAge="2"), "")),
    ("tuned +Prolog+PrologFlags=Alloc", (_tuned(PrologFlags="Alloc", Prolog="/bin/true"), "")),
    ("tuned +quiet logs", (_tuned(SlurmctldDebug="error", SlurmdDebug="error"), "")),
    ("tuned +timeouts", (_tuned(MessageTimeout="5", SlurmdTimeout="30"), "")),
    ("tuned +accounting none", (_tuned(JobAcctGatherType="jobacct_gather/none",
                                       AccountingStorageType="accounting_storage/none"), "")),
])


class Measurement(NamedTuple):
    name: str
    settings: Dict[str, str]
    tasks: int
    walls: List[float]  # seconds, submit to all done, one per repeat

    @property
    def per_task(self) -> float:
        """Median seconds per task over the repeats."""
        return statistics.median(self.walls) / self.tasks


def measure(
    settings: Mapping[str, str],
    tasks: int = 100,
    repeats: int = 3,
    name: str = "",
    directory: Optional[str] = None,
    budget: float = 120.0,
) -> Measurement:
    """Start a cluster with ``settings`` and time ``repeats`` arrays of ``tasks`` x ``true``.

    Repeats stop early once ``budget`` seconds have gone by (at least one run): Slurm's
    defaults take minutes per run, and their figure is timer-bound, so one run tells it.
    """
    if tasks < 1 or repeats < 1:
        raise ValueError("tasks and repeats must be at least 1 (got tasks={}, repeats={})"
                         .format(tasks, repeats))
    # Generous: Slurm's defaults need ~3 s per task when tasks run one at a time.
    timeout = 60.0 + 5.0 * tasks
    workdir = tempfile.TemporaryDirectory(prefix="slurm-bench-", dir=directory)
    with workdir, slurm_cluster.SlurmCluster(workdir.name, settings=settings) as cluster:
        warm = cluster.sbatch("-o", "/dev/null", "--wrap", "true")
        cluster.wait_for_jobs(warm, timeout=timeout)
        walls = []  # type: List[float]
        while len(walls) < repeats and (not walls or sum(walls) < budget):
            start = time.monotonic()
            job_id = cluster.sbatch("-o", "/dev/null", "--array=1-{}".format(tasks),
                                    "--wrap", "true")
            records = cluster.wait_for_jobs(job_id, count=tasks, timeout=timeout)
            walls.append(time.monotonic() - start)
            failed = [r for r in records if r.get("JobState") != "COMPLETED"]
            if failed:
                raise slurm_cluster.SlurmClusterError(
                    "{} of {} tasks of job {} did not complete: {}".format(
                        len(failed), tasks, job_id, failed[0]))
    return Measurement(name, dict(settings), tasks, walls)


def tuned_per_task_overhead(tasks: int = 100, repeats: int = 3) -> float:
    """Seconds of Slurm overhead per ``true`` task with the tuned settings (median)."""
    return measure(TUNED, tasks=tasks, repeats=repeats, name="tuned").per_task


def table(results: Sequence[Measurement], notes: Mapping[str, str]) -> str:
    """A markdown table, each row's per-task overhead also as a multiple of "tuned"."""
    tuned = [r for r in results if r.name == "tuned"]
    base = tuned[0].per_task if tuned else None
    lines = [
        "| configuration | what it shows | tasks x runs | wall median (min-max) s "
        "| per task s | vs tuned |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        lines.append("| {} | {} | {} x {} | {:.2f} ({:.2f}-{:.2f}) | {:.3f} | {} |".format(
            result.name, notes.get(result.name, ""), result.tasks, len(result.walls),
            statistics.median(result.walls), min(result.walls), max(result.walls),
            result.per_task, "{:.1f}x".format(result.per_task / base) if base else "-"))
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    everything = list(CONFIGS) + list(ABLATION)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--configs", default="default,scheduler-tuned,tuned",
                        help="comma-separated, from: " + ", ".join(everything))
    parser.add_argument("--ablation", action="store_true",
                        help="also run every tuned setting removed / candidate added")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the configurations in turn this many times, so load "
                        "that comes and goes on a shared machine hits each of them alike")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.configs.split(",") if name.strip()]
    if args.ablation:
        names += [name for name in ABLATION if name not in names]
    unknown = [name for name in names if name not in everything]
    if unknown:
        parser.error("unknown configuration {!r}; valid: {}".format(
            unknown[0], ", ".join(everything)))
    known = dict(CONFIGS, **ABLATION)
    walls = collections.OrderedDict((name, []) for name in names)  # type: Dict[str, List[float]]
    for _ in range(max(1, args.rounds)):
        for name in names:
            result = measure(known[name][0], tasks=args.tasks, repeats=args.repeats, name=name)
            walls[name].extend(result.walls)
            print("{:<34} {:.3f} s/task  walls {}".format(
                name, result.per_task, ", ".join("{:.2f}".format(w) for w in result.walls)),
                file=sys.stderr, flush=True)
    results = [Measurement(name, dict(known[name][0]), args.tasks, walls[name])
               for name in names]
    print(table(results, {name: note for name, (_, note) in known.items()}))
    for name in names:
        print("- `{}`: `{}`".format(name, " ".join(
            "{}={}".format(k, v) for k, v in known[name][0].items()) or "(none)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
