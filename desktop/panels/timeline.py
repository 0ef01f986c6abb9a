"""The timeline dock: the painted timeline, stepping and playing through time, undated events."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QSize, QTimer, Signal
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
from desktop.timeline_bins import floor, shift
from store.models import EventRecord

PLAY_INTERVAL_MS = 900
RANGE_SAMPLE = "10–13 Sep 2023"  # a typical window: the label shows at least this much


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
        self.zoom_button.setToolTip("Zoom the timeline in on the time window")
        self.zoom_button.clicked.connect(self.zoom_to_window)
        self.fit_button = QToolButton(self)
        self.fit_button.setText("−")
        self.fit_button.setToolTip("Zoom the timeline out to the whole time span "
                                   "(the mouse wheel zooms too)")
        self.fit_button.clicked.connect(self.timeline.fit)
        self.undated = QCheckBox("Undated", self)
        self.undated.setChecked(True)
        self.undated.setToolTip("Show the events whose passages give no date (Ctrl+U)")
        self.undated.toggled.connect(self.undatedToggled)

        controls = QHBoxLayout()
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(controls)
        layout.addWidget(self.timeline, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(PLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._update_label()

    # -- data ----------------------------------------------------------------------------------

    def set_events(self, events: list[EventRecord]) -> None:
        """The events to count (all dates); undated ones only feed the checkbox label."""
        ranges = [
            (date.fromisoformat(e.date_start), date.fromisoformat(e.date_end or e.date_start))
            for e in events if e.on_timeline
        ]
        self.timeline.set_ranges(ranges)
        self.undated.setText(f"Undated ({len(events) - len(ranges):,})")
        self._update_label()

    @property
    def time_window(self) -> tuple[str | None, str | None]:
        sel = self.timeline.selection
        if sel is None:
            return None, None
        return sel[0].isoformat(), sel[1].isoformat()

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

    def clear_window(self) -> None:
        self.play_button.setChecked(False)
        self.timeline.set_selection(None, None)

    # -- stepping and playing ------------------------------------------------------------------

    def step(self, direction: int) -> bool:
        """Move the window by one bar; start a one-bar window when there is none."""
        tl = self.timeline
        if tl.extent is None:
            return False
        unit = tl.unit
        if tl.selection is None:
            lo = floor(tl.view[0] if tl.view else tl.extent[0], unit)
            if direction < 0:
                lo = floor(tl.extent[1], unit)
            tl.set_selection(lo, shift(lo, unit) - timedelta(days=1))
            return True
        lo, hi = tl.selection
        new_lo, new_hi = shift(lo, unit, direction), shift(hi + timedelta(days=1), unit,
                                                           direction) - timedelta(days=1)
        if new_lo > tl.extent[1] or new_hi < tl.extent[0]:
            return False
        tl.set_selection(new_lo, new_hi)
        self._keep_visible()
        return True

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
        if tl.extent is None:
            self.play_button.setChecked(False)
            return
        if tl.selection is None or tl.selection[0] >= tl.extent[1]:
            lo = floor((tl.view or tl.extent)[0], tl.unit)  # from what the analyst looks at
            tl.set_selection(lo, shift(lo, tl.unit) - timedelta(days=1))
        self._timer.start()

    def _tick(self) -> None:
        if not self.step(1):
            self.play_button.setChecked(False)

    # -- labels --------------------------------------------------------------------------------

    def _window_changed(self, lo: date | None, hi: date | None) -> None:
        self._update_label()
        self.windowChanged.emit(*self.time_window)

    def _update_label(self) -> None:
        date_from, date_to = self.time_window
        self.zoom_button.setEnabled(date_from is not None)
        self.all_button.setEnabled(date_from is not None)
        if date_from is None:
            self.range_label.set_full_text("All dates — drag on the timeline to filter")
        else:
            text = format_range(date_from, date_to)
            self.range_label.set_full_text(
                text, bold=True, tooltip=f"Showing events from {date_from} to {date_to}")
