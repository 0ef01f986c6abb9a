"""Corrections in the window: the "Correct place…" link, the dialog, the refresh, Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from desktop.correction_dialog import NOT_A_PLACE, CorrectionDialog, candidate_rows
from desktop.highlight import source_card_html
from store.corrections import MentionInfo
from store.event_facets import EventFacets
from store.models import EventSource, Place
from store.workspace import Workspace

HOSTILE = '<script>alert("x")</script><b>Moscow</b>'
MOSCOW = Place("Moscow", "city", 55.75222, 37.61556, "RU", "48", source_id="524901")
IDAHO = Place("Moscow", "city", 46.73239, -117.00017, "US", "ID", source_id="5601538")
EVIL = Place("<img src=x onerror=alert(1)>", "city", 0.0, 0.0, "XX", source_id="666")


def hostile_info() -> MentionInfo:
    return MentionInfo(7, HOSTILE, 1, f"They met in {HOSTILE} & talked.", MOSCOW,
                       ("geonames:524901", "geonames:5601538", "geonames:666"))


def test_candidate_rows_mark_the_current_place_and_give_distances() -> None:
    rows = candidate_rows(hostile_info(), [MOSCOW, IDAHO, EVIL])
    assert [r.place for r in rows] == [MOSCOW, IDAHO, EVIL, None]
    assert [r.current for r in rows] == [True, False, False, False]
    assert rows[0].label == "Moscow — city, RU-48   (current)"
    assert 8000 < rows[1].distance_km < 9000 and "km away" in rows[1].label
    assert rows[-1].label == NOT_A_PLACE
    named = candidate_rows(hostile_info(), [IDAHO], {IDAHO.key: "Moscow, Idaho, United States"})
    assert named[1].label == "Moscow, Idaho, United States — city   (8,375 km away)"
    unresolved = MentionInfo(8, "Narnia", 1, "In Narnia.", None, ())
    assert [(r.place, r.current) for r in candidate_rows(unresolved, [])] == [(None, True)]


def test_the_dialog_shows_hostile_text_as_text(qtbot, tmp_path: Path) -> None:
    dialog = CorrectionDialog(hostile_info(), [MOSCOW, IDAHO, EVIL])
    qtbot.addWidget(dialog)
    dialog.show()
    header = dialog.header.text()
    assert "<script>" not in header and "<b>Moscow</b>" not in header
    assert "&lt;script&gt;" in header and "&lt;b&gt;Moscow&lt;/b&gt;" in header
    assert dialog.list.item(2).text().startswith("<img src=x onerror=alert(1)>")
    assert dialog.list.count() == 4 and dialog.list.item(0).font().bold()
    # The current place is preselected and OK waits for a change: Enter moves nothing.
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert dialog.list.currentRow() == 0 and dialog.choice() is None and not ok.isEnabled()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.choice() is None
    dialog.list.setCurrentRow(1)
    assert dialog.choice().place == IDAHO and dialog.choice().scope == "mention"
    assert ok.isEnabled()
    dialog.list.setCurrentRow(0)
    assert dialog.choice() is None and not ok.isEnabled()
    dialog.select_scope("workspace")
    assert dialog.choice().place == MOSCOW and dialog.choice().scope == "workspace"
    dialog.select_not_a_place()
    assert dialog.choice().place is None
    dialog.grab().save(str(tmp_path / "correction-dialog.png"))


def test_the_card_link_carries_the_mention_and_the_passage_stays_escaped() -> None:
    source = EventSource(3, "<i>T</i>", None, "2023-09-05", 42, f"In {HOSTILE}.", 0, 3, 3 + 40,
                         mention_id=99)
    html = source_card_html(source)
    assert '<a href="correct:99">Correct place…</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "correct:" not in source_card_html(EventSource(3, "t", None, None, 42, "x", 0, 0, 1))


@pytest.mark.gui
def test_not_a_place_from_a_card_then_ctrl_z(seeds_db: Path, make_window, qtbot) -> None:
    with Workspace(seeds_db) as ws:
        total = ws.counts().on_map
        shown = len(ws.events(with_sources=False, facets=EventFacets()))  # hypothetical: hidden
        lonely = next(e for e in ws.events() if e.place == "Moscow" and e.source_count == 1)
    window = make_window(seeds_db)
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=30000)
    assert not window.ui_actions.undo.isEnabled()
    window.map_view.eventClicked.emit(lonely.id)
    assert "Correct place…" in window.sources.browser.toPlainText()
    mention_id = lonely.sources[0].mention_id
    window.sources.browser.anchorClicked.emit(QUrl(f"correct:{mention_id}"))
    dialog = window.corrections.dialog
    assert dialog is not None and dialog.isVisible()
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert labels[0] == "Moscow, Moscow, Russia — city   (current)"
    assert "Moscow, Idaho, United States — city   (8,375 km away)" in labels
    assert labels[-1] == NOT_A_PLACE
    dialog.select_not_a_place()
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert window.session.total_events == total - 1
    assert window.sources.current_event is None  # its only source is gone, and so is it
    qtbot.waitUntil(lambda: window.map_view.evaluate("eventmap.visibleCount()") == shown - 1,
                    timeout=10000)
    assert f"{shown - 1} of {total - 1} events" in window.counts_label.text()
    undo = window.ui_actions.undo
    assert undo.isEnabled() and undo.text() == "&Undo “Moscow” is not a place (this mention)"
    assert "Corrected:" in window.statusBar().currentMessage()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.documents.table.setFocus()
    qtbot.waitUntil(window.documents.table.hasFocus, timeout=3000)
    qtbot.keyClick(window.documents.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.total_events == total
    qtbot.waitUntil(lambda: window.map_view.evaluate("eventmap.visibleCount()") == shown,
                    timeout=10000)
    assert not undo.isEnabled() and undo.text() == "&Undo"
    with Workspace(seeds_db) as ws:
        assert lonely in ws.events()


@pytest.mark.gui
@pytest.mark.parametrize("large", [False, True], ids=["read at once", "read in the background"])
def test_choosing_another_candidate_follows_the_event(seeds_db: Path, make_window, qtbot,
                                                      large: bool) -> None:
    """The sources panel follows the corrected mention to its new event; a large workspace is
    read again off the GUI thread, and the panel follows once that read is done."""
    with Workspace(seeds_db) as ws:  # events that several passages report
        shared_events = [e for e in ws.events() if e.source_count > 1]
    window = make_window(seeds_db, **({"read_in_background_from": 1} if large else {}))
    qtbot.waitUntil(lambda: not window.loading, timeout=30000)

    def abroad_candidate():
        """An event, one of its sources and the row of a candidate in another country."""
        for event in shared_events:
            for source in event.sources:
                dialog = window.corrections.open_dialog(source.mention_id)
                for i, row in enumerate(dialog.rows):
                    if row.place and row.place.country and row.place.country != event.country:
                        return event, source, dialog, i
                dialog.reject()
        raise AssertionError("no source has a candidate abroad")

    shared, source, dialog, abroad = abroad_candidate()
    window.map_view.eventClicked.emit(shared.id)
    other = dialog.rows[abroad].place
    dialog.list.setCurrentRow(abroad)
    dialog.accept()
    if large:  # the views keep what they showed until the read is done
        assert window.loading and not window.filters.isEnabled()
        assert window.sources.current_event.id == shared.id
        held = {e.id: e for e in window.session.all_events}  # as read before the correction
        assert held[shared.id].source_count == shared.source_count
        qtbot.waitUntil(lambda: not window.loading, timeout=30000)
        assert window.filters.isEnabled() and "Corrected:" in window.statusBar().currentMessage()
    event = window.sources.current_event
    assert event is not None and event.country == other.country and event.source_count == 1
    assert window.session.event(shared.id).source_count == shared.source_count - 1
    window.ui_actions.corrections.trigger()
    surface = source.passage[source.mention_start:source.mention_end]
    assert f"“{surface}” means {other.name} ({other.country})" in window.messages[-1].text()
