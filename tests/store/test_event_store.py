"""Events in the workspace (schema 2): one event, many reports; actors joined across documents;
a version 1 workspace upgraded in place with a copy kept; the encoding a file was read with."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils

from store import event_queries, schema
from store.actors import find_or_add_actor
from store.models import ActorRef, DateMention, DateRange, Document, ExtractedEvent, Passage
from store.opening import backup_path
from store.workspace import Workspace
from tests.store.test_workspace import PYONGYANG, VLADIVOSTOK, make_doc


def person(name: str, at: int = 0) -> ActorRef:
    return ActorRef(name, at, at + len(name), "", name, "person")


def event_doc(sentence: str, *, type: str | None = "CONSULT", status: str = "reported",
              sources: tuple[str, ...] = (), date: tuple[str, str] | None = None,
              published: str = "2023-09-05") -> Document:
    """A one-sentence document reporting one event with no place, by `sources`."""
    dates = []
    if date:
        dates.append(DateMention(0, 1, sentence[:1], DateRange(*date, "day")))
    event = ExtractedEvent(trigger="met", start=0, end=3, type=type, status=status,
                           sources=[person(s) for s in sources], date=dates[0] if dates else None,
                           title=sentence, confidence=0.6, passage_end=len(sentence))
    passage = Passage(0, len(sentence), sentence, dates=dates, events=[event])
    return Document(text=sentence, sha256=sentence, published=published, passages=[passage])


def test_a_planned_meeting_and_a_past_one_at_one_place_stay_apart(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Met in Vladivostok.", VLADIVOSTOK, None))
        ws.add_document(make_doc("Meet in Vladivostok soon.", VLADIVOSTOK, None,
                                 status="planned"))
        ws.add_document(make_doc("Will meet in Vladivostok.", VLADIVOSTOK, None,
                                 status="planned"))
        ws.add_document(make_doc("Struck Vladivostok.", VLADIVOSTOK, None, type="ASSAULT"))
        events = ws.events()
    assert sorted((e.status, e.type, e.source_count) for e in events) == [
        ("planned", "CONSULT", 2), ("reported", "ASSAULT", 1), ("reported", "CONSULT", 1)]


def test_events_without_a_place_merge_only_through_a_shared_actor(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(event_doc("Kim met Putin.", sources=("Kim Jong-un",)))
        ws.add_document(event_doc("Kim Jong Un held talks.", sources=("Kim Jong Un",)))
        ws.add_document(event_doc("Officials met.", sources=()))
        ws.add_document(event_doc("Biden met.", sources=("Joe Biden",)))
        assert ws.events() == []  # none is on the map
        off_map = ws.events(located=False)
        counts = ws.counts()
    assert sorted(e.source_count for e in off_map) == [1, 1, 2]
    kim = next(e for e in off_map if e.source_count == 2)
    assert [a.name for a in kim.actors] == ["Kim Jong-un"]
    assert counts.off_map == 3 and counts.events == 3


def test_reading_most_events_scans_their_actors_and_outlets_to_the_same_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's first read takes the actors and outlets of all events from whole tables;
    the records equal those of the lookups by id, for all events and for most of them."""
    with Workspace(tmp_path / "w.sqlite") as ws:
        for n, (who, outlet) in enumerate([(("Zed Ames", "Ann Lee"), "TASS"),
                                           (("Bob Roe",), "Reuters"),
                                           (("Cy Dahl", "Dee Fox", "Al Bo"), None),
                                           (("Eve Gray",), "AP")]):
            doc = event_doc(f"Talks number {n} were held.", sources=who)
            ws.add_document(replace(doc, outlet=outlet))
        ws.add_document(replace(event_doc("Talks number 1 were held.", sources=("Bob Roe",)),
                                outlet="AFP", sha256="again"))
        looked_up = ws.events(located=False)
        ids = [e.id for e in looked_up]
        most = ws.events(located=False, event_ids=ids[1:])
        monkeypatch.setattr(event_queries, "FULL_SCAN_FROM", 0)
        scanned, scanned_most = ws.events(located=False), ws.events(located=False,
                                                                    event_ids=ids[1:])
    assert len(looked_up) == 4 and scanned == looked_up and scanned_most == most
    assert [[a.name for a in e.actors] for e in scanned] == [
        ["Ann Lee", "Zed Ames"], ["Bob Roe"], ["Al Bo", "Cy Dahl", "Dee Fox"], ["Eve Gray"]]
    assert sorted(e.outlets for e in scanned) == [(), ("AFP", "Reuters"), ("AP",), ("TASS",)]


