"""The main window on the sample corpus: documents, counts, sources of a clicked marker, the
time filter, search, the document view, settings (pytest-qt, offscreen, real QtWebEngine)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.highlight import STYLES
from desktop.map_payload import encode_events
from desktop.window_settings import last_workspace, resolve_workspace, window_settings
from store.event_facets import EventFacets
from store.workspace import Workspace

pytestmark = pytest.mark.gui


def vladivostok_forum(db: Path):
    """The Eastern Economic Forum on the university's campus in Vladivostok: two reports."""
    with Workspace(db) as ws:
        return next(e for e in ws.events() if e.place == "Far Eastern Federal University"
                    and e.date_start == "2023-09-10")


def map_count(window) -> int:
    window.map_view.wait_idle()  # events reach the page asynchronously (fetched, clustered)
    return int(window.map_view.evaluate("eventmap.visibleCount()"))


def test_window_lists_documents_and_counts(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    with Workspace(seeds_db) as ws:
        docs, counts = ws.documents(), ws.counts()
        shown_by_default = len(ws.events(with_sources=False, facets=EventFacets()))
    model = window.documents.model
    assert model.rowCount() == 5
    assert {model.document(r).title for r in range(5)} == {d.title for d in docs}
    assert model.index(0, 3).data() == docs[0].place_count
    text = window.counts_label.text()
    assert shown_by_default < counts.on_map  # the hypothetical meeting waits to be asked for
    assert "5 documents" in text and f"{shown_by_default} of {counts.on_map} events" in text
    assert f"{counts.off_map} without a place" in text
    assert f"{counts.places} places" in text
    assert window.central.currentWidget() is window.map_view
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30000)
    assert map_count(window) == shown_by_default
    assert window.map_view.blocked_requests == []
    assert window.windowTitle().startswith("seeds.sqlite")


def test_marker_click_fills_the_source_panel(seeds_db: Path, make_window) -> None:
    window = make_window(seeds_db)
    event = vladivostok_forum(seeds_db)
    window.map_view.eventClicked.emit(event.id)
    panel = window.sources
    assert panel.current_event is not None and panel.current_event.id == event.id
    assert panel.passage_texts() == [s.passage for s in event.sources]
    assert len(panel.passage_texts()) == len({s.document_id for s in event.sources}) == 2
    html = panel.browser.toHtml()
    plain = panel.browser.toPlainText()
    flat = " ".join(plain.split())
    for s in event.sources:
        assert " ".join(s.passage.split()) in flat
        assert s.title in plain
    assert "September 10-13" in plain
    # Both highlights are rendered (QTextBrowser rewrites styles, so look for the colours).
    assert html.count("#ffd166") >= 2 and html.count("#cfe3ff") >= 2
    assert window.sources_dock.isVisible()


def test_hostile_article_text_is_shown_as_text(seeds_db: Path, make_window, pipeline,
                                               tmp_path: Path) -> None:
    from desktop.highlight import event_sources_html
    from extraction.ingest import ingest_paths

    article = tmp_path / "hostile.txt"
    article.write_text(
        "Kim <b>bold</b> visits Vladivostok\n\nKim Jong Un arrived in Vladivostok "
        "<script>alert(1)</script> on September 12, 2023, officials said <b>today</b>.\n",
        encoding="utf-8",
    )
    with Workspace(seeds_db) as ws:
        report = ingest_paths([article], ws, pipeline, published="2023-09-13")
        assert report.added
        hostile = report.added[0][1]
        event = next(e for e in ws.events("2023-09-12", "2023-09-12", include_undated=False)
                     if e.place == "Vladivostok"
                     and any(s.document_id == hostile for s in e.sources))
    window = make_window(seeds_db)
    window.map_view.eventClicked.emit(event.id)
    plain = window.sources.browser.toPlainText()
    assert "<script>alert(1)</script>" in plain and "<b>today</b>" in plain
    assert "Kim <b>bold</b> visits Vladivostok" in plain
    html = event_sources_html(window.sources.current_event)
    assert "<script>" not in html and "<b>today" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert window.documents.model.rowCount() == 6
    titles = [window.documents.model.document(r).title for r in range(6)]
    assert "Kim <b>bold</b> visits Vladivostok" in titles


