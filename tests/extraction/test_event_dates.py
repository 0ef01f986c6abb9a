"""An event's date: a plan's date that falls before publication is when the plan was told."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from tests.extraction.test_event_extraction import event

pytestmark = pytest.mark.model


@pytest.mark.parametrize(("text", "trigger", "start"), [
    # published 2023-09-05 (a Tuesday): Monday is the 4th, Friday the 8th
    ("The president said on Monday that he will visit Paris.", "visit", None),
    ("The president will visit Paris on Friday.", "visit", "2023-09-08"),
    ("The president said on Monday that he will visit Paris on Friday.", "visit", "2023-09-08"),
    ("The ministers met in Geneva on Monday.", "met", "2023-09-04"),
    ("The ministers plan to meet in Geneva in 2024.", "meet", "2024-01-01"),
])
def test_a_plan_is_dated_by_when_it_happens(pipeline: Pipeline, text: str, trigger: str,
                                            start: str | None) -> None:
    found = event(pipeline, text, trigger)
    assert (found.date.range.start if found.date else None) == start
