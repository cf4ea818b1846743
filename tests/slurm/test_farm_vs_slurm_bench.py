"""The local farm vs Slurm benchmark (bench/farm_vs_slurm.py) still measures and tabulates.

Not a timed test: the table and the payload are checked on made-up runs, the local-farm half
runs a 2-task job for real; the Slurm half is the same code on the connector the cluster tests
cover, and runs only in the benchmark (minutes at 100 tasks).
"""

import importlib.util
import os

import pytest

pytestmark = [pytest.mark.timeout(120)]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "farm_vs_slurm_bench", os.path.join(ROOT, "bench", "farm_vs_slurm.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_payload_is_the_same_job_on_both_farms(bench):
    local = bench.payload(3, "true", "cpu-2")
    slurm = bench.payload(3, "true", bench.SLURM_INSTANCE_TYPE)
    assert [t["frames"] for t in local["tasks_data"]] == ["1", "2", "3"]
    assert dict(local, instance_type="x") == dict(slurm, instance_type="x")
    assert bench.workloads(0.25) == [("true", "true"), ("sleep 0.25", "sleep 0.25")]


def test_the_table_has_a_row_per_farm_with_medians_and_ratios(bench):
    run = bench.Run
    results = {"true": {
        "local": [run(0.01, 1.0), run(0.01, 3.0), run(0.02, 2.0)],
        "slurm": [run(0.05, 40.0), run(0.04, 42.0), run(0.06, 41.0)],
    }}
    lines = bench.table(results, 100, 3).splitlines()
    assert lines[0] == "same 100-task job, 2 at a time, 3 runs each (median, submit call to" \
        " job final):"
    assert lines[3] == "| `true` x 100 | local | 2.00 s | 1.0x | 0.000 s | 0.010 s |"
    assert lines[4] == "| `true` x 100 | slurm | 41.00 s | 20.5x | 0.390 s | 0.050 s |"
    bare = bench.bare_table({"default": [4.0, 2.0, 3.0]}, 100).splitlines()
    assert bare[3] == "| default | 3.00 s | 0.030 s |"


@pytest.mark.parametrize("argv", [["--tasks", "1"], ["--repeats", "0"], ["--sleep", "-1"]])
def test_bad_counts_are_refused(bench, argv, capsys):
    with pytest.raises(SystemExit) as caught:
        bench.main(argv)
    assert caught.value.code == 2
    assert "--tasks must be at least 2, --repeats at least 1, --sleep at least 0" in \
        capsys.readouterr().err


@pytest.mark.slow
def test_the_local_farm_half_runs_a_small_job(bench, monkeypatch):
    monkeypatch.setenv("FARMHAND_HOME", os.environ.get("FARMHAND_HOME", ""))  # Farm sets it
    runs = bench.on_local_farm([("true", "true")], tasks=2, repeats=1)
    (only,) = runs["true"]
    assert 0 < only.submit <= only.wall < 60
