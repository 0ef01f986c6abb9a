"""The map page: a Leaflet page that folium builds from vendored assets, and its offline twin.

Two pages come out of one builder:

- ``page_html()``: the desktop map. Every URL it loads is on the ``eventmap://app/`` scheme,
  which the desktop serves (``serve``): the vendored scripts, the offline basemap tiles, the
  border lines. Events reach it later as data (``events_columns``) through
  ``eventmap.setEvents``; clicks go back through QWebChannel when the page finds it.
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
from pathlib import Path

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import basemap, vector_basemap
from geo.borders import borders_geojson_text
from geo.outlines import country_outline
from store.event_families import family_of
from store.models import STATUSES, EventRecord
from store.settings import resources_dir

APP_URL = "eventmap://app/"
PAGE_PATH = "map.html"
TILE_TEMPLATE = "tiles/{z}/{x}/{y}.png"
VECTOR_TILE_TEMPLATE = "vtiles/{z}/{x}/{y}.pbf"
BORDERS_PATH = "borders.js"
WEB_DIR = "web/"

LEAFLET_JS = [
    ("leaflet", "leaflet-1.9.4/leaflet.js"),
    ("jquery", "jquery-3.7.1/jquery.min.js"),  # folium's popups call $; keep them working
]
LEAFLET_CSS = [("leaflet_css", "leaflet-1.9.4/leaflet.css")]
EVENT_JS = [
    ("supercluster", "supercluster-8.0.1/supercluster.min.js"),
    ("eventmap", "eventmap.js"),
]
EVENT_CSS = [("eventmap_css", "eventmap.css")]
# The English vector basemap (resources/web/basemap.js draws it with protomaps-leaflet).
BASEMAP_JS = [
    ("protomaps_leaflet", "protomaps-leaflet-5.1.0/protomaps-leaflet.js"),
    ("basemap", "basemap.js"),
]
QT_WEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"

ATTRIBUTION = f"{basemap.ATTRIBUTION} · borders: Natural Earth"  # the OSM raster basemap
VECTOR_ATTRIBUTION = vector_basemap.ATTRIBUTION  # the English one: "Natural Earth · GeoNames"
# The offline basemaps the analyst chooses between; the first is the default.
BASEMAPS = {"english": "English labels (offline)", "osm": "OpenStreetMap, local labels"}
DEFAULT_BASEMAP = "english"
ONLINE_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
}
MAX_ZOOM = 16
# Fitting the view never zooms deeper than the offline basemap's own tiles: one event alone
# shows its region sharp, not an eight-fold blurred close-up.
FIT_MAX_ZOOM = basemap.MAX_ZOOM
# The date ramp of eventmap.js (early -> late) and its undated grey, for reports drawn elsewhere.
DATE_RAMP = ("#3b1c8c", "#7e2a96", "#c23b75", "#ec6a3d", "#f7b32b")
UNDATED_COLOUR = "#8a8f98"

STANDALONE_ZOOMS = range(0, 5)  # whole-world tiles embedded in a standalone page (~1.4 MB)
STANDALONE_DETAIL_BYTES = 5_000_000  # extra tiles at zooms 5-6 around the events
PASSAGE_CHARS = 600
# Places that are areas: an event there is "somewhere in" it, and its outline shows on hover.
AREA_KINDS = frozenset({"country", "continent", "region", "county", "sea", "water", "ocean",
                        "islands", "archipelago", "union"})


def web_dir() -> Path:
    return resources_dir() / "web"


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
    if event.guessed_dates and event.reported:
        return f"{event.reported}, the file's date"
    return event.reported


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


# -- the folium page ---------------------------------------------------------------------------


class EventLayer(JSCSSMixin):
    """Loads the event layer's scripts and starts it on the map (``eventmap.init``)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "eventmap.init({{ this._parent.get_name() }}, {{ this.config_json }});"
        "{% endmacro %}"
    )

    def __init__(self, base_url: str, config: dict, extra_js: list[tuple[str, str]]):
        super().__init__()
        self._name = "EventLayer"
        self.config_json = script_json(config)
        self.default_js = [(n, base_url + WEB_DIR + p) for n, p in EVENT_JS] + extra_js
        self.default_css = [(n, base_url + WEB_DIR + p) for n, p in EVENT_CSS]


