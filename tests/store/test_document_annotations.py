"""What the article view marks: actors, dates, triggers and events of one document, in
document offsets (a passage that does not start the document must not shift them)."""

from __future__ import annotations

from pathlib import Path

from store.document_annotations import DocumentAnnotations
from store.models import (
    ActorRef,
    DateMention,
    DateRange,
    Document,
    ExtractedEvent,
    Mention,
    Passage,
)
from store.workspace import Workspace
from tests.store.test_workspace import VLADIVOSTOK

FIRST = "Officials spoke on Monday."
SECOND = "Later, Kim Jong Un met Vladimir Putin in Vladivostok on 13 September."
TEXT = f"{FIRST}\n\n{SECOND}"


def _ref(name: str, at: int, key: str) -> ActorRef:
    return ActorRef(name, at, at + len(name), key, name, "person")


def two_passage_document() -> Document:
    """Two passages; the second reports a meeting (actors, place, date), the first a statement
    with a date and no actor."""
    at = TEXT.index(SECOND)
    spoke = TEXT.index("spoke")
    monday = TEXT.index("Monday")
    monday_date = DateMention(monday, monday + 6, "Monday", DateRange("2023-09-11", "2023-09-11",
                                                                      "day"))
    statement = ExtractedEvent(trigger="spoke", start=spoke, end=spoke + 5, type="DISAPPROVE",
                               status="reported", date=monday_date, title="Officials spoke",
                               passage_start=0, passage_end=len(FIRST))
    first = Passage(0, len(FIRST), FIRST, dates=[monday_date], events=[statement])
    place_at = TEXT.index("Vladivostok")
    mention = Mention(place_at, place_at + 11, "Vladivostok", VLADIVOSTOK, 0.9)
    day_at = TEXT.index("13 September")
    day = DateMention(day_at, day_at + 12, "13 September",
                      DateRange("2023-09-13", "2023-09-13", "day"))
    met = TEXT.index("met")
    meeting = ExtractedEvent(
        trigger="met", start=met, end=met + 3, type="CONSULT", status="planned",
        sources=[_ref("Kim Jong Un", TEXT.index("Kim"), "person:kim jong-un")],
        targets=[_ref("Vladimir Putin", TEXT.index("Vladimir"), "person:vladimir putin")],
        place=mention, date=day, title="Kim Jong-un meets Vladimir Putin in Vladivostok",
        passage_start=at, passage_end=len(TEXT))
    second = Passage(at, len(TEXT), SECOND, mentions=[mention], dates=[day], events=[meeting])
    return Document(text=TEXT, title="t", published="2023-09-12", sha256="two-passages",
                    passages=[first, second])


def test_spans_are_document_offsets_of_what_was_read(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        doc_id = ws.add_document(two_passage_document())
        other = ws.add_document(Document(text="Nothing here.", sha256="other", passages=[
            Passage(0, 13, "Nothing here.")]))
        notes = ws.document_annotations(doc_id)
        empty = ws.document_annotations(other)
    assert [(TEXT[a.start:a.end], a.name) for a in notes.actors] == [
        ("Kim Jong Un", "Kim Jong Un"), ("Vladimir Putin", "Vladimir Putin")]
    assert [(TEXT[d.start:d.end], d.date_start) for d in notes.dates] == [
        ("Monday", "2023-09-11"), ("13 September", "2023-09-13")]
    assert [(TEXT[t.start:t.end], t.status) for t in notes.triggers] == [
        ("spoke", "reported"), ("met", "planned")]
    # The events in the order the article reports them, each anchored at its trigger.
    assert [(e.title, e.status, e.place) for e in notes.events] == [
        ("Officials spoke", "reported", ""),
        ("Kim Jong-un meets Vladimir Putin in Vladivostok", "planned", "Vladivostok")]
    assert [TEXT[e.first_trigger:].split()[0] for e in notes.events] == ["spoke", "met"]
    meeting = notes.events[1]
    assert (meeting.type, meeting.date_start, meeting.place_kind) == ("CONSULT", "2023-09-13",
                                                                      "city")
    assert {t.event_id for t in notes.triggers} == {e.id for e in notes.events}
    assert empty == DocumentAnnotations()


def test_an_actor_shared_by_two_events_of_a_sentence_is_marked_once(tmp_path: Path) -> None:
    doc = two_passage_document()
    meeting = doc.passages[1].events[0]
    visit = ExtractedEvent(
        trigger="met", start=meeting.start, end=meeting.end, type="CONSULT", status="reported",
        sources=list(meeting.sources), title="Kim Jong-un visits",
        passage_start=meeting.passage_start, passage_end=meeting.passage_end)
    doc.passages[1].events.append(visit)
    with Workspace(tmp_path / "w.sqlite") as ws:
        notes = ws.document_annotations(ws.add_document(doc))
    kim = [a for a in notes.actors if a.name == "Kim Jong Un"]
    assert len(kim) == 1
    assert len(notes.events) == 3 and len(notes.triggers) == 3  # one word, two events
