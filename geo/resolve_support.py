"""Local support: how many other names of a document could be a place close to a candidate.

Each name's senses are scored against the current senses of the others, so a document naming
only small towns of one county (Richland, Columbus, Colfax County: Nebraska) starts from the
famous namesakes (Washington, Ohio, New Mexico) and never finds its way. Here every candidate
counts the other names with some candidate within LOCAL_KM of it (a region: inside it).

Resolution only asks whether that count reaches LOCAL_FULL, so counting stops there, and the
candidates are bucketed in a grid of one degree: the work per candidate does not grow with the
number of names in the document.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from geo.gazetteer import Candidate, contains, haversine_km
from store.models import Place

LOCAL_KM = 60.0
LOCAL_CANDIDATES = 25
LOCAL_FULL = 2  # other names near a candidate that give it full local support
_AREAS = ("country", "continent")
_KM_PER_DEGREE = 111.32


class HasCandidates(Protocol):
    candidates: list[Candidate]


def local_support(slots: Sequence[HasCandidates], groups: dict[str, list[int]]
                  ) -> dict[str, float]:
    """Place key -> how many other names (at most LOCAL_FULL) may be a place near it."""
    points: dict[str, list[Place]] = {}
    regions: dict[str, list[Place]] = {}
    for group, members in groups.items():
        cands = [c.place for c in slots[members[0]].candidates[:LOCAL_CANDIDATES]]
        points[group] = [p for p in cands if p.kind not in _AREAS and p.kind != "region"]
        regions[group] = [p for p in cands if p.kind == "region"]
    grid = _Grid(points)
    by_admin: dict[tuple[str | None, str], set[str]] = {}
    loose: dict[str | None, list[tuple[str, Place]]] = {}  # points without admin1
    for group, places in points.items():
        for p in places:
            if p.admin1 is not None:
                by_admin.setdefault((p.country, p.admin1), set()).add(group)
            else:
                loose.setdefault(p.country, []).append((group, p))
    support: dict[str, float] = {}
    for group in points:
        for place in points[group]:
            _keep(support, place.key, grid.groups_near(place, group))
        for region in regions[group]:
            _keep(support, region.key, _groups_inside(region, group, by_admin, loose))
    return support


def _keep(support: dict[str, float], key: str, count: int) -> None:
    if count:
        support[key] = max(support.get(key, 0.0), count)


def _groups_inside(region: Place, group: str,
                   by_admin: dict[tuple[str | None, str], set[str]],
                   loose: dict[str | None, list[tuple[str, Place]]]) -> int:
    found: set[str] = set()
    if region.admin1 is not None:
        found = {g for g in by_admin.get((region.country, region.admin1), ()) if g != group}
        if len(found) >= LOCAL_FULL:
            return LOCAL_FULL
    for other, place in loose.get(region.country, ()):
        if other != group and other not in found and contains(region, place):
            found.add(other)
            if len(found) >= LOCAL_FULL:
                break
    return min(len(found), LOCAL_FULL)


class _Grid:
    """Candidate points by one-degree cell."""

    def __init__(self, points: dict[str, list[Place]]):
        self.cells: dict[tuple[int, int], list[tuple[str, Place]]] = {}
        for group, places in points.items():
            for p in places:
                self.cells.setdefault(_cell(p.lat, p.lon), []).append((group, p))

    def groups_near(self, place: Place, group: str) -> int:
        """Other groups with a point within LOCAL_KM (and under a degree of latitude)."""
        found: set[str] = set()
        row, col = _cell(place.lat, place.lon)
        reach = _lon_reach(place.lat)
        for r in (row - 1, row, row + 1):
            for dc in range(-reach, reach + 1):
                for other, o in self.cells.get((r, (col + dc) % 360), ()):
                    if other == group or other in found or abs(o.lat - place.lat) >= 1:
                        continue
                    if haversine_km(place.lat, place.lon, o.lat, o.lon) <= LOCAL_KM:
                        found.add(other)
                        if len(found) >= LOCAL_FULL:
                            return LOCAL_FULL
        return len(found)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat), math.floor(lon) % 360


def _lon_reach(lat: float) -> int:
    """Cells of longitude to search either side so as to cover LOCAL_KM at this latitude."""
    cos = math.cos(math.radians(min(90.0, abs(lat) + 1)))
    if cos < 0.01:
        return 180
    return min(180, math.ceil(LOCAL_KM / (_KM_PER_DEGREE * cos)) + 1)
