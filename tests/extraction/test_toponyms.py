"""Which words the real spaCy pipeline plus the gazetteer matcher call places."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from extraction.reading import RawArticle

pytestmark = pytest.mark.model


def places_in(pipeline: Pipeline, text: str) -> dict[str, str | None]:
    """Surface text -> resolved place name (None when found but unresolved)."""
    doc = pipeline.process(RawArticle(text=text, path="t.txt", published="2017-01-09"))
    return {m.text: (m.place.name if m.place else None)
            for p in doc.passages for m in p.mentions}


def test_cities_the_model_calls_organisations_are_taken_back(pipeline: Pipeline) -> None:
    # en_core_web_sm tags these NORP, PRODUCT and ORG.
    found = places_in(pipeline, "The gunman shouted about Aleppo in Turkish. A man is in a "
                                "Winnipeg jail. Edmonton needs to start eating its vegetables.")
    assert found.get("Aleppo") == "Aleppo"
    assert found.get("Winnipeg") == "Winnipeg"
    assert found.get("Edmonton") == "Edmonton"


def test_part_of_a_longer_name_is_no_place(pipeline: Pipeline) -> None:
    found = places_in(pipeline, "The Edmonton Oilers beat the team, the New York Times said.")
    assert "Edmonton" not in found and "New York" not in found


def test_adjectives_are_mentions_of_their_country_but_plurals_are_not(
        pipeline: Pipeline) -> None:
    found = places_in(pipeline, "Russian troops crossed the border as Syrians fled north.")
    assert found.get("Russian") == "Russia"
    assert "Syrians" not in found


def test_us_counties_and_press_abbreviations(pipeline: Pipeline) -> None:
    found = places_in(pipeline, "LAUREL COUNTY, Ky. (WKYT) - A man died in a crash on "
                                "Thursday morning in Laurel County.")
    assert found.get("Laurel County") == "Laurel County"
    assert found.get("Ky.") == "Kentucky"


def test_a_state_heading_an_institution_is_a_place_a_city_in_a_title_is_not(
        pipeline: Pipeline) -> None:
    found = places_in(pipeline, "A spokesman for the Ohio Department of Transportation said "
                                "the road would reopen, the New York Times reported.")
    assert found.get("Ohio") == "Ohio"
    assert "New York" not in found


def test_common_words_at_a_sentence_start_are_no_places(pipeline: Pipeline) -> None:
    # Police (Poland), Officer (Victoria) and Man (Ivory Coast) are towns, and words.
    found = places_in(pipeline, "Police said the man fled. Officer Jones found him later. "
                                "Man charged after a chase through Lexington, Kentucky.")
    assert not {"Police", "Officer", "Man"} & set(found)
    assert found.get("Kentucky") == "Kentucky"


def test_an_alternate_name_does_not_overrule_the_model(pipeline: Pipeline) -> None:
    found = places_in(pipeline, "Hamas fired rockets from Gaza on Tuesday.")
    assert "Hamas" not in found


def test_a_surname_is_the_person_not_the_town(pipeline: Pipeline) -> None:
    text = ("Steve Paterson was at his brother's house in Brisbane. Before the stabbing, "
            "Mr Paterson had been putting up tarps. Paterson said nothing to police.")
    found = places_in(pipeline, text)
    assert "Paterson" not in found  # Paterson, New Jersey, has 145,000 people
    assert found.get("Brisbane") == "Brisbane"


def test_a_country_the_model_calls_a_person_is_still_a_country(pipeline: Pipeline) -> None:
    # "Rethinking Egypt" comes out of the small model as a PERSON; Egypt is no surname.
    found = places_in(pipeline, "Rethinking Egypt-US relations. Since Obama took office, hopes "
                                "spread. Egypt was instrumental in forming the coalition.")
    assert found.get("Egypt") == "Egypt"


def test_a_dateline_in_capitals_is_a_place(pipeline: Pipeline) -> None:
    found = places_in(pipeline, "Budget criticised. COLUMBUS, Ohio (AP) - Gov. Ted Strickland's "
                                "budget would cut aid to schools.")
    assert found.get("COLUMBUS") == "Columbus"
    assert found.get("Ohio") == "Ohio"
