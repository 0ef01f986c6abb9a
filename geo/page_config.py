"""What the map page is made of: its URLs, vendored assets, basemaps and colours.

Kept apart from the folium builder (geo.folium_page) so that opening the window needs no folium:
the desktop serves a page built once and cached (geo.mapping.serve).
"""

from __future__ import annotations

import json
from pathlib import Path

from geo import basemap, vector_basemap
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
    ("eventmap_data", "eventmap-data.js"),
    ("eventmap_clusters", "eventmap-clusters.js"),
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


def web_dir() -> Path:
    return resources_dir() / "web"



def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no ``</script>``, no ``<!--``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