def build_map(
    *,
    base_url: str = APP_URL,
    embedded_tiles: bool = False,
    online_tiles: bool = False,
    qt_bridge: bool = False,
    popups: bool = False,
    title: str | None = None,
    date_range: str | None = None,
    borders_from_zoom: int = basemap.MAX_ZOOM + 1,
    extra_js: list[tuple[str, str]] | None = None,
    view: dict | None = None,
) -> folium.Map:
    """The folium Map of the page, every asset under ``base_url``; no CDN."""
    m = folium.Map(
        location=[30, 60], zoom_start=2, tiles=None, prefer_canvas=True, control_scale=False,
        min_zoom=1, max_zoom=MAX_ZOOM, world_copy_jump=True,
    )
    m._id = "main"  # a stable variable name (map_main) instead of a random one
    m.options["maxZoom"] = MAX_ZOOM  # folium leaves it out with tiles=None; clustering needs it
    m.options["minZoom"] = 1
    m.default_js = [(n, base_url + WEB_DIR + p) for n, p in LEAFLET_JS]
    m.default_css = [(n, base_url + WEB_DIR + p) for n, p in LEAFLET_CSS]
    basemap_config = None
    if not embedded_tiles:
        # The English vector basemap is the default; without its file (setup did not build
        # it) the page falls back on the raster layer, which basemap.js then shows.
        vector = vector_basemap.default_output().is_file()
        layer = folium.TileLayer(
            tiles=base_url + TILE_TEMPLATE, attr=ATTRIBUTION, name="Offline basemap",
            max_native_zoom=basemap.MAX_ZOOM, max_zoom=MAX_ZOOM, control=False,
            show=not vector,  # basemap.js adds the layer chosen
        )
        layer._id = "basemap"
        layer.add_to(m)
        basemap_config = {
            "name": DEFAULT_BASEMAP if vector else "osm", "vector": vector,
            "url": base_url + VECTOR_TILE_TEMPLATE, "maxDataZoom": vector_basemap.MAX_ZOOM,
            "attribution": VECTOR_ATTRIBUTION, "raster": layer.get_name(),
        }
    scripts = list(extra_js or [])
    if qt_bridge:
        scripts.insert(0, ("qwebchannel", QT_WEBCHANNEL_JS))
    scripts.append(("borders", base_url + BORDERS_PATH))
    if basemap_config:
        scripts += [(n, base_url + WEB_DIR + p) for n, p in BASEMAP_JS]
    config = {
        "embeddedTiles": embedded_tiles,
        "attribution": ATTRIBUTION,
        "online": dict(ONLINE_TILES, on=online_tiles),
        "popups": popups,
        "title": title,
        "dateRange": date_range,
        "bordersFromZoom": borders_from_zoom,
        "fitMaxZoom": FIT_MAX_ZOOM,
        "view": view,
        "basemap": basemap_config,
    }
    EventLayer(base_url, config, scripts).add_to(m)
    return m


def page_html(*, online_tiles: bool = False) -> str:
    """The desktop map page (served as eventmap://app/map.html)."""
    return build_map(online_tiles=online_tiles, qt_bridge=True).get_root().render()


@lru_cache(maxsize=1)
def _page_bytes() -> bytes:
    return page_html().encode("utf-8")


def serve(path: str) -> tuple[bytes, str] | None:
    """The content and MIME type of ``eventmap://app/<path>``, or None when there is none."""
    path = path.lstrip("/")
    if path == PAGE_PATH:
        return _page_bytes(), "text/html"
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
