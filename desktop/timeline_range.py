"""Which stretch of time the timeline shows first (no Qt).

Spanning the earliest to the latest date lets one background date ("held there since 2015")
squeeze a story of a few weeks into a sliver. The default view is instead the shortest window
holding most of the events, where an event dated over a long range counts only for the share of
its range inside the window, so "since 2015" weighs almost nothing on any one month while ten
events in September weigh ten. When that window is not much shorter than the whole span (events
spread evenly, or too few to tell a story from a stray date), the view is the whole span.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

DateRange = tuple[date, date]  # inclusive

BULK_SHARE = 0.75  # the share of the events the default view holds at least
NARROW_BELOW = 0.5  # narrow only when that window is under half of the whole span
MIN_VIEW_DAYS = 7
_EPS = 1e-9


def data_bounds(ranges: Iterable[DateRange]) -> DateRange | None:
    """The first start and the last end, or None without events."""
    ranges = list(ranges)
    if not ranges:
        return None
    return min(a for a, _ in ranges), max(b for _, b in ranges)


def padded(lo: date, hi: date, min_days: int = MIN_VIEW_DAYS) -> DateRange:
    """lo..hi with a margin of a fortieth of the span (a day at least) on each side, widened
    around its middle to `min_days` when shorter."""
    pad = max(1, (hi - lo).days // 40)
    lo, hi = lo - timedelta(days=pad), hi + timedelta(days=pad)
    missing = min_days - ((hi - lo).days + 1)
    if missing > 0:
        lo -= timedelta(days=missing // 2)
        hi += timedelta(days=missing - missing // 2)
    return lo, hi


def full_extent(ranges: Iterable[DateRange]) -> DateRange | None:
    """Every event, padded: the farthest the timeline zooms out."""
    bounds = data_bounds(ranges)
    return padded(*bounds) if bounds else None


def _cumulative(ranges: Sequence[DateRange]) -> tuple[list[float], list[float]]:
    """Breakpoints (day ordinals) and the events' mass up to each: an event spread evenly over
    [start, end + 1) with a mass of one. Between breakpoints the mass grows linearly."""
    slope_change: dict[int, float] = {}
    for a, b in ranges:
        start, stop = a.toordinal(), b.toordinal() + 1
        density = 1.0 / (stop - start)
        slope_change[start] = slope_change.get(start, 0.0) + density
        slope_change[stop] = slope_change.get(stop, 0.0) - density
    points = sorted(slope_change)
    mass, slope, total = [0.0], 0.0, 0.0
    for prev, here in zip(points, points[1:], strict=False):
        slope += slope_change[prev]
        total += slope * (here - prev)
        mass.append(total)
    return [float(p) for p in points], mass


def _first_reaching(points: list[float], mass: list[float], value: float) -> float | None:
    """The earliest t where the mass reaches `value`."""
    i = bisect_left(mass, value - _EPS)
    if i >= len(mass):
        return None
    if i == 0:
        return points[0]
    rise = mass[i] - mass[i - 1]
    return points[i - 1] + (value - mass[i - 1]) / rise * (points[i] - points[i - 1])


def _last_below(points: list[float], mass: list[float], value: float) -> float | None:
    """The latest t where the mass is still at most `value`."""
    i = bisect_right(mass, value + _EPS)
    if i == 0:
        return None
    if i >= len(mass):
        return points[-1]
    rise = mass[i] - mass[i - 1]
    return points[i - 1] + (value - mass[i - 1]) / rise * (points[i] - points[i - 1])


def bulk_window(ranges: Sequence[DateRange], share: float = BULK_SHARE) -> DateRange | None:
    """The shortest window of whole days holding at least `share` of the events' mass.

    One end of a shortest window lies on a breakpoint (where an event starts or ends), so it is
    enough to try each breakpoint as the start and as the end.
    """
    if not ranges:
        return None
    points, mass = _cumulative(ranges)
    need = share * len(ranges)
    best: tuple[float, float] | None = None
    for k, x in enumerate(points):
        y = _first_reaching(points, mass, mass[k] + need)
        if y is not None and (best is None or y - x < best[1] - best[0] - _EPS):
            best = (x, y)
        lo = _last_below(points, mass, mass[k] - need)
        if lo is not None and (best is None or points[k] - lo < best[1] - best[0] - _EPS):
            best = (lo, points[k])
    if best is None:
        return data_bounds(ranges)
    start = math.floor(best[0] + _EPS)
    stop = max(start + 1, math.ceil(best[1] - _EPS))  # exclusive
    return date.fromordinal(start), date.fromordinal(stop - 1)


def default_view(ranges: Sequence[DateRange], share: float = BULK_SHARE,
                 narrow_below: float = NARROW_BELOW) -> DateRange | None:
    """The view the timeline opens on: the bulk of the events, padded, or the whole span when
    the bulk is not much shorter than it. Always within `full_extent(ranges)`."""
    bounds = data_bounds(ranges)
    if bounds is None:
        return None
    full = padded(*bounds)
    bulk = bulk_window(ranges, share)
    if bulk is None or (bulk[1] - bulk[0]).days + 1 > narrow_below * ((bounds[1] - bounds[0]).days
                                                                       + 1):
        return full
    lo, hi = padded(*bulk)
    return max(lo, full[0]), min(hi, full[1])


def outside(ranges: Iterable[DateRange], view: DateRange) -> tuple[list[DateRange],
                                                                    list[DateRange]]:
    """The events wholly before the view and those wholly after it (the timeline marks them
    at its edges)."""
    before, after = [], []
    for r in ranges:
        if r[1] < view[0]:
            before.append(r)
        elif r[0] > view[1]:
            after.append(r)
    return before, after


def first_in_view(ranges: Iterable[DateRange], view: DateRange) -> date | None:
    """Where the first event that begins in the view begins; the view's start when the view only
    shows events begun before it; None when it shows none. Play starts here."""
    ranges = [r for r in ranges if r[1] >= view[0] and r[0] <= view[1]]
    starts = [a for a, _ in ranges if a >= view[0]]
    if starts:
        return min(starts)
    return view[0] if ranges else None


def last_in_view(ranges: Iterable[DateRange], view: DateRange) -> date | None:
    """Where the last event that begins in the view begins (stepping back starts there); the
    view's start when the view only shows events begun before it; None when it shows none."""
    ranges = [r for r in ranges if r[1] >= view[0] and r[0] <= view[1]]
    starts = [a for a, _ in ranges if a >= view[0]]
    if starts:
        return max(starts)
    return view[0] if ranges else None


def replaces(old: Sequence[DateRange], new: Sequence[DateRange]) -> bool:
    """True when `new` is other data rather than `old` grown (an import) or narrowed (a filter,
    a correction): neither holds the other. The timeline then forgets the analyst's zoom."""
    if not old or not new:
        return False
    a, b = Counter(old), Counter(new)
    return not (a <= b or b <= a)


def moved(d: date, days: int) -> date:
    """d moved by some days; an open end of a window (date.min, date.max) stays open."""
    if d in (date.min, date.max):
        return d
    try:
        return d + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
