"""Where an outlet usually reports: a local paper's home, learned from the names in its articles.

A local paper writes "Paris" for its own town (Paris, Texas) and never says so. Across its
articles, though, the other names it uses (Lamar County, Clarksville, Honey Grove) could each
be many places, and the one area where many of them could be at once is the paper's home:
the same idea as a document's names finding each other, across an outlet's documents
(Lieberman, Samet and Sankaranarayanan's "local lexicon", ICDE 2010). Only the names are
used, never their resolutions, so an early mistake cannot teach itself.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from geo.gazetteer import Gazetteer, haversine_km
from geo.normalise import normalise

CELL_DEG = 1.0  # names vote for 1-degree cells; a home is the best 3x3 block of them
POINT_KINDS = ("city", "county", "facility", "airport")
MAX_CANDIDATES = 25
MIN_NAMES = 4  # distinct names that could lie around the home...
MIN_DOCUMENTS = 2  # ... in at least this many documents
LEAD = 1.25  # and the home must gather this many times the votes of the best place elsewhere


@dataclass(frozen=True)
class Home:
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    names: int  # distinct names that could lie around it
    documents: int  # documents naming one of them
    share: float  # of the outlet's documents that name any place


class OutletHomes:
    """The names each outlet's documents use, and the home they point to."""

    def __init__(self, gazetteer: Gazetteer):
        self._gazetteer = gazetteer
        self._documents: dict[str, list[frozenset[str]]] = defaultdict(list)
        self._points: dict[str, list] = {}
        self._homes: dict[str, Home | None] = {}

    def add(self, outlet: str | None, names: Iterable[str]) -> None:
        """Record one document of `outlet` by the toponyms it names."""
        if not outlet:
            return
        distinct = frozenset(n for n in (normalise(x) for x in names) if n)
        if distinct:
            self._documents[outlet].append(distinct)
            self._homes.pop(outlet, None)

    def home(self, outlet: str | None) -> Home | None:
        if not outlet or outlet not in self._documents:
            return None
        if outlet not in self._homes:
            self._homes[outlet] = self._find_home(self._documents[outlet])
        return self._homes[outlet]

    def _candidate_points(self, name: str) -> list:
        if name not in self._points:
            self._points[name] = [
                c.place for c in self._gazetteer.candidates(name, MAX_CANDIDATES)
                if c.place.kind in POINT_KINDS and c.quality < 2]
        return self._points[name]

    def _find_home(self, documents: list[frozenset[str]]) -> Home | None:
        # cell -> name -> (documents naming it, nearest candidate to the cell)
        votes: dict[tuple[int, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        places: dict[tuple[int, int, str], object] = {}
        for d, names in enumerate(documents):
            for name in names:
                for place in self._candidate_points(name):
                    cell = (math.floor(place.lat / CELL_DEG), math.floor(place.lon / CELL_DEG))
                    votes[cell][name].add(d)
                    places.setdefault((*cell, name), place)
        if not votes:
            return None
        spread = {name: len(self._candidate_points(name)) for names in documents for name in names}
        blocks = {cell: _block(votes, cell) for cell in votes}
        weights = {cell: _weight(block, spread) for cell, block in blocks.items()}
        best = max(weights, key=weights.get)
        block = blocks[best]
        rival = max((w for c, w in weights.items()
                     if abs(c[0] - best[0]) > 2 or abs(c[1] - best[1]) > 2), default=0.0)
        docs = set().union(*block.values())
        if len(block) < MIN_NAMES or len(docs) < MIN_DOCUMENTS or weights[best] < LEAD * rival:
            return None
        points = [places[(*cell, name)] for name in block
                  for cell in _around(best) if (*cell, name) in places]
        lat = sum(p.lat for p in points) / len(points)
        lon = sum(p.lon for p in points) / len(points)
        anchor = min(points, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
        return Home(round(lat, 4), round(lon, 4), anchor.country, anchor.admin1, len(block),
                    len(docs), len(docs) / len(documents))


def _around(cell: tuple[int, int]) -> list[tuple[int, int]]:
    return [(cell[0] + a, cell[1] + b) for a in (-1, 0, 1) for b in (-1, 0, 1)]


def _block(votes, cell: tuple[int, int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for c in _around(cell):
        for name, docs in votes.get(c, {}).items():
            out[name] |= docs
    return out


def _weight(block: dict[str, set[int]], spread: dict[str, int]) -> float:
    """Distinct names count most, a name named in many documents a little more, and a name
    many places bear (Springfield) less than one only a few do."""
    return sum((1 + math.log2(len(docs))) / math.sqrt(spread[name])
               for name, docs in block.items())
