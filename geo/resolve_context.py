"""What the rest of a document says about one of its names, at a bounded cost per name.

Resolution scores each name's candidates against the current senses of all the document's
other names. Done naively that is all names against all names, every round: a passage naming
2,000 places took 26 s, 10,000 did not finish. Here the senses are indexed once and updated
as each name is reassigned, so scoring one name costs about the same in any document:

- the countries the other names lie in: running totals per country, less the name's own share;
- the other places: every sense the document holds while it holds at most CONTEXT_CAP distinct
  places (so ordinary articles are scored exactly as before), else the CONTEXT_CAP places with
  the most weight at the start of the round; in both cases also every place named within
  PASSAGE_CHARS of the name, at full weight;
- distances in one vectorised step (numpy) per name.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from geo.gazetteer import Candidate
from store.models import Place

CONTEXT_CAP = 300  # distinct places a name is scored against, besides those near it in the text
PASSAGE_CHARS = 400  # context within this many characters counts fully, farther at 60 %
FAR_FACTOR = 0.6
EARTH_KM = 6371.0088
_AREAS = ("country", "continent")


class SlotLike(Protocol):
    group: str
    sense: Candidate | None
    confidence: float
    candidates: list[Candidate]


class DocumentContext:
    """The senses of a document's names, indexed by place, country and position."""

    def __init__(self, slots: Sequence[SlotLike], starts: Sequence[int],
                 groups: dict[str, list[int]], cap: int = CONTEXT_CAP):
        self.slots, self.cap = slots, cap
        self.group_id = {name: g for g, name in enumerate(groups)}
        self.members = {self.group_id[name]: list(m) for name, m in groups.items()}
        self.places: list[Place] = []
        self.key_index: dict[str, int] = {}
        for members in groups.values():
            for cand in slots[members[0]].candidates:
                self._index(cand.place)
        n = len(self.places)
        self.lat = np.radians(np.array([p.lat for p in self.places], dtype=float))
        self.lon = np.radians(np.array([p.lon for p in self.places], dtype=float))
        self.point = np.array([p.kind not in _AREAS for p in self.places], dtype=bool)
        self.regional = np.array([p.kind in ("region", "county") for p in self.places],
                                 dtype=bool)
        codes = {c: n for n, c in enumerate(sorted({p.country or "" for p in self.places}))}
        self.country_code = codes
        self.country = np.array([codes[p.country or ""] for p in self.places], dtype=int)
        self.best_w = np.zeros(n)
        self.best_g = np.full(n, -1)
        self.second_w = np.zeros(n)
        self.by_key: dict[int, dict[int, float]] = {}  # key -> group -> its strongest member
        self.active: dict[int, int] = {}  # key -> how many slots hold it
        self.totals: dict[str, list[float]] = {}  # country -> [weight, slots]
        # Slots in text order, for the places named near a name.
        self.order = sorted(range(len(slots)), key=lambda i: starts[i])
        self.sorted_starts = [starts[i] for i in self.order]
        self.starts = list(starts)
        self.slot_group = [self.group_id.get(slot.group, -1) for slot in slots]
        self.held: list[tuple[int, float] | None] = [None] * len(slots)  # key, confidence
        self.anchors = np.zeros(0, dtype=int)
        for i in range(len(slots)):
            self._hold(i)
        for key in list(self.by_key):
            self._rank(key)
        self.new_round()

    def _index(self, place: Place) -> int:
        k = self.key_index.get(place.key)
        if k is None:
            k = self.key_index[place.key] = len(self.places)
            self.places.append(place)
        return k

    # --- keeping the index current -------------------------------------------------------

    def _hold(self, i: int) -> None:
        """Record slot i's current sense (its old one must have been released)."""
        slot = self.slots[i]
        if slot.sense is None or slot.sense.place.approximate:
            self.held[i] = None
            return
        place = slot.sense.place
        k = self.key_index.get(place.key)
        if k is None:  # a sense that is no candidate of any group: not worth indexing
            self.held[i] = None
            return
        self.held[i] = (k, slot.confidence)
        self.active[k] = self.active.get(k, 0) + 1
        group = self.slot_group[i]
        per_group = self.by_key.setdefault(k, {})
        per_group[group] = max(per_group.get(group, 0.0), slot.confidence)
        if place.country:
            total = self.totals.setdefault(place.country, [0.0, 0])
            total[0] += _country_weight(place, slot.confidence)
            total[1] += 1

    def _release(self, i: int) -> None:
        held = self.held[i]
        if held is None:
            return
        k, confidence = held
        self.active[k] -= 1
        if not self.active[k]:
            del self.active[k]
        place = self.places[k]
        if place.country:
            total = self.totals[place.country]
            total[0] -= _country_weight(place, confidence)
            total[1] -= 1
        self.held[i] = None

    def update(self, members: list[int]) -> None:
        """After a group was (re)assigned: its members' senses and confidences changed."""
        touched = set()
        for i in members:
            if self.held[i] is not None:
                touched.add(self.held[i][0])
            self._release(i)
        group = self.slot_group[members[0]]
        for k in touched:
            self.by_key.get(k, {}).pop(group, None)
        for i in members:
            self._hold(i)
            if self.held[i] is not None:
                touched.add(self.held[i][0])
        for k in touched:
            self._rank(k)

    def _rank(self, k: int) -> None:
        """The strongest group holding place k, and the strongest among the others."""
        per_group = self.by_key.get(k) or {}
        ranked = sorted(per_group.items(), key=lambda item: -item[1])[:2]
        self.best_g[k], self.best_w[k] = ranked[0] if ranked else (-1, 0.0)
        self.second_w[k] = ranked[1][1] if len(ranked) > 1 else 0.0

    def new_round(self) -> None:
        """Choose the places every name is scored against when the document holds too many."""
        if len(self.active) <= self.cap:
            self.anchors = np.zeros(0, dtype=int)
            return
        weight = {k: w for k, per_group in self.by_key.items() if k in self.active
                  for w in [sum(per_group.values())]}
        top = sorted(weight, key=lambda k: -weight[k])[:self.cap]
        self.anchors = np.array(sorted(top), dtype=int)

    # --- what the document says around one group ------------------------------------------

    def own_countries(self, group: str) -> dict[str, tuple[float, int]]:
        """Country -> (weight, slots) of this group's own senses, to leave out of the totals."""
        own: dict[str, tuple[float, int]] = {}
        for i in self.members[self.group_id[group]]:
            held = self.held[i]
            if held is None:
                continue
            place = self.places[held[0]]
            if place.country:
                weight, count = own.get(place.country, (0.0, 0))
                own[place.country] = (weight + _country_weight(place, held[1]), count + 1)
        return own

    def country_weight(self, country: str | None,
                       own: dict[str, tuple[float, int]]) -> float | None:
        """Weight of the other groups' senses in `country`; None when none lies there."""
        total = self.totals.get(country or "")
        if total is None:
            return None
        weight, count = own.get(country or "", (0.0, 0))
        return total[0] - weight if total[1] - count > 0 else None

    def same_country(self, place: Place, keys: np.ndarray, regional_only: bool = False
                     ) -> np.ndarray:
        """Positions in `keys` of the places in `place`'s country (its regions and counties
        only, with `regional_only`)."""
        code = self.country_code.get(place.country or "")
        if code is None:
            return np.zeros(0, dtype=int)
        mask = self.country[keys] == code
        if regional_only:
            mask &= self.regional[keys]
        return np.nonzero(mask)[0]

    def context(self, group: str) -> tuple[np.ndarray, np.ndarray]:
        """Key indices and weights of the other places this group is scored against."""
        g = self.group_id[group]
        near: dict[int, float] = {}
        for i in self.members[g]:
            start = self.starts[i]
            lo = bisect.bisect_left(self.sorted_starts, start - PASSAGE_CHARS)
            hi = bisect.bisect_right(self.sorted_starts, start + PASSAGE_CHARS)
            for j in self.order[lo:hi]:
                held = self.held[j]
                if held is not None and self.slot_group[j] != g and held[1] > near.get(
                        held[0], 0.0):
                    near[held[0]] = held[1]
        if len(self.active) <= self.cap:
            base = np.fromiter(self.active, dtype=int, count=len(self.active))
        else:
            base = self.anchors
        if near:
            extra = np.fromiter(near, dtype=int, count=len(near))
            keys = np.union1d(base, extra)
        else:
            keys = np.unique(base)
        far = np.where(self.best_g[keys] == g, self.second_w[keys], self.best_w[keys])
        weights = far * FAR_FACTOR
        if near:
            at = np.searchsorted(keys, extra)
            weights[at] = np.maximum(weights[at], np.fromiter(near.values(), dtype=float,
                                                              count=len(near)))
        keep = weights > 0
        return keys[keep], weights[keep]

    def nearness(self, group: str, keys: np.ndarray, weights: np.ndarray,
                 near_weight: float, near_km: float) -> np.ndarray:
        """For each candidate of the group: max of near_weight * w * exp(-km / near_km) over
        the context's points (0 for an area candidate)."""
        cands = self.slots[self.members[self.group_id[group]][0]].candidates
        idx = np.array([self.key_index[c.place.key] for c in cands], dtype=int)
        out = np.zeros(len(cands))
        points = self.point[keys]
        keys, weights = keys[points], weights[points]
        mine = self.point[idx]
        if not len(keys) or not mine.any():
            return out
        lat1, lon1 = self.lat[idx[mine]][:, None], self.lon[idx[mine]][:, None]
        lat2, lon2 = self.lat[keys][None, :], self.lon[keys][None, :]
        a = (np.sin((lat2 - lat1) / 2) ** 2
             + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
        km = 2 * EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        out[mine] = (near_weight * weights[None, :] * np.exp(-km / near_km)).max(axis=1)
        return out

    def place(self, k: int) -> Place:
        return self.places[k]


def _country_weight(place: Place, confidence: float) -> float:
    return (1.0 if place.kind == "country" else 0.5) * confidence
