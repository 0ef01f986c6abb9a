"""EventRecords built the fast way (store.models.event_record) are the records __init__ makes."""

from __future__ import annotations

import dataclasses

import pytest

from store.models import EventActor, EventRecord, event_record


def values() -> tuple:
    record = EventRecord(
        7, 3, "Vladivostok", "city", 43.1, 131.9, "RU", 5.0, True, "2023-09-10", "2023-09-13",
        "next week", "day", "2023-09-04", 2, (), type="CONSULT", status="planned",
        title="Kim to meet Putin", trigger="meet", confidence=0.8, location="given",
        actors=(EventActor(1, "Kim Jong Un", "person", "source"),), document_count=2,
        guessed_dates=False, outlet_count=1, place_ref="geonames:2013348", admin1="59",
        outlets=("Reuters",))
    return tuple(getattr(record, f.name) for f in dataclasses.fields(EventRecord))


def test_the_fast_record_equals_the_record_init_makes() -> None:
    made, fast = EventRecord(*values()), event_record(values())
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert fast.on_timeline and fast.located and fast.actors[0].name == "Kim Jong Un"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.title = "changed"  # type: ignore[misc]


def test_a_missing_field_is_an_error() -> None:
    with pytest.raises(ValueError):
        event_record(values()[:-1])
