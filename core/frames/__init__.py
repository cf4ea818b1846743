"""Frame specs, chunking, scout frames and tiles.

``FrameSpec`` is the set of frames users type (``1,7,10-20,30-60x3,1001``); ``plan_frames``
turns it, a chunk size and strategy, a task cap, scout frames and tiles into a ``FramePlan``.
All of it works on arithmetic progressions, never frame by frame, so a billion frames cost what
ten do. Modules: ``progression`` (integer maths), ``canonical`` (the canonical form), ``setops``
(union/intersection/difference), ``parse`` (spec text), ``spec`` (``FrameSpec``), ``chunk``
(one task's frames), ``chunking`` (the strategies), ``chunk_size`` (fitting the task cap),
``scouts``, ``plan``.
"""

from farmhand.core.frames.chunk import Chunk
from farmhand.core.frames.chunk_size import best_chunk_size
from farmhand.core.frames.chunking import CHUNK_STRATEGIES, ChunkList, chunk_frames, count_chunks
from farmhand.core.frames.plan import FramePlan, FramesInfo, TaskList, plan_frames
from farmhand.core.frames.progression import Progression
from farmhand.core.frames.scouts import SCOUT_FORMS, ScoutFrames, resolve_scout_frames
from farmhand.core.frames.spec import FrameSpec

__all__ = [
    "CHUNK_STRATEGIES",
    "SCOUT_FORMS",
    "Chunk",
    "ChunkList",
    "FramePlan",
    "FrameSpec",
    "FramesInfo",
    "Progression",
    "ScoutFrames",
    "TaskList",
    "best_chunk_size",
    "chunk_frames",
    "count_chunks",
    "plan_frames",
    "resolve_scout_frames",
]
