"""The map page: a Leaflet page that folium builds from vendored assets, and its offline twin.

Two pages come out of one builder (geo.folium_page):

- the desktop map, built once per version of the builder, by `make setup` or else on first use
  (geo.page_file), so that opening the window imports no folium. Every URL it loads is on the
  ``eventmap://app/`` scheme, which the desktop serves (``serve``): the vendored scripts, the
  offline basemap tiles, the border lines. Events reach it later as data
  (``events_columns``) through ``eventmap.setEvents``; clicks go back through QWebChannel when
  the page finds it.
- ``standalone_html(events)``: one self-contained HTML file, everything inlined (scripts,
  styles, borders, basemap tiles as base64, the events with their sources for popups, as
  GeoJSON: ``events_geojson``).

Events are drawn by one JavaScript layer (resources/web/eventmap.js, clustering with
Supercluster), never one folium object per marker, so the page stays fluid with 100,000 events
(bench/map_load.py measures it). Article text is untrusted: it only
travels as JSON with ``<``, ``>`` and ``&`` escaped, and the page inserts it as text.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape as html_escape

from geo import basemap, vector_basemap
from geo.borders import borders_geojson_text
from geo.outlines import country_outline
from geo.page_config import (  # noqa: F401 (the page's constants are part of this module's API)
    APP_URL,
    ATTRIBUTION,
    BASEMAPS,
    BORDERS_PATH,
    DATE_RAMP,
    DEFAULT_BASEMAP,
    FIT_MAX_ZOOM,
    MAX_ZOOM,
    PAGE_PATH,
    UNDATED_COLOUR,
    WEB_DIR,
    script_json,
    web_dir,
)
from geo.page_file import page_bytes
from store.event_families import family_of
from store.models import STATUSES, EventRecord

STANDALONE_ZOOMS = range(0, 5)  # whole-world tiles embedded in a standalone page (~1.4 MB)
STANDALONE_DETAIL_BYTES = 5_000_000  # extra tiles at zooms 5-6 around the events
PASSAGE_CHARS = 600
# Places that are areas: an event there is "somewhere in" it, and its outline shows on hover.
AREA_KINDS = frozenset({"country", "continent", "region", "county", "sea", "water", "ocean",
                        "islands", "archipelago", "union"})




# -- events as data ----------------------------------------------------------------------------


def events_geojson(events: Iterable[EventRecord], *, with_sources: bool = False) -> dict:
    """A compact FeatureCollection for the page: id, point, place, kind, dates, count,
    and the precision of approximate places. No passages unless ``with_sources``."""
    features = []
    for e in events:
        props: dict = {"place": e.place, "kind": e.kind, "count": e.source_count,
                       "docs": e.document_count, "family": family_of(e.type).key,
                       "status": e.status, "title": e.title}
        if is_area(e):
            props["area"] = True
            props["cc"] = e.country if e.kind == "country" else None
            props["akm"] = e.precision_km
        if e.date_start:
            props["start"] = e.date_start
            props["end"] = e.date_end or e.date_start
        elif e.reported:
            props["reported"] = e.reported
        if e.approximate:
            props["approx"] = True
            props["km"] = e.precision_km
        if with_sources:
            props["sources"] = [
                {
                    "title": s.title, "outlet": s.outlet, "published": s.published,
                    "passage": s.passage[:PASSAGE_CHARS],
                    "mention_start": s.mention_start, "mention_end": s.mention_end,
                }
                for s in e.sources
            ]
        features.append({
            "type": "Feature",
            "id": e.id,
            "geometry": {"type": "Point", "coordinates": [round(e.lon, 5), round(e.lat, 5)]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def events_columns(events: Sequence[EventRecord]) -> dict:
    """The events for the desktop page as columns, one list per property, place names listed
    once. For 100,000 events this is a fifth of the GeoJSON's size and several times faster to
    build, serialise and parse; the page turns it into the same records (eventmap.js)."""
    places: dict[str, int] = {}
    titles: dict[str, int] = {}
    families: dict[str, int] = {}
    statuses = {s: i for i, s in enumerate(STATUSES)}
    areas = [is_area(e) for e in events]
    return {
        "id": [e.id for e in events],
        "lat": [round(e.lat, 5) for e in events],
        "lon": [round(e.lon, 5) for e in events],
        "place": [places.setdefault(e.place, len(places)) for e in events],
        "places": list(places),
        "count": [e.source_count for e in events],
        # a date that rests on a file's time is drawn and filtered as undated
        "start": [e.date_start if e.on_timeline else None for e in events],
        "end": [e.date_end if e.on_timeline and e.date_end != e.date_start else None
                for e in events],
        "reported": [None if e.on_timeline else _reported(e) for e in events],
        "km": [e.precision_km if e.approximate else 0 for e in events],
        "akm": [e.precision_km if area else 0 for e, area in zip(events, areas, strict=True)],
        "docs": [e.document_count for e in events],
        "family": [families.setdefault(family_of(e.type).key, len(families)) for e in events],
        "families": list(families),
        "status": [statuses.get(e.status, 0) for e in events],
        "statuses": list(STATUSES),
        "title": [titles.setdefault(e.title, len(titles)) for e in events],
        "titles": list(titles),
        "area": [1 if area else 0 for area in areas],
        "cc": [e.country if area and e.kind == "country" else None
               for e, area in zip(events, areas, strict=True)],
    }


def is_area(event: EventRecord) -> bool:
    """Whether the event's place is an area (a country, a region) rather than a point."""
    return event.kind in AREA_KINDS


