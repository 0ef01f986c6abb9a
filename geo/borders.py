"""Natural Earth country borders (world-atlas TopoJSON) as GeoJSON lines for the map overlay.

The TopoJSON arcs are decoded once into two MultiLineStrings: ``border`` (arcs shared by two
countries) and ``coast`` (arcs of one country only). Russia, Fiji and Antarctica have rings that
cross ±180° of longitude; a web map joins such neighbours with a line across the whole world, so
lines are split where they cross the antimeridian, and the cut edges along ±180° and along the
south pole are dropped. `make setup` writes the result next to the TopoJSON
(`python -m geo.borders`, a file named by the format and the source's digest, so that a changed
source or format is not read); without it the result is built on first use and cached as a file
in the cache folder (half a second of the app's very first start, on the GUI thread).
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from pathlib import Path

from store.settings import cache_dir, resources_dir

RESOLUTIONS = ("110m", "50m")
FORMAT_VERSION = 1
DECIMALS = 3  # ~100 m; finer than the 1:50m source

Point = tuple[float, float]

_lock = threading.Lock()


def topojson_path(resolution: str = "50m") -> Path:
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {RESOLUTIONS}, not {resolution!r}")
    return resources_dir() / "borders" / f"countries-{resolution}.json"


def borders_geojson_text(resolution: str = "50m") -> str:
    """The border lines as GeoJSON text, built on first use and cached on disk."""
    return _cached_text(resolution)


def borders_geojson(resolution: str = "50m") -> dict:
    return json.loads(_cached_text(resolution))


@lru_cache(maxsize=4)
def _cached_text(resolution: str) -> str:
    return lines_text(resolution, (prebuilt_dir(), cache_dir() / "borders"))


def prebuilt_dir() -> Path:
    """Where `make setup` writes the lines: beside the TopoJSON they are made from."""
    return topojson_path().parent


def lines_name(resolution: str, source: bytes) -> str:
    """The lines' file name: the resolution, the format and the source's digest."""
    digest = hashlib.sha256(source).hexdigest()[:16]
    return f"countries-{resolution}-lines-v{FORMAT_VERSION}-{digest}.json"


def lines_text(resolution: str, folders: tuple[Path, ...]) -> str:
    """The lines as GeoJSON text, from the first of `folders` that holds them for the current
    source and format; else built and written to the last one."""
    source = topojson_path(resolution).read_bytes()
    name = lines_name(resolution, source)
    with _lock:
        for folder in folders:
            if (folder / name).is_file():
                return (folder / name).read_text(encoding="utf-8")
        text = _lines_json(source)
        _write(folders[-1] / name, text)
        return text


def build_prebuilt(folder: Path | None = None) -> list[Path]:
    """Write every resolution's lines to `folder` (the prebuilt folder), dropping the files of
    an older source or format there."""
    folder = folder or prebuilt_dir()
    written = []
    for resolution in RESOLUTIONS:
        source = topojson_path(resolution).read_bytes()
        name = lines_name(resolution, source)
        for old in folder.glob(f"countries-{resolution}-lines-v*.json"):
            if old.name != name:
                old.unlink()
        text = _lines_json(source)
        _write(folder / name, text)
        written.append(folder / name)
    return written


def _lines_json(source: bytes) -> str:
    """The lines of this TopoJSON source, as compact GeoJSON text."""
    return json.dumps(topojson_to_lines(json.loads(source)), separators=(",", ":"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute (lon, lat) points of each arc of a quantized, delta-encoded topology."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def topojson_to_lines(topology: dict, object_name: str = "countries") -> dict:
    """A FeatureCollection of two MultiLineStrings, kind ``border`` and kind ``coast``."""
    arcs = decode_arcs(topology)
    users: dict[int, set[int]] = {}
    for n, geometry in enumerate(topology["objects"][object_name]["geometries"]):
        for index in _arc_indexes(geometry.get("arcs", [])):
            users.setdefault(index, set()).add(n)
    lines: dict[str, list[list[list[float]]]] = {"border": [], "coast": []}
    for index in sorted(users):
        kind = "border" if len(users[index]) > 1 else "coast"
        for part in split_at_antimeridian(arcs[index]):
            lines[kind].append([[round(x, DECIMALS), round(y, DECIMALS)] for x, y in part])
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": kind},
                "geometry": {"type": "MultiLineString", "coordinates": coords},
            }
            for kind, coords in lines.items()
        ],
    }


def _arc_indexes(arcs: list) -> list[int]:
    """Arc indexes of a nested TopoJSON arcs list; ~i (negative) means arc i reversed."""
    out: list[int] = []
    for item in arcs:
        if isinstance(item, list):
            out.extend(_arc_indexes(item))
        else:
            out.append(item if item >= 0 else ~item)
    return out


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """Split a line where it crosses ±180°; drop the pieces that run along ±180° or the pole.

    Every segment of the result spans less than 180° of longitude.
    """
    if len(points) < 2:
        return []
    segments: list[tuple[Point, Point] | None] = []  # None marks a break
    for p, q in zip(points, points[1:], strict=False):
        dlon = q[0] - p[0]
        if abs(dlon) > 180:
            side = 180.0 if p[0] > 0 else -180.0
            q_shifted = q[0] + (360.0 if side > 0 else -360.0)
            span = q_shifted - p[0]
            t = (side - p[0]) / span if span else 0.0
            lat = p[1] + t * (q[1] - p[1])
            segments.append((p, (side, lat)) if p[0] != side else None)
            segments.append(None)
            segments.append(((-side, lat), q) if q[0] != -side else None)
        elif _along_cut(p, q):
            segments.append(None)
        else:
            segments.append((p, q))
    lines: list[list[Point]] = []
    current: list[Point] = []
    for seg in segments:
        if seg is None:
            if len(current) > 1:
                lines.append(current)
            current = []
            continue
        if not current:
            current = [seg[0]]
        current.append(seg[1])
    if len(current) > 1:
        lines.append(current)
    return lines


def _along_cut(p: Point, q: Point) -> bool:
    on_meridian = abs(p[0]) >= 179.999 and abs(q[0]) >= 179.999 and p[0] * q[0] > 0
    on_pole = p[1] <= -89.0 and q[1] <= -89.0
    return on_meridian or on_pole


if __name__ == "__main__":
    for written in build_prebuilt():
        print(f"wrote {written}")
