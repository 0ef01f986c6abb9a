"""Analyst corrections on the ingested sample corpus: each changes the events as the analyst
meant, "everywhere" reaches later ingests, and undo gives back exactly the same workspace."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from store import corrections as c
from store.errors import WorkspaceError
from store.event_matching import MERGE_MAX_SPAN_DAYS, span_days
from store.event_writer import refresh_event
from store.models import EventRecord, Place
from store.workspace import Workspace

IDAHO_MOSCOW = Place("Moscow", "city", 46.73239, -117.00017, "US", "ID", source_id="5601538",
                     precision_km=3.6, population=25060)
LATER = (
    "Kim travels to Moscow\n\n"
    "Kim Jong Un will travel to Moscow on October 3, 2023, officials said. Talks in Moscow "
    "are planned.\n"
)

pytestmark = pytest.mark.model


def state(ws: Workspace) -> tuple:
    """Everything a correction may touch: events with their sources, mention places and notes,
    places."""
    mentions = ws.db.execute("SELECT id, place_id, note FROM mentions ORDER BY id").fetchall()
    places = ws.db.execute("SELECT * FROM places ORDER BY id").fetchall()
    sources = ws.db.execute("SELECT rowid, * FROM event_sources ORDER BY rowid").fetchall()
    return ws.events(located=None), mentions, places, sources


def consistent(ws: Workspace) -> bool:
    """Every event has sources and the fields its sources give it (as ingest computes them)."""
    events = ws.events(located=None)
    with ws.transaction():
        for event in events:
            refresh_event(ws.db.conn, event.id)
    return all(e.source_count for e in events) and ws.events(located=None) == events


def undone(ws: Workspace, expected: tuple) -> str | None:
    """Undo the latest correction; the workspace must be consistent and back to `expected`."""
    description = c.undo_last(ws)
    assert consistent(ws)
    assert state(ws) == expected
    return description


def moscow_mentions(ws: Workspace, placing: bool = False) -> list[tuple[int, int]]:
    """(mention id, document id) of every "Moscow" (placing: that locates an event)."""
    return ws.db.execute(
        "SELECT m.id, p.document_id FROM mentions m JOIN passages p ON p.id = m.passage_id "
        "WHERE m.surface = 'Moscow' AND (? = 0 OR m.id IN (SELECT mention_id FROM "
        "event_sources es JOIN events e ON e.id = es.event_id WHERE e.place_id IS NOT NULL)) "
        "ORDER BY m.id", [int(placing)]
    ).fetchall()


def mention_place(ws: Workspace, mention_id: int | None) -> int | None:
    found = ws.db.execute("SELECT place_id FROM mentions WHERE id = ?", [mention_id]).fetchone()
    return found[0] if found else None


def event_of(ws: Workspace, mention_id: int) -> EventRecord | None:
    return next((e for e in ws.events() if any(s.mention_id == mention_id for s in e.sources)),
                None)


def test_rejecting_a_mention_removes_its_source_and_undo_restores_it(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    event = next(e for e in ws.events() if e.source_count > 1 and e.place == "Vladivostok")
    mention_id = next(s.mention_id for s in event.sources  # a vaguer "Russia" may report it too
                      if s.passage[s.mention_start:s.mention_end] == "Vladivostok")
    correction = c.reject_mention(ws, mention_id, "mention")
    assert consistent(ws)
    assert correction.description == "“Vladivostok” is not a place (this mention)"
    after = next(e for e in ws.events() if e.id == event.id)
    assert after.source_count == event.source_count - 1
    assert mention_id not in {s.mention_id for s in after.sources}
    assert event_of(ws, mention_id) is None
    assert ws.db.execute("SELECT place_id FROM mentions WHERE id = ?",
                         [mention_id]).fetchone()[0] is None
    assert [x.description for x in c.corrections(ws)] == [correction.description]
    assert c.undo_last(ws) == correction.description
    assert state(ws) == before
    assert c.corrections(ws) == [] and c.undo_last(ws) is None


def test_an_event_that_loses_its_place_goes_off_the_map(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    off_map = ws.counts().off_map
    lonely = next(e for e in ws.events() if e.source_count == 1)
    c.reject_mention(ws, lonely.sources[0].mention_id, "mention")
    assert consistent(ws)
    assert lonely.id not in {e.id for e in ws.events(located=None)}  # left without sources
    assert ws.counts().off_map == off_map + 1  # what happened is kept, without a place
    moved = [e for e in ws.events(located=False)
             if [s.passage_id for s in e.sources] == [lonely.sources[0].passage_id]
             and e.title == lonely.title]
    assert len(moved) == 1 and moved[0].type == lonely.type
    undone(ws, before)


def test_an_event_takes_its_dates_from_the_sources_left(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    event = next(e for e in ws.events() if e.source_count == 2
                 and len({s.published for s in e.sources}) == 2)
    first = min(event.sources, key=lambda s: s.published or "")
    c.reject_mention(ws, first.mention_id, "document")
    after = ws.events(event_ids=[event.id])[0]
    assert after.reported == max(s.published for s in event.sources) != event.reported
    assert consistent(ws)
    c.undo_last(ws)
    assert state(ws) == before


def test_choosing_another_candidate_moves_the_event(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    dated = next(e for e in ws.events() if e.place == "Moscow" and e.date_start
                 and e.source_count == 1)
    mention_id = dated.sources[0].mention_id
    assert "geonames:5601538" in c.mention_info(ws, mention_id).candidates
    c.choose_candidate(ws, mention_id, IDAHO_MOSCOW, "mention")
    assert consistent(ws)
    assert dated.id not in {e.id for e in ws.events()}
    moved = event_of(ws, mention_id)
    assert moved is not None and moved.country == "US"
    assert moved.lon == pytest.approx(-117.0, abs=0.01)
    assert (moved.date_start, moved.date_end, moved.date_text) == (
        dated.date_start, dated.date_end, dated.date_text)
    assert [s.passage_id for s in moved.sources] == [dated.sources[0].passage_id]
    assert dated.sources[0].reason and moved.sources[0].reason == c.ANALYST_NOTE
    info = c.mention_info(ws, mention_id)
    assert info.place is not None and info.place.country == "US"
    undone(ws, before)  # the place row the choice added is gone too


def actors_agree(a: set[int], b: set[int]) -> bool:
    return not (a and b) or bool(a & b)


def test_choosing_a_place_merges_with_an_overlapping_event_there(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    events = [e for e in ws.events() if e.date_start]
    # A typed source and an event elsewhere of its type and status whose dates overlap (neither
    # a long span), that shares no passage with it, where no other source of its own event is,
    # and whose actors agree with its own (an actor in common, or one side naming none).
    source, target = next(
        (s, t) for e in events for s in e.sources for t in events
        if t.place_id != e.place_id and e.type and (t.type, t.status) == (e.type, s.status)
        and t.date_start <= e.date_end and e.date_start <= t.date_end
        and max(span_days(t.date_start, t.date_end), span_days(e.date_start, e.date_end))
        <= MERGE_MAX_SPAN_DAYS
        and s.passage_id not in {x.passage_id for x in t.sources} and s.mention_id is not None
        and actors_agree({a.actor_id for a in s.actors}, {a.id for a in t.actors})
        and t.place_id not in {mention_place(ws, x.mention_id) for x in e.sources}
    )
    place_row = ws.db.execute(
        "SELECT name, kind, lat, lon, country, admin1, source, source_id, precision_km, "
        "population FROM places WHERE id = ?", [target.place_id]).fetchone()
    c.choose_candidate(ws, source.mention_id, Place(*place_row), "mention")
    assert consistent(ws)
    merged = next(e for e in ws.events() if e.id == target.id)
    assert merged.source_count == target.source_count + 1
    assert source.passage_id in {s.passage_id for s in merged.sources}
    undone(ws, before)


@pytest.mark.parametrize("scope", ["document", "workspace"])
def test_wider_scopes_change_every_mention_of_the_same_text(seeds_ws, scope: str) -> None:
    ws = seeds_ws
    before = state(ws)
    mentions = moscow_mentions(ws)
    placing = moscow_mentions(ws, placing=True)
    assert len({d for _, d in placing}) > 1
    per_document = Counter(d for _, d in mentions)
    first, document_id = max(placing, key=lambda m: per_document[m[1]])
    expected = {m for m, d in mentions if scope == "workspace" or d == document_id}
    assert len(expected) > 1 and (scope == "document") == (len(expected) < len(mentions))
    c.reject_mention(ws, first, scope)
    assert consistent(ws)
    left = {s.mention_id for e in ws.events() for s in e.sources}
    assert not expected & left
    assert (scope == "document") == bool({m for m, _ in placing} & left)
    undone(ws, before)
    correction = c.choose_candidate(ws, first, IDAHO_MOSCOW, scope)
    assert consistent(ws)
    assert correction.mentions >= len(expected)
    for mention_id in expected & {m for m, _ in placing}:
        event = event_of(ws, mention_id)
        assert event is not None and event.country == "US", mention_id
    undone(ws, before)


def test_everywhere_reaches_documents_ingested_later(seeds_ws, store_pipeline,
                                                     tmp_path: Path) -> None:
    from extraction.ingest import ingest_paths

    ws = seeds_ws
    before = state(ws)
    first, _ = moscow_mentions(ws)[0]
    c.choose_candidate(ws, first, IDAHO_MOSCOW, "mention")  # narrower: must not reach it
    c.reject_mention(ws, moscow_mentions(ws)[1][0], "document")
    assert consistent(ws)
    c.choose_candidate(ws, moscow_mentions(ws)[-1][0], IDAHO_MOSCOW, "workspace")
    assert consistent(ws)
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    report = ingest_paths([later], ws, store_pipeline, published="2023-09-20")
    (_, doc_id), = report.added
    new = ws.db.execute(
        "SELECT m.id FROM mentions m JOIN passages p ON p.id = m.passage_id "
        "WHERE p.document_id = ? AND m.surface = 'Moscow'", [doc_id]).fetchall()
    assert len(new) >= 2
    october = [e for e in ws.events(document_id=doc_id) if e.date_start == "2023-10-03"]
    assert [(e.place, e.country) for e in october] == [("Moscow", "US")]
    assert all(event_of(ws, m).country == "US" for (m,) in new if event_of(ws, m))
    assert c.apply_to_new_document(ws, doc_id) == 0  # already applied, nothing left to do
    # Undoing the "everywhere" correction takes back what it did to the later document too.
    assert "everywhere" in c.undo_last(ws)
    assert consistent(ws)
    october = [e for e in ws.events(document_id=doc_id) if e.date_start == "2023-10-03"]
    assert [(e.place, e.country) for e in october] == [("Moscow", "RU")]
    with ws.transaction():  # take the later document out again, as if never ingested
        ws.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
        ws.db.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)")
        for (event_id,) in ws.db.execute("SELECT id FROM events").fetchall():
            refresh_event(ws.db.conn, event_id)  # its reports may have joined the seeds' events
    c.undo_last(ws)
    assert consistent(ws)
    c.undo_last(ws)
    assert consistent(ws)
    assert state(ws)[0] == before[0]


def test_a_rejection_everywhere_applies_to_a_later_document(seeds_ws, store_pipeline,
                                                            tmp_path: Path) -> None:
    from extraction.ingest import ingest_paths

    ws = seeds_ws
    c.reject_mention(ws, moscow_mentions(ws)[0][0], "workspace")
    assert consistent(ws)
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    (_, doc_id), = ingest_paths([later], ws, store_pipeline, published="2023-09-20").added
    assert not [e for e in ws.events(document_id=doc_id) if e.place == "Moscow"]
    places = ws.db.execute(
        "SELECT m.place_id FROM mentions m JOIN passages p ON p.id = m.passage_id "
        "WHERE p.document_id = ? AND m.surface = 'Moscow'", [doc_id]).fetchall()
    assert len(places) >= 2 and set(places) == {(None,)}


def test_undo_reverts_the_latest_first(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    mentions = moscow_mentions(ws)
    c.reject_mention(ws, mentions[0][0], "mention")
    assert consistent(ws)
    middle = state(ws)
    c.choose_candidate(ws, mentions[1][0], IDAHO_MOSCOW, "document")
    assert consistent(ws)
    assert c.last_correction(ws).action == c.CHOOSE
    assert "means Moscow" in undone(ws, middle)
    assert "not a place" in undone(ws, before)


def test_moving_a_place_and_undoing_it(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    event = next(e for e in ws.events() if e.place == "Vladivostok")
    correction = c.move_place(ws, event.place_id, 43.0, 132.0)
    assert consistent(ws)
    assert correction.description == "Move Vladivostok"
    moved = [e for e in ws.events() if e.place_id == event.place_id]
    assert moved and all((e.lat, e.lon) == (43.0, 132.0) for e in moved)
    undone(ws, before)


def test_bad_input_is_refused_without_a_trace(seeds_ws) -> None:
    ws = seeds_ws
    before = state(ws)
    with pytest.raises(WorkspaceError, match="scope"):
        c.reject_mention(ws, moscow_mentions(ws)[0][0], "galaxy")
    with pytest.raises(WorkspaceError, match="No mention"):
        c.reject_mention(ws, 10**9, "mention")
    assert state(ws) == before and c.corrections(ws) == []
