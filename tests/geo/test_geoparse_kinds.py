"""The kinds of error an analyst still met on ordinary news (issue 14), one table each.

Every sentence is written for these tests. Each case runs the whole pipeline (spaCy, the
gazetteer matcher, the resolver) and checks the place one name resolves to: its name, or the
country and kind it must have, or that the name is no place at all.
"""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from extraction.reading import RawArticle
from geo.gazetteer import Gazetteer, haversine_km, index_name
from store.models import Place

pytestmark = pytest.mark.model

NO_PLACE = None


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def places_in(pipeline: Pipeline, text: str) -> dict[str, Place | None]:
    """Surface text -> resolved place (None when found but unresolved); first occurrence."""
    doc = pipeline.process(RawArticle(text=text, path="t.txt", published="2019-05-02"))
    found: dict[str, Place | None] = {}
    for passage in doc.passages:
        for m in passage.mentions:
            found.setdefault(m.text, m.place)
    return found


def place_named(pipeline: Pipeline, text: str, name: str) -> Place:
    found = places_in(pipeline, text)
    place = found.get(name)
    assert place is not None, (name, {k: v and v.name for k, v in found.items()})
    return place


# -- 3. seas, oceans, gulfs and straits ------------------------------------------------------

WATER = [
    ("Cargo ships crossed the Pacific to reach Japan.", "Pacific", "Pacific Ocean"),
    ("A storm formed over the Atlantic and moved toward Florida.", "Atlantic", "Atlantic Ocean"),
    ("Tankers left the Gulf after Iran seized a ship near Bahrain.", "Gulf", "Persian Gulf"),
    ("Oil rigs in the Gulf were evacuated as the hurricane neared Louisiana and Texas.", "Gulf",
     "Gulf of Mexico"),
    ("Pirates attacked a freighter in the Gulf of Aden off Somalia.", "Gulf of Aden",
     "Gulf of Aden"),
    ("Two warships sailed through the Strait of Malacca toward Singapore.",
     "Strait of Malacca", "Strait of Malacca"),
    ("The navy patrols the Indian Ocean from its bases in India.", "Indian Ocean",
     "Indian Ocean"),
    ("Fishermen on Lake Michigan found the wreck off Chicago.", "Lake Michigan", "Lake Michigan"),
]


@pytest.mark.parametrize(("text", "name", "expected"), WATER)
def test_water_bodies_are_the_water_not_a_town(pipeline: Pipeline, text: str, name: str,
                                               expected: str) -> None:
    assert place_named(pipeline, text, name).name == expected


# -- 4. directional and compound regions -----------------------------------------------------

REGIONS = [
    ("The outbreak spread across West Africa, health officials said.", "West Africa",
     "West Africa"),
    ("Heavy snow fell across Northern Europe on Sunday.", "Northern Europe", "Northern Europe"),
    ("Police in the West Midlands arrested two men in Birmingham.", "West Midlands",
     "West Midlands"),
    ("Wildfires raged along the West Coast, from California to Oregon.", "West Coast",
     "West Coast"),
    ("Migrants from North Africa crossed the sea to Italy.", "North Africa", "North Africa"),
    ("Coffee growers in Central America fear another drought.", "Central America",
     "Central America"),
    ("Tensions in the Middle East rose after the strike.", "Middle East", "Middle East"),
]


@pytest.mark.parametrize(("text", "name", "expected"), REGIONS)
def test_compound_regions_are_regions_of_their_own(pipeline: Pipeline, text: str, name: str,
                                                   expected: str) -> None:
    assert place_named(pipeline, text, name).name == expected


# -- 7. recognition --------------------------------------------------------------------------

RECOGNISED = [
    ("The U.S. Food and Drug Administration approved the drug on Monday.", "U.S.",
     "United States"),
    ("Fighting continued in the Democratic Republic of the Congo near Goma.",
     "Democratic Republic of the Congo", "Democratic Republic of the Congo"),
    ("Rains flooded Andhra Pradesh (AP) on Monday. Officials in AP said the toll rose.", "AP",
     "Andhra Pradesh"),
    ("The EU imposed new sanctions on Russia on Friday.", "EU", "European Union"),
    ("E.U. leaders met in Brussels to discuss the budget.", "E.U.", "European Union"),
    ("Heavy rain lashed Tamil Nadu and Kerala on Tuesday.", "Tamil Nadu", "Tamil Nadu"),
    ("A volcano erupted on Sumatra, forcing villagers to flee.", "Sumatra", "Sumatra"),
    ("Tourists returned to Java after the earthquake.", "Java", "Java"),
    ("The typhoon made landfall on Luzon on Saturday.", "Luzon", "Luzon"),
    ("Surfers on Oahu watched the storm pass.", "Oahu", "Oahu"),
]


@pytest.mark.parametrize(("text", "name", "expected"), RECOGNISED)
def test_names_are_recognised_whole(pipeline: Pipeline, text: str, name: str,
                                    expected: str) -> None:
    assert place_named(pipeline, text, name).name == expected


def test_a_long_country_name_is_one_mention(pipeline: Pipeline) -> None:
    found = places_in(pipeline, "Aid reached the Democratic Republic of the Congo on Monday.")
    assert "Congo" not in found and "Democratic Republic" not in found


