"""Accepting guessed publication dates puts their events on the dated timeline; undo reverts."""

from __future__ import annotations

from pathlib import Path

from store import corrections
from store.guessed_dates import ACCEPTED
from store.workspace import Workspace
from tests.store.test_workspace import PYONGYANG, VLADIVOSTOK, make_doc

YEAR = ("2026-01-01", "2026-12-31")


def two_documents(ws: Workspace) -> int:
    """One article dated by its file time, one dated by its text; the guessed one's id."""
    guessed = make_doc("Met in Pyongyang on May 2.", PYONGYANG,
                       ("May 2", "2026-05-02", "2026-05-02"), published="2026-05-01")
    guessed.published_source = "file time"
    doc_id = ws.add_document(guessed)
    ws.add_document(make_doc("Met in Vladivostok on May 3.", VLADIVOSTOK,
                             ("May 3", "2026-05-03", "2026-05-03"), published="2026-05-01"))
    assert doc_id is not None
    return doc_id


def dated_places(ws: Workspace) -> list[str]:
    return sorted(e.place for e in ws.events(*YEAR, include_undated=False))


def test_accepting_the_guess_dates_the_events_and_undo_reverts(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        guessed = two_documents(ws)
        assert ws.guessed_documents() == [guessed]
        assert dated_places(ws) == ["Vladivostok"]
        accepted = corrections.accept_guessed_dates(ws)
        assert accepted is not None and accepted.mentions == 1
        assert accepted.description == "Accept the file dates of 1 article"
        assert ws.guessed_documents() == []
        assert dated_places(ws) == ["Pyongyang", "Vladivostok"]
        (doc,) = [d for d in ws.documents() if d.id == guessed]
        assert doc.published_source == ACCEPTED and not doc.guessed_date
        assert corrections.undo_last(ws) == accepted.description
        assert ws.guessed_documents() == [guessed]
        assert dated_places(ws) == ["Vladivostok"]


def test_nothing_to_accept_records_nothing(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.sqlite") as ws:
        guessed = two_documents(ws)
        assert corrections.accept_guessed_dates(ws, [guessed + 1]) is None
        assert corrections.corrections(ws) == []
        assert ws.guessed_documents() == [guessed]
