"""Centres of first-level subdivisions (states, provinces, oblasts) from the ISO 3166-2 data
of the iso3166-2 package.

The package's JSON file is read directly: importing the package would pull in its HTTP
client, and only the data is wanted.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geo.normalise import normalise


@dataclass(frozen=True)
class Subdivision:
    country: str  # ISO 3166-1 alpha-2
    code: str  # "GB-CAM"
    name: str  # "Cambridgeshire"
    parent: str | None  # "GB-ENG" for a second-level subdivision
    lat: float
    lon: float


def subdivisions() -> Iterator[Subdivision]:
    """Every subdivision of the file that has a centre."""
    for country, entries in json.loads(_data_file().read_text(encoding="utf-8")).items():
        for code, entry in entries.items():
            point = entry.get("latLng")
            if point and len(point) == 2 and entry.get("name"):
                yield Subdivision(country, code, entry["name"].strip(),
                                  entry.get("parentCode") or None,
                                  float(point[0]), float(point[1]))


def subdivision_centres() -> dict[tuple[str, str], tuple[float, float]]:
    """(ISO country, key) -> (lat, lon) of first-level subdivisions; keys are the ISO code's
    suffix ("KY" of "US-KY") and the normalised name ("ontario"), so that GeoNames' regions
    can find theirs either way."""
    centres: dict[tuple[str, str], tuple[float, float]] = {}
    for sub in subdivisions():
        if sub.parent is None:
            centres[(sub.country, sub.code.partition("-")[2])] = (sub.lat, sub.lon)
            centres.setdefault((sub.country, normalise(sub.name)), (sub.lat, sub.lon))
    return centres


def _data_file() -> Path:
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the iso3166-2 package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
