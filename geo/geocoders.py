"""Geocoders: the offline gazetteer behind geopy's interface, and a workspace cache for online ones.

Online geocoding is opt-in: this module never constructs an online geocoder. A caller that
wants one builds it (e.g. geopy's Nominatim) and wraps it in CachedGeocoder, so each query
reaches the network at most once per workspace.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError, GeopyError
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Candidate, Gazetteer, contains, haversine_km
from store.models import Place
from store.workspace import Workspace

log = logging.getLogger(__name__)

CONTAINER_BONUS = 6.0  # log10-population units: "Springfield, Illinois" beats a larger Springfield


class _NoNetworkAdapter(BaseSyncAdapter):
    """The offline geocoder's adapter: any attempt to reach the network is an error."""

    def get_json(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"The offline geocoder does not use the network ({url}).")

    def get_text(self, url, *, timeout, headers):
        raise GeocoderServiceError(f"The offline geocoder does not use the network ({url}).")


class OfflineGeocoder(Geocoder):
    """geopy's Geocoder interface over the offline gazetteer.

    geocode("Springfield, Illinois") prefers the Springfield inside Illinois; `raw` holds the
    Place's fields plus its key and address.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, user_agent: str | None = None):
        super().__init__(user_agent=user_agent or "eventmap-offline",
                         adapter_factory=_NoNetworkAdapter)
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.open()

    def geocode(self, query: str, *, exactly_one: bool = True, limit: int | None = None,
                country_codes: str | list[str] | None = None, **_ignored: object
                ) -> Location | list[Location] | None:
        ranked = self.rank(query, country_codes=country_codes)
        if not ranked:
            return None
        if exactly_one:
            return self._location(ranked[0])
        return [self._location(c) for c in ranked[: limit or len(ranked)]]

    def reverse(self, query, *, exactly_one: bool = True, **_ignored: object):
        raise NotImplementedError("The offline geocoder does not reverse-geocode.")

    def rank(self, query: str, *, country_codes: str | list[str] | None = None
             ) -> list[Candidate]:
        """Candidates for a "Name[, Container[, ...]]" query, best first."""
        codes = {country_codes} if isinstance(country_codes, str) else set(country_codes or ())
        codes = {c.upper() for c in codes}
        parts = [p.strip() for p in query.split(",") if p.strip()]
        whole = self.gazetteer.candidates(query)
        if whole or len(parts) < 2:  # "Washington, D.C." is itself a name
            return [c for c in whole if not codes or c.place.country in codes]
        found = self.gazetteer.candidates(parts[0])
        containers = [self.gazetteer.candidates(p, limit=10) for p in parts[1:]]
        scored = []
        for cand in found:
            if codes and cand.place.country not in codes:
                continue
            score = cand.prior
            for options in containers:
                if any(contains(o.place, cand.place, cand.within) for o in options):
                    score += CONTAINER_BONUS
            scored.append((score, cand))
        scored.sort(key=lambda sc: -sc[0])
        return [c for _, c in scored]

    def _location(self, cand: Candidate) -> Location:
        place = cand.place
        raw = dataclasses.asdict(place) | {
            "key": place.key, "within": cand.within, "address": self.gazetteer.address(place)
        }
        return Location(raw["address"], (place.lat, place.lon), raw)


class CachedGeocoder:
    """Any geopy geocoder, with every answer (misses too) cached in the workspace.

    Returns Places with source "online". Network calls are spaced by `min_delay_seconds`
    (Nominatim's usage policy asks for at most one request per second).
    """

    def __init__(self, geocoder: Geocoder, workspace: Workspace, *,
                 provider: str | None = None, min_delay_seconds: float = 1.0):
        self.geocoder = geocoder
        self.workspace = workspace
        self.provider = provider or _provider_name(geocoder)
        self.min_delay_seconds = min_delay_seconds
        self._last_call = 0.0
        self._lock = threading.Lock()
        self._warned = False

    def geocode(self, query: str) -> Place | None:
        query = " ".join(query.split())
        cached = self.workspace.cached_geocode(self.provider, query)
        if cached is not None:
            data = json.loads(cached)
            return None if data is None else Place(**data)
        with self._lock:
            wait = self._last_call + self.min_delay_seconds - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                location = self.geocoder.geocode(query, exactly_one=True)
            except GeopyError as e:
                if not self._warned:  # an unreachable service would warn for every name
                    log.warning("Online geocoding with %s failed: %s", self.provider, e)
                    self._warned = True
                return None  # not cached: the next run may reach the service
            finally:
                self._last_call = time.monotonic()
        place = place_from_location(location, self.provider, query) if location else None
        result = None if place is None else dataclasses.asdict(place)
        self.workspace.cache_geocode(self.provider, query, json.dumps(result))
        return place


def place_from_location(location: Location, provider: str, query: str) -> Place:
    """A Place (source "online") from a geopy Location; Nominatim's raw fields are used
    for the kind, country and precision when present."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    name = raw.get("name") or (location.address or query).split(",")[0].strip()
    if raw.get("osm_type") and raw.get("osm_id"):
        osm = f"{raw['osm_type']}/{raw['osm_id']}"
    else:
        osm = str(raw.get("place_id") or query)
    country = (address.get("country_code") or "").upper() or None
    return Place(
        name=name, kind=str(raw.get("addresstype") or raw.get("type") or "place"),
        lat=location.latitude, lon=location.longitude, country=country, source="online",
        source_id=f"{provider}:{osm}", precision_km=_bbox_precision(raw.get("boundingbox")),
    )


def _bbox_precision(bbox: object) -> float:
    """Half the diagonal of Nominatim's [south, north, west, east] box, in km (1 km without)."""
    try:
        south, north, west, east = (float(v) for v in bbox)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return 1.0
    return round(max(0.1, haversine_km(south, west, north, east) / 2), 1)


def _provider_name(geocoder: Geocoder) -> str:
    """"nominatim@nominatim.openstreetmap.org": answers of different servers do not mix."""
    name = type(geocoder).__name__.lower()
    domain = getattr(geocoder, "domain", "")
    return f"{name}@{domain}" if domain else name
