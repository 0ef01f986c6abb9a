"""Events as data: GeoJSON (the design notes' shape), CSV and KML."""

from __future__ import annotations

import csv
import io
import json

from geo.export_fields import (
    admin1_name,
    document_titles,
    geo_precision,
    join_fields,
    time_precision,
)
from geo.kml import write_kml, xml_text  # noqa: F401 (xml_text: part of this module's API)
from store.event_families import family_of
from store.models import EventRecord, EventSource


def event_feature(event: EventRecord) -> dict:
    """A GeoJSON feature (RFC 7946): a point, or no geometry for an event with no place."""
    geometry = None
    if event.located:
        geometry = {"type": "Point",
                    "coordinates": [round(event.lon, 6), round(event.lat, 6)]}
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": geometry,
        "properties": {
            "event_id": event.id,
            "event_uid": event.uid,
            "layer": "event",
            "title": event.title,
            "event_type": event.type,
            "family": family_of(event.type).key,
            "status": event.status,
            "actors": [{"name": a.name, "role": a.role, "kind": a.kind} for a in event.actors],
            "location": event.location,
            "confidence": event.confidence,
            "document_count": event.document_count,
            "outlet_count": event.outlet_count,
            "place": event.place,
            "place_id": event.place_ref or None,
            "kind": event.kind,
            "country": event.country,
            "admin1": admin1_name(event.country, event.admin1),
            "precision_km": event.precision_km,
            "approximate": event.approximate,
            "geo_precision": geo_precision(event),
            "date_start": event.date_start,
            "date_end": event.date_end,
            "date_text": event.date_text,
            "date_precision": event.date_precision,
            "time_precision": time_precision(event),
            "reported": event.reported,
            "source_count": event.source_count,
            "sources": [
                {
                    "document": s.document_id,
                    "title": s.title,
                    "outlet": s.outlet,
                    "published": s.published,
                    "path": s.path,
                    "passage": s.passage,
                    "mention_start": s.mention_start,
                    "mention_end": s.mention_end,
                }
                for s in event.sources
            ],
        },
    }


def to_geojson(events: list[EventRecord]) -> dict:
    return {"type": "FeatureCollection", "features": [event_feature(e) for e in events]}


def write_geojson(events: list[EventRecord]) -> str:
    return json.dumps(to_geojson(events), ensure_ascii=False, indent=1)


CSV_COLUMNS = [
    "event_id", "event_uid", "title", "event_type", "family", "status", "actors", "place",
    "place_id", "kind", "country", "admin1", "lat", "lon", "precision_km", "approximate",
    "location", "geo_precision", "date_start", "date_end", "date_text", "date_precision",
    "time_precision", "reported", "confidence", "source_count", "document_count",
    "outlet_count", "documents", "first_passage",
]
SOURCE_COLUMNS = [
    "event_id", "event_uid", "title", "event_type", "status", "place", "date_start", "date_end",
    "document", "document_title", "outlet", "published", "path", "passage", "passage_start",
    "passage_end", "trigger_start", "trigger_end", "mention_start", "mention_end",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula ("=HYPERLINK(...)",
    "- Highway 200") gets a leading apostrophe, as OWASP advises for CSV injection."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(events: list[EventRecord], rows: str = "events") -> str:
    """One row per event (its sources' titles joined, its first passage), or with
    rows="sources" one row per source passage, with the article's offsets of the passage and
    those of the trigger and the place inside it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if rows == "sources":
        writer.writerow(SOURCE_COLUMNS)
        for e in events:
            for s in e.sources:
                writer.writerow([csv_cell(v) for v in _source_row(e, s)])
        return out.getvalue()
    writer.writerow(CSV_COLUMNS)
    for e in events:
        fields = join_fields(e)
        fields["documents"] = document_titles(e)
        fields["first_passage"] = e.sources[0].passage if e.sources else ""
        writer.writerow([csv_cell(fields[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _source_row(e: EventRecord, s: EventSource) -> list[object]:
    return [
        e.id, e.uid, e.title, e.type or "", e.status, e.place, e.date_start or "",
        e.date_end or "", s.document_id, s.title, s.outlet or "", s.published or "", s.path,
        s.passage, s.passage_start, s.passage_start + len(s.passage),
        _blank(s.trigger_start), _blank(s.trigger_end), _blank(s.mention_start),
        _blank(s.mention_end),
    ]


def _blank(value: int | None) -> object:
    return "" if value is None else value


WRITERS = {"geojson": write_geojson, "csv": write_csv, "kml": write_kml}