# -- 8. not places ---------------------------------------------------------------------------

NOT_PLACES = [
    ("Marburg virus cases rose in Rwanda this week.", "Marburg", "Rwanda"),
    ("Scientists found Reston ebolavirus in monkeys shipped to Virginia.", "Reston", "Virginia"),
    ("An Ebola outbreak killed dozens in Guinea.", "Ebola", "Guinea"),
    ("West Nile virus was found in mosquitoes in Ohio.", "West Nile", "Ohio"),
    ("Lyme disease cases rose sharply in Maine last summer.", "Lyme", "Maine"),
    ("Martin Luther King Jr. spoke in Memphis. King said the march would go on.", "King",
     "Memphis"),
    ("The state government asked the Centre for more funds, officials in Chennai said.",
     "Centre", "Chennai"),
]


@pytest.mark.parametrize(("text", "name", "place"), NOT_PLACES)
def test_names_that_are_not_places(pipeline: Pipeline, text: str, name: str,
                                   place: str) -> None:
    found = places_in(pipeline, text)
    assert found.get(name) is NO_PLACE, found.get(name)
    assert found.get(place) is not None, place  # the real place beside it still is one


# -- 1. lists are not containment ------------------------------------------------------------

LISTS = [
    ("Exports to Mexico, China, Japan and Brazil rose last year.", "China", "CN", "country"),
    ("Exports to Mexico, China, Japan and Brazil rose last year.", "Japan", "JP", "country"),
    ("Refugees from Iraq, Iran and Syria arrived on Monday.", "Iraq", "IQ", "country"),
    ("Refugees from Iraq, Iran and Syria arrived on Monday.", "Iran", "IR", "country"),
    ("Storms hit Washington, West Virginia and Ohio overnight.", "Washington", "US", "region"),
    ("Voters in Alabama, Georgia, Tennessee and Florida went to the polls.", "Georgia", "US",
     "region"),
    ("Athens, Georgia, is home to a large university.", "Athens", "US", "city"),
]


@pytest.mark.parametrize(("text", "name", "country", "kind"), LISTS)
def test_a_list_is_siblings_not_containment(pipeline: Pipeline, text: str, name: str,
                                            country: str, kind: str) -> None:
    place = place_named(pipeline, text, name)
    assert (place.country, place.kind) == (country, kind), place


# -- 2. state or city ------------------------------------------------------------------------

STATE_OR_CITY = [
    ("He moved to New York last year to work in a bank.", "New York", "city"),
    ("Wildfires burned across Washington state this week.", "Washington", "region"),
    ("Officials in the state of New York said the roads were closed.", "New York", "region"),
    ("New York State police closed the highway on Monday.", "New York State", "region"),
]


@pytest.mark.parametrize(("text", "name", "kind"), STATE_OR_CITY)
def test_state_cues_choose_the_state(pipeline: Pipeline, text: str, name: str,
                                     kind: str) -> None:
    place = place_named(pipeline, text, name)
    assert (place.country, place.kind) == ("US", kind), place


# -- 5. UK counties and their namesakes ------------------------------------------------------

COUNTIES = [
    ("Police in Suffolk said the man was from Ipswich, England.", "Suffolk", "GB"),
    ("Flooding in Kent closed roads near Maidstone, England.", "Kent", "GB"),
    ("Floods closed roads across Surrey, south of London, on Monday.", "Surrey", "GB"),
    ("Tourists flocked to Cornwall as Britain sweltered in the heatwave.", "Cornwall", "GB"),
    ("The council in Surrey, British Columbia, approved the plan.", "Surrey", "CA"),
    ("Students at the university in Kent, Ohio, protested.", "Kent", "US"),
    ("Researchers in Cambridge, Massachusetts, built the robot.", "Cambridge", "US"),
]


@pytest.mark.parametrize(("text", "name", "country"), COUNTIES)
def test_counties_follow_the_country_the_text_gives(pipeline: Pipeline, text: str, name: str,
                                                    country: str) -> None:
    assert place_named(pipeline, text, name).country == country


# -- 6. archipelago countries ----------------------------------------------------------------

# (country, a point near its accepted centre, how far its marker may be from it)
ARCHIPELAGOS = [
    ("ID", -5.0, 120.0, 300),  # Indonesia: Sulawesi, not Borneo's interior
    ("PH", 13.0, 122.0, 250),
    ("JP", 36.0, 138.0, 200),
    ("FJ", -17.8, 178.0, 100),  # Viti Levu, across the 180th meridian
    ("KI", 1.42, 173.0, 200),  # Tarawa, not Kiritimati 3,000 km east
    ("NZ", -41.0, 174.0, 400),
]


@pytest.fixture(scope="module")
def gaz(index_cache) -> Gazetteer:
    return Gazetteer.open(index_cache / index_name())


@pytest.mark.parametrize(("iso", "lat", "lon", "km"), ARCHIPELAGOS)
def test_archipelago_countries_stand_near_their_centre(gaz: Gazetteer, iso: str, lat: float,
                                                       lon: float, km: float) -> None:
    country = gaz.country(iso)
    assert country is not None
    assert haversine_km(country.lat, country.lon, lat, lon) <= km, country
