"""Importing from the window: the real pipeline on a worker thread while the window keeps
answering, Cancel, the first run's sample corpus, and files dropped on the window."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from store.event_facets import EventFacets
from store.workspace import Workspace
from tests.conftest import SEEDS

pytestmark = pytest.mark.gui

IMPORT_TIMEOUT_MS = 60_000


def copy_seeds(folder: Path, count: int = 5) -> list[Path]:
    """The first `count` seed articles and their manifest, copied into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEEDS / "manifest.json", folder)
    articles = sorted(SEEDS.glob("*.txt"))[:count]
    return [Path(shutil.copy(a, folder)) for a in articles]


def map_count(window) -> int:
    window.map_view.wait_ready()
    return int(window.map_view.evaluate("eventmap.visibleCount()"))


def all_events_in_view(window) -> bool:
    view = window.map_view
    for e in window.session.all_events:
        x, y = view.evaluate(f"eventmap.pointOf({e.lat}, {e.lon})")
        if not (0 <= x <= view.width() and 0 <= y <= view.height()):
            return False
    return True


def stored_shape(db: Path) -> dict[str, tuple[int, int, int]]:
    """Per document (by text hash): its passages, place mentions and date mentions."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT d.sha256, "
            "(SELECT count(*) FROM passages p WHERE p.document_id = d.id), "
            "(SELECT count(*) FROM mentions m JOIN passages p ON p.id = m.passage_id "
            " WHERE p.document_id = d.id), "
            "(SELECT count(*) FROM date_mentions m JOIN passages p ON p.id = m.passage_id "
            " WHERE p.document_id = d.id) FROM documents d"
        ).fetchall()
    finally:
        conn.close()
    return {sha: (passages, mentions, dates) for sha, passages, mentions, dates in rows}


def assert_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute(
            "SELECT count(*) FROM events e WHERE NOT EXISTS "
            "(SELECT 1 FROM event_sources s WHERE s.event_id = e.id)").fetchone()[0] == 0
    finally:
        conn.close()


def test_import_runs_in_the_background_while_the_window_answers(
    make_window, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = copy_seeds(tmp_path / "articles", count=3)
    bad = tmp_path / "articles" / "empty.txt"
    bad.write_text("", encoding="utf-8")
    window = make_window(tmp_path / "story.sqlite")
    assert window.central.currentWidget() is window.empty_state
    window.map_view.wait_ready()  # Chromium's start-up is not the import's doing: not measured

    ticks: list[float] = []
    answered: list[bool] = []
    bar_values: list[int] = []

    def tick() -> None:
        if not window.runner.busy:
            return
        ticks.append(time.monotonic())
        if len(ticks) == 5:  # the analyst uses the window in the middle of the import
            window.ui_actions.undated.trigger()
            answered.append(window.session.filter.include_undated is False)
            window.ui_actions.undated.trigger()

    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    window.runner.progress.connect(lambda *_: bar_values.append(window.import_status.bar.value()))
    monkeypatch.setattr("desktop.actions.ask_paths",
                        lambda dialog: [str(p) for p in [*files, bad]])

    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        window.ui_actions.import_files.trigger()  # File > Import articles (Ctrl+O)
        assert window.runner.busy and window.import_status.isVisible()
        assert window.import_status.cancel.isEnabled()
    timer.stop()

    # The event loop kept turning: many ticks, none held up for long by the pipeline.
    assert len(ticks) >= 10
    assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < 1.0
    assert answered == [True]
    # The bar went from 0 through each file to the total.
    assert bar_values == sorted(bar_values) and len(set(bar_values)) >= 3
    assert bar_values[-1] == window.import_status.bar.maximum() == 4

    report = finished.args[0]
    assert len(report.added) == 3 and not report.cancelled
    assert report.skipped == [(str(bad), "empty file")]
    assert not window.import_status.isVisible()
    assert window.central.currentWidget() is window.map_view
    assert window.documents.model.rowCount() == 3
    with Workspace(tmp_path / "story.sqlite") as ws:
        events = ws.counts().on_map
        shown = len(ws.events(with_sources=False, facets=EventFacets()))
    assert shown > 0 and f"{shown} of {events} events" in window.counts_label.text()
    qtbot.waitUntil(lambda: map_count(window) == shown, timeout=10000)
    # The failed file is listed with its reason.
    box = window.messages[-1]
    assert box.isVisible() and "not imported" in box.windowTitle()
    assert "empty.txt" in box.text() and "empty file" in box.text()
    assert "3 articles imported" in box.text() and "1 could not be read" in box.text()


def test_cancel_stops_the_import_and_keeps_what_was_stored(
    make_window, qtbot, tmp_path: Path, seeds_template: Path
) -> None:
    folder = tmp_path / "articles"
    copy_seeds(folder)
    db = tmp_path / "story.sqlite"
    window = make_window(db)

    def cancel_after_the_first_file(done: int, total: int, current: str) -> None:
        if done >= 1 and window.import_status.cancel.isEnabled():
            window.import_status.cancel.click()

    window.runner.progress.connect(cancel_after_the_first_file)
    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        assert window.import_paths([folder])
    report = finished.args[0]
    assert report.cancelled
    assert 1 <= len(report.added) < 5
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.documents.model.rowCount() == len(report.added)

    # What was committed is whole: the same passages and mentions as a full ingest of the
    # same articles; nothing of the cancelled rest; the file is consistent.
    stored, full = stored_shape(db), stored_shape(seeds_template)
    assert len(stored) == len(report.added)
    assert all(stored[sha] == full[sha] for sha in stored)
    assert_consistent(db)

    # Importing again adds the rest and recognises what is already stored.
    window.runner.progress.disconnect(cancel_after_the_first_file)
    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as again:
        assert window.import_paths([folder])
    assert len(again.args[0].duplicates) == len(report.added)
    assert stored_shape(db) == full
    assert window.documents.model.rowCount() == 5


def test_first_run_offers_and_loads_the_sample_corpus(
    make_window, qtbot, tmp_path: Path, seeds_template: Path
) -> None:
    window = make_window(tmp_path / "new.sqlite")
    assert window.central.currentWidget() is window.empty_state
    assert window.empty_state.samples.isVisible()
    assert "no articles yet" in window.sources.browser.toPlainText()
    assert window.documents.summary.text().startswith("No documents yet")

    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        qtbot.mouseClick(window.empty_state.samples, Qt.MouseButton.LeftButton)
        assert window.runner.busy  # the same background import as File > Import
        assert not window.empty_state.samples.isEnabled()
    assert len(finished.args[0].added) == 5
    assert window.central.currentWidget() is window.map_view
    assert window.documents.model.rowCount() == 5
    assert stored_shape(tmp_path / "new.sqlite") == stored_shape(seeds_template)
    assert "Click a marker" in window.sources.browser.toPlainText()
    shown = len(window.shown_events)  # all but the hypothetical and denied ones
    assert 0 < shown < window.session.total_events
    qtbot.waitUntil(lambda: map_count(window) == shown, timeout=10000)
    # The map, loaded while the empty state covered it, opens fitted to the new events.
    qtbot.waitUntil(lambda: all_events_in_view(window), timeout=10000)


def drag_events(urls: list[QUrl]) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    mime = QMimeData()
    mime.setUrls(urls)
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(200, 200), actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    drop = QDropEvent(QPointF(200, 200), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    return enter, drop, mime  # the events do not own the mime data: keep it alive


def test_dropping_files_on_the_window_imports_them(make_window, qtbot, tmp_path: Path) -> None:
    article = copy_seeds(tmp_path / "dropped", count=1)[0]
    window = make_window(tmp_path / "story.sqlite")

    enter, drop, _mime = drag_events([QUrl("https://example.org/article.html")])
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()  # only local files can be imported

    enter, drop, _mime = drag_events([QUrl.fromLocalFile(str(article))])
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS) as finished:
        QApplication.sendEvent(window, drop)
        assert drop.isAccepted() and window.runner.busy
    assert [path for path, _id in finished.args[0].added] == [str(article)]
    assert window.documents.model.rowCount() == 1
    assert window.central.currentWidget() is window.map_view


def test_a_large_workspace_is_read_again_off_the_gui_thread_after_an_import(
        make_window, qtbot, tmp_path: Path) -> None:
    """From `read_in_background_from` events an import's re-read runs on a pool thread: the
    views keep what they showed until it is done, then show the workspace as it is, and the
    import's summary is said again."""
    folder, more = tmp_path / "first", tmp_path / "more"
    articles = copy_seeds(folder)
    for extra in articles[2:]:
        (more / extra.name).parent.mkdir(exist_ok=True)
        extra.rename(more / extra.name)
    shutil.copy(folder / "manifest.json", more)
    window = make_window(tmp_path / "story.sqlite", read_in_background_from=1)
    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS):
        assert window.import_paths([folder])
    assert window.loading  # the first events: read in the background too
    qtbot.waitUntil(lambda: not window.loading, timeout=30000)
    assert window.central.currentWidget() is window.map_view
    assert window.documents.model.rowCount() == 2
    held = list(window.session.all_events)
    with qtbot.waitSignal(window.runner.finished, timeout=IMPORT_TIMEOUT_MS):
        assert window.import_paths([more])
    assert window.loading and not window.filters.isEnabled()
    assert window.documents.model.rowCount() == 2 and window.session.all_events == held
    assert "Updating" in window.counts_label.text()
    qtbot.waitUntil(lambda: not window.loading, timeout=30000)
    assert window.documents.model.rowCount() == 5 and window.filters.isEnabled()
    assert len(window.session.all_events) > len(held)
    assert window.statusBar().currentMessage().startswith("3 articles imported")
    qtbot.waitUntil(lambda: map_count(window) == len(window.session.shown_events),
                    timeout=10000)
