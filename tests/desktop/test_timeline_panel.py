"""The timeline finds the story: its first view, Play, the period label, dragging, switching
workspaces."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.panels.timeline import TimelinePanel
from tests.desktop.test_timeline_range import SEEDS
from tests.geo.test_mapping import event

pytestmark = pytest.mark.gui


def seeds_like() -> list:
    return [event(i + 1, start=a.isoformat(), end=b.isoformat()) for i, (a, b) in
            enumerate(SEEDS)]


@pytest.fixture
def panel(qtbot) -> TimelinePanel:
    p = TimelinePanel()
    qtbot.addWidget(p)
    p.resize(800, 200)
    p.show()
    qtbot.waitExposed(p)
    p.set_events(seeds_like())
    return p


def press_drag(qtbot, widget, x0: int, x1: int) -> None:
    y = widget.height() // 2
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(x0, y))
    step = 10 if x1 > x0 else -10
    for x in range(x0, x1, step):
        qtbot.mouseMove(widget, QPoint(x, y))
    qtbot.mouseMove(widget, QPoint(x1, y))
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(x1, y))


def test_the_seeds_open_on_the_story_and_the_full_range_is_a_click_away(
        seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    tl = window.timeline.timeline
    lo, hi = tl.view
    assert date(2022, 12, 31) < lo <= date(2023, 7, 1) and hi >= date(2023, 9, 14)
    assert tl.extent[0] <= date(2015, 1, 1)  # "held there since 2015" is still reachable
    assert len(tl.before) >= 1 and not tl.after
    tl.grab()  # paints the "◂ N earlier" count
    box = tl._edges["before"]
    assert f"{len(tl.before)} earlier" in tl._edge_tip("before") or "before" in tl._edge_tip(
        "before")
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=box.center().toPoint())
    assert tl.view == tl.extent and tl.selection is None
    assert not window.timeline.fit_button.isEnabled()
    window.timeline.zoom_button.click()  # "+" without a window: back to the story
    assert tl.view == (lo, hi)


def test_play_starts_at_the_first_event_in_view(panel: TimelinePanel, qtbot) -> None:
    tl = panel.timeline
    assert tl.view[0] < date(2023, 6, 1)  # the view starts on months of ongoing events only
    seen: list[tuple] = []
    panel.windowChanged.connect(lambda a, b: seen.append((a, b)))
    panel.play()
    panel.play(False)
    first_from, first_to = seen[0]
    assert first_from <= "2023-07-01" <= first_to  # the week of the first event that begins
    assert first_from > "2023-06-01"
    panel.clear_window()
    assert panel.step(1) and panel.time_window[0] <= "2023-07-01" <= panel.time_window[1]


@pytest.mark.parametrize("width", [300, 380, 445, 550, 800, 1100])
def test_the_period_label_is_never_cut(qtbot, width: int) -> None:
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.set_events(seeds_like())
    panel.resize(width, 200)
    panel.show()
    qtbot.waitExposed(panel)
    label = panel.range_label
    for window in [(None, None), ("2023-09-10", "2023-09-13"), ("2022-12-25", "2023-09-13"),
                   ("2023-08-01", "2023-09-30")]:
        panel.set_window(*window) if window[0] else panel.clear_window()
        qtbot.waitUntil(lambda: label.text() == label.full_text(), timeout=2000)
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
        assert label.geometry().right() <= panel.contentsRect().right()
    assert panel.label_on_own_row == (width < 800)


def test_the_period_label_in_a_1024_window(seeds_db: Path, make_window, qtbot) -> None:
    window = make_window(seeds_db)
    window.resize(1024, 700)
    window.timeline.set_window("2022-12-25", "2023-09-13")
    label = window.timeline.range_label
    qtbot.waitUntil(lambda: label.text() == label.full_text() == "25 Dec 2022 – 13 Sep 2023",
                    timeout=3000)
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()


def test_dragging_outside_the_window_starts_a_new_one(panel: TimelinePanel, qtbot) -> None:
    tl = panel.timeline
    panel.set_window("2023-09-10", "2023-09-13")
    tl.zoom_to(date(2023, 6, 1), date(2023, 9, 30))
    x_jul, x_aug = int(tl.x_of(date(2023, 7, 3))), int(tl.x_of(date(2023, 8, 2)))
    press_drag(qtbot, tl, x_jul, x_aug)
    lo, hi = tl.selection
    assert abs((lo - date(2023, 7, 3)).days) <= 2 and abs((hi - date(2023, 8, 2)).days) <= 2
    # Dragging inside the window moves it.
    x_mid = int(tl.x_of(date(2023, 7, 18)))
    press_drag(qtbot, tl, x_mid, x_mid + 40)
    moved_lo, moved_hi = tl.selection
    assert moved_lo > lo and (moved_hi - moved_lo) == (hi - lo)
    # A window wider than the view leaves nothing outside it: a drag starts a new one.
    panel.set_window("2023-01-01", "2023-12-31")
    tl.zoom_to(date(2023, 7, 1), date(2023, 8, 31))
    press_drag(qtbot, tl, int(tl.x_of(date(2023, 7, 10))), int(tl.x_of(date(2023, 7, 20))))
    lo, hi = tl.selection
    assert date(2023, 7, 5) <= lo and hi <= date(2023, 7, 25)


def test_a_click_outside_the_window_selects_the_bar_under_it(panel: TimelinePanel,
                                                            qtbot) -> None:
    tl = panel.timeline
    panel.set_window("2023-08-21", "2023-09-14")  # wide: the view stays
    assert tl.x_of(date(2023, 7, 12)) > 0
    x = int(tl.x_of(date(2023, 7, 12)))
    qtbot.mouseClick(tl, Qt.MouseButton.LeftButton, pos=QPoint(x, tl.height() // 2))
    lo, hi = tl.selection
    bar = next(b for b in tl.bins if b.start <= date(2023, 7, 12) < b.end)
    assert (lo, hi) == (bar.start, date.fromordinal(bar.end.toordinal() - 1))


def test_an_open_window_paints_steps_and_moves(panel: TimelinePanel, qtbot) -> None:
    panel.set_window("2023-09-01", None)
    assert panel.time_window == ("2023-09-01", None)
    panel.timeline.grab()  # no overflow past date.max
    tl = panel.timeline
    x = int(tl.x_of(date(2023, 9, 5)))
    press_drag(qtbot, tl, x, x + 30)  # moving an open window keeps it open
    assert panel.time_window[1] is None
    assert panel.step(1)


def test_a_new_workspace_gets_its_own_axis(seeds_db: Path, tmp_path: Path, make_window,
                                           qtbot) -> None:
    later = tmp_path / "later.sqlite"
    shutil.copy(seeds_db, later)
    with sqlite3.connect(later) as conn:  # the same story, three years on
        conn.execute("UPDATE events SET date_start = date(date_start, '+3 years'), "
                     "date_end = date(date_end, '+3 years') WHERE date_start IS NOT NULL")
    window = make_window(seeds_db)
    tl = window.timeline.timeline
    window.timeline.set_window("2023-09-10", "2023-09-13")
    tl.zoom_to(date(2023, 8, 1), date(2023, 9, 30))
    assert window.open_workspace(later)
    assert tl.selection is None and window.timeline.time_window == (None, None)
    assert tl.view == tl.default_range and tl.view[0] > date(2025, 12, 31)
    # The panel's own hook does the same whatever the data.
    tl.zoom_to(date(2026, 8, 1), date(2026, 9, 30))
    window.timeline.set_events(window.session.base_events, reset=True)
    assert tl.view == tl.default_range


def test_an_import_keeps_the_analysts_zoom(panel: TimelinePanel) -> None:
    tl = panel.timeline
    tl.zoom_to(date(2023, 8, 1), date(2023, 9, 30))
    panel.set_events(seeds_like() + [event(99, start="2023-09-20", end="2023-09-20")])
    assert tl.view == (date(2023, 8, 1), date(2023, 9, 30))


def test_a_list_shown_again_keeps_its_ranges_and_bins(panel: TimelinePanel) -> None:
    """Clearing a search again and again gives back every event: their date ranges, extent and
    bars are found again, not computed again (100,000 events: a quarter of a second)."""
    every = seeds_like()
    panel.set_events(every)
    ranges, bins = panel.timeline.ranges, panel.timeline.bins
    for k in range(6):
        panel.set_events(every[k % 3::2])  # a search (a new list each time)
        assert panel.timeline.ranges is not ranges
        panel.set_events(every)  # cleared
        assert panel.timeline.ranges is ranges
        assert panel.timeline.bins is bins
