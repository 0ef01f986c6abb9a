"""Centres of first-level subdivisions (states, provinces, oblasts) from the ISO 3166-2 data
of the iso3166-2 package.

The package's JSON file is read directly: importing the package would pull in its HTTP
client, and only the data is wanted.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from geo.normalise import normalise


def subdivision_centres() -> dict[tuple[str, str], tuple[float, float]]:
    """(ISO country, key) -> (lat, lon); keys are the ISO code's suffix ("KY" of "US-KY") and
    the normalised name ("ontario"), so that GeoNames' regions can find theirs either way."""
    centres: dict[tuple[str, str], tuple[float, float]] = {}
    for country, subdivisions in json.loads(_data_file().read_text(encoding="utf-8")).items():
        for code, entry in subdivisions.items():
            point = entry.get("latLng")
            if not point or len(point) != 2 or entry.get("parentCode"):
                continue  # second-level entries carry their parent's code
            lat_lon = (float(point[0]), float(point[1]))
            centres[(country, code.partition("-")[2])] = lat_lon
            centres.setdefault((country, normalise(entry["name"])), lat_lon)
    return centres


def _data_file() -> Path:
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the iso3166-2 package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
