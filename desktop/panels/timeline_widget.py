"""The painted timeline: bars of events per day/week/month/year and a draggable time window."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.formatting import format_range, plural
from desktop.timeline_bins import Bin, choose_unit, floor, histogram, shift

DATED = QColor("#2f6db5")
ONGOING = QColor("#a9c3e3")
SELECTION = QColor(255, 214, 120, 90)
HANDLE = QColor("#c27c00")
DIM = QColor(246, 247, 249, 170)
AXIS = QColor("#5f6b7a")
GRID = QColor("#e3e7ed")
HANDLE_GRAB_PX = 7
MIN_BAR_PX = 6


class TimelineWidget(QWidget):
    """`windowChanged(date | None, date | None)`: the selected window, inclusive; None = open."""

    windowChanged = Signal(object, object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._ranges: list[tuple[date, date]] = []
        self.extent: tuple[date, date] | None = None
        self.view: tuple[date, date] | None = None
        self.selection: tuple[date, date] | None = None
        self.bins: list[Bin] = []
        self.unit = "month"
        self._drag: str | None = None  # "lo", "hi", "move", "new"
        self._drag_origin: tuple[int, tuple[date, date] | None] = (0, None)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, 120)

    # -- data ----------------------------------------------------------------------------------

    def set_ranges(self, ranges: list[tuple[date, date]]) -> None:
        """New event data; keeps the view and the window where they still make sense."""
        self._ranges = ranges
        if ranges:
            lo = min(a for a, _ in ranges)
            hi = max(b for _, b in ranges)
            pad = max(1, (hi - lo).days // 40)
            self.extent = (lo - timedelta(days=pad), hi + timedelta(days=pad))
        else:
            self.extent = None
        if self.extent is None:
            self.view = None
        elif self.view is None or self.view[1] < self.extent[0] or self.view[0] > self.extent[1]:
            self.view = self.extent
        self._rebin()

    def fit(self) -> None:
        self.view = self.extent
        self._rebin()

    def set_selection(self, lo: date | None, hi: date | None, emit: bool = True) -> None:
        new = None if lo is None and hi is None else (lo or date.min, hi or date.max)
        if new and new[0] > new[1]:
            new = (new[1], new[0])
        if new == self.selection:
            return
        self.selection = new
        self.update()
        if emit:
            self.windowChanged.emit(*(new or (None, None)))

    def zoom_to(self, lo: date, hi: date) -> None:
        self.view = (lo, max(hi, lo + timedelta(days=6)))
        self._rebin()

    def _rebin(self) -> None:
        if self.view is None:
            self.bins = []
        else:
            lo, hi = self.view
            max_bins = max(10, int(self._plot().width() // MIN_BAR_PX))
            self.unit = choose_unit(lo, hi, max_bins)
            self.bins = histogram(self._ranges, lo, hi, self.unit)
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rebin()

    # -- geometry ------------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(10, 18, max(10, self.width() - 20), max(10, self.height() - 40))

    def x_of(self, d: date) -> float:
        assert self.view is not None
        lo, hi = self.view
        plot = self._plot()
        span = (hi - lo).days + 1
        return plot.left() + (d.toordinal() - lo.toordinal()) / span * plot.width()

    def date_at(self, x: float) -> date:
        assert self.view is not None
        lo, hi = self.view
        plot = self._plot()
        span = (hi - lo).days + 1
        offset = int((x - plot.left()) / plot.width() * span)
        return lo + timedelta(days=min(max(offset, -36500), 36500))

    def _clamped_x(self, d: date) -> float:
        plot = self._plot()
        if d <= self.view[0]:
            return plot.left() - (2 if d < self.view[0] else 0)
        if d > self.view[1]:
            return plot.right() + 2
        return self.x_of(d)

    def _selection_px(self) -> tuple[float, float] | None:
        if self.selection is None or self.view is None:
            return None
        lo, hi = self.selection
        return self._clamped_x(lo), self._clamped_x(hi + timedelta(days=1))

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), QColor("#fbfcfd"))
        plot = self._plot()
        if not self.bins or self.view is None:
            p.setPen(AXIS)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No dated events to show")
            return
        peak = max(1, max(b.total for b in self.bins))
        self._paint_grid(p, plot, peak)
        px = self._selection_px()
        if px is not None:
            p.fillRect(QRectF(px[0], plot.top(), px[1] - px[0], plot.height()), SELECTION)
        for b in self.bins:
            x0, x1 = self.x_of(b.start), self.x_of(b.end)
            left, width = x0 + 0.5, max(1.0, x1 - x0 - 1.5)
            h_on = plot.height() * b.ongoing / peak
            h_dated = plot.height() * b.dated / peak
            if b.ongoing:
                p.fillRect(QRectF(left, plot.bottom() - h_on, width, h_on), ONGOING)
            if b.dated:
                p.fillRect(QRectF(left, plot.bottom() - h_on - h_dated, width, h_dated), DATED)
        self._paint_axis(p, plot)
        self._paint_selection(p, plot)

    def _paint_grid(self, p: QPainter, plot: QRectF, peak: int) -> None:
        p.setPen(QPen(GRID, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.setPen(AXIS)
        p.drawText(QRectF(plot.left(), 1, plot.width(), 15), Qt.AlignmentFlag.AlignLeft,
                   f"Events per {self.unit} (highest bar: {peak})")
        metrics = QFontMetrics(self.font())
        x = plot.right()
        for color, text in ((ONGOING, "longer date ranges"),
                            (DATED, f"dated within one {self.unit}")):
            x -= metrics.horizontalAdvance(text) + 16
            p.fillRect(QRectF(x, 5, 10, 8), color)
            p.drawText(QPointF(x + 14, 13), text)
            x -= 10

    def _paint_axis(self, p: QPainter, plot: QRectF) -> None:
        lo, hi = self.view
        span = (hi - lo).days
        label_unit = "year" if span > 3 * 365 else "month" if span > 75 else "day"
        metrics = QFontMetrics(self.font())
        d = floor(lo, label_unit)
        if d < lo:
            d = shift(d, label_unit)
        last_right = -1e9
        p.setPen(AXIS)
        while d <= hi:
            x = self.x_of(d)
            if label_unit == "year":
                text = str(d.year)
            elif label_unit == "month":
                text = f"{d:%b %Y}" if d.month == 1 or last_right < 0 else f"{d:%b}"
            else:
                text = f"{d.day} {d:%b}"
            w = metrics.horizontalAdvance(text)
            if x - w / 2 > last_right + 8 and x + w / 2 < self.width():
                p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
                p.drawText(QPointF(max(0.0, x - w / 2), plot.bottom() + 17), text)
                last_right = x + w / 2
            d = shift(d, label_unit) if label_unit != "day" else d + timedelta(
                days=max(1, span // 12))

    def _paint_selection(self, p: QPainter, plot: QRectF) -> None:
        px = self._selection_px()
        if px is None:
            return
        x0, x1 = px
        p.fillRect(QRectF(plot.left(), plot.top(), max(0, x0 - plot.left()), plot.height()), DIM)
        p.fillRect(QRectF(x1, plot.top(), max(0, plot.right() - x1), plot.height()), DIM)
        for x in (x0, x1):
            if plot.left() - 1 <= x <= plot.right() + 1:
                p.setPen(QPen(HANDLE, 2))
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
                p.setBrush(HANDLE)
                p.setPen(Qt.PenStyle.NoPen)
                p.drawRoundedRect(QRectF(x - 4, plot.center().y() - 10, 8, 20), 3, 3)

    # -- interaction ---------------------------------------------------------------------------

    def _hit(self, x: float) -> str:
        px = self._selection_px()
        if px is None:
            return "new"
        if abs(x - px[0]) <= HANDLE_GRAB_PX:
            return "lo"
        if abs(x - px[1]) <= HANDLE_GRAB_PX:
            return "hi"
        return "move" if px[0] < x < px[1] else "new"

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.view is None or event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        self._drag = self._hit(x)
        self._drag_origin = (int(x), self.selection)
        if self._drag == "new":
            d = self.date_at(x)
            self.set_selection(d, d)
            self._drag = "hi"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.view is None:
            return
        x = event.position().x()
        if self._drag is None:
            cursor = {"lo": Qt.CursorShape.SizeHorCursor, "hi": Qt.CursorShape.SizeHorCursor,
                      "move": Qt.CursorShape.OpenHandCursor}.get(self._hit(x))
            self.setCursor(cursor or Qt.CursorShape.CrossCursor)
            self._show_tip(event)
            return
        d = self.date_at(x)
        start_x, original = self._drag_origin
        lo, hi = self.selection or (d, d)
        if self._drag == "lo":
            lo = d
        elif self._drag == "hi":
            hi = d
        elif self._drag == "move" and original:
            days = (self.date_at(x) - self.date_at(start_x)).days
            lo, hi = original[0] + timedelta(days=days), original[1] + timedelta(days=days)
        if lo > hi:
            lo, hi = hi, lo
            self._drag = {"lo": "hi", "hi": "lo"}.get(self._drag, self._drag)
        self.set_selection(lo, hi)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._drag = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.set_selection(None, None)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.view is None or self.extent is None:
            return
        anchor = self.date_at(event.position().x())
        factor = 0.8 if event.angleDelta().y() > 0 else 1.25
        lo, hi = self.view
        new_lo = anchor - timedelta(days=int((anchor - lo).days * factor))
        new_hi = anchor + timedelta(days=int((hi - anchor).days * factor))
        new_lo, new_hi = max(new_lo, self.extent[0]), min(new_hi, self.extent[1])
        if (new_hi - new_lo).days >= 6:
            self.zoom_to(new_lo, new_hi)

    def _show_tip(self, event: QMouseEvent) -> None:
        d = self.date_at(event.position().x())
        b = next((b for b in self.bins if b.start <= d < b.end), None)
        if b is None:
            QToolTip.hideText()
            return
        text = f"{format_range(b.start.isoformat(), (b.end - timedelta(days=1)).isoformat())}\n"
        text += plural(b.dated, "event") + " dated in this " + self.unit
        if b.ongoing:
            text += f"\n{plural(b.ongoing, 'longer event')} overlapping it"
        QToolTip.showText(event.globalPosition().toPoint(), text, self)