def _reported(event: EventRecord) -> str | None:
    return reported_label(event.reported, event.guessed_dates)


def reported_label(reported: str | None, guessed_dates: bool) -> str | None:
    """When an undated event was reported, as the map says it (a guessed date says so)."""
    if guessed_dates and reported:
        return f"{reported}, the file's date"
    return reported


def serve(path: str) -> tuple[bytes, str] | None:
    """The content and MIME type of ``eventmap://app/<path>``, or None when there is none."""
    path = path.lstrip("/")
    if path == PAGE_PATH:
        return page_bytes(), "text/html"
    if path == BORDERS_PATH:
        return borders_script().encode("utf-8"), "application/javascript"
    outline = re.fullmatch(r"outlines/([A-Z]{2})\.json", path)
    if outline:
        shape = country_outline(outline.group(1))
        return (json.dumps(shape).encode("utf-8"), "application/json") if shape else None
    tile = re.fullmatch(r"tiles/(\d{1,2})/(\d{1,7})/(\d{1,7})\.png", path)
    if tile:
        data = basemap.shared_basemap().tile(*(int(g) for g in tile.groups()))
        return (data, "image/png") if data is not None else None
    vtile = re.fullmatch(r"vtiles/(\d{1,2})/(\d{1,7})/(\d{1,7})\.pbf", path)
    if vtile:
        # Uncompressed: a custom scheme sets no Content-Encoding. b"" is an empty tile (sea).
        data = vector_basemap.shared_vector_basemap().tile(*(int(g) for g in vtile.groups()))
        return (data, "application/x-protobuf") if data is not None else None
    if path.startswith(WEB_DIR):
        return _web_file(path[len(WEB_DIR):])
    return None


@lru_cache(maxsize=2)
def borders_script(resolution: str = "50m") -> str:
    """Country borders for the overlay. Coasts stay out: at the zooms where the overlay shows,
    the 1:50m coast is no better than the basemap's own and only adds a second outline."""
    lines = json.loads(borders_geojson_text(resolution))
    lines["features"] = [f for f in lines["features"] if f["properties"]["kind"] == "border"]
    return f"window.EVENTMAP_BORDERS = {script_json(lines)};\n"


