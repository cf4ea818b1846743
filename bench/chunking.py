"""Parse and chunk ``1-1000000`` at chunk size 10 (100,000 chunks): Farmhand vs fileseq, cioseq.

Every row ends with each chunk's spec string, since that is what a task payload needs:

- Farmhand: ``plan_frames`` (lazy, ``max_tasks`` raised) and then every chunk's
  ``str(chunk.frames)``, per strategy; the plan alone is shown too.
- fileseq: ``FrameSet`` parse + slicing ``fs[i:i + 10]`` into 100,000 chunks; ``batches(10)``
  is quadratic, so it runs over 100,000 frames only (10,000 chunks), once.
- cioseq: ``Sequence.create("1-1000000", chunk_size=10)`` + ``chunks()``, per strategy; its
  linear strategy copies the whole frame list for every chunk (quadratic), so like fileseq's
  batches it runs over 100,000 frames only, once.

The "vs Farmhand" ratio is per chunk against Farmhand's row for the same strategy; for the two
100,000-frame rows it flatters the quadratic tools (they would be ~10x slower per chunk at
1,000,000 frames).

Run: ``.venv/bin/python -m bench.chunking`` (or ``make bench``). ``measure()`` returns the
medians so other benchmarks (the payload) can add their rows to the same run.
"""

import statistics
import sys
import time
from typing import Callable, Dict, List, NamedTuple, Optional

SPEC = "1-1000000"
SMALL_SPEC = "1-100000"  # for the quadratic rows
RANGES_SPEC = ",".join("{}-{}".format(i * 1000 + 1, i * 1000 + 999) for i in range(1000))
CHUNK = 10
CHUNKS = 100000
RUNS = 5  # fast rows
SLOW_RUNS = 3  # fileseq slicing (seconds each)
QUADRATIC_RUNS = 1  # fileseq batches (tens of seconds)


class Case(NamedTuple):
    label: str
    tool: str
    strategy: str
    run: Callable[[], object]
    runs: int
    chunks: int


def _farmhand(strategy: str) -> Callable[[], List[str]]:
    from farmhand.core.frames import plan_frames

    def run() -> List[str]:
        plan = plan_frames(SPEC, CHUNK, strategy, max_tasks=CHUNKS)
        return [str(chunk.frames) for chunk in plan.chunks]

    return run


def _farmhand_ranges() -> List[str]:
    """1,000 ranges of 999 frames (gaps of one frame): chunks straddle progressions."""
    from farmhand.core.frames import plan_frames

    plan = plan_frames(RANGES_SPEC, CHUNK, "linear", max_tasks=CHUNKS)
    return [str(chunk.frames) for chunk in plan.chunks]


def _farmhand_plan_only() -> object:
    from farmhand.core.frames import plan_frames

    return plan_frames(SPEC, CHUNK, "linear", max_tasks=CHUNKS)


def _fileseq_slicing() -> List[str]:
    import fileseq

    frames = fileseq.FrameSet(SPEC)
    return [str(frames[i : i + CHUNK]) for i in range(0, len(frames), CHUNK)]


def _fileseq_batches() -> List[str]:
    import fileseq

    return [str(batch) for batch in fileseq.FrameSet(SMALL_SPEC).batches(CHUNK)]


def _cioseq(strategy: str, spec: str = SPEC) -> Callable[[], List[str]]:
    from cioseq.sequence import Sequence

    def run() -> List[str]:
        sequence = Sequence.create(spec, chunk_size=CHUNK, chunk_strategy=strategy)
        return [str(chunk) for chunk in sequence.chunks()]

    return run


