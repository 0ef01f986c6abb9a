"""Events as KML 2.2 for Google Earth and GDAL: styled by family and status, every field kept.

Google Earth renders a placemark's description as HTML, so article text is escaped for HTML
and then (by ElementTree) for XML; characters XML 1.0 forbids become U+FFFD. Every field of
the other formats travels as ExtendedData. A one-day event gets a TimeStamp; a longer one a
TimeSpan whose end is the day after its last (KML's end is an instant: "2023-09-13" would be
that day's first moment and drop it from the time slider).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from xml.etree import ElementTree as ET

from geo.export_fields import document_titles, join_fields
from store.event_families import FAMILIES, Family, family_of
from store.models import EventRecord

NS = "http://www.opengis.net/kml/2.2"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Google Earth's own icon set, one shape per family (the window's glyphs follow them).
_SHAPES = {
    "meeting": "placemark_circle", "agreement": "star", "aid": "hospitals",
    "statement": "caution", "protest": "flag", "military": "truck", "attack": "firedept",
    "other": "placemark_square",
}
_ICON_ROOT = "http://maps.google.com/mapfiles/kml/shapes/"
_STATUS_STYLE = {  # alpha (hex) and scale: a plan is paler, what did not happen greyed out
    "reported": ("ff", 1.1), "planned": ("90", 0.9),
    "hypothetical": ("70", 0.8), "denied": ("70", 0.8),
}


def xml_text(value: str) -> str:
    """Text XML can hold: the characters it forbids become U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def write_kml(events: list[EventRecord]) -> str:
    """The located events as one KML document."""
    ET.register_namespace("", NS)
    kml = ET.Element(_tag("kml"))
    document = ET.SubElement(kml, _tag("Document"))
    ET.SubElement(document, _tag("name")).text = "Eventmap events"
    for family in FAMILIES:
        for status in _STATUS_STYLE:
            document.append(_style(family, status))
    for e in events:
        if e.located:
            document.append(_placemark(e))
    return ET.tostring(kml, encoding="unicode", xml_declaration=True)


def style_id(family: Family, status: str) -> str:
    return f"{family.key}-{status}"


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _style(family: Family, status: str) -> ET.Element:
    alpha, scale = _STATUS_STYLE[status]
    colour = family.colour if status in ("reported", "planned") else "#7f7f7f"
    rr, gg, bb = colour[1:3], colour[3:5], colour[5:7]
    style = ET.Element(_tag("Style"), id=style_id(family, status))
    icon_style = ET.SubElement(style, _tag("IconStyle"))
    ET.SubElement(icon_style, _tag("color")).text = f"{alpha}{bb}{gg}{rr}"  # KML: aabbggrr
    ET.SubElement(icon_style, _tag("scale")).text = str(scale)
    icon = ET.SubElement(icon_style, _tag("Icon"))
    ET.SubElement(icon, _tag("href")).text = f"{_ICON_ROOT}{_SHAPES[family.key]}.png"
    return style


def _placemark(e: EventRecord) -> ET.Element:
    mark = ET.Element(_tag("Placemark"), id=f"event-{e.id}")
    ET.SubElement(mark, _tag("name")).text = xml_text(e.title or e.place)
    ET.SubElement(mark, _tag("description")).text = xml_text(_description(e))
    _add_time(mark, e)  # the schema's order: time, then style, then data
    ET.SubElement(mark, _tag("styleUrl")).text = f"#{style_id(family_of(e.type), e.status)}"
    _add_data(mark, e)
    point = ET.SubElement(mark, _tag("Point"))
    ET.SubElement(point, _tag("coordinates")).text = f"{e.lon:.6f},{e.lat:.6f}"
    return mark


def _description(e: EventRecord) -> str:
    sources = f"{e.source_count} source" + ("s" if e.source_count != 1 else "")
    lines = [f"{e.date_text or 'undated'} ({sources})"]
    what = " · ".join(x for x in (e.type or "", e.status) if x)
    lines.append(f"{what} at {e.place}")
    if e.actors:
        lines.append(", ".join(f"{a.name} ({a.role})" for a in e.actors))
    lines += [f"{s.title} ({s.outlet or 'unknown outlet'}, {s.published or 'undated'}): "
              f"{s.passage}" for s in e.sources]
    return "<br>".join(html.escape(line) for line in lines)


def _add_time(mark: ET.Element, e: EventRecord) -> None:
    if not e.date_start:
        return
    end = e.date_end or e.date_start
    if end == e.date_start:
        stamp = ET.SubElement(mark, _tag("TimeStamp"))
        ET.SubElement(stamp, _tag("when")).text = e.date_start
        return
    span = ET.SubElement(mark, _tag("TimeSpan"))
    ET.SubElement(span, _tag("begin")).text = e.date_start
    ET.SubElement(span, _tag("end")).text = _day_after(end)


def _day_after(day: str) -> str:
    try:
        return (dt.date.fromisoformat(day[:10]) + dt.timedelta(days=1)).isoformat()
    except ValueError:
        return day


def _add_data(mark: ET.Element, e: EventRecord) -> None:
    fields = join_fields(e)
    fields["documents"] = document_titles(e)
    fields["sources"] = " | ".join(
        f"{s.outlet or ''}, {s.published or ''}, {s.path}" for s in e.sources)
    extended = ET.SubElement(mark, _tag("ExtendedData"))
    for name, value in fields.items():
        data = ET.SubElement(extended, _tag("Data"), name=name)
        ET.SubElement(data, _tag("value")).text = xml_text(str(value))
