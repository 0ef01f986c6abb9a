"""The workspace on real SQLite files: transactions, event merging, queries, FTS."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.errors import WorkspaceError
from store.models import (
    DateMention,
    DateRange,
    Document,
    ExtractedEvent,
    Mention,
    Passage,
    Place,
)
from store.workspace import Workspace

VLADIVOSTOK = Place("Vladivostok", "city", 43.1155, 131.8855, "RU", source_id="2013348")
PYONGYANG = Place("Pyongyang", "city", 39.0339, 125.7543, "KP", source_id="1871859")


def make_doc(sentence: str, place: Place, date: tuple[str, str, str] | None,
             published: str = "2023-09-05", title: str = "t", type: str | None = "CONSULT",
             status: str = "reported") -> Document:
    """A one-passage document naming `place` (and `date`, as (surface, start, end)), reporting
    one event of `type` there, its trigger the sentence's first word."""
    start = sentence.index(place.name)
    mention = Mention(start, start + len(place.name), place.name, place, 0.9)
    dates = []
    if date:
        surface, d0, d1 = date
        at = sentence.index(surface)
        precision = "day" if d0 == d1 else "range"
        dates.append(DateMention(at, at + len(surface), surface, DateRange(d0, d1, precision)))
    passage = Passage(0, len(sentence), sentence, mentions=[mention], dates=dates)
    trigger = sentence.split()[0]
    passage.events = [ExtractedEvent(
        trigger=trigger, start=0, end=len(trigger), type=type, status=status, place=mention,
        date=dates[0] if dates else None, title=f"{trigger} in {place.name}", confidence=0.5,
        passage_start=0, passage_end=len(sentence))]
    return Document(text=sentence, title=title, published=published, sha256=sentence,
                    passages=[passage])


def test_same_text_is_stored_once(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        doc = make_doc("They meet in Vladivostok.", VLADIVOSTOK, None)
        assert ws.add_document(doc) is not None
        assert ws.add_document(doc) is None
        assert ws.counts().documents == 1


def test_overlapping_events_merge_and_take_the_most_cited_range(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Forum in Vladivostok on September 10-13.", VLADIVOSTOK,
                                 ("September 10-13", "2023-09-10", "2023-09-13")))
        ws.add_document(make_doc("Forum in Vladivostok Sept. 10 to 14.", VLADIVOSTOK,
                                 ("Sept. 10 to 14", "2023-09-10", "2023-09-14")))
        ws.add_document(make_doc("Vladivostok hosts it September 10-13!", VLADIVOSTOK,
                                 ("September 10-13", "2023-09-10", "2023-09-13")))
        events = ws.events()
    assert len(events) == 1
    assert (events[0].date_start, events[0].date_end) == ("2023-09-10", "2023-09-13")
    assert events[0].source_count == 3


def test_long_ranges_do_not_swallow_short_ones(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Held in Vladivostok since 2015.", VLADIVOSTOK,
                                 ("since 2015", "2015-01-01", "2023-09-05")))
        ws.add_document(make_doc("Vladivostok on September 1.", VLADIVOSTOK,
                                 ("September 1", "2023-09-01", "2023-09-01")))
        assert len(ws.events()) == 2


def test_different_places_and_undated_events(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Shoigu went to Pyongyang.", PYONGYANG, None, "2023-09-04"))
        ws.add_document(make_doc("Pyongyang denies it.", PYONGYANG, None, "2023-09-05"))
        ws.add_document(make_doc("Kim in Vladivostok.", VLADIVOSTOK, None))
        events = ws.events()
        assert len(events) == 2
        pyongyang = next(e for e in events if e.place == "Pyongyang")
        assert pyongyang.date_start is None and pyongyang.reported == "2023-09-04"
        assert pyongyang.source_count == 2
        assert ws.events("2023-01-01", "2023-12-31", include_undated=False) == []


def test_date_window_filters_by_overlap(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Pyongyang in July.", PYONGYANG,
                                 ("July", "2023-07-01", "2023-07-31")))
        ws.add_document(make_doc("Vladivostok on September 10-13.", VLADIVOSTOK,
                                 ("September 10-13", "2023-09-10", "2023-09-13")))
        assert [e.place for e in ws.events("2023-07-31", "2023-08-31")] == ["Pyongyang"]
        assert [e.place for e in ws.events("2023-09-12", None)] == ["Vladivostok"]


def test_sources_carry_offsets_within_the_passage(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Kim visits Vladivostok on September 10-13.", VLADIVOSTOK,
                                 ("September 10-13", "2023-09-10", "2023-09-13")))
        (source,) = ws.events()[0].sources
    assert source.passage[source.mention_start:source.mention_end] == "Vladivostok"
    assert source.passage[source.date_start:source.date_end] == "September 10-13"


