"""The map widget in a real QtWebEngine (offscreen): offline loading, clicks, filters, pixels,
and the snapshot exports of the command line."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest

from desktop.map_view import MapView, prepare_webengine
from store.workspace import Workspace
from tests.geo.test_mapping import HOSTILE, event, parse

prepare_webengine()  # before pytest-qt creates the QApplication (idempotent)

pytestmark = pytest.mark.gui


@pytest.fixture
def seeds(seeds_db: Path):
    with Workspace(seeds_db) as ws:
        return ws.events(with_sources=False)


HIDDEN_BY_DEFAULT = ("hypothetical", "denied")


def shown(events):
    """The events the map draws before the analyst asks for hypothetical or denied ones."""
    return [e for e in events if e.status not in HIDDEN_BY_DEFAULT]


def one(events, place: str, date_start: str | None):
    return next(e for e in events if e.place == place and e.date_start == date_start)


def colour_near(image: QImage, x: float, y: float, target: str, radius: int = 2) -> bool:
    """Some pixel within ``radius`` of (x, y) has about the target colour."""
    want = QColor(target)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            c = image.pixelColor(round(x) + dx, round(y) + dy)
            if max(abs(c.red() - want.red()), abs(c.green() - want.green()),
                   abs(c.blue() - want.blue())) <= 24:
                return True
    return False


def mercator_pixel(view: dict, lat: float, lon: float, width: int, height: int) -> tuple:
    """Where a point falls in the widget, from the map's centre and zoom (Web Mercator)."""
    def world(lat_: float, lon_: float) -> tuple[float, float]:
        scale = 256 * 2 ** view["zoom"]
        s = math.sin(math.radians(lat_))
        return ((lon_ + 180) / 360 * scale,
                (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale)

    cx, cy = world(view["lat"], view["lon"])
    px, py = world(lat, lon)
    return width / 2 + px - cx, height / 2 + py - cy


def test_page_loads_offline_without_errors(view: MapView, seeds, qtbot) -> None:
    view.set_events(seeds)
    view.fit_events()
    view.wait_idle()
    assert view.evaluate("typeof Supercluster") == "function"
    assert view.evaluate("eventmap.visibleCount()") == len(shown(seeds)) < len(seeds)
    # Every script, stylesheet and image of the page is local, and the basemap tiles loaded.
    urls = view.evaluate("Array.from(document.querySelectorAll('script[src], link[href], img'))"
                         ".map(e => e.src || e.href)")
    assert all(u.startswith(("eventmap://app/", "qrc:")) for u in urls), urls
    tiles = view.evaluate("document.querySelectorAll('.leaflet-tile-loaded').length")
    assert tiles >= 4  # the English vector basemap draws its tiles on canvases
    assert view.evaluate("eventmap.tileErrors()") == 0
    assert view.blocked_requests == []
    assert view.failed_requests == []
    assert view.js_errors == []
    # The interceptor really blocks: a remote image is refused and recorded.
    view.run_js("var i = new Image(); i.src = 'https://example.org/x.png';")
    qtbot.waitUntil(lambda: view.blocked_requests == ["https://example.org/x.png"],
                    timeout=5000)


def test_online_tiles_add_their_attribution_and_are_the_only_remote_requests(
    view: MapView, qtbot
) -> None:
    attribution = "document.querySelector('.leaflet-control-attribution').textContent"
    assert "Natural Earth" in view.evaluate(attribution)  # the English basemap's sources
    view.set_basemap("osm")
    qtbot.waitUntil(lambda: "OpenStreetMap" in view.evaluate(attribution), timeout=5000)
    assert "openstreetmap.org/copyright" not in view.evaluate(
        "document.querySelector('.leaflet-control-attribution').innerHTML")
    # Tests never reach the network: the tile host stays blocked by the interceptor here.
    view.set_online_tiles(True)
    view._blocker.allowed_hosts = frozenset()
    qtbot.waitUntil(lambda: any(u.startswith("https://tile.openstreetmap.org/")
                                for u in view.blocked_requests), timeout=10000)
    assert view.online_tiles
    assert "openstreetmap.org/copyright" in view.evaluate(
        "document.querySelector('.leaflet-control-attribution').innerHTML")
    assert all(u.startswith("https://tile.openstreetmap.org/") for u in view.blocked_requests)
    view.set_online_tiles(False)
    qtbot.waitUntil(lambda: "openstreetmap.org/copyright" not in view.evaluate(
        "document.querySelector('.leaflet-control-attribution').innerHTML"), timeout=5000)
    # Offline again: the interceptor does not let the tile host through.
    assert view._blocker.allowed_hosts == frozenset()


def test_a_click_on_a_marker_reaches_python(view: MapView, seeds, qtbot) -> None:
    vlad = one(seeds, "Vladivostok", "2023-09-10")
    view.set_events(seeds)
    with qtbot.waitSignal(view.eventClicked, timeout=10000) as clicked:
        view.run_js(f"eventmap.click({vlad.id})")
    assert clicked.args == [vlad.id]
    # A real mouse click on the drawn marker (alone on the map, at the centre of the view).
    view.set_visible([vlad.id])
    view.fit_events([vlad.id])
    view.wait_idle()
    x, y = view.evaluate(f"eventmap.pointOf({vlad.lat}, {vlad.lon})")
    with qtbot.waitSignal(view.eventClicked, timeout=10000) as clicked:
        QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
    assert clicked.args == [vlad.id]
    assert view.js_errors == []


def test_filters_and_highlight_change_what_is_drawn(view: MapView, seeds, qtbot) -> None:
    view.set_events(seeds)
    count = lambda: view.evaluate("eventmap.visibleCount()")  # noqa: E731
    qtbot.waitUntil(lambda: count() == len(shown(seeds)), timeout=10000)
    in_window = [e for e in shown(seeds)
                 if e.date_start and e.date_end >= "2023-09-10" and e.date_start <= "2023-09-13"]
    vlad, pyong = one(seeds, "Vladivostok", "2023-09-10"), one(seeds, "Pyongyang", "2023-07-01")
    drawn = lambda e: view.evaluate(f"eventmap.drawnAs({e.id})")  # noqa: E731
    view.set_view(41, 129, 7)
    view.wait_idle()
    assert drawn(vlad) is not None and drawn(pyong) is not None
    view.set_date_filter("2023-09-10", "2023-09-13", include_undated=False)
    qtbot.waitUntil(lambda: count() == len(in_window), timeout=10000)
    assert drawn(vlad) is not None and drawn(pyong) is None  # July is hidden
    view.set_date_filter(None, None, include_undated=True)
    qtbot.waitUntil(lambda: drawn(pyong) is not None, timeout=10000)
    view.set_visible([e.id for e in seeds[:3]])
    qtbot.waitUntil(lambda: count() == 3, timeout=10000)
    view.set_visible(None)
    qtbot.waitUntil(lambda: count() == len(shown(seeds)), timeout=10000)
    view.highlight([seeds[0].id, seeds[1].id, 999999])
    qtbot.waitUntil(lambda: view.evaluate("eventmap.highlightedCount()") == 2, timeout=10000)
    view.highlight([])
    qtbot.waitUntil(lambda: view.evaluate("eventmap.highlightedCount()") == 0, timeout=10000)
    assert view.js_errors == []


def test_snapshot_shows_markers_where_vladivostok_and_pyongyang_project(
    view: MapView, seeds
) -> None:
    vlad = one(seeds, "Vladivostok", "2023-09-10")
    pyong = one(seeds, "Pyongyang", "2023-07-01")
    view.set_events(seeds)
    view.set_visible([vlad.id, pyong.id])
    view.fit_events()
    view.wait_idle()
    state = view.evaluate("eventmap.view()")
    image = view.grab_image()
    assert (image.width(), image.height()) == (1000, 700)
    double = view.grab_image(2.0)
    assert (double.width(), double.height()) == (2000, 1400)
    for e in (vlad, pyong):
        drawn = view.evaluate(f"eventmap.drawnAs({e.id})")
        assert drawn["kind"] == "marker"
        x, y = view.evaluate(f"eventmap.pointOf({e.lat}, {e.lon})")
        mx, my = mercator_pixel(state, e.lat, e.lon, 1000, 700)
        assert abs(x - mx) < 1.5 and abs(y - my) < 1.5
        # a reported event is filled with its date's colour, a planned one only ringed with it
        radius = 2 if drawn["fill"] == drawn["colour"] else round(drawn["r"]) + 2
        assert colour_near(image, x, y, drawn["colour"], radius), (e.place, image.pixelColor(x, y))
        assert colour_near(double, 2 * x, 2 * y, drawn["colour"], radius=2 * radius + 1)
    # Without the events those pixels are the basemap's.
    view.set_visible([])
    empty = view.grab_image()
    x, y = view.evaluate(f"eventmap.pointOf({vlad.lat}, {vlad.lon})")
    colour = view.evaluate(f"eventmap.marker({vlad.id}).colour")
    assert not colour_near(empty, x, y, colour, radius=round(drawn["r"]) + 2)


def test_hostile_names_stay_text_in_the_page(view: MapView, qtbot) -> None:
    events = [event(i + 1, name, 40 + i, 120 + 3 * i) for i, name in enumerate(HOSTILE)]
    view.set_events(events)
    qtbot.waitUntil(lambda: view.evaluate("eventmap.visibleCount()") == 3, timeout=10000)
    for e in events:
        view.run_js(f"eventmap.marker({e.id}).fire('mouseover')")
        qtbot.waitUntil(lambda e=e: view.evaluate(
            "(document.querySelector('.em-tip-place') || {}).textContent") == e.place,
            timeout=5000)
        tags = view.evaluate("Array.from(document.querySelectorAll('.leaflet-tooltip *'))"
                             ".map(n => n.tagName)")
        assert tags and set(tags) == {"DIV"}, tags  # the name is text, never markup
    assert view.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert view.evaluate(
        "Array.from(document.scripts).filter(s => s.text.includes('alert(1)')).length") == 0
    assert view.js_errors == []
    assert view.blocked_requests == []


@pytest.mark.parametrize("fmt", ["png", "pdf", "html"])
def test_cli_exports_the_view(fmt: str, seeds_db: Path, tmp_path: Path, qapp) -> None:
    from desktop.cli import main

    out = tmp_path / f"map.{fmt}"
    assert main(["export", "--db", str(seeds_db), "--format", fmt, "-o", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        image = QImage(str(out))
        assert (image.width(), image.height()) == (1600, 1000)
    elif fmt == "pdf":
        assert data.startswith(b"%PDF-") and len(data) > 50_000
    else:
        text = data.decode("utf-8")
        assert not [u for u in parse(text).urls if u.startswith(("http:", "https:", "//"))]
        assert "Vladivostok" in text and len(data) < 15_000_000


def test_current_view_exports_at_twice_the_resolution(view: MapView, seeds, tmp_path) -> None:
    from desktop.snapshot import export_current_view

    view.set_events(seeds)
    view.fit_events()
    out = export_current_view(view, "png2x", tmp_path / "map@2x.png", seeds,
                              ("2023-09-01", None))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (2000, 1400)
    html = export_current_view(view, "html", tmp_path / "map.html", seeds, None)
    assert '"view":{"lat"' in html.read_text(encoding="utf-8")


def test_the_default_view_fits_the_events(view: MapView, seeds) -> None:
    view.set_events(seeds)
    view.fit_events()
    view.wait_idle()
    state = view.evaluate("eventmap.view()")
    assert state["zoom"] >= 2  # quarter zoom steps: no more room left than a step needs
    legend = view.evaluate("(r => [r.left, r.top, r.right, r.bottom])"
                           "(document.querySelector('.em-legend').getBoundingClientRect())")
    for e in shown(seeds):
        x, y = view.evaluate(f"eventmap.pointOf({e.lat}, {e.lon})")
        assert 30 <= x <= 970 and 30 <= y <= 670, (e.place, x, y)
        under_legend = legend[0] - 8 <= x <= legend[2] + 8 and legend[1] - 8 <= y <= legend[3] + 8
        assert not under_legend, (e.place, x, y, legend)
    # One event alone: close, but not deeper than the offline basemap's sharp zooms.
    vlad = one(seeds, "Vladivostok", "2023-09-10")
    view.fit_events([vlad.id])
    view.wait_idle()
    assert view.evaluate("eventmap.view()")["zoom"] == 6


def test_a_resized_map_keeps_its_centre(view: MapView, seeds, qtbot) -> None:
    """Growing or shrinking the window keeps what the analyst looked at in the middle (the
    map's top-left corner staying put left the events at one edge)."""
    view.set_events(seeds)
    view.fit_events()
    view.wait_idle()
    before = view.evaluate("eventmap.view()")
    view.resize(1400, 900)
    qtbot.waitUntil(lambda: view.evaluate("window.innerWidth") == 1400, timeout=10000)
    view.wait_idle()
    after = view.evaluate("eventmap.view()")  # (a zoom may rise: the world fills the map)
    assert abs(after["lat"] - before["lat"]) < 0.5 and abs(after["lon"] - before["lon"]) < 0.5


def test_the_legend_folds_and_stays_folded_but_snapshots_show_it(view: MapView, seeds,
                                                                 qtbot) -> None:
    view.set_events(seeds)
    view.wait_idle()
    size = ("(r => [r.width, r.height])"
            "(document.querySelector('.em-legend').getBoundingClientRect())")
    body = "getComputedStyle(document.querySelector('.em-legend-body')).display"
    width, height = view.evaluate(size)
    assert width <= 200 and height <= 240  # compact: eight glyphs, two statuses, a ramp
    view.run_js("document.querySelector('.em-legend-toggle').click()")
    qtbot.waitUntil(lambda: view.evaluate("eventmap.legendCollapsed()"), timeout=5000)
    assert view.evaluate(body) == "none"
    width, height = view.evaluate(size)
    assert width <= 90 and height <= 30
    view.run_js("eventmap.setSnapshotMode(true)")
    assert view.evaluate(body) == "block"
    view.run_js("eventmap.setSnapshotMode(false)")
    view.reload()
    qtbot.waitUntil(lambda: not view.is_ready, timeout=5000)
    view.wait_ready()
    assert view.evaluate("eventmap.legendCollapsed()") is True
    assert view.evaluate(body) == "none"


def test_clusters_count_their_events_and_stacks_fan_out(view: MapView, qtbot) -> None:
    # 40 events around Vladivostok, four of them at the very same spot.
    events = [event(i + 1, f"Place {i}", 43.0 + 0.01 * (i % 8), 131.8 + 0.01 * (i // 8),
                    f"2023-0{1 + i % 9}-01", None) for i in range(36)]
    events += [event(100 + i, "Berth 33", 43.1135, 131.8935, None, None) for i in range(4)]
    view.set_events(events)
    view.set_view(43.1, 131.9, 5)
    view.wait_idle()
    clusters = view.evaluate("eventmap.drawnClusters()")
    assert sum(c["count"] for c in clusters) == 40
    assert all(sum(c["bins"]) == c["count"] for c in clusters)
    assert sum(c["bins"][10] for c in clusters) == 4  # the undated bin
    view.set_view(43.1135, 131.8935, 14)
    view.wait_idle()
    stack = view.evaluate("eventmap.drawnAs(100)")
    assert stack["kind"] == "cluster" and stack["count"] == 4
    QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(round(stack["x"]), round(stack["y"])))
    qtbot.waitUntil(lambda: all(view.evaluate(f"eventmap.drawnAs({100 + i})")["kind"] == "marker"
                                for i in range(4)), timeout=5000)
    spots = {tuple(round(v) for v in (view.evaluate(f"eventmap.drawnAs({100 + i})")["x"],
                                      view.evaluate(f"eventmap.drawnAs({100 + i})")["y"]))
             for i in range(4)}
    assert len(spots) == 4  # fanned out around the stack, one spot each
    assert view.js_errors == []


GLYPHS = {"CONSULT": "circle", "AGREE": "star", "AID": "cross", "THREATEN": "triangle",
          "PROTEST": "flag", "MOBILIZE": "chevron", "ASSAULT": "burst", "INVESTIGATE": "square",
          None: "square"}


def test_each_kind_of_event_has_its_glyph_and_each_status_its_style(view: MapView,
                                                                     qtbot) -> None:
    statuses = ("reported", "planned", "hypothetical", "denied")
    pairs = [(type_, status) for status in statuses[:2] for type_ in GLYPHS]
    kinds = [  # a 6 x 3 grid, 25 degrees apart: no two cluster at zoom 2
        event(n + 1, f"Place {n}", -25 + 25 * (n // 6), -62.5 + 25 * (n % 6), "2023-09-10",
              None, type=type_, status=status)
        for n, (type_, status) in enumerate(pairs)
    ]
    view.set_events(kinds)
    view.set_kinds(None, None)  # every status, to compare their styles
    view.set_view(0, 0, 2)
    view.wait_idle()
    drawn = {e.id: view.evaluate(f"eventmap.drawnAs({e.id})") for e in kinds}
    assert all(d and d["kind"] == "marker" for d in drawn.values()), drawn
    for e in kinds:
        assert drawn[e.id]["glyph"] == GLYPHS[e.type], (e.type, drawn[e.id])
        assert drawn[e.id]["status"] == e.status
    reported = [drawn[e.id] for e in kinds if e.status == "reported"]
    planned = [drawn[e.id] for e in kinds if e.status == "planned"]
    assert all(d["fill"] == d["colour"] and d["dash"] is None for d in reported)
    assert all(d["fill"] != d["colour"] and d["stroke"] == d["colour"] and d["dash"]
               for d in planned)  # hollow, with a dashed rim in the date's colour
    # hypothetical and denied: each its own style, neither like a reported event
    odd = [replace(kinds[0], id=100, status="hypothetical", lat=-50.0),
           replace(kinds[0], id=101, status="denied", lat=-50.0, lon=0.0)]
    view.set_events(kinds + odd)
    view.wait_idle()
    styles = [view.evaluate(f"eventmap.drawnAs({e.id})") for e in odd]
    assert [s["status"] for s in styles] == ["hypothetical", "denied"]
    key = lambda d: (d["fill"] == d["colour"], d["dash"], d["stroke"])  # noqa: E731
    assert len({key(reported[0]), key(planned[0]), *(key(s) for s in styles)}) == 4
    assert view.js_errors == []


def test_hidden_statuses_appear_when_asked_and_kinds_filter(view: MapView, seeds, qtbot) -> None:
    count = lambda: view.evaluate("eventmap.visibleCount()")  # noqa: E731
    view.set_events(seeds)
    qtbot.waitUntil(lambda: count() == len(shown(seeds)), timeout=10000)
    hidden = [e for e in seeds if e.status in HIDDEN_BY_DEFAULT]
    assert hidden and all(view.evaluate(f"eventmap.drawnAs({e.id})") is None for e in hidden)
    view.set_kinds(None, ["reported", "planned", "hypothetical", "denied"])
    qtbot.waitUntil(lambda: count() == len(seeds), timeout=10000)
    view.set_view(hidden[0].lat, hidden[0].lon, 9)
    view.wait_idle()
    assert view.evaluate(f"eventmap.drawnAs({hidden[0].id})") is not None
    view.set_kinds(["meeting"], None)
    meetings = [e for e in seeds if e.type == "CONSULT"]
    qtbot.waitUntil(lambda: count() == len(meetings), timeout=10000)
    view.set_kinds(None, ["planned"])
    qtbot.waitUntil(lambda: count() == len([e for e in seeds if e.status == "planned"]),
                    timeout=10000)
    assert view.js_errors == []


def test_an_event_in_a_country_says_so_and_shows_its_outline(view: MapView, qtbot) -> None:
    russia = event(1, "Russia", 61.5, 105.3, "2023-09-10", None, kind="country",
                   type="CONSULT", title="Kim to meet Putin")
    city = event(2, "Vladivostok", 43.1, 131.9, "2023-09-10", None, type="CONSULT")
    view.set_events([russia, city])
    view.set_view(50, 110, 3)
    view.wait_idle()
    assert view.evaluate("eventmap.outlineShown()") is False
    view.run_js("eventmap.marker(1).fire('mouseover')")
    qtbot.waitUntil(lambda: view.evaluate(
        "(document.querySelector('.em-tip-place') || {}).textContent") == "somewhere in Russia",
        timeout=5000)
    qtbot.waitUntil(lambda: view.evaluate("eventmap.outlineShown()") is True, timeout=5000)
    view.run_js("eventmap.marker(1).fire('mouseout')")
    view.run_js("eventmap.marker(2).fire('mouseover')")
    qtbot.waitUntil(lambda: view.evaluate("eventmap.outlineShown()") is False, timeout=5000)
    assert view.failed_requests == [] and view.js_errors == []
