"""Fuzz target: scout specs (``3,8``, ``auto:N``, ``fml``) against a frame set.

The input's first line is the job's frame spec, the rest the scout spec. Contract: either
resolves (scout frames inside the frame set, the rest reported as dropped) or raises a typed
error naming ``scout_frames``/``frames``; planning with them honours the task cap.

    python -m fuzz.scout_spec -max_total_time=60 fuzz/corpus/scout_spec
"""

from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec, plan_frames, resolve_scout_frames
from fuzz.harness import check, main, text_of, typed_errors_only


def test_one_input(data: bytes) -> None:
    frames_text, _, scout_text = text_of(data).partition("\n")
    try:
        frames = FrameSpec.parse(frames_text)
    except InputError:
        frames = FrameSpec.parse("1-100")
    resolved = None
    with typed_errors_only("resolve_scout_frames", scout_text):
        resolved = resolve_scout_frames(scout_text, frames)
    if resolved is None:
        return
    check(resolved.frames <= frames, "scouts of {!r} outside the frames".format(scout_text))
    check(not (resolved.dropped & frames), "dropped scouts of {!r} in frames".format(scout_text))
    if not frames:
        return
    with typed_errors_only("plan_frames(scout_frames)", (frames_text, scout_text)):
        plan = plan_frames(frames, chunk_size=3, max_tasks=200, scout_frames=scout_text)
        check(plan.scout_frames == resolved.frames, "plan and resolve disagree on scouts")
        check(plan.info.scout_task_count <= plan.info.task_count <= 200, "scout task count")


if __name__ == "__main__":
    main(test_one_input)
