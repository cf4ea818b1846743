"""Sizes, rates, durations and counts as the views show them; one place so every view agrees
(sizes and counts word as everywhere else: ``farmhand.core.units``)."""

from farmhand.core.units import human_bytes, plural


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


__all__ = ["human_bytes", "human_duration", "human_rate", "plural"]
