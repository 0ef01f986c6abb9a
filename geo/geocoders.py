"""Geocoders: the offline gazetteer behind geopy's interface, and a workspace cache for online ones.

Online geocoding is opt-in: this module never constructs an online geocoder. A caller that
wants one builds it (geo.nominatim does, from the user's settings) and wraps it in
CachedGeocoder, so each query reaches the network at most once per workspace, politely.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import threading
import time

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter, get_retry_after
from geopy.exc import (
    ConfigurationError,
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.gazetteer import Candidate, Gazetteer, contains, haversine_km
from store.models import Place
from store.workspace import Workspace

log = logging.getLogger(__name__)

CONTAINER_BONUS = 6.0  # log10-population units: "Springfield, Illinois" beats a larger Springfield
MAX_TRIES = 3  # requests per query to an online geocoder, retries included
MAX_WAIT_SECONDS = 60.0  # per query, waits between retries included
BACKOFF_SECONDS = 1.0  # the first wait before a retry; doubled for each further one
STOP_AFTER_FAILURES = 3  # failed queries in a row after which a run stops asking the service


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
    """Any geopy geocoder behind the workspace cache, polite to the service and never raising.

    One instance is one run (an ingest): what it learns about failures lasts as long as it does.

    - Answers, places and misses alike, are cached in the workspace: a query reaches the
      service once per workspace. Places come back with source "online".
    - A query that failed (an error, a malformed answer) is not cached in the workspace, since
      the next run may reach the service, but it is not asked again in this run.
    - Requests to one provider are spaced by `min_delay_seconds` across the whole process
      (Nominatim's usage policy: at most one request per second).
    - Rate limits (429), an overloaded or failing server (5xx) and timeouts are retried, up to
      `max_tries` requests, waiting as Retry-After asks or with exponential backoff, and at
      most `max_wait_seconds` per query; after that the query is "no result".
    - When the service cannot be reached, refuses us (401, 403), asks to wait longer than
      `max_wait_seconds`, or STOP_AFTER_FAILURES queries in a row failed, it is not asked
      again in this run; that is logged once.
    """

    def __init__(self, geocoder: Geocoder, workspace: Workspace, *,
                 provider: str | None = None, min_delay_seconds: float = 1.0,
                 max_tries: int = MAX_TRIES, max_wait_seconds: float = MAX_WAIT_SECONDS,
                 backoff_seconds: float = BACKOFF_SECONDS):
        self.geocoder = geocoder
        self.workspace = workspace
        self.provider = provider or _provider_name(geocoder)
        self.max_tries = max(1, max_tries)
        self.max_wait_seconds = max_wait_seconds
        self.backoff_seconds = backoff_seconds
        self._slot = request_slots(self.provider, min_delay_seconds)
        self._failed: set[str] = set()  # queries that failed in this run
        self._failures_in_row = 0
        self._warned = False
        self.stopped: str | None = None  # why the service is not asked any more in this run

    def geocode(self, query: str) -> Place | None:
        query = " ".join(query.split())
        if not query or query in self._failed:
            return None
        found, place = self._cached(query)
        if found:
            return place
        if self.stopped is not None:
            return None
        answer = self._ask(query)
        if answer is _FAILED:
            self._failed.add(query)
            self._failures_in_row += 1
            if self._failures_in_row >= STOP_AFTER_FAILURES:
                self._stop(f"{self._failures_in_row} lookups in a row failed")
            return None
        self._failures_in_row = 0
        place = answer if isinstance(answer, Place) else None
        result = None if place is None else dataclasses.asdict(place)
        self.workspace.cache_geocode(self.provider, query, json.dumps(result))
        return place

    def _cached(self, query: str) -> tuple[bool, Place | None]:
        cached = self.workspace.cached_geocode(self.provider, query)
        if cached is None:
            return False, None
        try:
            data = json.loads(cached)
            return True, None if data is None else Place(**data)
        except (ValueError, TypeError):  # a row an older version wrote: ask again
            return False, None

    def _ask(self, query: str) -> Place | None | object:
        """The service's answer for one query: a Place, None (it knows no such place) or
        _FAILED, after the retries the answer deserves."""
        deadline = time.monotonic() + self.max_wait_seconds
        for attempt in range(1, self.max_tries + 1):
            try:
                location = self._slot(lambda: self.geocoder.geocode(query, exactly_one=True))
                if location is None:
                    return None
                return place_from_location(location, self.provider, query)
            except GeopyError as e:
                verdict, wait = _verdict(e)
                error: Exception = e
            except (ValueError, TypeError, AttributeError, KeyError, IndexError) as e:
                verdict, wait, error = "fail", None, e  # a parser met an answer it did not expect
            if verdict == "stop":
                self._stop("the server cannot be reached" if isinstance(error, GeocoderUnavailable)
                           else _brief(error))
                return _FAILED
            if wait is not None and wait > self.max_wait_seconds:
                self._stop(f"the service asks to wait {wait:.0f} s before asking again")
                return _FAILED
            if verdict == "fail" or attempt == self.max_tries:
                self._fail(query, error, attempt)
                return _FAILED
            delay = min(max(wait or 0.0, self.backoff_seconds * 2 ** (attempt - 1)),
                        self.max_wait_seconds)
            if time.monotonic() + delay > deadline:
                self._fail(query, error, attempt)
                return _FAILED
            log.debug("Online geocoding of %r: %s; trying again in %.1f s", query, error, delay)
            time.sleep(delay)
        return _FAILED  # not reached: the last attempt returns above

    def _fail(self, query: str, error: Exception, tries: int) -> None:
        level = logging.DEBUG if self._warned else logging.WARNING
        self._warned = True  # warn once: a broken service would warn for every name
        log.log(level, "Online geocoding of %r with %s failed after %d request(s) (%s); "
                "it counts as not found in this run.", query, self.provider, tries, _brief(error))

    def _stop(self, why: str) -> None:
        if self.stopped is None:
            self.stopped = why
            log.warning("Online geocoding with %s stopped for the rest of this run: %s. "
                        "Places the offline gazetteer does not know stay unresolved.",
                        self.provider, why)


_FAILED = object()


def _brief(error: Exception) -> str:
    """The first line of an error, short: a parse error carries the whole HTML page."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return lines[0][:160]


def _verdict(error: GeopyError) -> tuple[str, float | None]:
    """"retry" (with the wait the service asked for, if any), "fail" this query, or "stop"."""
    cause = error.__cause__
    status = cause.status_code if isinstance(cause, AdapterHTTPError) else None
    asked = get_retry_after(cause.headers) if isinstance(cause, AdapterHTTPError) else None
    if isinstance(error, GeocoderRateLimited):
        return "retry", error.retry_after if error.retry_after is not None else asked
    if isinstance(error, GeocoderUnavailable | GeocoderAuthenticationFailure |
                  GeocoderInsufficientPrivileges | GeocoderQuotaExceeded | ConfigurationError):
        return "stop", None
    if status in (404, 405):  # no /search there: the address of the service is wrong
        return "stop", None
    if isinstance(error, GeocoderTimedOut) or (status is not None and status >= 500):
        return "retry", asked
    if isinstance(error, GeocoderParseError | GeocoderQueryError) or status is not None:
        return "fail", None
    if isinstance(error, GeocoderServiceError):  # e.g. the answer could not be read
        return "retry", None
    return "fail", None


_SLOTS: dict[tuple[str, float], RateLimiter] = {}
_SLOTS_LOCK = threading.Lock()


def request_slots(provider: str, min_delay_seconds: float) -> RateLimiter:
    """One rate limiter per provider for the whole process; call it with a function that
    makes one request. geopy's RateLimiter keeps the spacing (thread-safe); retries are ours,
    since it would wait a fixed time whatever Retry-After says."""
    with _SLOTS_LOCK:
        key = (provider, float(min_delay_seconds))
        if key not in _SLOTS:
            _SLOTS[key] = RateLimiter(lambda request: request(),
                                      min_delay_seconds=min_delay_seconds, max_retries=0,
                                      error_wait_seconds=min_delay_seconds,
                                      swallow_exceptions=False)
        return _SLOTS[key]


def place_from_location(location: Location, provider: str, query: str) -> Place:
    """A Place (source "online") from a geopy Location; Nominatim's raw fields are used
    for the kind, country and precision when present.

    Raises GeocoderParseError when the coordinates are no point on Earth (geopy turns a
    missing "lat" into 0 and wraps a longitude of 190 to -170, so a careful geocoder checks
    its raw answer first; see geo.nominatim)."""
    lat, lon = location.latitude, location.longitude
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lat, lon)) or not (
            -90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderParseError(f"coordinates out of range: {lat!r}, {lon!r}")
    raw = location.raw if isinstance(location.raw, dict) else {}
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    name = _text(raw.get("name")) or (_text(location.address) or query).split(",")[0].strip()
    if raw.get("osm_type") and raw.get("osm_id"):
        osm = f"{raw['osm_type']}/{raw['osm_id']}"
    else:
        osm = str(raw.get("place_id") or query)
    country = _text(address.get("country_code")).upper()
    return Place(
        name=name or query, kind=_text(raw.get("addresstype") or raw.get("type")) or "place",
        lat=float(lat), lon=float(lon), country=country if len(country) == 2 else None,
        source="online", source_id=f"{provider}:{osm}",
        precision_km=_bbox_precision(raw.get("boundingbox")),
    )


def _text(value: object) -> str:
    """A field of an answer that should be text; anything else counts as missing."""
    return value.strip() if isinstance(value, str) else ""


def _bbox_precision(bbox: object) -> float:
    """Half the diagonal of Nominatim's [south, north, west, east] box, in km (1 km without)."""
    try:
        south, north, west, east = (float(v) for v in bbox)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return 1.0
    if not all(math.isfinite(v) for v in (south, north, west, east)):
        return 1.0
    return round(max(0.1, haversine_km(south, west, north, east) / 2), 1)


def _provider_name(geocoder: Geocoder) -> str:
    """"nominatim@nominatim.openstreetmap.org": answers of different servers do not mix."""
    name = type(geocoder).__name__.lower()
    domain = getattr(geocoder, "domain", "")
    return f"{name}@{domain}" if domain else name
