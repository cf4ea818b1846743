"""Run every fuzz target for a bounded time and report the inputs tried and any crash.

    python -m fuzz.run --seconds 5                # what `make test` runs (tests/fuzz)
    python -m fuzz.run --seconds 600              # `make fuzz`: a long run
    python -m fuzz.run --seconds 60 frames_spec   # one target

Each target runs in its own process (atheris takes over the process) from its committed seed
corpus ``fuzz/corpus/<target>/``; inputs the run finds interesting go to a scratch folder, so
the committed corpus only changes on purpose (``--save-corpus`` copies the new inputs in).
A crash leaves its input under ``--artifacts`` (default ``build/fuzz``) and makes the run
fail: turn it into a regression test in ``tests/fuzz/test_findings.py``, then fix it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import List, NamedTuple, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
TARGETS = (
    "frames_spec",
    "scout_spec",
    "token_template",
    "job_file",
    "tractor_script",
    "path_patterns",
    "farm_bodies",
)
_STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.MULTILINE)


class Result(NamedTuple):
    target: str
    ok: bool
    executions: int
    new_inputs: int
    seconds: float
    output: str
    crash: Optional[str]


def run_target(
    target: str,
    seconds: int,
    artifacts: str,
    save_corpus: bool = False,
    timeout: int = 20,
    module: Optional[str] = None,
    seeds: Optional[str] = None,
) -> Result:
    """One target for ``seconds`` (libFuzzer's ``-max_total_time``) from its seed corpus.

    ``module``/``seeds`` run another module with another corpus (the runner's own tests)."""
    if module is None and target not in TARGETS:
        raise SystemExit(
            "unknown fuzz target {!r}; targets: {}".format(target, ", ".join(TARGETS))
        )
    seeds = seeds or os.path.join(CORPUS, target)
    os.makedirs(artifacts, exist_ok=True)
    prefix = os.path.join(artifacts, target + "-")
    scratch = tempfile.mkdtemp(prefix="farmhand-fuzz-{}-".format(target))
    command = [
        sys.executable,
        "-m",
        module or "fuzz." + target,
        "-max_total_time={}".format(seconds),
        "-timeout={}".format(timeout),
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
        "-artifact_prefix=" + prefix,
        scratch,
        seeds,
    ]
    started = time.monotonic()
    try:
        finished = subprocess.run(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            errors="replace",
            timeout=seconds + timeout + 120,
        )
        output, code = finished.stdout, finished.returncode
    except subprocess.TimeoutExpired as expired:
        output = expired.output or ""
        output = output if isinstance(output, str) else output.decode("utf-8", "replace")
        output, code = output + "\n(the run did not end in time)", -1
    elapsed = time.monotonic() - started
    stats = {name: int(value) for name, value in _STAT.findall(output)}
    crash = re.search(r"Test unit written to (\S+)", output)
    new = len(os.listdir(scratch))
    if save_corpus and code == 0:
        for name in os.listdir(scratch):
            shutil.copy(os.path.join(scratch, name), os.path.join(seeds, name))
    shutil.rmtree(scratch, ignore_errors=True)
    return Result(
        target,
        code == 0,
        stats.get("number_of_executed_units", 0),
        new,
        elapsed,
        output,
        crash.group(1) if crash else None,
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    parser.add_argument("--seconds", type=int, default=5, help="per target (default 5)")
    parser.add_argument("--artifacts", default=os.path.join(ROOT, "build", "fuzz"))
    parser.add_argument(
        "--save-corpus", action="store_true", help="copy new interesting inputs into fuzz/corpus"
    )
    options = parser.parse_args(argv)
    if options.seconds < 1:
        parser.error("--seconds must be at least 1, got {}".format(options.seconds))
    failed = 0
    print("{:<16} {:>12} {:>8} {:>8}  result".format("target", "executions", "new", "seconds"))
    for target in options.targets or TARGETS:
        result = run_target(target, options.seconds, options.artifacts, options.save_corpus)
        verdict = "ok" if result.ok else "CRASH " + (result.crash or "(see output)")
        print(
            "{:<16} {:>12,} {:>8} {:>8.1f}  {}".format(
                target, result.executions, result.new_inputs, result.seconds, verdict
            ),
            flush=True,
        )
        if not result.ok:
            failed += 1
            print("\n".join(result.output.splitlines()[-40:]), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
