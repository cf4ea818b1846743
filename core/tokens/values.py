"""How token values are written: quoting, the timestamp, and the per-task (chunk) values.

Values follow the seeds' token table: paths that may hold spaces (``<render_package>``,
``<temp_dir>``, each of ``<directories>``) are double-quoted for a POSIX shell, ``<chunks>``
repeats ``start:end`` once per source, ``<timestamp>`` is ``2019_05_07_01_12_46``.
"""

import os
import time
from typing import Callable, Dict, Iterable, Mapping, Optional, Tuple

from farmhand.core.errors import InputError
from farmhand.core.frames import Chunk

TIMESTAMP_FORMAT = "%Y_%m_%d_%H_%M_%S"

_DOUBLE_QUOTE_SPECIALS = ("\\", '"', "$", "`")


def quote(text: str) -> str:
    """``"text"`` safe inside a POSIX shell's double quotes (escapes ``\\ " $ ```)."""
    for special in _DOUBLE_QUOTE_SPECIALS:
        text = text.replace(special, "\\" + special)
    return '"' + text + '"'


def quote_each(paths: Iterable[str]) -> str:
    """Each path quoted, separated by one space (the seeds' ``<directories>``)."""
    return " ".join(quote(path) for path in paths)


def quote_optional(text: str) -> str:
    """Quoted, or empty when there is no value (an empty ``""`` would hide the omission)."""
    return quote(text) if text else ""


def submission_time(
    environ: Optional[Mapping[str, str]] = None, now: Optional[float] = None
) -> Tuple[float, bool]:
    """``(epoch seconds, is_utc)`` for this submission.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) pins the time so that the same
    job gives the same payload bytes; it is read as UTC. Otherwise it is ``now`` (default: the
    current time) in local time, which is what an artist reading a title expects.
    """
    env = os.environ if environ is None else environ
    pinned = env.get("SOURCE_DATE_EPOCH")
    if pinned is None or pinned == "":
        return (time.time() if now is None else now), False
    try:
        seconds = int(pinned)
    except ValueError:
        raise InputError(
            "SOURCE_DATE_EPOCH must be whole seconds since 1970, not {!r}".format(pinned),
            "SOURCE_DATE_EPOCH",
        ) from None
    if seconds < 0:
        raise InputError(
            "SOURCE_DATE_EPOCH must not be negative, got {}".format(seconds), "SOURCE_DATE_EPOCH"
        )
    return float(seconds), True


def format_timestamp(epoch: float, utc: bool) -> str:
    """``2019_05_07_01_12_46``."""
    moment = time.gmtime(epoch) if utc else time.localtime(epoch)
    return time.strftime(TIMESTAMP_FORMAT, moment)


def preemptible_word(preemptible: bool) -> str:
    return "preemptible" if preemptible else "non-preemptible"


ChunkValue = Callable[[Chunk], object]


def chunk_value_getters(source_count: int) -> Dict[str, ChunkValue]:
    """token name -> function of a task's chunk, for every task and tile token.

    ``source_count`` is how many times ``<chunks>`` repeats ``start:end`` (at least once, so a
    job without named sources still gets a usable value).
    """
    repeat = max(1, source_count)

    def chunks(chunk: Chunk) -> str:
        pair = "{}:{}".format(chunk.start, chunk.end)
        return pair if repeat == 1 else " ".join((pair,) * repeat)

    return {
        "chunks": chunks,
        "chunklength": _length,
        "chunkstart": _start,
        "chunkend": _end,
        "chunkstep": _step,
        "chunktype": _chunk_type,
        "tile_number": _tile_number,
    }


def _length(chunk: Chunk) -> int:
    return chunk.length


def _start(chunk: Chunk) -> int:
    return chunk.start


def _end(chunk: Chunk) -> int:
    return chunk.end


def _step(chunk: Chunk) -> int:
    return chunk.step


def _chunk_type(chunk: Chunk) -> str:
    return chunk.chunk_type


def _tile_number(chunk: Chunk) -> int:
    return 1 if chunk.tile is None else chunk.tile
