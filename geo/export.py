"""Events as data: GeoJSON (the design notes' shape), CSV and KML."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from xml.etree import ElementTree as ET

from store.models import EventRecord


def event_feature(event: EventRecord) -> dict:
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [round(event.lon, 6), round(event.lat, 6)]},
        "properties": {
            "event_id": event.id,
            "layer": "event",
            "title": event.title,
            "event_type": event.type,
            "status": event.status,
            "actors": [{"name": a.name, "role": a.role, "kind": a.kind} for a in event.actors],
            "location": event.location,
            "confidence": event.confidence,
            "document_count": event.document_count,
            "place": event.place,
            "kind": event.kind,
            "country": event.country,
            "precision_km": event.precision_km,
            "approximate": event.approximate,
            "date_start": event.date_start,
            "date_end": event.date_end,
            "date_text": event.date_text,
            "date_precision": event.date_precision,
            "reported": event.reported,
            "source_count": event.source_count,
            "sources": [
                {
                    "document": s.document_id,
                    "title": s.title,
                    "outlet": s.outlet,
                    "published": s.published,
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
    "event_id", "place", "kind", "country", "lat", "lon", "precision_km", "approximate",
    "date_start", "date_end", "date_text", "date_precision", "reported", "source_count",
    "documents", "first_passage",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids: most C0 controls, lone surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text starting like a formula ("=HYPERLINK(...)",
    "- Highway 200") gets a leading apostrophe, as OWASP advises for CSV injection."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """Text XML can hold: the characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def write_csv(events: list[EventRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([csv_cell(v) for v in [
            e.id, e.place, e.kind, e.country or "", f"{e.lat:.6f}", f"{e.lon:.6f}",
            e.precision_km, int(e.approximate), e.date_start or "", e.date_end or "",
            e.date_text or "", e.date_precision or "", e.reported or "", e.source_count,
            "; ".join(sorted({s.title for s in e.sources})),
            e.sources[0].passage if e.sources else "",
        ]])
    return out.getvalue()


def write_kml(events: list[EventRecord]) -> str:
    """KML 2.2 with a TimeSpan per dated event; ElementTree escapes all article text."""
    ns = "http://www.opengis.net/kml/2.2"
    ET.register_namespace("", ns)
    kml = ET.Element(f"{{{ns}}}kml")
    folder = ET.SubElement(kml, f"{{{ns}}}Document")
    ET.SubElement(folder, f"{{{ns}}}name").text = "Eventmap events"
    for e in events:
        mark = ET.SubElement(folder, f"{{{ns}}}Placemark", id=f"event-{e.id}")
        ET.SubElement(mark, f"{{{ns}}}name").text = xml_text(e.place)
        # Google Earth renders a description as HTML: escape for HTML, then (ElementTree) XML
        sources = f"{e.source_count} source" + ("s" if e.source_count != 1 else "")
        lines = [f"{e.date_text or 'undated'} ({sources})"]
        lines += [f"{s.title} ({s.published}): {s.passage}" for s in e.sources]
        ET.SubElement(mark, f"{{{ns}}}description").text = xml_text(
            "<br>".join(html.escape(line) for line in lines))
        if e.date_start:
            span = ET.SubElement(mark, f"{{{ns}}}TimeSpan")
            ET.SubElement(span, f"{{{ns}}}begin").text = e.date_start
            ET.SubElement(span, f"{{{ns}}}end").text = e.date_end
        point = ET.SubElement(mark, f"{{{ns}}}Point")
        ET.SubElement(point, f"{{{ns}}}coordinates").text = f"{e.lon:.6f},{e.lat:.6f}"
    return ET.tostring(kml, encoding="unicode", xml_declaration=True)


WRITERS = {"geojson": write_geojson, "csv": write_csv, "kml": write_kml}
