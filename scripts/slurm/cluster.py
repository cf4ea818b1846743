#!/usr/bin/env python3
"""Start, inspect and stop the throwaway single-node Slurm cluster by hand.

The same harness the tests use (tests/support/slurm_cluster.py), for a developer who wants to
poke at a real Slurm while writing a connector:

    scripts/slurm/cluster.py start /tmp/slurm --tuned
    export SLURM_CONF=/tmp/slurm/slurm.conf; sbatch --wrap true; squeue
    scripts/slurm/cluster.py status /tmp/slurm
    scripts/slurm/cluster.py stop /tmp/slurm

Exit status: 0 done, 1 the cluster failed (the message names the daemon and its log tail),
2 bad usage, 3 ``status`` of a cluster that is not running.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

import slurm_cluster  # noqa: E402  (lives with the tests; found through the path above)


def start(args: argparse.Namespace) -> int:
    settings = dict(slurm_cluster.TUNED_SETTINGS) if args.tuned else {}
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise slurm_cluster.SlurmSettingError(
                "--set {!r}: expected KEY=VALUE, e.g. --set MinJobAge=30".format(item))
        settings[key] = value
    cluster = slurm_cluster.SlurmCluster(args.directory, settings=settings)
    cluster.start(timeout=args.timeout)
    print("Slurm cluster running in {} ({})".format(cluster.directory, cluster.describe_pids()))
    print("export SLURM_CONF={}".format(cluster.conf_path))
    return 0


def stop(args: argparse.Namespace) -> int:
    cluster = slurm_cluster.SlurmCluster.attach(args.directory)
    swept = cluster.stop()
    extra = " (also killed {} leftover processes)".format(len(swept)) if swept else ""
    print("Slurm cluster in {} stopped{}".format(cluster.directory, extra))
    return 0


def status(args: argparse.Namespace) -> int:
    cluster = slurm_cluster.SlurmCluster.attach(args.directory)
    info = cluster.status()
    daemons = info["daemons"]
    assert isinstance(daemons, dict)
    running = [name for name, pid in daemons.items() if pid]
    if not running:
        print("Slurm cluster in {}: not running".format(cluster.directory))
        return 3
    for name in slurm_cluster.DAEMONS:
        pid = daemons.get(name)
        print("{}: {}".format(name, "running (pid {})".format(pid) if pid else "NOT running"))
    print("node {}: {}".format(info["node"], info["node_state"] or "unknown"))
    print("queued jobs: {}".format(info["queued_jobs"]))
    print("export SLURM_CONF={}".format(info["conf"]))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="cluster.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("directory", help="the cluster's directory (created by start)")
    parser.add_argument("--tuned", action="store_true",
                        help="use the low-overhead settings measured in BENCHMARKS.md")
    parser.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="an extra slurm.conf setting (repeatable)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the node to become idle (default 60)")
    args = parser.parse_args(argv)
    try:
        return {"start": start, "stop": stop, "status": status}[args.command](args)
    except (slurm_cluster.SlurmClusterError, slurm_cluster.SlurmSettingError) as error:
        print("cluster.py: error: {}".format(error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
