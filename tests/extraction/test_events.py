"""Which date governs which happening, on sentences parsed by the real spaCy pipeline."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from extraction.reading import RawArticle

pytestmark = pytest.mark.model


def events_of(pipeline: Pipeline, text: str) -> list[tuple[str, str | None, str | None]]:
    """(trigger, place name, date start) of each event, in text order."""
    doc = pipeline.process(RawArticle(text=text, path="t.txt", published="2023-09-09"))
    return [
        (e.trigger, e.place.place.name if e.place and e.place.place else None,
         e.date.range.start if e.date else None)
        for p in doc.passages for e in p.events
    ]


def test_a_sentence_without_a_verb_finishes_and_names_its_actors_no_place(
        pipeline: Pipeline) -> None:
    """A verbless headline once sent the clause search up to the root and round forever."""
    events = events_of(pipeline, "Vladivostok, September 10.\n\nMoscow and Pyongyang: talks.")
    assert ("talks", None, None) in events


def test_a_relative_clause_dates_only_its_noun(pipeline: Pipeline) -> None:
    text = ("After Vladivostok, Kim may visit the Vostochny Cosmodrome, where Putin and "
            "Lukashenko met in April 2022.")
    events = {trigger: (place, start) for trigger, place, start in events_of(pipeline, text)}
    assert events["met"] == ("Vostochny Cosmodrome", "2022-04-01")
    assert events["visit"] == ("Vostochny Cosmodrome", None)


def test_each_conjoined_destination_is_a_visit_with_its_own_date(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Shoigu visited Pyongyang in July and Moscow on August 3.")
    assert ("visited", "Pyongyang", "2023-07-01") in events
    assert ("visited", "Moscow", "2023-08-03") in events


def test_conjoined_destinations_share_the_one_date_that_follows_them(
        pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Putin will travel to Beijing and Tehran next month.")
    assert [(t, p) for t, p, _ in events] == [("travel", "Beijing"), ("travel", "Tehran")]
    assert {start for _, _, start in events} == {"2023-10-01"}
