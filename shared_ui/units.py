"""Byte counts and rates as people read them; one place so every view agrees."""

from farmhand.core.transfer.progress import human_bytes


def human_rate(bytes_per_second: float) -> str:
    return "{}/s".format(human_bytes(bytes_per_second))


def human_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "{}h{:02d}m{:02d}s".format(hours, minutes, secs)
    if minutes:
        return "{}m{:02d}s".format(minutes, secs)
    return "{}s".format(secs)


def plural(count: int, noun: str) -> str:
    """``1 job``, ``2 jobs``, ``1,000 tasks``."""
    return "{:,} {}{}".format(count, noun, "" if count == 1 else "s")


__all__ = ["human_bytes", "human_duration", "human_rate", "plural"]
