"""The window marks dates guessed from a file's time and lets the analyst accept them."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.import_status import report_summary
from extraction.ingest import IngestReport
from store.workspace import Workspace
from tests.store.test_guessed_dates import two_documents

pytestmark = pytest.mark.gui


def test_the_import_summary_counts_guessed_dates() -> None:
    report = IngestReport(added=[("a.txt", 1), ("b.txt", 2)], guessed_dates=["a.txt"])
    line = report_summary(report)
    assert line.startswith("2 articles imported, 1 dated by their file's time, a guess")
    assert "Accept file dates" in line
    assert "guess" not in report_summary(IngestReport(added=[("a.txt", 1)]))


def test_guessed_dates_are_marked_then_accepted_and_undone(tmp_path: Path, make_window,
                                                           qtbot) -> None:
    db = tmp_path / "w.sqlite"
    with Workspace(db) as ws:
        guessed = two_documents(ws)
        (event,) = [e for e in ws.events() if e.guessed_dates]
    window = make_window(db)
    model = window.documents.model
    cells = {model.document(r).id: model.index(r, 2).data() for r in range(model.rowCount())}
    assert cells[guessed] == "≈ 1 May 2026"
    assert not any(c.startswith("≈") for d, c in cells.items() if d != guessed)
    window.map_view.eventClicked.emit(event.id)
    shown = window.sources.browser.toPlainText()
    assert "the file's time: a guessed date" in shown  # the card
    assert "(from a file's time: a guess)" in shown  # the event's header

    accept = window.ui_actions.accept_dates
    assert accept.isEnabled() and accept.text() == "Accept the file dates of 1 article"
    accept.trigger()
    assert not accept.isEnabled()
    assert window.ui_actions.undo.text() == "&Undo Accept the file dates of 1 article"
    cells = {model.document(r).id: model.index(r, 2).data() for r in range(model.rowCount())}
    assert cells[guessed] == "1 May 2026"
    window.timeline.set_window("2026-05-01", "2026-05-31")
    window.set_include_undated(False)
    assert event.id in {e.id for e in window.shown_events}
    visible = lambda: window.map_view.evaluate("eventmap.visibleCount()")  # noqa: E731
    window.map_view.wait_ready()
    qtbot.waitUntil(lambda: visible() == 2, timeout=10000)

    window.ui_actions.undo.trigger()
    assert accept.isEnabled()
    assert event.id not in {e.id for e in window.shown_events}
    qtbot.waitUntil(lambda: visible() == 1, timeout=10000)  # the page filters it as undated
    with Workspace(db) as ws:
        assert ws.guessed_documents() == [guessed]



def test_the_document_tooltip_says_how_the_file_was_decoded() -> None:
    from desktop.panels.documents import date_cell, document_tooltip
    from store.workspace import DocumentSummary

    plain = DocumentSummary(1, "T", None, "2023-09-05", "text", "a.txt", 2)
    legacy = DocumentSummary(2, "T", None, "2026-05-01", "file time", "b.txt", 2,
                             encoding="cp1252", replaced_bytes=3)
    assert "Read as" not in document_tooltip(plain)
    tip = document_tooltip(legacy)
    assert "Read as cp1252, 3 bytes not decodable replaced" in tip
    assert "a guess" in tip and "date from" not in tip
    assert (date_cell(plain), date_cell(legacy)) == ("5 Sep 2023", "≈ 1 May 2026")
