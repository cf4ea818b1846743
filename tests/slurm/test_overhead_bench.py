"""The Slurm overhead benchmark (bench/slurm_overhead.py) still runs end to end.

Not a timed test: it only checks that the measuring code works on a tiny array, so the numbers
in BENCHMARKS.md can be reproduced and the local-farm benchmark can call it.
"""

import importlib.util
import os

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "slurm_overhead_bench", os.path.join(ROOT, "bench", "slurm_overhead.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_measure_times_every_repeat_of_a_small_array(slurm_support, bench):
    result = bench.measure(bench.TUNED, tasks=4, repeats=2, name="tuned")
    assert result.tasks == 4 and len(result.walls) == 2
    assert all(0 < wall < 60 for wall in result.walls)
    assert result.per_task == pytest.approx(sorted(result.walls)[0] / 4 / 2
                                            + sorted(result.walls)[1] / 4 / 2)
    text = bench.table([result], {"tuned": "the tuned settings"})
    row = text.splitlines()[2]
    assert row.startswith("| tuned | the tuned settings | 4 x 2 | ")
    assert row.endswith(" | 1.0x |")


def test_tuned_per_task_overhead_is_seconds_per_task(slurm_support, bench):
    overhead = bench.tuned_per_task_overhead(tasks=2, repeats=1)
    assert isinstance(overhead, float)
    assert 0 < overhead < 30


def test_tuned_configuration_is_the_harness_one(bench):
    import slurm_conf

    assert bench.CONFIGS["tuned"][0] == slurm_conf.TUNED_SETTINGS
    assert bench.CONFIGS["default"][0] == {}


def test_every_configuration_is_a_valid_choice(bench):
    import slurm_conf

    for name, (settings, _) in list(bench.CONFIGS.items()) + list(bench.ABLATION.items()):
        assert "," not in name, "--configs splits on commas: {!r}".format(name)
        assert slurm_conf.check_settings(settings) == settings


def test_bad_counts_are_refused(bench):
    with pytest.raises(ValueError) as caught:
        bench.measure({}, tasks=0)
    assert str(caught.value) == "tasks and repeats must be at least 1 (got tasks=0, repeats=3)"


def test_unknown_configuration_is_named(bench, capsys):
    with pytest.raises(SystemExit) as caught:
        bench.main(["--configs", "tuned,fastest"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "unknown configuration 'fastest'; valid: default, default+CR_Core, " in err
