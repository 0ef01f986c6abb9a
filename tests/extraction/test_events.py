"""Which date governs which place, on sentences parsed by the real spaCy pipeline."""

from __future__ import annotations

from datetime import date

import pytest

from extraction.pipeline import Pipeline
from extraction.reading import RawArticle

pytestmark = pytest.mark.model


def events_of(pipeline: Pipeline, text: str) -> dict[str, str | None]:
    doc = pipeline.process(RawArticle(text=text, path="t.txt", published="2023-09-09"))
    return {
        d.mention.text: (d.date.range.start if d.date else None)
        for p in doc.passages for d in p.events
    }


def test_a_sentence_without_a_verb_is_dated(pipeline: Pipeline) -> None:
    """A verbless headline once sent the clause search up to the root and round forever."""
    events = events_of(pipeline, "Vladivostok, September 10.\n\nMoscow and Pyongyang: talks.")
    assert events["Vladivostok"] == "2023-09-10"


def test_a_relative_clause_dates_only_its_noun(pipeline: Pipeline) -> None:
    text = ("After Vladivostok, Kim may visit the Vostochny Cosmodrome, where Putin and "
            "Lukashenko met in April 2022.")
    events = events_of(pipeline, text)
    assert events["Vostochny Cosmodrome"] == "2022-04-01"
    assert events["Vladivostok"] is None


def test_the_nearest_governing_date_wins(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "Shoigu visited Pyongyang in July and Moscow on August 3.")
    assert events["Pyongyang"] == "2023-07-01"
    assert events["Moscow"] == "2023-08-03"
    assert date.fromisoformat(events["Moscow"]) > date.fromisoformat(events["Pyongyang"])