def _web_file(relative: str) -> tuple[bytes, str] | None:
    root = web_dir().resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    mime = {".js": "application/javascript", ".css": "text/css"}.get(target.suffix)
    return target.read_bytes(), mime or mimetypes.guess_type(target.name)[0] or "text/plain"


# -- the standalone page -----------------------------------------------------------------------

_INLINE_BASE = "inline:/"


def standalone_html(
    events: list[EventRecord],
    title: str = "Eventmap",
    date_range: str | None = None,
    *,
    online_tiles: bool = False,
    view: dict | None = None,
    detail_bytes: int = STANDALONE_DETAIL_BYTES,
) -> str:
    """A self-contained offline HTML map of these events, with popups listing their sources.

    ``view`` ({lat, lon, zoom}) opens the map there instead of fitting it to the events.
    """
    from geo.folium_page import build_map

    m = build_map(
        base_url=_INLINE_BASE, embedded_tiles=True, online_tiles=online_tiles, popups=True,
        title=title, date_range=date_range, borders_from_zoom=STANDALONE_ZOOMS.stop, view=view,
        extra_js=[("tiles", _INLINE_BASE + "tiles.js"), ("events", _INLINE_BASE + "events.js")],
    )
    m.get_root().title = html_escape(title)
    html = m.get_root().render()
    data = {
        "borders.js": borders_script("50m"),
        "tiles.js": "window.EVENTMAP_TILES = "
        f"{script_json(_standalone_tiles(events, detail_bytes))};\n",
        "events.js": "window.EVENTMAP_EVENTS = "
        f"{script_json(events_geojson(events, with_sources=True))};\n",
    }
    return _inline(html, data)


def _standalone_tiles(events: list[EventRecord], detail_bytes: int) -> dict[str, str]:
    """Every tile of the standalone zooms, then deeper tiles around the busiest places."""
    bm = basemap.shared_basemap()
    tiles = {f"{z}/{x}/{y}": base64.b64encode(png).decode("ascii")
             for z, x, y, png in bm.tiles(STANDALONE_ZOOMS)}
    places = Counter((round(e.lat, 2), round(e.lon, 2)) for e in events)
    budget = detail_bytes
    for z in range(STANDALONE_ZOOMS.stop, basemap.MAX_ZOOM + 1):
        for (lat, lon), _ in places.most_common():
            cx, cy = basemap.lonlat_to_tile(lon, lat, z)
            for x in range(cx - 1, cx + 2):
                for y in range(cy - 1, cy + 2):
                    key = f"{z}/{x % (1 << z)}/{y}"
                    if key in tiles:
                        continue
                    png = bm.tile(z, x % (1 << z), y)
                    if png is None or len(png) > budget:
                        continue
                    budget -= len(png)
                    tiles[key] = base64.b64encode(png).decode("ascii")
    return tiles


def _inline(html: str, data: dict[str, str]) -> str:
    """Replace every inline:/ script and stylesheet link with the file's content."""

    def script(match: re.Match) -> str:
        name = match.group(1)
        code = data[name] if name in data else _web_text(name)
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        name = match.group(1)
        return "<style>" + _css_with_data_urls(name) + "</style>"

    base = re.escape(_INLINE_BASE)
    html = re.sub(rf'<script src="{base}(?:{WEB_DIR})?([^"]+)"></script>', script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{base}{WEB_DIR}([^"]+)"/>', style, html)
    return html


def _web_text(relative: str) -> str:
    found = _web_file(relative)
    if found is None:
        raise FileNotFoundError(f"missing vendored file resources/web/{relative}")
    return found[0].decode("utf-8")


def _css_with_data_urls(relative: str) -> str:
    css = _web_text(relative)
    folder = (web_dir() / relative).parent

    def data_url(match: re.Match) -> str:
        target = folder / match.group(1)
        if not target.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{mime};base64,{encoded})"

    return re.sub(r"url\((?!data:)['\"]?([^'\")]+)['\"]?\)", data_url, css)
