"""The map's clusters: built once per set of events (in a Web Worker for many events), counted
under the filters. Checked against Supercluster (the library they replace, still vendored) and
between the worker and the page."""

from __future__ import annotations

import random

import pytest

from desktop.map_view import MapView, prepare_webengine
from tests.geo.test_mapping import event

prepare_webengine()

pytestmark = pytest.mark.gui

# Supercluster with the page's options, over the events the page was given: every cluster's
# count (1 for a single event) at a zoom.
SUPERCLUSTER_COUNTS = """(function (zoom) {
  var points = %s.map(function (p) {
    return {type: 'Feature', properties: {}, geometry: {type: 'Point', coordinates: p}};
  });
  var index = new Supercluster({radius: 36, extent: 256, minZoom: 1, maxZoom: 12}).load(points);
  return index.getClusters([-180, -85, 180, 85], zoom).map(function (c) {
    return c.properties.cluster ? c.properties.point_count : 1;
  }).sort(function (a, b) { return a - b; });
})(%d)"""


def scattered(n: int, seed: int = 3) -> list:
    """Events around 40 towns (some at the very same spot), over two years, some undated."""
    rng = random.Random(seed)
    towns = [(rng.uniform(-50, 60), rng.uniform(-170, 170)) for _ in range(40)]
    events = []
    for i in range(n):
        lat, lon = rng.choice(towns)
        if rng.random() < 0.7:
            lat, lon = lat + rng.uniform(-2, 2), lon + rng.uniform(-2, 2)
        month = f"202{rng.randint(2, 3)}-0{rng.randint(1, 9)}"
        start = None if rng.random() < 0.1 else f"{month}-1{i % 10}"
        events.append(event(i + 1, f"Town {i % 40}", round(lat, 5), round(lon, 5), start, None,
                            type=rng.choice(["CONSULT", "AGREE", "ASSAULT", None]),
                            status=rng.choice(["reported", "planned"])))
    return events


def drawn(view: MapView) -> tuple[int, list]:
    """How many single markers are drawn, and the clusters' counts and date bins."""
    view.wait_idle()
    markers = view.evaluate("Array.from(document.querySelectorAll('.em-cluster')).length")
    clusters = sorted((c["count"], tuple(c["bins"])) for c in
                      view.evaluate("eventmap.drawnClusters()"))
    return view.evaluate("eventmap.visibleCount()") - sum(c for c, _ in clusters), clusters \
        if markers == len(clusters) else (None, clusters)


def test_clusters_are_supercluster_s_at_every_zoom(view: MapView) -> None:
    events = scattered(1500)
    view.set_events(events)
    view.set_kinds(None, None)  # every event shown: Supercluster is given them all
    view.wait_idle()
    coordinates = str([[e.lon, e.lat] for e in events])
    for zoom in range(1, 13):
        ours = view.evaluate(f"eventmap.clusterCounts({zoom})")
        theirs = view.evaluate(SUPERCLUSTER_COUNTS % (coordinates, zoom))
        assert sum(ours) == sum(theirs) == len(events)
        # The same greedy algorithm; Supercluster keeps positions as 32-bit floats, so a point
        # right at the radius may fall the other way: at most a few clusters differ.
        assert abs(len(ours) - len(theirs)) <= max(2, len(theirs) // 100), zoom
        if zoom <= 4:
            assert ours == theirs, zoom
    assert view.js_errors == []


def test_the_worker_draws_what_the_page_draws(view: MapView, qtbot) -> None:
    events = scattered(1200)
    seen = []
    for worker_from in (10**9, 0):  # on the page, then in the worker
        assert view.evaluate(f"eventmap.useWorkerFrom({worker_from})") is True
        view.set_events(events)
        view.set_view(20, 0, 2)
        states = [drawn(view)]
        view.set_date_filter("2023-01-01", "2023-06-30", include_undated=False)
        states.append(drawn(view))
        view.set_kinds(["meeting"], None)
        states.append(drawn(view))
        view.set_visible([e.id for e in events[::3]])
        states.append(drawn(view))
        view.set_view(events[0].lat, events[0].lon, 7)
        states.append(drawn(view))
        view.set_visible(None)
        view.set_kinds(None, ["reported", "planned"])
        view.set_date_filter(None, None)
        assert view.evaluate("eventmap.clusteredOnPage()") is (worker_from != 0)
        seen.append(states)
    assert seen[0] == seen[1]
    assert all(state[0] is not None for state in seen[0])
    assert view.js_errors == []


def test_the_worker_can_start_before_the_events_arrive(view: MapView) -> None:
    assert view.evaluate("eventmap.workerStarted()") is False
    view.prepare_clustering()  # a large workspace is being read
    assert view.evaluate("eventmap.workerStarted()") is True
    view.set_events(scattered(300))
    view.wait_idle()
    assert sum(view.evaluate("eventmap.clusterCounts(3)")) == 300
    assert view.js_errors == []


def test_filtered_counts_add_up_and_rings_count_dates(view: MapView) -> None:
    events = scattered(800)
    view.set_events(events)
    view.set_view(20, 0, 2)
    view.set_date_filter("2022-01-01", "2022-12-31", include_undated=False)
    view.wait_idle()
    in_2022 = [e for e in events if e.status in ("reported", "planned") and e.date_start
               and "2022-01-01" <= e.date_start <= "2022-12-31"]
    assert view.evaluate("eventmap.visibleCount()") == len(in_2022)
    clusters = view.evaluate("eventmap.drawnClusters()")
    assert clusters and all(sum(c["bins"]) == c["count"] and c["bins"][10] == 0
                            for c in clusters)
    assert view.evaluate("document.querySelectorAll('.em-cluster').length") == len(clusters)
    # A click on a cluster zooms in to where its shown events split.
    zoom = view.evaluate("eventmap.view()")["zoom"]
    view.run_js("document.querySelector('.em-cluster').dispatchEvent("
                "new MouseEvent('click', {bubbles: true}))")
    view.wait_idle()
    assert view.evaluate("eventmap.view()")["zoom"] > zoom
    assert view.js_errors == []


def test_events_replaced_while_the_page_takes_in_others_are_the_ones_drawn(
        view: MapView, qtbot) -> None:
    """The page takes in loaded events in steps, their clusters built in the worker meanwhile:
    clusters that come back before the events are taken in wait for them, and events sent
    again before the steps end replace the others without mixing with them."""
    assert view.evaluate("eventmap.useWorkerFrom(0)") is True
    assert view.evaluate("eventmap.spaceSteps(300)") == 300  # the worker answers in between
    first, second = scattered(900, seed=5), scattered(350, seed=6)
    view.set_events(first)
    view.set_kinds(None, None)
    view.wait_idle()
    assert sum(view.evaluate("eventmap.clusterCounts(3)")) == 900
    view.set_events(second)
    qtbot.wait(400)  # in the middle of the second's steps
    view.set_events(first)
    view.wait_idle()
    assert view.evaluate("eventmap.visibleCount()") == 900
    assert sum(view.evaluate("eventmap.clusterCounts(3)")) == 900
    view.set_events(second)
    view.wait_idle()
    assert view.evaluate("eventmap.visibleCount()") == 350
    assert sum(view.evaluate("eventmap.clusterCounts(3)")) == 350
    assert view.evaluate("eventmap.clusteredOnPage()") is False
    assert view.js_errors == []
