"""Counting events per day, week, month or year for the timeline (no Qt).

An event shorter than one bin counts once, in the bin where it starts ("dated here"); a longer
one ("ongoing": "in July" seen by week, "since 2015") counts in every bin it overlaps, drawn
lighter, so that a few long ranges do not read as a spike.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


def choose_unit(lo: date, hi: date, max_bins: int = 120) -> str:
    """The finest unit that gives at most `max_bins` bars between lo and hi."""
    span = (hi - lo).days + 1
    for unit in ("day", "week", "month"):
        if span / (UNIT_DAYS[unit] if unit != "month" else 30.44) <= max_bins:
            return unit
    return "year"


def floor(d: date, unit: str) -> date:
    if unit == "day":
        return d
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def shift(d: date, unit: str, n: int = 1) -> date:
    """`d` moved by n units (months and years keep the day where the calendar allows)."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    months = n * (12 if unit == "year" else 1)
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    m += 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


@dataclass(frozen=True)
class Bin:
    start: date
    end: date  # exclusive
    dated: int  # events that fall inside this bin
    ongoing: int  # longer events that overlap it

    @property
    def total(self) -> int:
        return self.dated + self.ongoing


def histogram(ranges: Iterable[tuple[date, date]], lo: date, hi: date, unit: str) -> list[Bin]:
    starts = []
    d = floor(lo, unit)
    while d <= hi:
        starts.append(d)
        d = shift(d, unit)
    if not starts:
        return []
    end = shift(starts[-1], unit)
    dated = [0] * len(starts)
    delta = [0] * (len(starts) + 1)
    limit = UNIT_DAYS[unit]
    for a, b in ranges:
        if b < starts[0] or a >= end:
            continue
        i = max(0, bisect_right(starts, a) - 1)
        if (b - a).days + 1 <= limit:
            if a >= starts[0]:
                dated[i] += 1
            continue
        j = min(len(starts) - 1, bisect_right(starts, b) - 1)
        delta[i] += 1
        delta[j + 1] -= 1
    out, running = [], 0
    for k, s in enumerate(starts):
        running += delta[k]
        out.append(Bin(s, shift(s, unit), dated[k], running))
    return out