def test_opening_a_passage_shows_the_whole_article(seeds_db: Path, make_window) -> None:
    window = make_window(seeds_db)
    event = vladivostok_forum(seeds_db)
    window.map_view.eventClicked.emit(event.id)
    source = event.sources[0]
    window.sources.browser.anchorClicked.emit(
        __import__("PySide6.QtCore", fromlist=["QUrl"]).QUrl(
            f"open:{source.document_id}:{source.passage_id}"))
    dialog = window.document_dialog
    assert dialog is not None and dialog.isVisible()
    with Workspace(seeds_db) as ws:
        text = ws.document_text(source.document_id)
        mentions = ws.mentions_in_document(source.document_id)
    shown = " ".join(dialog.browser.toPlainText().split())
    assert " ".join(source.passage.split()) in shown
    assert " ".join(text[:80].split()) in shown
    assert dialog.browser.toHtml().count("#ffd166") >= sum(1 for m in mentions if m[3])
    assert STYLES["passage"].split(":")[1].strip(" ;") in dialog.browser.toHtml()


def test_time_filter_changes_what_the_map_shows(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    with Workspace(seeds_db) as ws:
        in_week = [e.id for e in ws.events("2023-09-10", "2023-09-13", include_undated=False,
                                           with_sources=False, facets=EventFacets())]
        with_undated = [e.id for e in ws.events("2023-09-10", "2023-09-13",
                                                with_sources=False, facets=EventFacets())]
        total = ws.counts().on_map
        shown_by_default = len(ws.events(with_sources=False, facets=EventFacets()))
    window.timeline.set_window("2023-09-10", "2023-09-13")
    assert sorted(e.id for e in window.shown_events) == sorted(with_undated)
    window.ui_actions.undated.trigger()  # Ctrl+U: hide undated events
    assert not window.timeline.undated.isChecked()
    assert sorted(e.id for e in window.shown_events) == sorted(in_week)
    assert f"{len(in_week)} of {total} events" in window.counts_label.text()
    qtbot.waitUntil(lambda: map_count(window) == len(in_week), timeout=10000)
    window.timeline.clear_window()
    window.set_include_undated(True)
    assert len(window.shown_events) == shown_by_default
    qtbot.waitUntil(lambda: map_count(window) == shown_by_default, timeout=10000)


def test_dragging_the_timeline_sets_the_window(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    tl = window.timeline.timeline
    tl.zoom_to(__import__("datetime").date(2023, 7, 1), __import__("datetime").date(2023, 9, 30))
    y = tl.height() // 2
    x0, x1 = int(tl.x_of(tl.view[0]) + 40), int(tl.x_of(tl.view[1]) - 40)
    qtbot.mousePress(tl, Qt.MouseButton.LeftButton, pos=__import__(
        "PySide6.QtCore", fromlist=["QPoint"]).QPoint(x0, y))
    for x in range(x0, x1, 25):
        qtbot.mouseMove(tl, __import__("PySide6.QtCore", fromlist=["QPoint"]).QPoint(x, y))
    qtbot.mouseRelease(tl, Qt.MouseButton.LeftButton,
                       pos=__import__("PySide6.QtCore", fromlist=["QPoint"]).QPoint(x1, y))
    date_from, date_to = window.timeline.time_window
    assert date_from is not None and "2023-07-01" < date_from < date_to < "2023-09-30"
    assert window.session.filter.date_from == date_from
    assert len(window.shown_events) < window.session.total_events


def test_play_steps_through_time(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    panel = window.timeline
    panel.timeline.zoom_to(__import__("datetime").date(2023, 7, 1),
                           __import__("datetime").date(2023, 9, 30))
    panel._timer.setInterval(20)
    seen: list[tuple] = []
    panel.windowChanged.connect(lambda a, b: seen.append((a, b)))
    panel.play()
    assert panel.playing
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    panel.play(False)
    assert not panel.playing
    starts = [a for a, _ in seen]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    last = seen[-1][0]
    assert window.session.filter.date_from == last
    window.ui_actions.step_back.trigger()
    assert window.session.filter.date_from < last


def test_search_filters_map_documents_and_lists(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    total = window.session.total_events
    shown_by_default = len(window.shown_events)
    window.ui_actions.search.trigger()  # Ctrl+F
    with qtbot.waitSignal(window.search_box.searchChanged, timeout=3000):
        qtbot.keyClicks(window.search_box, "Vostochny")
    assert window.session.filter.search == "Vostochny"
    # the map was told at once (its page filters while the panels fill), not after the timer
    assert not window._map_timer.isActive()
    places = {e.place for e in window.shown_events}
    assert "Vostochny Cosmodrome" in places and len(window.shown_events) < total
    hits = window.search_panel.hits
    assert hits and all("vostochny" in h.text.lower() for h in hits)
    assert window.documents.model.rowCount() == len({h.document_id for h in hits})
    assert "Vostochny" in window.search_panel.browser.toPlainText()
    qtbot.waitUntil(lambda: map_count(window) == len(window.shown_events), timeout=10000)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == "" and window.session.filter.search == ""
    assert len(window.shown_events) == shown_by_default
    assert window.documents.model.rowCount() == 5


def test_selecting_a_document_filters_and_highlights(seeds_db: Path, make_window,
                                                     qtbot) -> None:
    window = make_window(seeds_db)
    window.map_view.wait_ready()
    doc = window.documents.model.document(0)
    with Workspace(seeds_db) as ws:
        expected = {e.id for e in ws.events(document_id=doc.id, with_sources=False,
                                            facets=EventFacets())}
        shown_by_default = len(ws.events(with_sources=False, facets=EventFacets()))
    window.documents.select(doc.id)
    assert window.session.filter.document_id == doc.id
    assert {e.id for e in window.shown_events} == expected
    assert window.documents.show_all.isEnabled()
    qtbot.waitUntil(lambda: window.map_view.evaluate("eventmap.highlightedCount()")
                    == len(expected), timeout=10000)
    window.documents.show_all.click()
    assert window.session.filter.document_id is None
    assert len(window.shown_events) == shown_by_default
    event = vladivostok_forum(seeds_db)
    window.highlight_passage(event.sources[0].passage_id)
    qtbot.waitUntil(lambda: window.map_view.evaluate("eventmap.highlightedCount()") >= 1,
                    timeout=10000)


def test_settings_persist_across_close_and_reopen(seeds_db: Path, make_window,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(seeds_db)
    window.resize(700, 520)  # within the offscreen screen (800x600)
    window.timeline_dock.hide()
    window.close()
    settings = window_settings()
    assert last_workspace(settings) == seeds_db.resolve()
    monkeypatch.delenv("EVENTMAP_DB")
    assert resolve_workspace(None, settings) == seeds_db.resolve()
    again = make_window(resolve_workspace(None, settings))
    # The docks hold the width above 700 and restoring clamps it to the 800-pixel offscreen
    # screen, so the height is the exact check.
    assert again.height() == 520 and again.width() < 1400
    assert not again.timeline_dock.isVisible()
    assert again.db_path == seeds_db.resolve()


def test_main_actions_have_keyboard_shortcuts(tmp_path: Path, make_window, qtbot) -> None:
    window = make_window(tmp_path / "story.sqlite")
    a = window.ui_actions
    expected = {
        a.import_files: "Ctrl+O", a.import_folder: "Ctrl+Shift+O", a.search: "Ctrl+F",
        a.exports["png"]: "Ctrl+E", a.exports["pdf"]: "Ctrl+Shift+E", a.fit: "Ctrl+0",
        a.play: "Ctrl+P", a.step_back: "Alt+Left", a.step_forward: "Alt+Right",
        a.undated: "Ctrl+U", a.clear_filters: "Ctrl+Shift+A", a.quit: "Ctrl+Q",
    }
    for action, keys in expected.items():
        assert action.shortcut().toString() == keys, action.text()
    # Every shortcut of the window is unique (an ambiguous one triggers nothing) and is
    # live while the menu bar is hidden.
    shortcuts = [act.shortcut().toString() for act in window.actions() if not act.shortcut()
                 .isEmpty()]
    assert len(shortcuts) == len(set(shortcuts)) and set(expected.values()) <= set(shortcuts)
    # A real key press reaches its action: Ctrl+F puts the cursor in the search box.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.documents.table.setFocus()
    qtbot.waitUntil(window.documents.table.hasFocus, timeout=3000)
    qtbot.keyClick(window.documents.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus, timeout=3000)


def test_opening_a_file_that_is_not_a_workspace_explains_why(tmp_path: Path, seeds_db: Path,
                                                             make_window) -> None:
    not_a_workspace = tmp_path / "notes.sqlite"
    not_a_workspace.write_text("meeting notes, not a database\n" * 200, encoding="utf-8")
    window = make_window(seeds_db)
    assert not window.open_workspace(not_a_workspace)
    box = window.messages[-1]
    assert box.windowTitle() == "Cannot open the workspace"
    assert "not an Eventmap workspace" in box.text() and "File › New workspace" in box.text()
    assert not_a_workspace.read_text(encoding="utf-8").startswith("meeting notes")
    assert window.db_path == seeds_db and window.documents.model.rowCount() == 5  # unchanged
    # Started on such a file (`eventmap gui --db notes.sqlite`), the window says so and opens
    # the default workspace instead of a window that can do nothing.
    started = make_window(not_a_workspace)
    assert "not an Eventmap workspace" in started.messages[-1].text()
    assert started.db_path == Path(os.environ["EVENTMAP_DB"])
    assert "Could not open notes.sqlite" in started.statusBar().currentMessage()


def test_side_docks_never_come_back_too_narrow_to_read(seeds_db: Path, make_window) -> None:
    from desktop.main_window import SIDE_DOCK_MIN_WIDTH

    window = make_window(seeds_db)
    window.resizeDocks([window.documents_dock, window.sources_dock], [30, 30],
                       Qt.Orientation.Horizontal)  # an analyst dragging the splitters shut
    assert window.documents_dock.width() >= SIDE_DOCK_MIN_WIDTH
    assert window.sources_dock.width() >= SIDE_DOCK_MIN_WIDTH
    window.close()
    again = make_window(seeds_db)
    for dock in (again.documents_dock, again.filters_dock, again.sources_dock):
        assert dock.widget().minimumWidth() == SIDE_DOCK_MIN_WIDTH
    assert again.sources_dock.width() >= SIDE_DOCK_MIN_WIDTH
    assert again.map_view.width() >= again.width() // 3  # the map keeps its share


def test_a_large_workspace_is_read_in_the_background(seeds_db: Path, make_window,
                                                     qtbot) -> None:
    """From `read_in_background_from` events the window opens at once and fills when the
    read is done: the same documents, counts and map as a window that read it at once."""
    window = make_window(seeds_db, read_in_background_from=1)
    assert window.loading and window.session is not None
    assert window.session.all_events == [] and window.documents.model.rowCount() == 0
    assert "Reading" in window.counts_label.text()
    # what needs the events waits for them (greyed out); the map may show them already
    assert not window.filters.isEnabled() and not window.timeline.isEnabled()
    assert window.timeline.timeline.empty_text == "Reading events…"
    qtbot.waitUntil(lambda: not window.loading, timeout=30000)
    assert window.filters.isEnabled() and window.timeline.isEnabled()
    # the map holds the payload that came ahead of the records (read_workspace's on_map),
    # which the records encode to; the same bytes are not sent to the page again
    ahead, serial = window.map_view._events_payload, window.map_view._events_serial
    assert ahead == encode_events(window.session.all_events)
    window.map_view.set_events([], payload=ahead)
    assert window.map_view._events_serial == serial
    with Workspace(seeds_db) as ws:
        docs = ws.documents()
        shown_by_default = len(ws.events(with_sources=False, facets=EventFacets()))
    assert window.documents.model.rowCount() == len(docs)
    assert f"{shown_by_default} of" in window.counts_label.text()
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30000)
    assert map_count(window) == shown_by_default
    window.search_box.setText("Vostochny")  # the filters work on what was read
    window.search_box.returnPressed.emit()
    assert 0 < len(window.shown_events) < shown_by_default


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_the_shown_events_are_exported_off_the_gui_thread(seeds_db: Path, make_window, qtbot,
                                                           tmp_path: Path, fmt: str) -> None:
    from desktop.export_actions import export

    window = make_window(seeds_db)
    window.search_box.setText("Vostochny")
    window.search_box.returnPressed.emit()
    shown = window.shown_events
    assert 0 < len(shown) < len(window.session.all_events)
    out = tmp_path / f"events.{fmt}"
    with qtbot.waitSignal(window.data_export.written, timeout=30000) as done:
        assert export(window, fmt, out) is None  # goes on in the background
        assert window.statusBar().currentMessage().startswith(f"Exporting {len(shown)} events")
    assert done.args == [out, len(shown)]
    assert window.statusBar().currentMessage() == f"Exported {len(shown)} events to {out}"
    text = out.read_text(encoding="utf-8-sig")
    if fmt == "geojson":
        features = json.loads(text)["features"]
        assert [f["id"] for f in features] == [e.id for e in shown]
        assert all(f["properties"]["sources"] for f in features)  # with their passages
    else:
        assert text.count("\n") > len(shown)
    # a wrong path is said at once; a file that cannot be written, once the thread finds it
    assert export(window, fmt, tmp_path / "missing" / "x.geojson") is None
    assert "No folder" in window.messages[-1].text()
    unwritable = Path("/proc") / f"eventmap-test.{fmt}"  # a folder no one may add files to
    with qtbot.waitSignal(window.data_export.failed, timeout=30000):
        assert export(window, fmt, unwritable) is None
    assert window.messages[-1].text().startswith(f"Could not write {unwritable}")


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_a_report_s_sources_are_read_off_the_gui_thread(seeds_db: Path, make_window, qtbot,
                                                        tmp_path: Path, fmt: str) -> None:
    """A PDF or an offline HTML map takes the map at once and reads the shown events' sources
    on a pool thread; the file is written when they are in."""
    from desktop.export_actions import export

    window = make_window(seeds_db)
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30000)
    window.search_box.setText("Vostochny")
    window.search_box.returnPressed.emit()
    shown = window.shown_events
    out = tmp_path / f"view.{fmt}"
    assert export(window, fmt, out) is None and not out.exists()
    assert window.statusBar().currentMessage().endswith("reading their sources…")
    done = f"Exported {len(shown)} events to {out}"
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == done, timeout=30000)
    if fmt == "pdf":
        assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 20_000
    else:
        page = out.read_text(encoding="utf-8")
        articles = {s.document_id for e in window.session.shown_with_sources() for s in e.sources}
        assert f"{len(shown)} events from {len(articles)} articles" in page
        assert "Vostochny" in page  # the passages travel with the events
    assert export(window, fmt, tmp_path / "missing" / f"x.{fmt}") is None
    assert "No folder" in window.messages[-1].text()


def test_the_events_read_before_are_let_go_when_the_workspace_is_read_again(
        seeds_db: Path, make_window) -> None:
    """The views keep values for the last few lists they showed (a filter cleared finds them
    again); a re-read makes those lists history, and their events must not stay in memory
    (at 100,000 events the app grew by 500 MB over four corrections)."""
    import gc
    import weakref

    window = make_window(seeds_db)
    window.set_facets(EventFacets(families=frozenset({"meeting"})))
    window.set_facets(EventFacets())
    window.search_box.setText("Vostochny")  # the documents of a search, then all again
    window.search_box.returnPressed.emit()
    window.search_box.setText("")
    window.search_box.returnPressed.emit()
    old = [weakref.ref(e) for e in window.session.all_events]
    old_documents = [weakref.ref(d) for d in window.session.documents()]
    window.refresh_all()
    gc.collect()
    assert old and not [r for r in old if r() is not None]
    assert old_documents and not [r for r in old_documents if r() is not None]
