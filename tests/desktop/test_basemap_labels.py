"""The English vector basemap in a real QtWebEngine (offscreen): the labels protomaps-leaflet
draws are English, big places first, and the analyst can switch to the OSM raster and back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMenu

from desktop.map_view import MapView, prepare_webengine
from geo import vector_basemap
from geo.vector_basemap_build import build, is_latin

prepare_webengine()  # before pytest-qt creates the QApplication (idempotent)

pytestmark = pytest.mark.gui

ATTRIBUTION = "document.querySelector('.leaflet-control-attribution').textContent"


@pytest.fixture(scope="module", autouse=True)
def basemap_file():
    """The file `make setup` builds; built here (about a minute) when it is missing."""
    path = vector_basemap.default_output()
    if not path.is_file():
        build(path)
    return path


@pytest.fixture
def view(qtbot) -> MapView:
    v = MapView()
    qtbot.addWidget(v)
    v.resize(1024, 700)
    v.show()
    qtbot.waitUntil(lambda: v.is_ready, timeout=30000)
    return v


def settle(view: MapView, qtbot) -> list[str]:
    """Wait until every tile of the view is drawn; the labels drawn then."""
    view.wait_idle(60000)
    qtbot.waitUntil(lambda: view.evaluate("eventmapBasemap.isIdle()") is True, timeout=30000)
    return view.evaluate("eventmapBasemap.labels()")


def test_labels_are_english_at_zoom_3_and_8(view: MapView, qtbot) -> None:
    assert view.evaluate("eventmapBasemap.current()") == "english" == view.basemap()
    view.set_view(40.0, 125.0, 3)
    labels = settle(view, qtbot)
    assert labels and all(is_latin(t) for t in labels), labels
    assert {"China", "Russia", "Mongolia", "Japan"} <= set(labels), labels
    assert "Beijing" in labels and "Vladivostok" not in labels  # big cities first
    view.set_view(43.1155, 131.8855, 8)
    labels = settle(view, qtbot)
    assert "Vladivostok" in labels and "Ussuriysk" in labels, labels
    assert all(is_latin(t) for t in labels), labels
    # Vector tiles are drawn on canvases; the raster layer is not on the map.
    assert view.evaluate("document.querySelectorAll('canvas.leaflet-tile-loaded').length") >= 4
    assert view.evaluate("document.querySelectorAll('img.leaflet-tile').length") == 0
    attribution = view.evaluate(ATTRIBUTION)
    assert "Natural Earth · GeoNames" in attribution and "OpenStreetMap" not in attribution
    assert view.blocked_requests == [] and view.failed_requests == []
    assert view.js_errors == []


def test_switching_to_the_osm_raster_and_back(view: MapView, qtbot) -> None:
    view.set_view(43.1155, 131.8855, 6)
    assert "Vladivostok" in settle(view, qtbot)
    view.set_basemap("osm")
    qtbot.waitUntil(lambda: view.evaluate("eventmapBasemap.current()") == "osm", timeout=5000)
    assert settle(view, qtbot) == []  # raster labels are pixels, not text
    assert view.evaluate("document.querySelectorAll('img.leaflet-tile-loaded').length") >= 4
    assert view.evaluate("document.querySelectorAll('canvas.leaflet-tile').length") == 0
    assert "OpenStreetMap" in view.evaluate(ATTRIBUTION)
    assert view.basemap() == "osm"
    view.set_basemap("english")
    qtbot.waitUntil(lambda: view.evaluate("eventmapBasemap.current()") == "english",
                    timeout=5000)
    assert "Vladivostok" in settle(view, qtbot)
    assert "OpenStreetMap" not in view.evaluate(ATTRIBUTION)
    assert view.blocked_requests == [] and view.failed_requests == []
    assert view.js_errors == []
    with pytest.raises(ValueError):
        view.set_basemap("satellite")


def test_the_choice_survives_a_reload(view: MapView, qtbot) -> None:
    view.set_basemap("osm")
    view.reload()
    qtbot.waitUntil(lambda: view.is_ready, timeout=30000)
    qtbot.waitUntil(lambda: view.evaluate("eventmapBasemap.current()") == "osm", timeout=5000)
    assert view.js_errors == []


def test_the_view_menu_chooses_the_basemap(make_window, tmp_path, qtbot) -> None:
    window = make_window(tmp_path / "empty.sqlite")
    actions = window.ui_actions.basemaps
    assert [a.text() for a in actions.values()] == ["English labels (offline)",
                                                   "OpenStreetMap, local labels"]
    assert actions["english"].isChecked() and not actions["osm"].isChecked()
    view = window.map_view
    qtbot.waitUntil(lambda: view.is_ready, timeout=30000)
    actions["osm"].trigger()
    assert actions["osm"].isChecked() and not actions["english"].isChecked()
    assert view.basemap() == "osm"
    qtbot.waitUntil(lambda: view.evaluate("eventmapBasemap.current()") == "osm", timeout=5000)
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "Base&map")
    assert len(menu.actions()) == 2
