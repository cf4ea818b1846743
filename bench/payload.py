"""Build the 100,000-task payload of ``1-1000000`` at chunk 10, JSON included: Farmhand vs cioseq.

The job: frames ``1-1000000``, chunk size 10, ``max_tasks`` raised to 100,000, the task
template ``blender -b scene.blend -o /out/f_#### -s <chunkstart> -e <chunkend> -a``. Rows:

- Farmhand, whole payload: ``build_submission`` (frames, tokens, 100,000 commands,
  validation) + ``payload_json()`` (the exact text ``farmhand preview`` prints), from settings;
- the same with the 100,000 task dicts made (what a connector's ``to_payload()`` gets; the
  preview text does not need them), its two halves, and ``json.dumps(sort_keys=True,
  indent=2)`` of the same payload, the standard-library text the fast writer must equal;
- cioseq's chunking alone (``Sequence.create`` + ``chunks()`` + ``str`` per chunk), the rows of
  ``bench/chunking.py`` (its linear strategy is quadratic, so progressions and cycle).

Goal: the whole Farmhand payload in at most 0.3 s and at least 2x faster than cioseq's
chunking alone. Run: ``.venv/bin/python -m bench.payload`` (or ``make bench``).
"""

import json
from typing import Any, Dict, List

from bench.chunking import CHUNKS, Case, cases, median_time

TEMPLATE = "blender -b scene.blend -o /out/f_#### -s <chunkstart> -e <chunkend> -a"
RUNS = 5
GOAL_SECONDS = 0.3
GOAL_RATIO = 2.0
WHOLE = "Farmhand whole payload (build_submission + payload_json)"


def settings() -> Any:
    from farmhand.core.job import JobSettings

    return JobSettings(
        job_title="bench <sequence>",
        frames="1-1000000",
        chunk_size=10,
        max_tasks=CHUNKS,
        scout_frames="auto:5",
        instance_type="standard-2",
        task_template=TEMPLATE,
        output_path="/out",
    )


def _build() -> Any:
    from farmhand.core.job import HostContext, build_submission

    return build_submission(settings(), HostContext(owner="bench"), None, {})


def _whole() -> str:
    return _build().payload_json()


def _whole_with_dicts() -> str:
    """The same, after something asked for the task dicts (a connector's ``to_payload()``)."""
    from farmhand.core.job import payload_json

    return payload_json(_build().to_payload())


def check() -> None:
    """Right before fast: 100,000 tasks, exact commands, the text equal to json.dumps."""
    submission = _build()
    assert submission.ok, [str(m) for m in submission.errors]
    assert len(submission.tasks) == CHUNKS
    assert submission.tasks[-1] == {
        "command": "blender -b scene.blend -o /out/f_#### -s 999991 -e 1000000 -a",
        "frames": "999991-1000000",
    }
    payload = submission.to_payload()
    assert submission.payload_json() == json.dumps(payload, sort_keys=True, indent=2) + "\n"


def rows() -> List[Case]:
    from farmhand.core.job import payload_json

    payload = _build().to_payload()
    farmhand = [
        Case(WHOLE, "farmhand", "linear", _whole, RUNS, CHUNKS),
        Case(
            "Farmhand build_submission + to_payload() dicts + their text",
            "farmhand",
            "linear",
            _whole_with_dicts,
            RUNS,
            CHUNKS,
        ),
        Case(
            "  build_submission (settings to 100,000 tasks)",
            "farmhand",
            "linear",
            _build,
            RUNS,
            CHUNKS,
        ),
        Case(
            "  payload_json (the text)",
            "farmhand",
            "linear",
            lambda: payload_json(payload),
            RUNS,
            CHUNKS,
        ),
        Case(
            "json.dumps(sort_keys=True, indent=2) of the payload",
            "json",
            "linear",
            lambda: json.dumps(payload, sort_keys=True, indent=2),
            RUNS,
            CHUNKS,
        ),
    ]
    cioseq = [
        case
        for case in cases(include_slow=False)
        if case.tool == "cioseq" and case.strategy in ("progressions", "cycle")
    ]
    return farmhand + cioseq


def measure(cases_: List[Case]) -> Dict[str, float]:
    return {case.label: median_time(case.run, case.runs) for case in cases_}


def table(results: Dict[str, float], cases_: List[Case]) -> str:
    whole = results[WHOLE]
    lines = [
        "| 1-1000000 at chunk 10, 100,000 tasks | runs | median | vs whole Farmhand payload |",
        "|---|---:|---:|---:|",
    ]
    for case in cases_:
        seconds = results[case.label]
        ratio = "" if case.label == WHOLE else "{:.2f}x".format(seconds / whole)
        lines.append(
            "| {} | {} | {:.1f} ms | {} |".format(case.label, case.runs, seconds * 1000, ratio)
        )
    return "\n".join(lines)


def main() -> Dict[str, float]:
    check()
    cases_ = rows()
    results = measure(cases_)
    print(table(results, cases_))
    whole = results[WHOLE]
    fastest_cioseq = min(v for k, v in results.items() if k.startswith("cioseq"))
    print(
        "\nwhole payload {:.3f} s (goal <= {} s: {}); cioseq's fastest chunking alone is "
        "{:.1f}x slower (goal >= {}x: {})".format(
            whole,
            GOAL_SECONDS,
            "met" if whole <= GOAL_SECONDS else "MISSED",
            fastest_cioseq / whole,
            GOAL_RATIO,
            "met" if fastest_cioseq / whole >= GOAL_RATIO else "MISSED",
        )
    )
    return results


if __name__ == "__main__":
    main()
