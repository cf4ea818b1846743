"""Counts and sizes as people read them, one wording for every message Farmhand prints: the
CLI, the widgets and the job model all say ``1 task``, ``1,000 tasks`` and ``1.5 MiB``."""


def plural(count: int, noun: str) -> str:
    """``1 job``, ``2 jobs``, ``1,000 tasks`` (nouns whose plural adds an s)."""
    return "{:,} {}{}".format(count, noun, "" if count == 1 else "s")


def human_bytes(count: float) -> str:
    """``512 B``, ``1.5 KiB`` ... ``3.2 GiB`` (binary units, one decimal above bytes)."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(count) < 1024 or unit == "GiB":
            return (
                "{:.0f} {}".format(count, unit) if unit == "B" else "{:.1f} {}".format(count, unit)
            )
        count /= 1024.0
    return "{:.1f} TiB".format(count)  # pragma: no cover - the loop returns first