def test_actor_names_join_across_documents(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws, ws.transaction():
        conn = ws.db.conn
        kim = find_or_add_actor(conn, "Kim Jong-un", "person")
        for written in ("Kim Jong Un", "Kim Jong-in", "Kim Jong In", "Kin Jong-un", "Kim"):
            assert find_or_add_actor(conn, written, "person") == kim, written
        assert find_or_add_actor(conn, "Kim Jong-il", "person") != kim  # two letters off
        putin = find_or_add_actor(conn, "Putin", "person")
        assert find_or_add_actor(conn, "Vladimir Putin", "person") == putin
        assert conn.execute("SELECT name FROM actors WHERE id = ?",
                            [putin]).fetchone()[0] == "Vladimir Putin"
        russia = find_or_add_actor(conn, "Russia", "state", key="state:RU", written="Moscow")
        assert find_or_add_actor(conn, "Russia", "state", key="state:RU",
                                 written="the Kremlin") == russia
        names = {r[0] for r in conn.execute("SELECT name FROM actor_names WHERE actor_id = ?",
                                            [russia])}
    assert names == {"Moscow", "the Kremlin"}


def test_sources_keep_their_trigger_and_actors_in_passage_offsets(tmp_path: Path) -> None:
    sentence = "So, Kim Jong-un met officials."
    doc = event_doc(sentence, sources=())
    event = doc.passages[0].events[0]
    doc.passages[0] = Passage(10, 10 + len(sentence), sentence, events=[ExtractedEvent(
        trigger="met", start=26, end=29, type="CONSULT", status="reported",
        sources=[ActorRef("Kim Jong-un", 14, 25, "", "Kim Jong-un", "person")],
        title=event.title, passage_start=10, passage_end=10 + len(sentence))])
    doc.text = " " * 10 + sentence
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(doc)
        (stored,) = ws.events(located=False)
    (source,) = stored.sources
    assert source.passage[source.trigger_start:source.trigger_end] == "met"
    (actor,) = source.actors
    assert source.passage[actor.start:actor.end] == "Kim Jong-un" and actor.role == "source"


def test_guessed_publication_dates_keep_events_off_the_timeline(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        guessed = make_doc("Met in Pyongyang on May 2.", PYONGYANG,
                           ("May 2", "2026-05-02", "2026-05-02"), published="2026-05-01")
        guessed.published_source = "file time"
        ws.add_document(guessed)
        ws.add_document(make_doc("Met in Vladivostok on May 3.", VLADIVOSTOK,
                                 ("May 3", "2026-05-03", "2026-05-03"), published="2026-05-01"))
        (doc,) = [d for d in ws.documents() if d.guessed_date]
        assert doc.title == "t"
        everything = ws.events()
        window = ws.events("2026-01-01", "2026-12-31", include_undated=False)
    assert {e.place: e.guessed_dates for e in everything} == {"Pyongyang": True,
                                                              "Vladivostok": False}
    assert [e.place for e in window] == ["Vladivostok"]
    assert next(e for e in everything if e.guessed_dates).sources[0].guessed_date


def test_the_encoding_a_file_was_read_with_is_stored(tmp_path: Path) -> None:
    doc = make_doc("Réunion à Vladivostok.", VLADIVOSTOK, None)
    doc.encoding, doc.replaced_bytes = "cp1252", 2
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(doc)
        (summary,) = ws.documents()
    assert (summary.encoding, summary.replaced_bytes, summary.event_count) == ("cp1252", 2, 1)


def version_1_workspace(path: Path) -> None:
    """A workspace as Eventmap wrote it before events had types: one event per place."""
    conn = sqlite3.connect(path)
    for statement in schema._statements(schema.MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO documents (id, sha256, text, published, ingested_at) VALUES "
                 "(1, 'x', 'Kim arrived in Vladivostok.', '2023-09-12', 'now')")
    conn.execute("INSERT INTO passages (id, document_id, start, \"end\", text) VALUES "
                 "(1, 1, 0, 27, 'Kim arrived in Vladivostok.')")
    conn.execute("INSERT INTO places (id, name, kind, lat, lon, source, source_id) VALUES "
                 "(1, 'Vladivostok', 'city', 43.1, 131.9, 'geonames', '2013348')")
    conn.execute("INSERT INTO mentions (id, passage_id, place_id, start, \"end\", surface) "
                 "VALUES (1, 1, 1, 15, 26, 'Vladivostok')")
    conn.execute("INSERT INTO events (id, place_id, reported) VALUES (7, 1, '2023-09-12')")
    conn.execute("INSERT INTO event_sources (event_id, passage_id, mention_id) "
                 "VALUES (7, 1, 1)")
    conn.commit()
    conn.close()


def test_a_version_1_workspace_is_upgraded_and_a_copy_kept(tmp_path: Path) -> None:
    path = tmp_path / "story.sqlite"
    version_1_workspace(path)
    with Workspace(path) as ws:
        assert ws.schema_applied == (2, 3)
        (event,) = ws.events()
        hits = ws.search_passages("arrived")
    assert (event.id, event.place, event.title, event.status, event.type) == (
        7, "Vladivostok", "Vladivostok", "reported", None)
    assert event.sources[0].passage[event.sources[0].mention_start:] == "Vladivostok."
    assert [h.passage_id for h in hits] == [1]
    copy = backup_path(path, 1)
    assert copy.exists()
    old = sqlite3.connect(copy)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 1
    old.close()
    with Workspace(path) as ws:  # opened again: nothing more to do, the copy is left alone
        assert ws.schema_applied == ()


def test_a_version_2_workspace_gets_the_indexes_and_counts_of_version_3(tmp_path: Path) -> None:
    path = tmp_path / "story.sqlite"
    with Workspace(path) as ws:
        for outlet in ("Reuters", "Reuters", "TASS"):
            doc = make_doc("Kim arrived in Vladivostok.", VLADIVOSTOK, None)
            ws.add_document(replace(doc, outlet=outlet, sha256=f"{outlet}{id(doc)}"))
        counts = ws.db.execute("SELECT id, source_count, document_count, outlet_count, "
                               "guessed_dates FROM events").fetchall()
        triggers = ws.db.execute("SELECT * FROM event_triggers").fetchall()
    assert [c[1:] for c in counts] == [(3, 3, 2, 0)]
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP INDEX events_kind_start; DROP INDEX events_kind_end; DROP TABLE event_outlets; "
        "DROP TABLE event_triggers; "
        "DROP TRIGGER documents_guessed; ALTER TABLE events DROP COLUMN source_count; "
        "ALTER TABLE events DROP COLUMN document_count; "
        "ALTER TABLE events DROP COLUMN outlet_count; "
        "ALTER TABLE events DROP COLUMN guessed_dates; PRAGMA user_version = 2;")
    conn.close()
    with Workspace(path) as ws:
        assert ws.schema_applied == (3,)
        indexes = {r[0] for r in ws.db.execute("SELECT name FROM sqlite_master "
                                                 "WHERE type = 'index'")}
        assert {"events_kind_start", "events_kind_end"} <= indexes
        assert ws.db.execute("SELECT id, source_count, document_count, outlet_count, "
                             "guessed_dates FROM events").fetchall() == counts
        assert ws.db.execute("SELECT * FROM event_triggers").fetchall() == triggers
        (event,) = ws.events()
        assert event.outlets == ("Reuters", "TASS")
    assert backup_path(path, 2).exists()


@pytest.mark.parametrize("make", ["new", "upgraded"])
def test_datasette_and_sqlite_utils_find_the_full_text_index(tmp_path: Path, make: str) -> None:
    path = tmp_path / "w.sqlite"
    if make == "upgraded":
        version_1_workspace(path)
    Workspace(path).close()
    db = sqlite_utils.Database(path)
    assert db["passages"].detect_fts() == "passages_fts"
    db.close()