def test_failed_document_leaves_nothing_behind(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Kim in Vladivostok.", VLADIVOSTOK, None))
        bad = make_doc("Pyongyang again.", PYONGYANG, None)
        bad.passages[0].mentions[0].candidates = [object()]  # not JSON: fails mid-write
        with pytest.raises(TypeError):
            ws.add_document(bad)
        counts = ws.counts()
    assert (counts.documents, counts.passages, counts.events) == (1, 1, 1)


def test_full_text_search_treats_input_as_words(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("Kim visits Vladivostok by armored train.", VLADIVOSTOK, None))
        assert len(ws.search_passages("armored train")) == 1
        assert ws.search_passages('train" OR "x') == []
        assert ws.search_passages("submarine") == []


def test_a_file_that_is_not_sqlite_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError, match="not an Eventmap workspace: it is not an SQLite"):
        Workspace(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    Workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(WorkspaceError, match="newer Eventmap"):
        Workspace(path)


def test_a_more_specific_range_that_the_sources_agree_with_wins(tmp_path: Path) -> None:
    korea = Place("North Korea", "country", 40.15, 127.19, "KP", source_id="1873107")
    with Workspace(tmp_path / "w.sqlite") as ws:
        for n in range(3):
            ws.add_document(make_doc(f"Shoigu went to North Korea in July ({n}).", korea,
                                     ("July", "2023-07-01", "2023-07-31")))
        ws.add_document(make_doc("North Korea, from the 25th to the 27th", korea,
                                 ("the 25th to the 27th", "2023-07-25", "2023-07-27")))
        (event,) = ws.events()
    assert (event.date_start, event.date_end, event.source_count) == (
        "2023-07-25", "2023-07-27", 4)


def test_events_by_id(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None))
        ws.add_document(make_doc("He left Pyongyang.", PYONGYANG, None))
        ids = [e.id for e in ws.events()]
        picked = ws.events(event_ids=[ids[1]])
        assert [e.id for e in picked] == [ids[1]]
        assert picked[0].sources and picked[0].sources[0].passage
        assert ws.events(event_ids=[]) == []


def test_search_places_finds_passages_by_place_name(tmp_path: Path) -> None:
    kremlin = Place("Moscow Kremlin", "government building", 55.75, 37.61, "RU",
                    source="curated", source_id="kremlin")
    with Workspace(tmp_path / "w.sqlite") as ws:
        doc = make_doc("Talks at the Moscow Kremlin ended.", kremlin, None)
        ws.add_document(doc)
        ws.add_document(make_doc("He left Pyongyang.", PYONGYANG, None))
        hits = ws.search_places("kreml")
        assert [h.title for h in hits] == ["t"]
        assert "[Moscow Kremlin]" in hits[0].snippet
        assert [h.text for h in ws.search_places("PYONGYANG")] == ["He left Pyongyang."]
        assert ws.search_places("oscow") == []  # word prefixes only, not any substring
        assert ws.search_places("%") == [] and ws.search_places("  ") == []


def test_passage_span_and_document(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        doc_id = ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None))
        pid = ws.events()[0].sources[0].passage_id
        assert ws.passage_span(pid) == (doc_id, 0, len("They meet in Vladivostok."))
        assert ws.passage_span(pid + 99) is None
        assert ws.document(doc_id).place_count == 1
        assert ws.document(doc_id + 1) is None


def test_outlet_names_give_each_outlets_latest_documents_that_name_places(
        tmp_path: Path) -> None:
    from dataclasses import replace

    with Workspace(tmp_path / "w.sqlite") as ws:
        for i, (outlet, place) in enumerate([("Paper", VLADIVOSTOK), ("Wire", PYONGYANG),
                                             ("Paper", PYONGYANG), (None, VLADIVOSTOK)]):
            doc = make_doc(f"Item {i}: talks in {place.name}.", place, None)
            ws.add_document(replace(doc, outlet=outlet))
        empty = Document(text="No places at all.", outlet="Paper", sha256="empty",
                         passages=[Passage(0, 17, "No places at all.")])
        ws.add_document(empty)  # the latest of Paper's documents, naming nothing
        assert list(ws.outlet_names()) == [
            ("Paper", ["Vladivostok"]), ("Wire", ["Pyongyang"]), ("Paper", ["Pyongyang"])]
        assert list(ws.outlet_names(recent=1)) == [("Wire", ["Pyongyang"]),
                                                   ("Paper", ["Pyongyang"])]


def test_search_ranks_the_newest_hits_when_there_are_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store import workspace

    sentences = [  # stored in this order: the first is the oldest and the best match
        "Talks talks talks in Vladivostok.",
        "The long talks went on for many hours in Vladivostok today.",
        "Talks again in Vladivostok.",
        "Long talks about trade, fish, timber and the weather in Vladivostok.",
    ]
    with Workspace(tmp_path / "w.sqlite") as ws:
        for s in sentences:
            ws.add_document(make_doc(s, VLADIVOSTOK, None))
        assert ws.search_passages("talks")[0].text == sentences[0]
        monkeypatch.setattr(workspace, "RANKED", 2)
        assert [h.text for h in ws.search_passages("talks")] == [sentences[2], sentences[3]]


def test_documents_by_id_and_cited_document_count(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        ws.add_document(make_doc("They meet in Vladivostok.", VLADIVOSTOK, None, title="a"))
        ws.add_document(make_doc("Talks in Pyongyang.", PYONGYANG, None, title="b",
                                 published="2023-09-01"))
        ws.add_document(make_doc("Leaders meet in Vladivostok.", VLADIVOSTOK, None, title="c"))
        every = ws.documents()
        ids = [d.id for d in every]
        # the documents asked for, as documents() lists them (unknown ids ignored)
        assert ws.documents_by_id([ids[2], ids[0], 999]) == [every[0], every[2]]
        assert ws.documents_by_id([]) == []
        events = ws.events(with_sources=True)
        cited = {s.document_id for e in events for s in e.sources}
        assert ws.cited_document_count(e.id for e in events) == len(cited)
        one = events[0]
        assert ws.cited_document_count([one.id, one.id]) == one.document_count
        assert ws.cited_document_count([]) == 0