def cases(include_slow: bool = True) -> List[Case]:
    """The rows of the table, Farmhand first; append a Case to add a row."""
    plan = "Farmhand plan_frames only (lazy chunks)"
    rows = [Case(plan, "farmhand", "plan", _farmhand_plan_only, RUNS, CHUNKS)]
    for strategy in ("linear", "progressions", "cycle"):
        rows.append(
            Case("Farmhand " + strategy, "farmhand", strategy, _farmhand(strategy), RUNS, CHUNKS)
        )
    rows.append(
        Case(
            "Farmhand linear, 1,000 ranges of 999",
            "farmhand",
            "ranges",
            _farmhand_ranges,
            RUNS,
            99900,
        )
    )
    for strategy in ("progressions", "cycle"):
        rows.append(Case("cioseq " + strategy, "cioseq", strategy, _cioseq(strategy), RUNS, CHUNKS))
    if not include_slow:
        return rows
    small = CHUNKS // 10
    rows += [
        Case("fileseq FrameSet slicing", "fileseq", "linear", _fileseq_slicing, SLOW_RUNS, CHUNKS),
        Case(
            "fileseq batches(), 1-100000 only",
            "fileseq",
            "linear",
            _fileseq_batches,
            QUADRATIC_RUNS,
            small,
        ),
        Case(
            "cioseq linear, 1-100000 only",
            "cioseq",
            "linear",
            _cioseq("linear", SMALL_SPEC),
            QUADRATIC_RUNS,
            small,
        ),
    ]
    return rows


def median_time(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        del result
    return statistics.median(times)


def check(rows: Optional[List[Case]] = None) -> None:
    """Every tool must produce the same chunks before its time means anything."""
    import fileseq

    expected = ["{}-{}".format(i + 1, i + CHUNK) for i in range(0, 10**6, CHUNK)]
    assert _farmhand("linear")() == expected
    assert _cioseq("linear", "1-1000")() == expected[:100]
    assert str(fileseq.FrameSet(SPEC)[CHUNK : 2 * CHUNK]) == expected[1]
    cycle = _farmhand("cycle")()
    assert cycle[0] == "1-900001x{}".format(CHUNKS) and len(cycle) == CHUNKS
    assert _cioseq("cycle")() == cycle
    assert _farmhand("progressions")() == expected == _cioseq("progressions")()
    ranges = _farmhand_ranges()
    assert len(ranges) == 99900 and ranges[99] == "991-999,1001"


def measure(rows: Optional[List[Case]] = None) -> Dict[str, float]:
    """Median seconds per row label, all from this one run."""
    results = {}
    for case in rows if rows is not None else cases():
        results[case.label] = median_time(case.run, case.runs)
        print("  {:<45} {:8.3f} s".format(case.label, results[case.label]), file=sys.stderr)
    return results


def farmhand_timings() -> Dict[str, float]:
    """Farmhand's rows only (fast): for benchmarks that build on chunking."""
    return measure([case for case in cases(include_slow=False) if case.tool == "farmhand"])


def table(results: Dict[str, float], rows: Optional[List[Case]] = None) -> str:
    """Markdown table: median, runs, and how many times slower than Farmhand's same strategy."""
    lines = [
        "| {} at chunk {} | chunks | runs | median | vs Farmhand |".format(SPEC, CHUNK),
        "|---|---:|---:|---:|---:|",
    ]
    for case in rows if rows is not None else cases():
        if case.label not in results:
            continue
        seconds = results[case.label]
        reference = results.get("Farmhand " + case.strategy)
        if case.tool == "farmhand" or reference is None:
            ratio = ""
        else:  # per chunk, since the batches row makes 10x fewer chunks
            ratio = "{:.1f}x slower".format(seconds / case.chunks / (reference / CHUNKS))
        lines.append(
            "| {} | {:,} | {} | {} | {} |".format(
                case.label, case.chunks, case.runs, _seconds(seconds), ratio
            )
        )
    return "\n".join(lines)


def _seconds(value: float) -> str:
    if value < 0.001:
        return "{:.0f} µs".format(value * 1e6)
    return "{:.1f} ms".format(value * 1000) if value < 1 else "{:.2f} s".format(value)


def main() -> Dict[str, float]:
    check()
    rows = cases()
    results = measure(rows)
    print(table(results, rows))
    return results


if __name__ == "__main__":
    main()
