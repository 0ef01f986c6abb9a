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
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from geo.gazetteer import Candidate, Gazetteer, haversine_km
from geo.normalise import normalise
from store.models import Place

CELL_DEG = 1.0  # names vote for 1-degree cells; a home is the best 3x3 block of them
POINT_KINDS = ("city", "county", "facility", "airport")
SMALL_REGION_KM = 50.0  # a region this small (a London borough, an English county) votes too
MAX_CANDIDATES = 25
TEMPER = 3.0  # prior shares are taken at a third of their log scale (see _candidate_points)
MIN_NAMES = 4  # distinct names that could lie around the home, of which...
MIN_LIKELY = 3  # ... this many by a candidate with LIKELY_SHARE of the name's prior mass,
LIKELY_SHARE = 0.1
MIN_DOCUMENTS = 2  # ... in at least this many documents
LEAD = 1.25  # and the home must gather this many times the votes of the best place elsewhere
RECENT = 300  # an outlet's home is learned from its latest documents only (bounded work)


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
        self._documents: dict[str, deque[frozenset[str]]] = defaultdict(
            lambda: deque(maxlen=RECENT))
        self._points: dict[str, list[tuple[Place, float]]] = {}
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

    def _candidate_points(self, name: str) -> list[tuple[Place, float]]:
        """The name's point-like candidates, each with its share of the name's prior mass.

        Shares are tempered (TEMPER) so that a town's name still votes for its namesakes, but
        "Russia" or "London" hardly vote for the small towns in Ohio that bear them too.
        """
        if name not in self._points:
            found = self._gazetteer.candidates(name, MAX_CANDIDATES)
            total = sum(10 ** (c.prior / TEMPER) for c in found)
            self._points[name] = [
                (c.place, 10 ** (c.prior / TEMPER) / total) for c in found
                if _votes(name, c)]
        return self._points[name]

    def _find_home(self, documents: deque[frozenset[str]]) -> Home | None:
        votes: dict[tuple[int, int], dict[str, _Vote]] = defaultdict(dict)
        for d, names in enumerate(documents):
            for name in names:
                for place, share in self._candidate_points(name):
                    cell = (math.floor(place.lat / CELL_DEG), math.floor(place.lon / CELL_DEG))
                    vote = votes[cell].setdefault(name, _Vote(place, share, set()))
                    if share > vote.share:
                        vote.place, vote.share = place, share
                    vote.documents.add(d)
        if not votes:
            return None
        blocks = {cell: _block(votes, cell) for cell in votes}
        weights = {cell: _weight(block) for cell, block in blocks.items()}
        best = max(weights, key=weights.get)
        rival = max((w for c, w in weights.items()
                     if abs(c[0] - best[0]) > 2 or abs(c[1] - best[1]) > 2), default=0.0)
        # Names that only a small namesake puts here (Moscow, Pennsylvania) add weight, but
        # neither count as the home's names nor place it.
        block = blocks[best]
        likely = [v for v in block.values() if v.share >= LIKELY_SHARE]
        docs = set().union(*(v.documents for v in block.values()))
        if (len(block) < MIN_NAMES or len(likely) < MIN_LIKELY or len(docs) < MIN_DOCUMENTS
                or weights[best] < LEAD * rival):
            return None
        # The paper's own town is the name its documents use most: weigh by documents.
        total = sum(len(v.documents) for v in likely)
        lat = sum(v.place.lat * len(v.documents) for v in likely) / total
        lon = sum(v.place.lon * len(v.documents) for v in likely) / total
        anchor = min((v.place for v in likely),
                     key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
        return Home(round(lat, 4), round(lon, 4), anchor.country, anchor.admin1, len(block),
                    len(docs), len(docs) / len(documents))


@dataclass
class _Vote:
    """A name's best candidate in one cell, and the documents that name it."""

    place: Place
    share: float
    documents: set[int]


def _votes(name: str, cand: Candidate) -> bool:
    """Towns, counties and small districts by their own name or its short form ("Clacton" for
    Clacton-on-Sea); not states, whose centre is no paper's home, nor foreign alternate names."""
    place = cand.place
    if place.kind == "region":
        if place.precision_km > SMALL_REGION_KM:
            return False
    elif place.kind not in POINT_KINDS:
        return False
    return cand.quality < 2 or normalise(place.name).startswith(name + " ")


def _around(cell: tuple[int, int]) -> list[tuple[int, int]]:
    return [(cell[0] + a, cell[1] + b) for a in (-1, 0, 1) for b in (-1, 0, 1)]


def _block(votes: dict[tuple[int, int], dict[str, _Vote]], cell: tuple[int, int]
           ) -> dict[str, _Vote]:
    """The names voting in the 3x3 cells around `cell`, each by its best candidate there."""
    out: dict[str, _Vote] = {}
    for c in _around(cell):
        for name, vote in votes.get(c, {}).items():
            held = out.get(name)
            if held is None:
                out[name] = _Vote(vote.place, vote.share, set(vote.documents))
            else:
                held.documents |= vote.documents
                if vote.share > held.share:
                    held.place, held.share = vote.place, vote.share
    return out


def _weight(block: dict[str, _Vote]) -> float:
    """Distinct names count most, a name named in many documents a little more, and a name
    whose candidate here is an unlikely sense of it (London, Ohio) little."""
    return sum((1 + math.log2(len(v.documents))) * math.sqrt(v.share) for v in block.values())
