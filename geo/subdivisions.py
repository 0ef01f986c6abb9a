"""Centres of first-level subdivisions (states, provinces, oblasts) from the ISO 3166-2 data
of the iso3166-2 package.

The package's JSON file is read directly: importing the package would pull in its HTTP
client, and only the data is wanted.
"""

from __future__ import annotations

import importlib.util
import json
import re
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
            for key in name_keys(sub.name):
                centres.setdefault((sub.country, key), (sub.lat, sub.lon))
    return centres


def name_keys(name: str) -> list[str]:
    """The normalised name, and without its generic part: "Jiangsu Sheng" -> "jiangsu",
    "Altaj, Respublika" -> "altaj", "Western Cape Province" -> "western cape"."""
    full = normalise(name)
    bare = normalise(_GENERIC.sub("", name.split(",")[0]))
    return [full] if bare == full or not bare else [full, bare]


_GENERIC = re.compile(
    r"\s+(sheng|zizhiqu|shi|province|provincia|oblast'?|oblys[iy]|kraj|krai|respublika|"
    r"region|state|estado|prefecture|governorate|department|departamento|district|county|"
    r"voivodeship|canton|territory)$", re.IGNORECASE)


def _data_file() -> Path:
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the iso3166-2 package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "iso3166-2.json"
