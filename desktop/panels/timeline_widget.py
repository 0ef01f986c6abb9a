"""The painted timeline: bars of events per day/week/month/year and a draggable time window.

It opens on the bulk of the events (desktop.timeline_range); the events outside the view are
counted at its edges, and clicking a count (or `fit`) shows the full range.
"""

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
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from desktop.formatting import format_range, plural
from desktop.recent import Recent
from desktop.timeline_bins import Bin, choose_unit, floor, histogram, shift
from desktop.timeline_range import DateRange, default_view, full_extent, moved, outside, replaces

DATED = QColor("#2f6db5")
ONGOING = QColor("#a9c3e3")
SELECTION = QColor(255, 214, 120, 90)
HANDLE = QColor("#c27c00")
DIM = QColor(246, 247, 249, 170)
AXIS = QColor("#5f6b7a")
GRID = QColor("#e3e7ed")
EDGE_BOX = QColor(255, 255, 255, 215)
HANDLE_GRAB_PX = 7
MIN_BAR_PX = 6


NO_DATED_EVENTS = "No dated events to show"


class TimelineWidget(QWidget):
    """`windowChanged(date | None, date | None)`: the selected window, inclusive; None = open."""

    windowChanged = Signal(object, object)
    viewChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self._ranges: list[DateRange] = []
        self.extent: DateRange | None = None  # the full range, padded: the farthest zoom-out
        self.default_range: DateRange | None = None  # the bulk of the events: the first view
        self.view: DateRange | None = None
        self.selection: DateRange | None = None
        self.bins: list[Bin] = []
        self.empty_text = NO_DATED_EVENTS  # what the empty plot says
        self.unit = "month"
        self.auto_view = True  # the view follows the data until the analyst zooms
        self.before: list[DateRange] = []  # events wholly before the view
        self.after: list[DateRange] = []  # and after it
        self._edges: dict[str, QRectF] = {}  # where their counts are painted
        self._drag: str | None = None  # "lo", "hi", "move", "new" (pressed, not yet dragged)
        self._drag_origin: tuple[int, DateRange | None] = (0, None)
        # by the ranges list (desktop.recent: found by identity, the list kept alive)
        self._bounded: Recent[tuple] = Recent(4)  # (extent, default view) of the last lists
        self._binned: Recent[tuple] = Recent(4)  # (bins, before, after) of the last views

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, 120)

    @property
    def ranges(self) -> list[DateRange]:
        return self._ranges

    # -- data ----------------------------------------------------------------------------------

    def set_ranges(self, ranges: list[DateRange], reset: bool = False) -> None:
        """New event data. The view moves to the bulk of the new events unless the analyst
        zoomed and the data only grew or shrank (an import, a filter): then it stays where it
        still shows some. `reset`, or data that replaces the old (another workspace), forgets
        the zoom."""
        if reset or (not self.auto_view and replaces(self._ranges, ranges)):
            self.auto_view = True
        self._ranges = ranges
        self.extent, self.default_range = self._bounds(ranges)
        if self.extent is None:
            self.view = None
        elif (self.auto_view or self.view is None or self.view[1] < self.extent[0]
              or self.view[0] > self.extent[1]):
            self.view = self.default_range
            self.auto_view = True
        self._rebin()

    def _bounds(self, ranges: list[DateRange]) -> tuple[DateRange | None, DateRange | None]:
        """(full extent, default view) of these ranges, remembered for the last few lists:
        clearing a filter gives back a list the timeline has drawn a moment ago."""
        return self._bounded.get(ranges, lambda: (full_extent(ranges), default_view(ranges)))

    def forget_lists(self) -> None:
        """Drop the bounds and bins kept for the lists shown before."""
        self._bounded.clear()
        self._binned.clear()

    def reset(self) -> None:
        """Forget the window and the zoom without telling anyone (another workspace opens): the
        next `set_ranges` shows the bulk of its events."""
        self.selection = None
        self.auto_view = True
        self._drag = None
        self.update()

    def fit(self) -> None:
        """Show the full range, outliers included."""
        self.view = self.extent
        self.auto_view = False
        self._rebin()

    def show_default(self) -> None:
        """Back to the bulk of the events."""
        self.view = self.default_range
        self.auto_view = True
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
        self.auto_view = False
        self._rebin()

    def _rebin(self) -> None:
        if self.view is None:
            self.bins, self.before, self.after = [], [], []
        else:
            lo, hi = self.view
            max_bins = max(10, int(self._plot().width() // MIN_BAR_PX))
            self.unit = choose_unit(lo, hi, max_bins)
            ranges, view, unit = self._ranges, self.view, self.unit
            self.bins, self.before, self.after = self._binned.get(
                ranges, lambda: (histogram(ranges, lo, hi, unit), *outside(ranges, view)),
                lo, hi, unit)
        self.update()
        self.viewChanged.emit()

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
        return self._clamped_x(lo), self._clamped_x(moved(hi, 1))

    # -- painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), QColor("#fbfcfd"))
        plot = self._plot()
        if not self.bins or self.view is None:
            p.setPen(AXIS)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
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
        self._paint_edges(p, plot)

    def _paint_grid(self, p: QPainter, plot: QRectF, peak: int) -> None:
        p.setPen(QPen(GRID, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.setPen(AXIS)
        header = f"Events per {self.unit} (highest bar: {peak})"
        p.drawText(QRectF(plot.left(), 1, plot.width(), 15), Qt.AlignmentFlag.AlignLeft, header)
        metrics = QFontMetrics(self.font())
        room = plot.width() - metrics.horizontalAdvance(header) - 12
        # a narrow timeline keeps the header whole and shortens its legend, or leaves it out
        for texts in (("longer date ranges", f"dated within one {self.unit}"),
                      ("longer", f"in one {self.unit}")):
            if sum(metrics.horizontalAdvance(t) + 26 for t in texts) <= room:
                break
        else:
            return
        x = plot.right()
        for color, text in zip((ONGOING, DATED), texts, strict=True):
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

    def _paint_edges(self, p: QPainter, plot: QRectF) -> None:
        """ "◂ 2 earlier" and "1 later ▸": the events outside the view, a click from sight."""
        self._edges = {}
        metrics = QFontMetrics(self.font())
        for side, events, text in (("before", self.before, f"◂ {len(self.before)} earlier"),
                                   ("after", self.after, f"{len(self.after)} later ▸")):
            if not events:
                continue
            w, h = metrics.horizontalAdvance(text) + 10, metrics.height() + 4
            left = plot.left() + 2 if side == "before" else plot.right() - 2 - w
            box = QRectF(left, plot.top() + 2, w, h)
            p.setPen(QPen(GRID, 1))
            p.setBrush(EDGE_BOX)
            p.drawRoundedRect(box, 3, 3)
            p.setPen(AXIS)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            self._edges[side] = box

    def _edge_tip(self, side: str) -> str:
        events = self.before if side == "before" else self.after
        first = min(a for a, _ in events).isoformat()
        last = max(b for _, b in events).isoformat()
        where = "before" if side == "before" else "after"
        return (f"{plural(len(events), 'event')} {where} this view ({format_range(first, last)})"
                "\nClick to show the full range")

    # -- interaction ---------------------------------------------------------------------------

    def _hit(self, x: float) -> str:
        """What a press at x grabs: a visible handle, the window (to move it, when some of what
        lies outside it is in view) or nothing ("new": a drag there starts a new window)."""
        px = self._selection_px()
        if px is None:
            return "new"
        plot = self._plot()
        for side, edge in (("lo", px[0]), ("hi", px[1])):
            if plot.left() <= edge <= plot.right() and abs(x - edge) <= HANDLE_GRAB_PX:
                return side
        covers_view = px[0] < plot.left() and px[1] > plot.right()
        return "move" if px[0] < x < px[1] and not covers_view else "new"

    def _edge_at(self, event: QMouseEvent) -> str | None:
        return next((side for side, box in self._edges.items()
                     if box.contains(event.position())), None)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.view is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if self._edge_at(event):
            self.fit()
            return
        x = event.position().x()
        self._drag = self._hit(x)
        self._drag_origin = (int(x), self.selection)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.view is None:
            return
        x = event.position().x()
        if self._drag is None:
            edge = self._edge_at(event)
            cursor = {"lo": Qt.CursorShape.SizeHorCursor, "hi": Qt.CursorShape.SizeHorCursor,
                      "move": Qt.CursorShape.OpenHandCursor}.get(self._hit(x))
            if edge:
                cursor = Qt.CursorShape.PointingHandCursor
            self.setCursor(cursor or Qt.CursorShape.CrossCursor)
            if edge:
                QToolTip.showText(event.globalPosition().toPoint(), self._edge_tip(edge), self)
            else:
                self._show_tip(event)
            return
        d = self.date_at(x)
        start_x, original = self._drag_origin
        if self._drag == "new":
            if abs(x - start_x) < QApplication.startDragDistance():
                return
            anchor = self.date_at(start_x)
            self._drag = "hi" if d >= anchor else "lo"
            self.set_selection(min(anchor, d), max(anchor, d))
            return
        lo, hi = self.selection or (d, d)
        if self._drag == "lo":
            lo = d
        elif self._drag == "hi":
            hi = d
        elif self._drag == "move" and original:
            days = (self.date_at(x) - self.date_at(start_x)).days
            lo, hi = moved(original[0], days), moved(original[1], days)
        if lo > hi:
            lo, hi = hi, lo
            self._drag = {"lo": "hi", "hi": "lo"}.get(self._drag, self._drag)
        self.set_selection(lo, hi)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag == "new" and event.button() == Qt.MouseButton.LeftButton:
            self._select_bar_at(event.position().x())  # a click: the bar under the pointer
        self._drag = None

    def _select_bar_at(self, x: float) -> None:
        plot = self._plot()
        if not plot.left() <= x <= plot.right():
            return
        d = self.date_at(x)
        b = next((b for b in self.bins if b.start <= d < b.end), None)
        if b is not None:
            self.set_selection(b.start, b.end - timedelta(days=1))

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

