"""The folium builder of the map page: Leaflet from vendored assets, the event layer's scripts,
the basemap layers and the page's configuration. Only geo.mapping calls it, when a page must
be built (the desktop page once per version, cached; each standalone export)."""

from __future__ import annotations

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from geo import basemap, vector_basemap
from geo.page_config import (
    APP_URL,
    ATTRIBUTION,
    BASEMAP_JS,
    BORDERS_PATH,
    DEFAULT_BASEMAP,
    EVENT_CSS,
    EVENT_JS,
    FIT_MAX_ZOOM,
    LEAFLET_CSS,
    LEAFLET_JS,
    MAX_ZOOM,
    ONLINE_TILES,
    QT_WEBCHANNEL_JS,
    TILE_TEMPLATE,
    VECTOR_ATTRIBUTION,
    VECTOR_TILE_TEMPLATE,
    WEB_DIR,
    script_json,
)


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
