"""The English vector basemap: Mapbox vector tiles, zooms 0-10, from a PMTiles file.

``resources/basemap/english.pmtiles`` is built at setup time (``make setup`` runs
``python -m geo.vector_basemap_build``); this module only reads it, through the ``pmtiles``
package. One memory-mapped file is shared under a lock; its directories are parsed once and
kept, so a tile costs a binary search and a gzip inflate.
"""

from __future__ import annotations

import gzip
import json
import mmap
import threading
from functools import lru_cache
from pathlib import Path

from pmtiles.tile import (
    Compression,
    TileType,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

from store.errors import EventmapError
from store.settings import resources_dir

ATTRIBUTION = "Natural Earth · GeoNames"
MIN_ZOOM = 0
MAX_ZOOM = 10  # the deepest zoom built; the page overzooms beyond it
LAYERS = ("land", "boundaries", "countries", "cities")
LICENSE = "Natural Earth: public domain; GeoNames: CC BY 4.0"
_DIRECTORY_CACHE = 256  # parsed leaf directories kept (each covers a few thousand tiles)


def default_output() -> Path:
    """Where setup builds the file (inside the resources, so an installed app finds it)."""
    return resources_dir() / "basemap" / "english.pmtiles"


class VectorBasemapError(EventmapError):
    """The English vector basemap cannot be read."""


class VectorBasemap:
    """Read-only access to a PMTiles archive of vector tiles; thread-safe."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_output()
        if not self.path.is_file():
            raise VectorBasemapError(
                f"The English basemap {self.path} is missing: run make setup "
                "(or python -m geo.vector_basemap_build).")
        self._lock = threading.Lock()
        try:
            self._file = self.path.open("rb")
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
            self.header = deserialize_header(self._map[0:127])
        except (OSError, ValueError, IndexError) as e:
            raise VectorBasemapError(f"Cannot read the English basemap {self.path}: {e}") from e
        if self.header.get("tile_type") != TileType.MVT:
            raise VectorBasemapError(f"{self.path} does not hold vector tiles.")
        self._directory = lru_cache(maxsize=_DIRECTORY_CACHE)(self._read_directory)

    def close(self) -> None:
        with self._lock:
            self._map.close()
            self._file.close()

    def __enter__(self) -> VectorBasemap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def max_zoom(self) -> int:
        return int(self.header["max_zoom"])

    def metadata(self) -> dict:
        h = self.header
        with self._lock:
            raw = self._map[h["metadata_offset"]:h["metadata_offset"] + h["metadata_length"]]
        return json.loads(self._inflate(raw, h["internal_compression"]))

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The uncompressed MVT bytes of XYZ tile (z, x, y); b"" for a tile of the archive's
        grid that holds nothing (open sea); None outside the zooms and the grid."""
        if not MIN_ZOOM <= z <= self.max_zoom or not (0 <= x < 1 << z and 0 <= y < 1 << z):
            return None
        tile_id = zxy_to_tileid(z, x, y)
        h = self.header
        offset, length = h["root_offset"], h["root_length"]
        with self._lock:
            for _depth in range(4):
                entry = find_tile(self._directory(offset, length), tile_id)
                if entry is None:
                    return b""
                if entry.run_length > 0:
                    start = h["tile_data_offset"] + entry.offset
                    data = self._map[start:start + entry.length]
                    break
                offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
            else:
                return b""
        return self._inflate(data, h["tile_compression"])

    def _read_directory(self, offset: int, length: int) -> list:
        raw = self._map[offset:offset + length]
        return deserialize_directory(raw)

    @staticmethod
    def _inflate(data: bytes, compression: Compression) -> bytes:
        if compression == Compression.GZIP:
            return gzip.decompress(data)
        if compression in (Compression.NONE, Compression.UNKNOWN):
            return bytes(data)
        raise VectorBasemapError(f"Unsupported tile compression {compression!r}.")


_shared_lock = threading.Lock()


@lru_cache(maxsize=1)
def _open_shared() -> VectorBasemap:
    return VectorBasemap()


def shared_vector_basemap() -> VectorBasemap:
    """One process-wide VectorBasemap on resources/basemap/english.pmtiles, opened on first
    use. A missing file raises each time (nothing is cached), so a later build is picked up."""
    with _shared_lock:
        return _open_shared()
