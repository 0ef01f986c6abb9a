"""The timeline dock: the painted timeline, stepping and playing through time, undated events.

The period label is never cut: when the row of controls has no room for it, it takes a row of
its own above the timeline.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import format_range
from desktop.panels.elided_label import ElidedLabel
from desktop.panels.timeline_widget import TimelineWidget
from desktop.recent import Recent
from desktop.timeline_bins import floor, shift
from desktop.timeline_range import data_bounds, first_in_view, last_in_view
from store.models import EventRecord

PLAY_INTERVAL_MS = 900
RANGE_SAMPLE = "10–13 Sep 2023"  # a typical window: the label shows at least this much
RANGE_LONGEST = "28 Dec 2022 – 30 Sep 2023"  # the longest a window's label gets
NO_WINDOW = "All dates — drag to filter"
RANGE_LISTS_KEPT = 4
LABEL_INDEX = 4  # the label's place in the row of controls: after ◀ Play ▶ and a space


class TimelinePanel(QWidget):
    """`windowChanged(str | None, str | None)`: ISO bounds of the time filter."""

    windowChanged = Signal(object, object)
    undatedToggled = Signal(bool)

    def sizeHint(self) -> QSize:  # noqa: N802 (the dock's first size)
        return QSize(800, 200)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.timeline = TimelineWidget(self)
        self.timeline.windowChanged.connect(self._window_changed)
        self.timeline.viewChanged.connect(self._update_zoom_buttons)

        self.back = QToolButton(self)
        self.back.setText("◀")
        self.back.setToolTip("Step back one bar (Alt+Left)")
        self.back.clicked.connect(lambda: self.step(-1))
        self.play_button = QToolButton(self)
        self.play_button.setText("▶ Play")
        self.play_button.setMinimumWidth(72)
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Move the time window through the events (Ctrl+P)")
        self.play_button.toggled.connect(self._play_toggled)
        self.forward = QToolButton(self)
        self.forward.setText("▶")
        self.forward.setToolTip("Step forward one bar (Alt+Right)")
        self.forward.clicked.connect(lambda: self.step(1))
        self.range_label = ElidedLabel(self, sample=RANGE_SAMPLE)
        self.all_button = QToolButton(self)
        self.all_button.setText("All dates")
        self.all_button.setToolTip("Clear the time window (or double-click the timeline)")
        self.all_button.clicked.connect(self.clear_window)
        self.zoom_button = QToolButton(self)
        self.zoom_button.setText("+")
        self.zoom_button.setToolTip("Zoom the timeline in on the time window, or back to where "
                                    "most events are")
        self.zoom_button.clicked.connect(self.zoom_in)
        self.fit_button = QToolButton(self)
        self.fit_button.setText("−")
        self.fit_button.setToolTip("Zoom the timeline out to the full range, the earliest and "
                                   "latest dates included (the mouse wheel zooms too)")
        self.fit_button.clicked.connect(self.full_range)
        self.undated = QCheckBox("Undated", self)
        self.undated.setChecked(True)
        self.undated.setToolTip("Show the events whose passages give no date (Ctrl+U)")
        self.undated.toggled.connect(self.undatedToggled)

        self._controls = controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(4)  # the range label needs the room (the dock sets the map's width)
        for w in (self.back, self.play_button, self.forward):
            controls.addWidget(w)
        controls.addSpacing(6)
        controls.addWidget(self.range_label, 1)
        controls.addWidget(self.all_button)
        controls.addSpacing(6)
        controls.addWidget(QLabel("Zoom", self))
        controls.addWidget(self.zoom_button)
        controls.addWidget(self.fit_button)
        controls.addSpacing(6)
        controls.addWidget(self.undated)
        self._label_row = QHBoxLayout()
        self._label_row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(controls)
        layout.addLayout(self._label_row)
        layout.addWidget(self.timeline, 1)

        self._ranges_of: Recent[list] = Recent(RANGE_LISTS_KEPT)  # the last lists' ranges
        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._update_label()

    # -- data ----------------------------------------------------------------------------------

    def set_events(self, events: list[EventRecord], reset: bool = False) -> None:
        """The events to count (all dates); undated ones only feed the checkbox label.
        `reset` (another workspace): forget the window and the zoom, show the bulk of these."""
        if reset:
            self.reset_axis()
        # the list of a moment ago (a filter cleared) has the same ranges, the same object
        ranges = self._ranges_of.get(events, lambda: [
            (date.fromisoformat(e.date_start), date.fromisoformat(e.date_end or e.date_start))
            for e in events if e.on_timeline
        ])
        self.timeline.set_ranges(ranges)
        self.undated.setText(f"Undated ({len(events) - len(ranges):,})")
        self._update_label()

    def forget_lists(self) -> None:
        """Drop the values kept for the lists shown before (the workspace was read again: they
        will not come back, and each holds its events: 90,000 records a list at 100,000)."""
        self._ranges_of.clear()
        self.timeline.forget_lists()

    def reset_axis(self) -> None:
        """Another workspace opens: no window, no zoom, no playing; emits nothing. The next
        `set_events` opens the axis on the bulk of the new events."""
        self.play_button.setChecked(False)
        self.timeline.reset()
        self._update_label()

    @property
    def time_window(self) -> tuple[str | None, str | None]:
        """The window's ISO bounds; None for an open side (or no window)."""
        sel = self.timeline.selection
        if sel is None:
            return None, None
        return (None if sel[0] == date.min else sel[0].isoformat(),
                None if sel[1] == date.max else sel[1].isoformat())

    def set_window(self, date_from: str | None, date_to: str | None) -> None:
        self.timeline.set_selection(
            date.fromisoformat(date_from) if date_from else None,
            date.fromisoformat(date_to) if date_to else None,
        )
        tl = self.timeline
        if tl.selection and tl.view and (tl.selection[1] - tl.selection[0]) * 12 < (
            tl.view[1] - tl.view[0]
        ):
            self.zoom_to_window()

    def zoom_to_window(self) -> None:
        """Zoom the timeline so the window fills about half of it."""
        tl = self.timeline
        if tl.selection is None or tl.extent is None:
            return
        lo, hi = max(tl.selection[0], tl.extent[0]), min(tl.selection[1], tl.extent[1])
        pad = max(timedelta(days=3), (hi - lo) / 2)
        tl.zoom_to(max(tl.extent[0], lo - pad), min(tl.extent[1], hi + pad))

    def zoom_in(self) -> None:
        """On the window when there is one, else back to the bulk of the events."""
        if self.timeline.selection is not None:
            self.zoom_to_window()
        else:
            self.timeline.show_default()
        self._update_label()

    def full_range(self) -> None:
        self.timeline.fit()
        self._update_label()

    def clear_window(self) -> None:
        self.play_button.setChecked(False)
        self.timeline.set_selection(None, None)

    # -- stepping and playing ------------------------------------------------------------------

    def step(self, direction: int) -> bool:
        """Move the window by one bar; without one, start a one-bar window on the first event
        in view (stepping back: the last). False past the first or last event."""
        tl = self.timeline
        bounds = data_bounds(tl.ranges)
        if bounds is None or tl.view is None:
            return False
        unit = tl.unit
        if tl.selection is None:
            start = (first_in_view if direction > 0 else last_in_view)(tl.ranges, tl.view)
            self._one_bar_at(start or tl.view[0])
            return True
        lo, hi = tl.selection
        if lo == date.min or hi == date.max:  # an open window steps from its closed end
            lo = floor(bounds[0] if lo == date.min else lo, unit)
            hi = shift(lo, unit) - timedelta(days=1)
        new_lo, new_hi = shift(lo, unit, direction), shift(hi + timedelta(days=1), unit,
                                                           direction) - timedelta(days=1)
        if new_lo > bounds[1] or new_hi < bounds[0]:
            return False
        tl.set_selection(new_lo, new_hi)
        self._keep_visible()
        return True

    def _one_bar_at(self, d: date) -> None:
        tl = self.timeline
        lo = floor(d, tl.unit)
        tl.set_selection(lo, shift(lo, tl.unit) - timedelta(days=1))
        self._keep_visible()

    def _keep_visible(self) -> None:
        tl = self.timeline
        if tl.selection and tl.view and (tl.selection[1] > tl.view[1]
                                         or tl.selection[0] < tl.view[0]):
            width = tl.view[1] - tl.view[0]
            lo = max(tl.extent[0], tl.selection[0] - width / 5)
            tl.zoom_to(lo, lo + width)

    def play(self, on: bool = True) -> None:
        self.play_button.setChecked(on)

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def _play_toggled(self, on: bool) -> None:
        self.play_button.setText("❚❚ Pause" if on else "▶ Play")
        if not on:
            self._timer.stop()
            return
        tl = self.timeline
        bounds = data_bounds(tl.ranges)
        if bounds is None or tl.view is None:
            self.play_button.setChecked(False)
            return
        if tl.selection is None or tl.selection[0] > bounds[1]:
            # from the first event the analyst looks at, not from the axis' empty start
            self._one_bar_at(first_in_view(tl.ranges, tl.view) or tl.view[0])
        self._timer.start()

    def _tick(self) -> None:
        if not self.step(1):
            self.play_button.setChecked(False)

    # -- labels --------------------------------------------------------------------------------

    def _window_changed(self, lo: date | None, hi: date | None) -> None:
        self._update_label()
        self.windowChanged.emit(*self.time_window)

    def _update_label(self) -> None:
        windowed = self.timeline.selection is not None
        self._update_zoom_buttons()
        self.all_button.setEnabled(windowed)
        if not windowed:
            self.range_label.set_full_text(
                NO_WINDOW, tooltip="Drag on the timeline to show only the events of a period")
        else:
            date_from, date_to = self.time_window
            text = format_range(date_from, date_to)
            self.range_label.set_full_text(
                text, bold=True, tooltip=f"Showing events from {date_from or 'any date'} to "
                                         f"{date_to or 'any date'}")
        self._place_label()

    def _update_zoom_buttons(self) -> None:
        tl = self.timeline
        self.zoom_button.setEnabled(tl.selection is not None or tl.view != tl.default_range)
        self.fit_button.setEnabled(tl.view != tl.extent)

    # -- the period label's room ---------------------------------------------------------------

    def _label_width(self) -> int:
        """What the label needs to show its text, and any window's, whole."""
        bold = QFont(self.range_label.font())
        bold.setBold(True)
        longest = max(QFontMetrics(bold).horizontalAdvance(RANGE_LONGEST),
                      QFontMetrics(self.range_label.font()).horizontalAdvance(
                          self.range_label.full_text()))
        return longest + 6

    def _others_width(self) -> int:
        """The row of controls without the label, at the widths they ask for."""
        row = self._controls
        items = [row.itemAt(i) for i in range(row.count())]
        items = [i for i in items if i.widget() is not self.range_label
                 and not (i.spacerItem() and i.expandingDirections())]
        return sum(i.sizeHint().width() for i in items) + row.spacing() * len(items)

    def _place_label(self) -> None:
        label = self.range_label
        needed = self._label_width()
        label.setMinimumWidth(needed)
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        own_row = self._others_width() + needed > room
        in_row = self._controls.indexOf(label) >= 0
        if own_row and in_row:
            self._controls.removeWidget(label)
            self._controls.insertStretch(LABEL_INDEX, 1)
            self._label_row.addWidget(label, 1)
        elif not own_row and not in_row:
            self._label_row.removeWidget(label)
            self._controls.takeAt(LABEL_INDEX)  # the stretch that held its place
            self._controls.insertWidget(LABEL_INDEX, label, 1)

    @property
    def label_on_own_row(self) -> bool:
        return self._label_row.indexOf(self.range_label) >= 0

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_label()
