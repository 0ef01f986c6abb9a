"""The Sources panel's event card and the article view on the sample corpus: what the event is,
who took part (each a link that filters the map), and the article's events (pytest-qt)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from desktop.document_view import DocumentDialog
from desktop.highlight import STYLES
from desktop.panels.sources import SourcesPanel
from store.models import EventRecord
from store.workspace import Workspace

pytestmark = pytest.mark.gui


def shoigu_visit(db: Path) -> EventRecord:
    """Sergei Shoigu's trip to Pyongyang in July, reported by several articles."""
    with Workspace(db) as ws:
        return next(e for e in ws.events() if "Shoigu" in e.title and e.actors)


def links(document: QTextDocument) -> dict[str, str]:
    """The text of every link the browser rendered, with its (first) href."""
    found: dict[str, str] = {}
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor() and fragment.charFormat().anchorHref():
                found.setdefault(fragment.text(), fragment.charFormat().anchorHref())
            it += 1
        block = block.next()
    return found


def colour(kind: str) -> str:
    return STYLES[kind].split(":")[1].split(";")[0]


def test_source_card_shows_the_title_and_actors_and_its_actor_link_filters(
        seeds_db: Path, qtbot) -> None:
    event = shoigu_visit(seeds_db)
    panel = SourcesPanel()
    qtbot.addWidget(panel)
    panel.resize(390, 700)
    panel.show_event(event)
    plain = panel.browser.toPlainText()
    assert event.title in plain and "Who:" in plain
    assert "Meetings and visits" in plain and event.status in plain
    assert "somewhere in" not in plain and event.place in plain  # a city: a point
    rendered = links(panel.browser.document())
    for actor in event.actors:
        assert actor.name in plain
        assert rendered[actor.name] == f"actor:{actor.id}"
    shoigu = next(a for a in event.actors if "Shoigu" in a.name)
    with qtbot.waitSignal(panel.actorClicked, timeout=1000) as clicked:
        panel.browser.anchorClicked.emit(QUrl(rendered[shoigu.name]))
    assert clicked.args == [shoigu.id]
    # The passages mark the trigger and the actors too, and the key says so.
    html = panel.browser.toHtml()
    assert html.count(colour("trigger")) >= len(event.sources)
    assert html.count(colour("actor")) >= len(event.sources)
    assert "event" in panel.legend.text() and "actor" in panel.legend.text()
    # The other links still work beside the actor links.
    source = event.sources[0]
    assert rendered["Open article"] == f"open:{source.document_id}:{source.passage_id}"
    with qtbot.waitSignal(panel.passageOpened, timeout=1000) as opened:
        panel.browser.anchorClicked.emit(QUrl(rendered["Open article"]))
    assert opened.args == [source.document_id, source.passage_id]


def test_a_bare_event_renders_without_empty_lines_or_cut_text(seeds_db: Path, qtbot) -> None:
    with Workspace(seeds_db) as ws:
        bare = next(e for e in ws.events(located=False) if not e.actors and not e.date_start)
    long_title = "A very long title " * 12 + "Supercalifragilisticexpialidocious"
    panel = SourcesPanel()
    qtbot.addWidget(panel)
    panel.resize(390, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_event(replace(bare, title=long_title))
    plain = panel.browser.toPlainText()
    assert "Who:" not in plain and "With:" not in plain
    assert "No place given" in plain and "undated" in plain
    assert " ".join(long_title.split()) in " ".join(plain.split())
    assert panel.browser.horizontalScrollBar().maximum() == 0  # wrapped, nothing cut off
    assert not links(panel.browser.document()).keys() & {"Who", "With"}


def test_article_view_marks_dates_and_actors_and_lists_its_events(seeds_db: Path,
                                                                    qtbot) -> None:
    event = shoigu_visit(seeds_db)
    source = event.sources[0]
    with Workspace(seeds_db) as ws:
        doc = ws.document(source.document_id)
        text = ws.document_text(doc.id)
        mentions = ws.mentions_in_document(doc.id)
        notes = ws.document_annotations(doc.id)
        span = ws.passage_span(source.passage_id)
    assert notes.actors and notes.dates and notes.events
    dialog = DocumentDialog()
    qtbot.addWidget(dialog)
    dialog.show_document(doc, text, mentions, (span[1], span[2]), notes)
    html = dialog.browser.toHtml()
    # An actor named by a place's words ("Russia") shows as the place, with both tooltips.
    apart = {(a.start, a.end) for a in notes.actors
             if not any(m[0] < a.end and a.start < m[1] for m in mentions)}
    assert apart and html.count(colour("actor")) >= len(apart)
    assert html.count(colour("date")) >= len(notes.dates)
    assert html.count(colour("trigger")) >= len({(t.start, t.end) for t in notes.triggers})
    assert html.count(colour("mention")) >= sum(1 for m in mentions if m[3])
    listed = [dialog.events.item(r) for r in range(dialog.events.count())]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in listed] == [e.id for e in notes.events]
    assert event.id in [e.id for e in notes.events]
    row = [e.id for e in notes.events].index(event.id)
    assert listed[row].text().startswith(event.title)
    assert f"{len(notes.events)} events" in dialog.header.text()
    with qtbot.waitSignal(dialog.eventSelected, timeout=1000) as picked:
        dialog.events.setCurrentRow(row)
    assert picked.args == [event.id]
    # Without annotations (an older caller) the article still shows, with no events list.
    dialog.show_document(doc, text, mentions)
    assert dialog.events_box.isHidden() and colour("actor") not in dialog.browser.toHtml()
