"""Disambiguation: realistic sentences resolve to the right places, with reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.gazetteer import Gazetteer, haversine_km, index_name
from geo.resolve import Toponym, resolve_toponyms
from store.models import Mention

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def gaz(index_cache: Path) -> Gazetteer:
    return Gazetteer.open(index_cache / index_name())


def toponyms(text: str, *names: str, label: str = "GPE") -> list[Toponym]:
    """Every occurrence of each name, as an extractor would hand them over (longest first)."""
    found: list[Toponym] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(t.start < m.end() and m.start() < t.end for t in found):
                found.append(Toponym(m.start(), m.end(), m.group(), label))
    return sorted(found, key=lambda t: t.start)


def resolve(gaz: Gazetteer, text: str, *names: str) -> dict[str, Mention]:
    mentions = resolve_toponyms(text, toponyms(text, *names), gaz)
    return {m.text: m for m in mentions}


def km(mention: Mention, lat: float, lon: float) -> float:
    assert mention.place is not None, mention
    return haversine_km(mention.place.lat, mention.place.lon, lat, lon)


SEED_TRUTH = {
    "Vladivostok": (43.1155, 131.8855),
    "Pyongyang": (39.0339, 125.7543),
    "Moscow": (55.7558, 37.6173),
    "Vostochny Cosmodrome": (51.884, 128.334),
    "Berth 33": (43.1155, 131.8855),  # a pier in central Vladivostok
    "Far Eastern Federal University": (43.0245, 131.8940),  # Russky Island campus
}


def test_the_seed_places_resolve_within_10_km(gaz: Gazetteer) -> None:
    text = (SEEDS / "000_abffbace6357c7d6.txt").read_text(encoding="utf-8")
    names = [*SEED_TRUTH, "Russia", "Ukraine", "DPRK", "North Korea", "Russian Federation"]
    mentions = resolve_toponyms(text, toponyms(text, *names), gaz)
    assert len(mentions) > 20
    for m in mentions:
        assert m.place is not None, m.text
        assert 0 < m.confidence <= 1 and m.note and m.candidates
        if m.text in SEED_TRUTH:
            assert km(m, *SEED_TRUTH[m.text]) < 10, m.text
    by_text = {m.text: m for m in mentions}
    assert by_text["Berth 33"].note == "contained in Vladivostok"
    assert by_text["Far Eastern Federal University"].note == "contained in Vladivostok"
    assert by_text["Vostochny Cosmodrome"].place.source == "curated"
    assert by_text["Russian Federation"].place.key == by_text["Russia"].place.key


def test_mentions_keep_order_and_offsets(gaz: Gazetteer) -> None:
    text = "Talks in Pyongyang, then Xyzzyqwville, then Moscow."
    mentions = resolve_toponyms(text, toponyms(text, "Pyongyang", "Xyzzyqwville", "Moscow"), gaz)
    assert [(m.start, m.end, m.text) for m in mentions] == [
        (9, 18, "Pyongyang"), (25, 37, "Xyzzyqwville"), (44, 50, "Moscow")]
    assert mentions[1].place is None and mentions[1].confidence == 0
    assert [m.place.country for m in (mentions[0], mentions[2])] == ["KP", "RU"]


def test_weak_matches_stay_unresolved(gaz: Gazetteer) -> None:
    text = "The CIA and Western media said so; Pyongyang denied it."
    spans = toponyms(text, "CIA", "Western", "Pyongyang")
    cia, western, pyongyang = resolve_toponyms(text, spans, gaz)
    assert cia.place is None and cia.note.startswith("too uncertain")  # an airport code
    assert western.place is None and western.confidence == 0  # a village's alternate name
    assert pyongyang.place is not None and pyongyang.confidence > 0.9


def test_russia_is_the_country(gaz: Gazetteer) -> None:
    m = resolve(gaz, "Kim Jong-un plans to visit Russia next week.", "Russia")["Russia"]
    russia = gaz.country("RU")
    assert (m.place.kind, m.place.country) == ("country", "RU")
    assert km(m, russia.lat, russia.lon) < 1


def test_paris_follows_its_context(gaz: Gazetteer) -> None:
    france = resolve(gaz, "He flew from Paris to Lyon, in France.", "Paris", "France")
    assert france["Paris"].place.country == "FR"
    assert km(france["Paris"], 48.8566, 2.3522) < 10
    texas = resolve(gaz, "She grew up in Paris, Texas, near the Oklahoma line.", "Paris", "Texas")
    assert (texas["Paris"].place.country, texas["Paris"].place.admin1) == ("US", "TX")
    assert texas["Paris"].note == "contained in Texas"
    assert km(texas["Paris"], 33.6609, -95.5555) < 10


def test_one_sense_per_document(gaz: Gazetteer) -> None:
    text = "She grew up in Paris, Texas. Paris has a small replica of the Eiffel Tower."
    mentions = resolve_toponyms(text, toponyms(text, "Paris", "Texas"), gaz)
    paris = [m for m in mentions if m.text == "Paris"]
    assert len(paris) == 2 and {m.place.key for m in paris} == {"geonames:4717560"}


def test_georgia_follows_its_context(gaz: Gazetteer) -> None:
    caucasus = resolve(gaz, "Protests spread from Tbilisi across Georgia on Sunday.",
                       "Tbilisi", "Georgia")
    assert (caucasus["Georgia"].place.kind, caucasus["Georgia"].place.country) == (
        "country", "GE")
    south = resolve(gaz, "The governor of Georgia signed the bill in Atlanta on Monday.",
                    "Georgia", "Atlanta")
    state = south["Georgia"].place
    assert (state.kind, state.country, state.admin1) == ("region", "US", "GA")
    assert "contains other places" in south["Georgia"].note
    bare = resolve(gaz, "Russia fought a short war with Georgia in 2008.", "Russia", "Georgia")
    assert bare["Georgia"].place.kind == "country"


def test_an_unknown_facility_stands_at_its_container(gaz: Gazetteer) -> None:
    text = "Kim may also inspect Berth 77 in Vladivostok."
    mentions = resolve_toponyms(text, [*toponyms(text, "Berth 77", label="FAC"),
                                       *toponyms(text, "Vladivostok")], gaz)
    berth, city = mentions
    assert berth.place is not None and berth.place.approximate
    assert berth.place.name == "Berth 77" and berth.note == "approximate: within Vladivostok"
    assert (berth.place.lat, berth.place.lon, berth.place.precision_km) == (
        city.place.lat, city.place.lon, city.place.precision_km)
    assert berth.confidence < city.confidence


def test_a_facility_named_after_its_city(gaz: Gazetteer) -> None:
    text = "Ships left the Vladivostok Commercial Sea Port at dawn."
    port = resolve(gaz, text, "Vladivostok Commercial Sea Port")["Vladivostok Commercial Sea Port"]
    assert port.place.approximate and port.note.startswith("approximate: within Vladivostok")
    assert km(port, *SEED_TRUTH["Vladivostok"]) < 10


def test_possessive_container_and_lists(gaz: Gazetteer) -> None:
    owned = resolve(gaz, "He should come to Russia’s Vladivostok.", "Russia", "Vladivostok")
    assert owned["Vladivostok"].note == "contained in Russia"
    text = "Russia, China, and Iran held drills; Russia led them."
    listed = resolve_toponyms(text, toponyms(text, "Russia", "China", "Iran"), gaz)
    assert [m.place.country for m in listed] == ["RU", "CN", "IR", "RU"]
    assert not any("contained" in m.note for m in listed)
    assert listed[0].note == listed[3].note  # not a container pair: one sense for both
    assert listed[0].note.endswith("one sense per document")


def test_container_and_contained_decide_together(gaz: Gazetteer) -> None:
    # Alone, "Athens" is Greece's capital and "Georgia" the country: together, both change.
    m = resolve(gaz, "The march ended in Athens, Georgia, on Saturday.", "Athens", "Georgia")
    athens, georgia = m["Athens"].place, m["Georgia"].place
    assert (athens.country, athens.admin1) == ("US", "GA")
    assert (georgia.kind, georgia.admin1) == ("region", "GA")
    assert m["Athens"].note == "contained in Georgia"
    assert m["Georgia"].note.startswith("contains Athens")


def test_springfield_prefers_the_container(gaz: Gazetteer) -> None:
    il = resolve(gaz, "The rally was in Springfield, Illinois.", "Springfield", "Illinois")
    ma = resolve(gaz, "The rally was in Springfield, Massachusetts.", "Springfield",
                 "Massachusetts")
    assert il["Springfield"].place.admin1 == "IL" and ma["Springfield"].place.admin1 == "MA"


def test_adjectives_and_demonyms_stand_for_their_country(gaz: Gazetteer) -> None:
    text = "Russian troops shelled the town, Syrians fled, and a Canadian envoy flew in."
    found = resolve(gaz, text, "Russian", "Syrians", "Canadian")
    assert found["Russian"].place.name == "Russia" and found["Russian"].adjective
    assert found["Syrians"].place.country == "SY"
    assert found["Canadian"].place.kind == "country"  # not Canadian, Texas (2,000 people)


def test_a_place_in_a_region_the_document_names(gaz: Gazetteer) -> None:
    text = ("LAUREL COUNTY, Ky. (WKYT) - A man died in a crash on Blackwater Road. Deputies "
            "said the driver was from London.")
    found = resolve(gaz, text, "LAUREL COUNTY", "Ky.", "London")
    assert found["Ky."].place.name == "Kentucky"
    assert found["LAUREL COUNTY"].place.admin1 == "KY"
    assert found["London"].place.admin1 == "KY", found["London"].note
    found = resolve(gaz, "PITTSBURGH, Pa. (AP) - Steel prices rose.", "PITTSBURGH", "Pa.")
    assert found["Pa."].place.name == "Pennsylvania", found["Pa."].note
    text = "Police in Washington County, Oregon, arrested two men near Hillsboro."
    found = resolve(gaz, text, "Washington County", "Oregon", "Hillsboro")
    assert found["Washington County"].place.admin1 == "OR"


def test_an_airport_by_its_short_name_follows_the_context(gaz: Gazetteer) -> None:
    found = resolve(gaz, "Flights from Heathrow to Moscow were cancelled, London officials said.",
                    "Heathrow", "Moscow", "London")
    assert found["Heathrow"].place.kind == "airport", found["Heathrow"].note
    assert km(found["Heathrow"], 51.47, -0.45) < 5


def test_small_places_of_one_area_find_each_other(gaz: Gazetteer) -> None:
    text = ("HUNTSVILLE - Walker County commissioners met on Monday. The Huntsville council "
            "and the Walker County sheriff agreed on the new jail.")
    found = resolve(gaz, text, "HUNTSVILLE", "Huntsville", "Walker County")
    # Each alone is Huntsville, Alabama, and Walker County, Georgia; together, Texas.
    assert found["Huntsville"].place.admin1 == "TX", found["Huntsville"].note
    assert found["Walker County"].place.admin1 == "TX", found["Walker County"].note


def test_a_facility_name_prefers_a_place_in_the_documents_countries(gaz: Gazetteer) -> None:
    text = ("Police in Cairns, Australia, say offences committed by children in Far North "
            "Queensland are a major problem.")
    toponyms_ = [*toponyms(text, "Cairns", "Australia"),
                 *toponyms(text, "Far North Queensland", label="FAC")]
    found = {m.text: m for m in resolve_toponyms(text, sorted(toponyms_, key=lambda t: t.start),
                                                 gaz)}
    far_north = found["Far North Queensland"]
    assert far_north.place.country == "AU", far_north.note  # not Cameroon's Far North region


def test_a_towns_own_name_beats_a_citys_old_name(gaz: Gazetteer) -> None:
    found = resolve(gaz, "Students at Berea College met on Tuesday in Berea, police in "
                         "Madison County said.", "Berea", "Madison County")
    assert found["Berea"].place.admin1 == "KY", found["Berea"].note  # not Aleppo ("Beroea")
    assert found["Madison County"].place.admin1 == "KY"
    found = resolve(gaz, "Shelling resumed in Kiev overnight.", "Kiev")
    assert found["Kiev"].place.country == "UA"  # an alternate name with no own-name rival


def test_a_short_form_of_a_towns_own_name_is_no_foreign_name(gaz: Gazetteer) -> None:
    found = resolve(gaz, "Police in the UK said two men were arrested in Newcastle on Friday.",
                    "UK", "Newcastle")
    assert km(found["Newcastle"], 54.973, -1.614) < 20, found["Newcastle"].note  # upon Tyne


def test_a_state_of_incorporation_is_the_state(gaz: Gazetteer) -> None:
    text = ("Sears Hometown, a Delaware limited liability company based in Louisville, "
            "Kentucky, opened stores in Lexington and Richmond.")
    found = resolve(gaz, text, "Delaware", "Louisville", "Kentucky", "Lexington", "Richmond")
    delaware = found["Delaware"]
    assert delaware.place.kind == "region" and delaware.place.admin1 == "DE", delaware.note
    assert "incorporation" in delaware.note
    found = resolve(gaz, "The fair in Delaware drew crowds from Columbus and Marion, Ohio.",
                    "Delaware", "Columbus", "Marion", "Ohio")
    assert found["Delaware"].place.kind == "city", found["Delaware"].note  # Delaware, Ohio
