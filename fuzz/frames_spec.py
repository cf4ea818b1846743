"""Fuzz target: frame specs as users type them (``1,7,10-20,30-60x3``), and their plans.

Contract: ``FrameSpec.parse`` accepts the text or raises ``FrameSpecError``/``InputError``
naming the fragment; an accepted spec's canonical text parses back to the same set (and the
same text); planning it into chunks within the task cap either works or raises a typed error.

    python -m fuzz.frames_spec -max_total_time=60 fuzz/corpus/frames_spec
"""

from farmhand.core.frames import CHUNK_STRATEGIES, FrameSpec, plan_frames
from fuzz.harness import check, main, text_of, typed_errors_only


def test_one_input(data: bytes) -> None:
    text = text_of(data)
    spec = None
    with typed_errors_only("FrameSpec.parse", text):
        spec = FrameSpec.parse(text)
    if spec is None:
        return
    canonical = str(spec)
    again = FrameSpec.parse(canonical)
    check(again == spec, "{!r} -> {!r} parses to {!r}".format(text, canonical, str(again)))
    check(str(again) == canonical, "canonical text of {!r} is not stable".format(text))
    check(len(again) == len(spec), "length of {!r} changed on a round trip".format(text))
    if spec:
        check(spec.first in spec and spec.last in spec, "first/last of {!r}".format(text))
    size = 1 + (data[0] if data else 0) % 40
    strategy = CHUNK_STRATEGIES[(data[-1] if data else 0) % len(CHUNK_STRATEGIES)]
    with typed_errors_only("plan_frames", (text, size, strategy)):
        plan = plan_frames(spec, chunk_size=size, strategy=strategy, max_tasks=500)
        check(plan.info.task_count <= 500, "{!r} planned over the task cap".format(text))
        chunks = plan.chunks
        covered = sum(len(chunks[i].frames) for i in (0, len(chunks) - 1)) if chunks else 0
        check(0 < covered <= 2 * len(spec), "{!r}: first/last chunks hold no frames".format(text))


if __name__ == "__main__":
    main(test_one_input)
