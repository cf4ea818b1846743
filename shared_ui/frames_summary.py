"""The frames info line and frame-spec errors, computed from the whole settings.

Uses the core's ``plan_frames`` exactly as the job model does, so the line under the Frames
section agrees with the preview and with ``farmhand preview --info``: same counts, same
resolved chunk size, same error text. It costs microseconds even for a billion frames
(``plan_frames`` counts arithmetically), so it runs on every edit.
"""

from typing import Any, Optional

from farmhand.core.errors import InputError
from farmhand.core.frames import FramePlan, best_chunk_size, plan_frames

SCOUT_FIELDS = ("scout_frames",)


class FramesSummary(object):
    __slots__ = ("info", "frames_error", "scout_error", "scout_warning", "plan")

    def __init__(
        self,
        info: str = "",
        frames_error: str = "",
        scout_error: str = "",
        scout_warning: str = "",
        plan: Optional[FramePlan] = None,
    ) -> None:
        self.info = info
        self.frames_error = frames_error
        self.scout_error = scout_error
        self.scout_warning = scout_warning
        self.plan = plan


def effective_frames(settings: Any, host_frames: str) -> str:
    """The custom frames when on, else the scene's own range (what the job model uses)."""
    return str(settings.frames) if settings.use_custom_frames else host_frames


def _plan(settings: Any, host_frames: str, best: Optional[bool] = None) -> FramePlan:
    frames = effective_frames(settings, host_frames)
    if not frames.strip():
        where = "custom frames is on but no frames are given" if settings.use_custom_frames \
            else "custom frames is off and the scene gives no frame range"
        raise InputError("{}; type a frame spec such as 1-10".format(where), "frames")
    return plan_frames(
        frames,
        chunk_size=settings.chunk_size,
        strategy=settings.chunk_strategy,
        max_tasks=settings.max_tasks,
        best_chunk_size=settings.best_chunk_size if best is None else best,
        scout_frames=settings.scout_frames if settings.use_scout_frames else "",
        tiles=settings.tiles,
    )


def summarize(settings: Any, host_frames: str = "") -> FramesSummary:
    try:
        plan = _plan(settings, host_frames)
    except InputError as error:
        if error.field in SCOUT_FIELDS:
            return FramesSummary(scout_error=str(error))
        return FramesSummary(frames_error=str(error))
    warning = ""
    if plan.dropped_scout_frames:
        warning = "scout frames {} are outside the frame set and are left out".format(
            plan.dropped_scout_frames
        )
    return FramesSummary(info=str(plan.info), scout_warning=warning, plan=plan)


def best_size(settings: Any, host_frames: str = "") -> Optional[int]:
    """The Best chunk size button: the even chunk size for the frames, keeping the number of
    chunks the current (possibly raised) chunk size gives; ``None`` if the frames are bad."""
    try:
        plan = _plan(settings, host_frames, best=False)
    except InputError:
        return None
    return best_chunk_size(plan.info.frame_count, plan.chunk_size)
