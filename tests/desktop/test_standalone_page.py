"""The offline HTML map in a real browser engine: a popup opens clear of the title box."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView

from geo import mapping
from tests.geo.test_mapping import event, source


def true(view: QWebEngineView, qtbot, expression: str) -> bool:
    """For qtbot.waitUntil, which takes a None as a pass: a strict boolean."""
    return evaluate(view, qtbot, f"!!({expression})") is True


def evaluate(view: QWebEngineView, qtbot, expression: str):
    out: list = []
    view.page().runJavaScript(f"JSON.stringify(({expression}))", 0, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=10000)
    return None if out[0] in (None, "") else json.loads(out[0])


def test_a_popup_near_the_title_opens_below_it(qtbot, tmp_path: Path) -> None:
    north_east = event(1, place="Magadan", lat=59.56, lon=150.8, sources=(source(),))
    south_west = event(2, place="Montevideo", lat=-34.9, lon=-56.2, sources=(source(),))
    page = tmp_path / "map.html"
    page.write_text(mapping.standalone_html([north_east, south_west], title="A story title",
                                            date_range="September 2023"), encoding="utf-8")
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    view.load(QUrl.fromLocalFile(str(page)))
    loaded = "window.eventmap && eventmap.isReady() && eventmap.eventCount() == 2"
    qtbot.waitUntil(lambda: true(view, qtbot, loaded), timeout=30000)
    rect = "(r => [r.left, r.top, r.right, r.bottom])(document.querySelector('{}')" \
           ".getBoundingClientRect())"
    qtbot.waitUntil(lambda: true(view, qtbot, "eventmap.isIdle()"), timeout=30000)
    title = evaluate(view, qtbot, rect.format(".em-title"))
    qtbot.waitUntil(lambda: true(view, qtbot, "eventmap.click(1)"), timeout=10000)
    qtbot.waitUntil(lambda: true(view, qtbot, "document.querySelector('.leaflet-popup')"),
                    timeout=10000)
    qtbot.wait(600)  # the pan that brings the popup into view
    popup = evaluate(view, qtbot, rect.format(".leaflet-popup-content-wrapper"))
    overlaps = (popup[0] < title[2] and title[0] < popup[2] and popup[1] < title[3]
                and title[1] < popup[3])
    assert not overlaps, (popup, title)
