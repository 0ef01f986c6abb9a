"""The window's filter logic, without Qt: time window, documents, search."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.session import EventFilter, Session, in_window
from store import corrections
from store.event_facets import EventFacets, matches
from store.workspace import Workspace
from tests.store.test_guessed_dates import two_documents

WINDOWS = [
    (None, None, True), ("2023-09-10", "2023-09-13", True), ("2023-09-10", "2023-09-13", False),
    ("2023-07-01", None, False), (None, "2022-12-31", True), ("2023-09-05", "2023-09-05", False),
]


@pytest.mark.parametrize(("date_from", "date_to", "undated"), WINDOWS)
def test_time_window_matches_the_store_query(seeds_db: Path, date_from, date_to,
                                             undated) -> None:
    with Workspace(seeds_db) as ws:
        expected = [e.id for e in ws.events(date_from, date_to, include_undated=undated,
                                            with_sources=False, facets=EventFacets())]
        session = Session(ws)
        session.set_filter(date_from=date_from, date_to=date_to, include_undated=undated)
        assert sorted(e.id for e in session.shown_events) == sorted(expected)
        f = EventFilter(date_from, date_to, undated)
        assert sorted(e.id for e in session.all_events
                      if in_window(e, f) and matches(e, EventFacets())) == sorted(expected)
        # hypothetical and denied events are hidden by default and shown when asked
        everything = ws.events(date_from, date_to, include_undated=undated, with_sources=False)
        session.set_facets(statuses=None)
        assert sorted(e.id for e in session.shown_events) == sorted(e.id for e in everything)


def test_document_filter_and_search_combine(seeds_db: Path) -> None:
    with Workspace(seeds_db) as ws:
        session = Session(ws)
        total = session.total_events
        hidden = [e for e in session.all_events if e.status in ("hypothetical", "denied")]
        assert total == ws.counts().on_map
        assert len(session.shown_events) == total - len(hidden)
        session.set_filter(search="Vostochny")
        assert session.narrowed
        places = {e.place for e in session.shown_events}
        assert "Vostochny Cosmodrome" in places
        assert len(session.shown_events) < total
        assert all(h.document_id in {d.id for d in session.documents()} for h in session.hits)
        doc = session.documents()[0].id
        session.set_filter(document_id=doc)
        assert {e.id for e in session.shown_events} <= {
            e.id for e in ws.events(document_id=doc, with_sources=False)
        }
        session.set_filter(search="", document_id=None)
        assert not session.narrowed and len(session.shown_events) == total - len(hidden)


def test_search_by_place_name_finds_other_spellings(seeds_db: Path) -> None:
    with Workspace(seeds_db) as ws:
        session = Session(ws)
        session.set_filter(search="kreml")  # a word prefix: full-text search alone finds nothing
        assert ws.search_passages("kreml") == []
        # the passages that name the Moscow Kremlin, and the events they report
        assert session.hits and all("Kremlin" in h.text for h in session.hits)
        reported = {e.id for h in session.hits for e in ws.events(passage_ids=[h.passage_id],
                                                                  with_sources=False)}
        assert reported and {e.id for e in session.shown_events} == reported
        session.set_filter(search="no-such-place-anywhere")
        assert session.shown_events == [] and session.documents() == []


def test_event_has_all_its_sources_and_passages_lead_back(seeds_db: Path) -> None:
    with Workspace(seeds_db) as ws:
        session = Session(ws)
        vlad = max(session.all_events, key=lambda e: e.source_count)  # the most reported
        event = session.event(vlad.id)
        assert event is not None and len(event.sources) == vlad.source_count >= 5
        for source in event.sources:
            assert vlad.id in session.events_of_passage(source.passage_id)
            assert vlad.id in session.events_of_document(source.document_id)
        assert session.event(10**9) is None
        exported = session.shown_with_sources()
        assert [e.id for e in exported] == [e.id for e in session.shown_events]
        assert all(e.sources for e in exported)


@pytest.mark.parametrize(("date_from", "date_to", "undated"), WINDOWS)
def test_in_window_all_is_in_window_over_a_list(seeds_db: Path, date_from, date_to,
                                                undated) -> None:
    from desktop.session import in_window_all

    with Workspace(seeds_db) as ws:
        events = Session(ws).all_events
        f = EventFilter(date_from, date_to, undated)
        assert in_window_all(events, f) == [e for e in events if in_window(e, f)]


def test_going_back_to_earlier_facets_gives_the_same_lists(seeds_db: Path) -> None:
    """The views recognise a list they drew a moment ago (the timeline keeps its bins)."""
    with Workspace(seeds_db) as ws:
        session = Session(ws)
        first, choices = session.base_events, session.actor_choices()
        session.set_facets(families=frozenset({"meeting"}))
        meetings = session.base_events
        assert meetings is not first and set(map(id, meetings)) <= set(map(id, first))
        session.set_facets(families=None)
        assert session.base_events is first
        assert session.actor_choices() is choices  # the counts under no search, kept
        session.set_filter(search="Vostochny")
        assert session.actor_choices() is not choices
        session.set_filter(search="")
        assert session.actor_choices() is choices
        assert session.base_events is first  # the list from before the search
        for _ in range(3):  # searching again and clearing again: every event's counts stay
            session.set_filter(search="Vostochny")
            session.actor_choices()
            session.set_filter(search="")
            assert session.actor_choices() is choices
            assert session.base_events is first


def test_documents_of_a_search_are_read_by_id(seeds_db: Path) -> None:
    with Workspace(seeds_db) as ws:
        session = Session(ws)
        every = session.documents()
        assert session.documents() is every  # read once until the next reload
        session.set_filter(search="Vostochny")
        matching = {h.document_id for h in session.hits}
        assert [d.id for d in session.documents()] == [d.id for d in every if d.id in matching]
        session.reload()
        session.set_filter(search="")
        assert session.documents() == every and session.documents() is not every


def test_adopting_a_read_is_reloading(seeds_db: Path) -> None:
    from desktop.map_payload import encode_events
    from desktop.workspace_data import read_workspace

    with Workspace(seeds_db) as ws:
        read = Session(ws)
        ahead: list[bytes] = []
        data = read_workspace(seeds_db, on_map=ahead.append)
        assert ahead == [data.map_payload]  # the map's part came first, once
        assert data.map_payload == encode_events(read.all_events)
        assert data.events == read.all_events
        adopted = Session(ws, read=False)
        assert adopted.all_events == [] and adopted.shown_events == []
        adopted.set_filter(search="Vostochny")  # a filter set while reading is kept
        adopted.adopt(data)
        read.set_filter(search="Vostochny")
        assert adopted.shown_events == read.shown_events
        assert adopted.documents() == read.documents()
        adopted.set_filter(search="")
        read.set_filter(search="")
        assert adopted.counts() == read.counts()
        assert adopted.places() == read.places()
        for name in ("actor", "outlet", "family", "category", "status"):
            assert (getattr(adopted, f"{name}_choices")()
                    == getattr(read, f"{name}_choices")()), name
        # the facets' index came with the read (made off the GUI thread): filtering by a kind
        # and an actor gives what the session that read the events itself gives
        assert data.index is not None and data.index.positions == {
            e.id: k for k, e in enumerate(data.events)}
        actor = next(a.id for e in data.events for a in e.actors)
        for facets in ({"families": frozenset({"meeting"})},
                       {"actor_ids": frozenset({actor}), "statuses": None}):
            adopted.set_facets(**facets)
            read.set_facets(**facets)
            assert adopted.base_events == read.base_events and adopted.base_events, facets


def test_the_guessed_dates_are_counted_in_the_documents_once_read(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        two_documents(ws)
        session = Session(ws, read=False)
        assert session.guessed_count() == 1  # asked of the workspace
        session.set_filter(search="Vladivostok")
        assert len(session.documents()) == 1 and session.guessed_count() == 1
        session.set_filter(search="")
        assert len(session.documents()) == 2 and session.guessed_count() == 1  # counted here
        corrections.accept_guessed_dates(ws)
        session.reload()  # as the window does after a correction
        assert session.guessed_count() == 0
        assert len(session.documents()) == 2 and session.guessed_count() == 0


def test_a_read_leaves_its_records_out_of_the_collector_s_walks(seeds_db: Path) -> None:
    """Reading a workspace pauses the cyclic collector; afterwards it runs again, without
    walking the records read (in any thread, a walk over 100,000 of them held the window)."""
    import gc

    from desktop.workspace_data import read_workspace

    data = read_workspace(seeds_db)
    assert gc.isenabled() and data.events
    walked = {id(o) for o in gc.get_objects()}
    assert not any(id(e) in walked for e in data.events)
