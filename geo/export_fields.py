"""What every data export carries beside the map's fields: what GIS and event-data users join on.

ACLED's precision codes (ACLED Codebook, "Geo-precision" and "Time-precision"):
- geo-precision 1: the event is at a named town or a site; 2: near it, or in a district or
  county, or the place is approximate or only inferred from context; 3: only a first-level
  region, a country, a sea or a larger area is known;
- time-precision 1: the day is known; 2: the week, or a range of up to seven days; 3: only the
  month, the year or a longer range is known.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from store.event_families import family_of
from store.models import EventRecord
from store.settings import resources_dir

_REGION_KINDS = {"country", "continent", "region", "sea", "ocean", "lake", "canal", "island"}
_DISTRICT_KINDS = {"county"}


def geo_precision(event: EventRecord) -> int | None:
    """ACLED's geo-precision code of an event's place; None without a place."""
    if not event.located:
        return None
    if event.kind in _REGION_KINDS:
        return 3
    if event.kind in _DISTRICT_KINDS or event.approximate or event.location == "inferred":
        return 2
    return 1


def time_precision(event: EventRecord) -> int | None:
    """ACLED's time-precision code of an event's dates; None when undated."""
    if not event.date_start or not event.date_end:
        return None
    try:
        start = dt.date.fromisoformat(event.date_start[:10])
        end = dt.date.fromisoformat(event.date_end[:10])
    except ValueError:
        return 3
    days = (end - start).days
    if days == 0:
        return 1
    return 2 if days < 7 else 3


@lru_cache(maxsize=1)
def _admin1_names() -> dict[str, str]:
    path = resources_dir() / "places" / "geonames-admin1.json"
    return {e["code"]: e["name"] for e in json.loads(path.read_text(encoding="utf-8"))}


def admin1_name(country: str | None, admin1: str | None) -> str | None:
    """The name of a first-level region from its GeoNames code ("RU", "59": Primorye)."""
    if not country or not admin1:
        return None
    return _admin1_names().get(f"{country}.{admin1}")


def actors_text(event: EventRecord) -> str:
    """Actors in one cell: "Kim Jong Un (source) | Vladimir Putin (target)"."""
    return " | ".join(f"{a.name} ({a.role})" for a in event.actors)


def document_titles(event: EventRecord) -> str:
    """The titles of the articles an event cites, in one cell."""
    return "; ".join(sorted({s.title for s in event.sources}))


def join_fields(event: EventRecord) -> dict[str, object]:
    """The flat fields every format writes for an event (KML ExtendedData, CSV columns)."""
    return {
        "event_id": event.id,
        "event_uid": event.uid,
        "title": event.title,
        "event_type": event.type or "",
        "family": family_of(event.type).key,
        "status": event.status,
        "actors": actors_text(event),
        "place": event.place,
        "place_id": event.place_ref,
        "kind": event.kind,
        "country": event.country or "",
        "admin1": admin1_name(event.country, event.admin1) or "",
        "lat": round(event.lat, 6) if event.located else "",  # numbers: no formula guard
        "lon": round(event.lon, 6) if event.located else "",
        "precision_km": event.precision_km,
        "approximate": int(event.approximate),
        "location": event.location,
        "geo_precision": geo_precision(event) or "",
        "date_start": event.date_start or "",
        "date_end": event.date_end or "",
        "date_text": event.date_text or "",
        "date_precision": event.date_precision or "",
        "time_precision": time_precision(event) or "",
        "reported": event.reported or "",
        "confidence": round(event.confidence, 3),
        "source_count": event.source_count,
        "document_count": event.document_count,
        "outlet_count": event.outlet_count,
    }
