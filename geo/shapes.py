"""Points and areas of the polygons of a TopoJSON file (Natural Earth countries, US counties).

A place that is an area needs one point on the map and a size: the point lies inside its
largest polygon (the area-weighted centroid, or the middle of the widest stretch along a
parallel when the centroid falls outside, as it does for a crescent), the size is the area.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from geo.borders import decode_arcs

Ring = list[tuple[float, float]]  # (lon, lat), longitudes unwrapped across ±180°
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Shape:
    """A feature of the file: its point, its area and its largest polygon."""

    name: str
    lat: float
    lon: float
    area_km2: float
    polygon: list[Ring]  # the largest polygon: exterior ring, then holes
    largest_share: float = 1.0  # of the area, in the largest polygon (an archipelago's is low)
    coasts: tuple[Ring, ...] = ()  # the exterior rings of all its polygons

    def contains(self, lat: float, lon: float) -> bool:
        return _inside_any(lon, lat, self.polygon)

    def nearest_land(self, lat: float, lon: float) -> tuple[float, float]:
        """(lat, lon) itself when on any of the shape's polygons, else its nearest coast point."""
        if any(_inside_any(lon, lat, [ring]) for ring in self.coasts):
            return lat, lon
        best = min((p for ring in self.coasts for p in ring),
                   key=lambda p: haversine_km(lat, lon, p[1], p[0]), default=None)
        if best is None:
            return self.lat, self.lon
        return round(best[1], 4), round((best[0] + 180) % 360 - 180, 4)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def shapes(topojson: Path, object_name: str) -> dict[str, Shape]:
    """Every polygon feature of `object_name`, keyed by its id (else its name).

    One id can have several features (Australia and its Ashmore Islands): the one with the
    largest polygon gives the point, all of them add to the area.
    """
    topo = json.loads(topojson.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    features: dict[str, list[tuple[float, str, list[Ring]]]] = {}
    for geom in topo["objects"][object_name]["geometries"]:
        if geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        name = geom.get("properties", {}).get("name", "")
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        for polygon in polygons:
            rings = [_ring(arcs, r) for r in polygon]
            area = abs(_area_centroid(rings[0])[0]) - sum(
                abs(_area_centroid(r)[0]) for r in rings[1:])
            features.setdefault(str(geom.get("id") or name), []).append((area, name, rings))
    out = {}
    for key, polygons in features.items():
        _area, name, largest = max(polygons, key=lambda p: p[0])
        lon, lat = _representative_point(largest)
        area_km2 = sum(p[0] for p in polygons) * KM_PER_DEGREE ** 2
        total = sum(p[0] for p in polygons)
        out[key] = Shape(name, round(lat, 4), round((lon + 180) % 360 - 180, 4),
                         round(area_km2, 1), largest, _area / total if total > 0 else 1.0,
                         tuple(p[2][0] for p in polygons))
    return out


def _ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    """Join a ring's arcs (~i is arc i reversed), unwrapping longitudes across ±180°."""
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    unwrapped, shift = [points[0]], 0.0
    for (x0, _), (x1, y1) in zip(points, points[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        unwrapped.append((x1 + shift, y1))
    return unwrapped


def _area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area (degrees², longitudes scaled by cos(latitude)) and planar centroid."""
    scale = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area / 2 * scale, cx / (3 * area), cy / (3 * area)


def _representative_point(polygon: list[Ring]) -> tuple[float, float]:
    """The area-weighted centroid when it falls inside the polygon, else the middle of its
    widest inside stretch along a parallel (a crescent's centroid lies outside it)."""
    parts = [_area_centroid(r) for r in polygon]
    weights = [abs(a) if i == 0 else -abs(a) for i, (a, _, _) in enumerate(parts)]
    total = sum(weights)
    if total > 0:
        x = sum(w * p[1] for w, p in zip(weights, parts, strict=True)) / total
        y = sum(w * p[2] for w, p in zip(weights, parts, strict=True)) / total
        if _inside(x, y, polygon):
            return x, y
    else:
        x, y = parts[0][1], parts[0][2]
    ys = [p[1] for p in polygon[0]]
    low, high = min(ys), max(ys)
    for lat in [y] + [low + (high - low) * k / 10 for k in (5, 4, 6, 3, 7, 2, 8, 1, 9)]:
        xs = sorted(
            x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
            for ring in polygon
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            if (y0 > lat) != (y1 > lat)
        )
        spans = [(b - a, (a + b) / 2) for a, b in zip(xs[::2], xs[1::2], strict=False)]
        if spans:
            return max(spans)[1], lat
    return x, y


def _inside_any(x: float, y: float, polygon: list[Ring]) -> bool:
    """Inside, with the longitude taken as is or one turn either way (unwrapped rings)."""
    return _inside(x, y, polygon) or _inside(x + 360, y, polygon) or _inside(x - 360, y, polygon)


def _inside(x: float, y: float, polygon: list[Ring]) -> bool:
    """Even-odd rule over the exterior ring and its holes."""
    inside = False
    for ring in polygon:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside
