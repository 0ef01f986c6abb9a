"""Where an outlet usually reports: homes learned from its documents' names, and their use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, haversine_km, index_name
from geo.normalise import normalise
from geo.outlets import Home, OutletHomes
from geo.resolve import Toponym, resolve_toponyms
from store.models import Mention

PARIS_TX = (33.66, -95.55)
PARIS_FR = (48.857, 2.352)
OUTLET = "The Paris News"

# Small places around Paris, Texas, each with a gazetteer candidate within 60 km of it (checked
# by test_the_local_names_have_a_candidate_near_paris_texas), a few to a document.
LOCAL_DOCUMENTS = [
    ["Lamar County", "Paris", "Reno"],
    ["Clarksville", "Honey Grove", "Bogata"],
    ["Deport", "Paris", "Blossom"],
    ["Hugo", "Paris", "Detroit"],
]
LOCAL_NAMES = sorted({n for doc in LOCAL_DOCUMENTS for n in doc})

# A wire service: capitals and big cities all over the world, some of them with small
# namesakes in the United States (London and Paris, Kentucky; Athens, Georgia; Lebanon, Ohio).
WORLD_DOCUMENTS = [
    ["London", "Moscow", "Kyiv"],
    ["Paris", "Berlin", "Brussels"],
    ["Athens", "Rome"],
    ["Tokyo", "Beijing", "Seoul"],
    ["Cairo", "Lebanon", "Damascus"],
    ["Dublin", "Vienna"],
    ["Lima", "Buenos Aires"],
    ["Nairobi", "Lagos"],
    ["Sydney", "Toronto", "Mumbai"],
]


@pytest.fixture(scope="module")
def gaz(index_cache: Path) -> Gazetteer:
    return Gazetteer.open(index_cache / index_name())


@pytest.fixture
def local_homes(gaz: Gazetteer) -> OutletHomes:
    homes = OutletHomes(gaz)
    for names in LOCAL_DOCUMENTS:
        homes.add(OUTLET, names)
    return homes


@pytest.fixture
def texas_home(local_homes: OutletHomes) -> Home:
    home = local_homes.home(OUTLET)
    assert home is not None
    return home


def km_from(lat: float, lon: float, point: tuple[float, float]) -> float:
    return haversine_km(lat, lon, *point)


def toponyms(text: str, *names: str) -> list[Toponym]:
    """Every occurrence of each name, as an extractor would hand them over."""
    found = [Toponym(m.start(), m.end(), m.group())
             for name in names for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return sorted(found, key=lambda t: t.start)


def resolve(gaz: Gazetteer, text: str, *names: str, home: Home | None = None
            ) -> dict[str, Mention]:
    return {m.text: m for m in resolve_toponyms(text, toponyms(text, *names), gaz, home=home)}


# -- learning a home ------------------------------------------------------------------------


def test_the_local_names_have_a_candidate_near_paris_texas(gaz: Gazetteer) -> None:
    for name in LOCAL_NAMES:
        near = [c.place for c in gaz.candidates(name, 25)
                if km_from(c.place.lat, c.place.lon, PARIS_TX) < 60]
        assert near, name
        assert all(p.country == "US" for p in near), name


def test_a_local_paper_gets_a_home_around_its_town(local_homes: OutletHomes) -> None:
    home = local_homes.home(OUTLET)
    assert home is not None
    assert km_from(home.lat, home.lon, PARIS_TX) < 100
    assert home.country == "US"
    assert home.admin1 == "TX"
    assert home.names == len(LOCAL_NAMES)
    assert home.documents == len(LOCAL_DOCUMENTS)
    assert home.share == pytest.approx(1.0)


def test_a_home_is_learned_from_the_names_not_their_spelling(gaz: Gazetteer) -> None:
    homes = OutletHomes(gaz)
    for names in LOCAL_DOCUMENTS:
        homes.add(OUTLET, [n.upper() for n in names] + [f"  {names[0]} "])
    home = homes.home(OUTLET)
    assert home is not None and home.names == len(LOCAL_NAMES)
    assert km_from(home.lat, home.lon, PARIS_TX) < 100


def test_an_outlet_reporting_from_all_over_the_world_has_no_home(gaz: Gazetteer) -> None:
    homes = OutletHomes(gaz)
    for names in WORLD_DOCUMENTS:
        homes.add("Wire Service", names)
    assert homes.home("Wire Service") is None


def test_one_document_is_no_home_however_many_local_names_it_has(gaz: Gazetteer) -> None:
    homes = OutletHomes(gaz)
    homes.add(OUTLET, LOCAL_NAMES)
    assert homes.home(OUTLET) is None


def test_unknown_and_missing_outlets_have_no_home(local_homes: OutletHomes) -> None:
    assert local_homes.home("The Clarksville Times") is None
    for missing in (None, ""):
        local_homes.add(missing, LOCAL_NAMES)  # ignored, not an error
        local_homes.add(missing, LOCAL_NAMES)
        assert local_homes.home(missing) is None
    home = local_homes.home(OUTLET)  # the others' documents are untouched
    assert home is not None and home.documents == len(LOCAL_DOCUMENTS)


def test_each_outlet_has_its_own_home(local_homes: OutletHomes) -> None:
    for names in WORLD_DOCUMENTS:
        local_homes.add("Wire Service", names)
    local_homes.add("Wire Service", LOCAL_DOCUMENTS[0])
    assert local_homes.home("Wire Service") is None
    home = local_homes.home(OUTLET)
    assert home is not None and home.documents == len(LOCAL_DOCUMENTS)


def test_the_home_follows_the_documents_added_after_it_was_asked_for(gaz: Gazetteer) -> None:
    homes = OutletHomes(gaz)
    homes.add(OUTLET, LOCAL_DOCUMENTS[0])
    assert homes.home(OUTLET) is None  # one document: no home yet (and that answer is cached)
    for names in LOCAL_DOCUMENTS[1:3]:
        homes.add(OUTLET, names)
    first = homes.home(OUTLET)
    assert first is not None and first.documents == 3
    assert first.names == len({n for doc in LOCAL_DOCUMENTS[:3] for n in doc})

    homes.add(OUTLET, LOCAL_DOCUMENTS[3])
    second = homes.home(OUTLET)
    assert second is not None and second.documents == 4 and second.names == len(LOCAL_NAMES)
    assert km_from(second.lat, second.lon, PARIS_TX) < 100

    homes.add(OUTLET, [])  # a document naming no place does not count
    assert homes.home(OUTLET) == second
    homes.add(OUTLET, ["Tokyo"])  # one naming only a far place lowers the share
    third = homes.home(OUTLET)
    assert third is not None and third.documents == 4
    assert third.share == pytest.approx(4 / 5)


# -- resolving with a home ------------------------------------------------------------------

LOCAL_STORY = "Paris police arrested a man on Main Street on Tuesday after a short foot chase."


def test_a_bare_paris_is_france_without_a_home(gaz: Gazetteer) -> None:
    paris = resolve(gaz, LOCAL_STORY, "Paris")["Paris"]
    assert paris.place is not None and paris.place.country == "FR"
    assert "outlet" not in paris.note


def test_a_bare_paris_is_the_outlets_town_with_its_home(gaz: Gazetteer, texas_home: Home) -> None:
    paris = resolve(gaz, LOCAL_STORY, "Paris", home=texas_home)["Paris"]
    assert paris.place is not None
    assert (paris.place.country, paris.place.admin1) == ("US", "TX")
    assert km_from(paris.place.lat, paris.place.lon, PARIS_TX) < 20
    assert "where the outlet usually reports" in paris.note
    assert paris.confidence >= 0.5


def test_a_far_home_does_not_move_paris(gaz: Gazetteer, texas_home: Home) -> None:
    # The same outlet strength, but at home in Japan: no Paris is near, France stays.
    tokyo = Home(35.68, 139.69, "JP", "40", texas_home.names, texas_home.documents,
                 texas_home.share)
    paris = resolve(gaz, LOCAL_STORY, "Paris", home=tokyo)["Paris"]
    assert paris.place is not None and paris.place.country == "FR"
    assert "outlet" not in paris.note


def test_paris_france_stays_in_france_with_a_texas_home(gaz: Gazetteer, texas_home: Home) -> None:
    text = "Tourists crowded Paris, France, on Tuesday as the museums reopened."
    found = resolve(gaz, text, "Paris", "France", home=texas_home)
    paris = found["Paris"]
    assert paris.place is not None and paris.place.country == "FR"
    assert km_from(paris.place.lat, paris.place.lon, PARIS_FR) < 20
    assert found["France"].place is not None and found["France"].place.country == "FR"


def test_an_international_story_stays_in_france_with_a_texas_home(
        gaz: Gazetteer, texas_home: Home) -> None:
    text = ("Crowds gathered in Paris near the Eiffel Tower on Sunday as France marked Bastille "
            "Day. Police in Paris closed the Champs-Elysees, and President Macron spoke in "
            "Paris before flying to Berlin and Brussels.")
    found = resolve(gaz, text, "Paris", "France", "Berlin", "Brussels", home=texas_home)
    paris = found["Paris"]
    assert paris.place is not None and paris.place.country == "FR"
    assert km_from(paris.place.lat, paris.place.lon, PARIS_FR) < 20
    assert "outlet" not in paris.note


def test_the_home_helps_each_local_name_of_a_new_article(
        gaz: Gazetteer, texas_home: Home) -> None:
    # Clarksville alone is Tennessee's, Reno alone Nevada's; at home they are the outlet's.
    text = "Reno firefighters helped crews from Clarksville put out the grass fire."
    without = resolve(gaz, text, "Reno", "Clarksville")
    with_home = resolve(gaz, text, "Reno", "Clarksville", home=texas_home)
    for name in ("Reno", "Clarksville"):
        before, after = without[name].place, with_home[name].place
        assert before is not None and after is not None
        assert km_from(before.lat, before.lon, PARIS_TX) > 400, name
        assert km_from(after.lat, after.lon, PARIS_TX) < 60, name
        assert normalise(after.name) == normalise(name)
