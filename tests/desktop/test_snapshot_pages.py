"""Snapshots carry what the analyst filtered: the PDF keeps the map whole on its first page,
the PNG has a caption with the title, the time range and the filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

from desktop.map_view import MapView, prepare_webengine
from desktop.snapshot import export_current_view, export_view
from store.workspace import Workspace

prepare_webengine()

pytestmark = pytest.mark.gui


def pdf_pages(path: Path, qapp) -> list[str]:
    doc = QPdfDocument(qapp)
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    pages = [doc.getAllText(i).text() for i in range(doc.pageCount())]
    page = doc.pagePointSize(0)
    image = doc.render(0, QSize(round(page.width()), round(page.height())))
    doc.close()
    return pages, image


def test_the_pdf_has_the_whole_map_on_its_first_page(seeds_db: Path, tmp_path: Path,
                                                    qapp) -> None:
    out = export_view(seeds_db, "pdf", tmp_path / "map.pdf")
    pages, first = pdf_pages(out, qapp)
    assert len(pages) >= 2
    assert "Eventmap —" in pages[0] and "Time range:" in pages[0]
    assert "Legend" in pages[0]  # what follows the map is on the same page: the map is whole
    assert pages[1].lstrip().startswith("Sources cited")
    assert "Legend" not in "".join(pages[1:])
    # The map is drawn on page 1: a wide band of its pixels, not paper.
    middle = first.height() // 2
    row = [first.pixelColor(x, middle) for x in range(first.width() // 5, first.width() * 4 // 5)]
    assert sum(1 for c in row if c.lightness() < 245) > len(row) // 2


def test_the_png_carries_a_caption_with_range_and_filters(seeds_db: Path, tmp_path: Path,
                                                          qtbot) -> None:
    with Workspace(seeds_db) as ws:
        events = ws.events()
    view = MapView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    view.wait_ready()
    view.set_events(events)
    view.fit_events()
    hostile = "actors: <img src=x onerror=alert(1)>"
    out = export_current_view(view, "png", tmp_path / "map.png", events,
                              ("2023-09-01", "2023-09-30"), filters=[hostile])
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1024, 700)  # the window's size
    caption = view.evaluate("eventmap.caption()")
    assert caption[0].startswith("Eventmap —")
    assert caption[1].startswith("Time range: ") and "2023" in caption[1]
    assert caption[2] == hostile  # text, not markup
    assert view.evaluate("document.querySelectorAll('.em-caption img').length") == 0
    # On screen the caption stays hidden; in the snapshot it is drawn (a pale box, top right).
    shown = "getComputedStyle(document.querySelector('.em-caption')).display"
    assert view.evaluate(shown) == "none"
    view.run_js("eventmap.setSnapshotMode(true)")
    left, top, right, bottom = view.evaluate(
        "(r => [r.left, r.top, r.right, r.bottom])"
        "(document.querySelector('.em-caption').getBoundingClientRect())")
    view.run_js("eventmap.setSnapshotMode(false)")
    assert right > left + 100 and bottom > top + 30 and right > 1024 - 40
    inside = image.pixelColor(int(left) + 4, int(bottom) - 4)
    assert inside.lightness() > 235, inside
    assert view.js_errors == []


def test_the_pdf_lists_so_many_articles_and_events_and_counts_the_rest(seeds_db: Path,
                                                                      monkeypatch) -> None:
    """A report of a large view lists the first articles and events and counts the others
    (96,000 articles took 2,500 pages and a minute to print)."""
    from desktop import snapshot

    with Workspace(seeds_db) as ws:
        events = ws.events()
    articles = {s.document_id for e in events for s in e.sources}
    monkeypatch.setattr(snapshot, "REPORT_SOURCE_ROWS", 2)
    monkeypatch.setattr(snapshot, "REPORT_EVENT_ROWS", 3)
    sources = snapshot._sources_table(events)
    assert f"Sources cited ({len(articles)})" in sources
    assert sources.count("<tr") == 1 + 2  # the header row and two articles
    assert f"… and {len(articles) - 2:,} more articles." in sources
    listed = snapshot._events_table(events)
    assert listed.count("<tr") == 1 + 3 and f"… and {len(events) - 3:,} more events." in listed
