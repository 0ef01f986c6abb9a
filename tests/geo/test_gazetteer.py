"""The offline gazetteer: built once, fast, and knowing the names news text uses."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, default_path, haversine_km, index_name
from geo.gazetteer_build import PLACES_DIR, remove_stale_indexes
from geo.normalise import normalise

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gaz(index_cache: Path) -> Gazetteer:
    """The run's shared index (EVENTMAP_CACHE_DIR points at index_cache in every test)."""
    return Gazetteer.open(index_cache / index_name())


def test_second_open_reuses_the_index(gaz: Gazetteer) -> None:
    assert default_path() == gaz.path
    before = gaz.path.stat()
    again = Gazetteer.open()
    after = again.path.stat()
    assert again.built is False
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino, before.st_mtime_ns, before.st_size)
    assert again.meta["built_at"] == gaz.meta["built_at"]
    assert [p.name for p in gaz.path.parent.glob("gazetteer-*")] == [gaz.path.name]


def test_a_killed_build_leaves_no_index(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = dict(os.environ, EVENTMAP_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", "from geo.gazetteer import Gazetteer; Gazetteer.open()"],
        env=env, cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(cache.glob("*.building-*")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the build ended before it could be interrupted"
            time.sleep(0.05)
        assert list(cache.glob("*.building-*")), "the build never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = cache / index_name()
    assert not final.exists()
    leftovers = list(cache.glob("*.building-*"))
    assert leftovers
    remove_stale_indexes(final)  # the next build clears what the killed one left
    assert not list(cache.iterdir())


@pytest.mark.parametrize(("name", "iso"), [
    ("US", "US"), ("U.S.", "US"), ("USA", "US"), ("United States of America", "US"),
    ("UK", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("DPRK", "KP"),
    ("North Korea", "KP"), ("South Korea", "KR"), ("Russian Federation", "RU"),
    ("the Russian Federation", "RU"), ("Russia", "RU"), ("Czech Republic", "CZ"),
    ("Ivory Coast", "CI"), ("Côte d’Ivoire", "CI"), ("Democratic People's Republic of Korea", "KP"),
])
def test_country_names_and_aliases(gaz: Gazetteer, name: str, iso: str) -> None:
    best = gaz.lookup(name)[0]
    assert (best.kind, best.country) == ("country", iso)


def test_country_point_lies_in_the_country_not_at_its_capital(gaz: Gazetteer) -> None:
    russia = gaz.country("ru")
    assert russia is not None and russia.key == "geonames:2017370"
    # Russia's geographic centre (Lake Vivi, 66.4 N 94.3 E); Moscow is the capital fallback.
    assert haversine_km(russia.lat, russia.lon, 66.4, 94.3) < 1000
    assert haversine_km(russia.lat, russia.lon, 55.7558, 37.6173) > 2000
    assert russia.precision_km > 1000
    australia = gaz.country("AU")  # its feature id is shared with the Ashmore and Cartier Is.
    assert australia is not None and haversine_km(australia.lat, australia.lon, -25, 134) < 800


def test_priors_put_the_usual_sense_first(gaz: Gazetteer) -> None:
    assert gaz.lookup("Paris")[0].country == "FR"
    assert [p.kind for p in gaz.lookup("Georgia")[:2]] == ["country", "region"]
    moscow = gaz.lookup("Moscow")[0]
    assert (moscow.kind, moscow.country, moscow.source) == ("city", "RU", "geonames")
    assert moscow.key == "geonames:524901"
    assert gaz.lookup("Washington")[0].admin1 == "DC"  # the capital before the state
    assert gaz.lookup("Europe")[0].kind == "continent"
    texas = gaz.lookup("Texas")[0]
    assert (texas.kind, texas.country, texas.admin1) == ("region", "US", "TX")


def test_regions_give_way_to_their_cities(gaz: Gazetteer) -> None:
    assert [p.key for p in gaz.lookup("Moscow")[:2]] == ["geonames:524901", "geonames:RU.48"]
    assert gaz.lookup("New York")[0].kind == "city"  # not the state, whose largest city it is
    assert gaz.lookup("New York")[1].key == "geonames:US.NY"
    assert [p.kind for p in gaz.lookup("Kursk")] == ["city"]  # "Kursk Oblast" keeps its suffix
    assert gaz.lookup("Kursk Oblast")[0].key == "geonames:RU.41"
    assert not any(p.kind == "region" for p in gaz.lookup("Western"))
    assert gaz.lookup("Western Region")[0].kind == "region"


def test_names_are_normalised(gaz: Gazetteer) -> None:
    assert normalise("  Saint-Pétersbourg ") == "saint petersbourg"
    assert normalise("U.S.") == normalise("US") == "us"
    assert normalise("Côte d’Ivoire") == normalise("Cote d'Ivoire")
    assert gaz.lookup("St. Petersburg")[0] == gaz.lookup("Saint Petersburg")[0]
    assert gaz.lookup("VLADIVOSTOK")[0].key == "geonames:2013348"
    assert gaz.lookup("Władywostok")[0].key == "geonames:2013348"  # an alternate name


def test_codes_only_match_as_upper_case_tokens(gaz: Gazetteer) -> None:
    keys = [p.key for p in gaz.lookup("VVO")]
    assert "airports:UHWW" in keys
    assert gaz.lookup("vvo") == []
    assert gaz.lookup("Vladivostok International Airport")[0].source == "airports"
    assert gaz.lookup("YQX")[0].name == "Gander"  # a city's code, from its alternate names
    assert gaz.lookup("Yqx") == []


def test_precision_follows_what_the_place_is(gaz: Gazetteer) -> None:
    moscow, vladivostok = gaz.lookup("Moscow")[0], gaz.lookup("Vladivostok")[0]
    village = gaz.get("geonames:3039077")  # Sispony, Andorra, ~800 people
    assert village is not None
    assert 2 <= village.precision_km < vladivostok.precision_km < moscow.precision_km <= 25
    assert gaz.lookup("Berth 33")[0].precision_km == 1.0
    region = gaz.lookup("Primorye")[0]
    assert region.kind == "region" and region.precision_km >= 10


def test_get_and_country(gaz: Gazetteer) -> None:
    place = gaz.lookup("Pyongyang")[0]
    assert gaz.get(place.key) == place
    assert gaz.get("geonames:does-not-exist") is None
    assert gaz.country("KP").name == "North Korea"
    assert gaz.country("XX") is None
    assert gaz.address(place) == "Pyongyang, Pyongyang, North Korea"


def test_every_curated_facility_is_sourced_and_found(gaz: Gazetteer) -> None:
    with (PLACES_DIR / "facilities.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert 43 <= len(rows) <= 100
    for row in rows:
        assert row["source"].startswith("https://"), row["name"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert float(row["precision_km"]) > 0 and row["kind"]
        found = gaz.lookup(row["name"])[0]
        assert (found.source, found.name) == ("curated", row["name"])
        assert gaz.country(row["country"]) is not None, row["name"]
        assert gaz.is_known(row["within"]), row["within"]
        for alias in filter(None, row["aliases"].split("|")):
            assert any(p.key == found.key for p in gaz.lookup(alias)), alias


def test_well_known_regions_and_seas_are_sourced_and_win_over_namesakes(
        gaz: Gazetteer) -> None:
    with (PLACES_DIR / "world-regions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 30
    for row in rows:
        assert row["source"].startswith("https://en.wikipedia.org/"), row["name"]
        assert row["kind"] in ("region", "sea", "ocean", "lake", "canal", "island")
        assert float(row["precision_km"]) >= 30
        assert not row["country"] or gaz.country(row["country"]) is not None, row["name"]
        found = gaz.lookup(row["name"])[0]
        assert (found.source, found.name) == ("curated", row["name"])
    siberia = gaz.lookup("Siberia")[0]  # not the Mexican village
    assert siberia.country == "RU" and gaz.lookup("Donbass")[0].name == "Donbas"


def test_is_known_and_max_name_tokens(gaz: Gazetteer) -> None:
    assert gaz.is_known("Vostochny Cosmodrome") and gaz.is_known("far eastern federal university")
    assert not gaz.is_known("Berth 77") and not gaz.is_known("")
    (longest,) = gaz._conn.execute(
        "SELECT max(length(norm) - length(replace(norm, ' ', '')) + 1) FROM names").fetchone()
    assert gaz.max_name_tokens == longest >= 6  # "Shimon Peres Negev Nuclear Research Center"


def test_may_be_known_keeps_every_name_with_places(gaz: Gazetteer) -> None:
    names = ["Vladivostok", "Far Eastern Federal University", "Berth 77", "Kim Jong Un",
             "Interior Minister", "LAX", "", "  Moscow ", "St. Petersburg", "The Edmonton"]
    for _ in range(2):  # asked, then remembered
        known = gaz.may_be_known(names)
        assert {n for n in names if gaz.candidates(n, limit=5)} <= known
        assert {"Berth 77", "Kim Jong Un", "Interior Minister", ""}.isdisjoint(known)
        assert {"LAX", "  Moscow ", "St. Petersburg"} <= known  # a code, spaces, abbreviations
    many = [f"Nowhere Town {i}" for i in range(1200)] + ["Vladivostok"]  # several queries
    assert gaz.may_be_known(many) == {"Vladivostok"}


def test_adjectives_are_answered_as_the_index_would(gaz: Gazetteer) -> None:
    words = ["Russian", "North Korean", "Sri Lankan", "russian", "Russians", "Paris", "", " "]
    assert [gaz.is_adjective(w) for w in words] == [
        bool(gaz.adjective_candidates(w, limit=1)) for w in words]
    assert [gaz.is_adjective(w) for w in words[:4]] == [True] * 4


def test_every_city_is_found_by_its_name(gaz: Gazetteer) -> None:
    # How fast lookups are is bench/geoparse.py's to print, not a test's to time.
    names = [row[0] for row in gaz._conn.execute(
        "SELECT name FROM places WHERE kind = 'city' ORDER BY id LIMIT 3000 OFFSET 50000")]
    found = sum(bool(gaz.lookup(name)) for name in names)
    assert found == len(names)


def test_us_counties_have_their_state_point_and_people(gaz: Gazetteer) -> None:
    laurel = gaz.lookup("Laurel County")
    assert [(p.kind, p.admin1) for p in laurel] == [("county", "KY")]
    assert haversine_km(laurel[0].lat, laurel[0].lon, 37.11, -84.12) < 15  # London, KY area
    assert gaz.lookup("LAUREL CO.")[0].key == laurel[0].key
    assert gaz.lookup("Orleans Parish")[-1].kind == "county"
    assert not any(p.kind == "county" for p in gaz.lookup("Laurel"))  # the bare name is a town
    washington = gaz.lookup("Washington County", 50)
    assert len({p.admin1 for p in washington}) > 20
    assert washington[0].population > washington[-1].population > 0


def test_press_abbreviations_of_regions(gaz: Gazetteer) -> None:
    for abbreviation, region in [("Ky.", "Kentucky"), ("Pa.", "Pennsylvania"),
                                 ("B.C.", "British Columbia"), ("NSW", "New South Wales")]:
        assert region in [p.name for p in gaz.lookup(abbreviation)]


def test_a_region_stands_in_the_middle_of_its_extent(gaz: Gazetteer) -> None:
    # Queensland's people live in the south-east (Brisbane); its middle is 900 km north-west.
    queensland = next(p for p in gaz.lookup("Queensland") if p.country == "AU")
    assert haversine_km(queensland.lat, queensland.lon, -27.47, 153.03) > 500
    assert haversine_km(queensland.lat, queensland.lon, -22.0, 144.0) < 400


def test_adjectives_are_looked_up_only_on_request(gaz: Gazetteer) -> None:
    assert [c.place.name for c in gaz.adjective_candidates("Russian")] == ["Russia"]
    assert gaz.adjective_candidates("Syrian")[0].place.country == "SY"
    assert gaz.adjective_candidates("Emirati")[0].place.country == "AE"  # curated
    assert gaz.is_adjective("Nigerian") and not gaz.is_adjective("Lagos")
    assert not any(c.place.kind == "country" for c in gaz.candidates("Russian"))


def test_a_large_country_stands_between_its_polygon_point_and_its_conventional_centre(
        gaz: Gazetteer) -> None:
    russia = gaz.lookup("Russia")[0]
    assert haversine_km(russia.lat, russia.lon, 60.0, 100.0) < 161  # the Factbook's centre
    assert russia.lat > 55 and 60 < russia.lon < 140  # Siberia, not Moscow
    singapore = gaz.lookup("Singapore")[0]
    assert haversine_km(singapore.lat, singapore.lon, 1.35, 103.82) < 30


def test_a_province_is_not_pulled_south_by_where_its_towns_are(gaz: Gazetteer) -> None:
    # Ontario's towns crowd its south; the middle of the province lies near 50 N, 85 W.
    ontario = next(p for p in gaz.lookup("Ontario") if p.kind == "region")
    assert haversine_km(ontario.lat, ontario.lon, 50.0, -85.5) < 161


def test_subdivisions_geonames_lacks_come_from_iso_3166_2(gaz: Gazetteer) -> None:
    cambridgeshire = gaz.lookup("Cambridgeshire")[0]
    assert (cambridgeshire.kind, cambridgeshire.country) == ("region", "GB")
    assert haversine_km(cambridgeshire.lat, cambridgeshire.lon, 52.3, 0.1) < 40
    assert gaz.lookup("Paris")[0].kind == "city"  # a department never outranks its city


def test_adjectives_of_multiword_and_curated_regions(gaz: Gazetteer) -> None:
    assert [c.place.name for c in gaz.adjective_candidates("South Ossetian")] == ["South Ossetia"]
    assert [c.place.name for c in gaz.adjective_candidates("Latin American")] == ["Latin America"]
    assert gaz.adjective_candidates("Chechen")[0].place.name == "Chechnya"
    assert not gaz.adjective_candidates("Horn of African")


def test_a_few_misfiled_towns_do_not_move_a_region(gaz: Gazetteer) -> None:
    # cities500 files two towns of Sichuan and Qinghai under Jiangsu, 1,500 km to the west.
    jiangsu = next(p for p in gaz.lookup("Jiangsu") if p.kind == "region")
    assert haversine_km(jiangsu.lat, jiangsu.lon, 33.0, 119.8) < 161
