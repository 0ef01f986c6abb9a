"""Snapshots of the map: PNG (screen or 2x), a PDF report, a standalone offline HTML map.

``export_current_view`` exports what a MapView shows (the window's Export menu);
``export_view`` builds a view of a workspace fitted to its events, headless if need be
(``eventmap export --format png|pdf|html``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSize, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QLinearGradient,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from desktop.formatting import plural
from geo.mapping import DATE_RAMP, UNDATED_COLOUR, standalone_html
from store.errors import EventmapError
from store.event_facets import EventFacets
from store.models import EventRecord

log = logging.getLogger(__name__)

FORMATS = ("png", "png2x", "pdf", "html")
DEFAULT_SIZE = QSize(1600, 1000)  # CSS pixels of a headless export's map
# A PDF's map is drawn at twice this size and printed 273 mm wide (A4 landscape): the legend's
# 11 px text then prints at about 7 pt, and the map's own labels stay legible.
PDF_SIZE = QSize(1200, 720)
REPORT_EVENT_ROWS = 300  # events listed in a PDF report; the rest are counted
# articles listed in its sources table, likewise: 96,000 of them took 2,500 pages and a minute
REPORT_SOURCE_ROWS = 300

DateRange = tuple[str | None, str | None] | str | None


class SnapshotError(EventmapError):
    """A snapshot could not be written."""


def export_view(
    db_path: str | Path,
    fmt: str,
    out: str | Path,
    date_from: str | None = None,
    date_to: str | None = None,
    *,
    scale: float | None = None,
    size: QSize | None = None,
    include_undated: bool = True,
) -> Path:
    """Export a workspace's map fitted to its events (within the dates) as png, pdf or html.

    ``size`` is the map's size in CSS pixels (default: 1600x1000, for a PDF 1200x720);
    ``scale`` its resolution (default: 1 for png, 2 for pdf).
    Works without a display: creates an offscreen QApplication when there is none.
    """
    from store.workspace import Workspace

    if fmt not in FORMATS:
        raise SnapshotError(f"Unknown snapshot format {fmt!r}; use one of {', '.join(FORMATS)}.")
    with Workspace(db_path) as ws:
        events = ws.events(date_from, date_to, include_undated=include_undated,
                           facets=EventFacets())  # as the map draws them: no hypothetical
        title = snapshot_title(events)
    if fmt == "html":
        return _write_html(events, out, title, range_label((date_from, date_to), events))

    from desktop.map_view import MapView, delete_now, prepare_webengine

    app = QApplication.instance()
    if app is None:
        prepare_webengine(offscreen=True, quiet=True)
        app = QApplication(["eventmap"])
    view = MapView()
    try:
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        view.resize(size or (PDF_SIZE if fmt == "pdf" else DEFAULT_SIZE))
        view.show()
        view.wait_ready()
        view.set_events(events)
        view.fit_events()
        return export_current_view(view, fmt, out, events, (date_from, date_to), title=title,
                                   scale=scale)
    finally:
        view.close()
        delete_now(view)


def export_current_view(
    map_view,
    fmt: str,
    out: str | Path,
    events: Sequence[EventRecord],
    date_range: DateRange = None,
    *,
    title: str | None = None,
    scale: float | None = None,
    filters: Sequence[str] = (),
) -> Path:
    """Export what ``map_view`` shows. ``fmt``: png, png2x (twice the resolution), pdf, html.

    ``events`` are the events shown (with their sources, for the PDF's list and the HTML
    popups); ``date_range`` is the time filter, (from, to) ISO dates or a label; ``filters``
    the other filters in force, as phrases. A PNG carries the title, range and filters in a
    caption on the map; the PDF prints them above it.
    """
    out = Path(out)
    title = title or snapshot_title(events)
    label = range_label(date_range, events)
    if fmt in ("png", "png2x"):
        map_view.set_caption(title, f"Time range: {label}", filters)
        image = map_view.grab_image(scale or (2.0 if fmt == "png2x" else 1.0))
        _save_png(image, out)
        return out
    taken = take_view(map_view, fmt, out, title, label, filters, scale=scale)
    return finish_view(taken, events)


@dataclass(frozen=True)
class TakenView:
    """What a PDF or an HTML export takes of the map at once (the picture, or where it looks)
    while the shown events' sources are read, perhaps elsewhere: `finish_view` writes it."""

    fmt: str
    out: Path
    title: str
    label: str
    filters: tuple[str, ...]
    image: QImage | None = None  # the PDF's map
    view: dict | None = None  # the HTML map's centre and zoom


def take_view(map_view, fmt: str, out: str | Path, title: str, label: str,
              filters: Sequence[str] = (), *, scale: float | None = None) -> TakenView:
    """The map as it is now, for a PDF or an HTML export of it."""
    if fmt == "pdf":
        return TakenView(fmt, Path(out), title, label, tuple(filters),
                         image=map_view.grab_image(scale or 2.0))
    if fmt == "html":
        view = map_view.evaluate("eventmap.view()") if map_view is not None else None
        return TakenView(fmt, Path(out), title, label, tuple(filters), view=view)
    raise SnapshotError(f"Unknown snapshot format {fmt!r}; use one of {', '.join(FORMATS)}.")


def finish_view(taken: TakenView, events: Sequence[EventRecord]) -> Path:
    """Write a PDF or an HTML export of the map as taken, with these events (with their
    sources)."""
    if taken.fmt == "pdf" and taken.image is not None:
        write_pdf_report(taken.out, taken.image, events, taken.title, taken.label, taken.filters)
        return taken.out
    return _write_html(list(events), taken.out, taken.title, taken.label, taken.view)


def write_pdf_report(
    out: str | Path, map_image: QImage, events: Sequence[EventRecord], title: str, label: str,
    filters: Sequence[str] = (),
) -> Path:
    """A PDF: title, time range and filters, the map and its legend on the first page (the map
    scaled to fit it), then the cited sources and the events."""
    out = Path(out)
    writer = QPdfWriter(str(out))
    writer.setTitle(title)
    writer.setCreator("Eventmap")
    writer.setResolution(150)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
        QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter,
    ))
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setDocumentMargin(0)
    # QTextDocument.print_ lays out at 96 dpi over the printable width of the page.
    width = writer.pageLayout().paintRect(QPageLayout.Unit.Inch).width() * 96
    doc.setPageSize(QSizeF(width, writer.pageLayout().paintRect(QPageLayout.Unit.Inch).height()
                           * 96))
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("eventmap:map"), map_image)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("eventmap:ramp"),
                    _ramp_image())
    height = doc.pageSize().height()
    aspect = map_image.height() / max(map_image.width(), 1)
    # The map gets what the header and the legend leave of the first page.
    room = height - _laid_out_height(_header_html(events, title, label, filters)
                                     + _legend_html(events), width) - 24
    map_width = int(min(width, room / aspect))
    map_height = int(map_width * aspect)
    doc.setHtml(_report_html(events, title, label, map_width, map_height, filters))
    doc.print_(writer)
    del writer  # closes the file
    if not out.is_file() or out.stat().st_size == 0:
        raise SnapshotError(f"Could not write the PDF {out}.")
    return out


def _laid_out_height(html_text: str, width: float) -> float:
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setDocumentMargin(0)
    doc.setTextWidth(width)
    doc.setHtml(html_text)
    return doc.size().height()


def _header_html(events: Sequence[EventRecord], title: str, label: str,
                 filters: Sequence[str]) -> str:
    esc = html.escape
    shown = f"Filters: {esc('; '.join(filters))}" if filters else "No filter beyond the dates"
    return (
        f"<h2 style='margin:0'>{esc(title)}</h2>"
        f"<p style='color:#444'>Time range: {esc(label)} &nbsp;·&nbsp; {len(events):,} events"
        f" &nbsp;·&nbsp; exported {date.today().isoformat()}<br>{shown}</p>"
    )


def _legend_html(events: Sequence[EventRecord]) -> str:
    esc = html.escape
    dated = sorted(e.date_start for e in events if e.date_start)
    span = f"<td>{esc(dated[0])} → {esc(dated[-1])}</td>" if dated else ""
    return (
        "<table cellspacing='0' cellpadding='3'><tr>"
        "<td><b>Legend</b> &nbsp; Event date (colours follow the order of start dates):</td>"
        f"<td><img src='eventmap:ramp' width='240' height='12'></td>{span}"
        f"<td>&nbsp;<span style='color:{UNDATED_COLOUR}'>●</span> undated</td></tr></table>"
        "<p>Each glyph is a kind of event (the key is on the map); a hollow, dashed glyph is a "
        "planned event. Size grows with the number of source passages; a numbered disc is a "
        "cluster of nearby events, its ring their dates. The map's sources are credited in its "
        "corner.</p>"
    )


def _report_html(events: Sequence[EventRecord], title: str, label: str, map_width: int,
                 map_height: int, filters: Sequence[str] = ()) -> str:
    return "\n".join([
        _header_html(events, title, label, filters),
        f"<p><img src='eventmap:map' width='{map_width}' height='{map_height}'></p>",
        _legend_html(events),
        f"<div style='page-break-before:always'>{_sources_table(events)}</div>",
        _events_table(events),
    ])


def _sources_table(events: Sequence[EventRecord]) -> str:
    esc = html.escape
    docs: dict[int, tuple[str, str, str]] = {}
    passages: dict[int, set[int]] = {}
    for e in events:
        for s in e.sources:
            docs.setdefault(s.document_id, (s.title, s.outlet or "", s.published or ""))
            passages.setdefault(s.document_id, set()).add(s.passage_id)
    rows = sorted(((*docs[d], len(passages[d])) for d in docs), key=lambda r: (r[2], r[0]))
    out = [f"<h3>Sources cited ({len(rows)})</h3>",
           "<table cellspacing='0' cellpadding='3' border='0' width='100%'>",
           "<tr style='background:#e8ebf0'><th align='left'>Document</th>"
           "<th align='left'>Outlet</th><th align='left'>Published</th>"
           "<th align='right'>Passages cited</th></tr>"]
    for i, (title, outlet, published, n) in enumerate(rows[:REPORT_SOURCE_ROWS]):
        shade = " style='background:#f6f7f9'" if i % 2 else ""
        out.append(f"<tr{shade}><td>{esc(title or 'untitled')}</td><td>{esc(outlet)}</td>"
                   f"<td>{esc(published)}</td><td align='right'>{n}</td></tr>")
    out.append("</table>")
    if len(rows) > REPORT_SOURCE_ROWS:
        out.append(f"<p>… and {len(rows) - REPORT_SOURCE_ROWS:,} more articles.</p>")
    return "".join(out)


def _events_table(events: Sequence[EventRecord]) -> str:
    esc = html.escape
    out = [f"<h3>Events ({len(events):,})</h3>",
           "<table cellspacing='0' cellpadding='2' border='0' width='100%'>",
           "<tr style='background:#e8ebf0'><th align='left'>Place</th><th align='left'>Kind</th>"
           "<th align='left'>Date</th><th align='left'>As written</th>"
           "<th align='right'>Sources</th></tr>"]
    for i, e in enumerate(events[:REPORT_EVENT_ROWS]):
        when = _when(e)
        shade = " style='background:#f6f7f9'" if i % 2 else ""
        place = e.place + (" (approximate)" if e.approximate else "")
        out.append(f"<tr{shade}><td>{esc(place)}</td><td>{esc(e.kind)}</td><td>{esc(when)}</td>"
                   f"<td>{esc(e.date_text or '')}</td><td align='right'>{e.source_count}</td></tr>")
    out.append("</table>")
    if len(events) > REPORT_EVENT_ROWS:
        out.append(f"<p>… and {len(events) - REPORT_EVENT_ROWS:,} more events.</p>")
    return "".join(out)


def _when(e: EventRecord) -> str:
    if not e.date_start:
        return f"undated (reported {e.reported})" if e.reported else "undated"
    if e.date_end and e.date_end != e.date_start:
        return f"{e.date_start} – {e.date_end}"
    return e.date_start


def _ramp_image() -> QImage:
    image = QImage(480, 24, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, image.width(), 0)
    for i, colour in enumerate(DATE_RAMP):
        gradient.setColorAt(i / (len(DATE_RAMP) - 1), QColor(colour))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    return image


def range_label(date_range: DateRange, events: Sequence[EventRecord]) -> str:
    """The time range a snapshot says it shows: the filter's, or the events' dates."""
    if isinstance(date_range, str):
        return date_range
    start, end = date_range if date_range else (None, None)
    undated = sum(1 for e in events if not e.date_start)
    if start or end:
        label = f"{start or 'any date'} – {end or 'any date'}"
    else:
        dated = [e for e in events if e.date_start]
        label = "all dates"
        if dated:
            first = min(e.date_start for e in dated)
            last = max(e.date_end or e.date_start for e in dated)
            label = f"all dates ({first} – {last})"
    if undated:
        label += f", with {undated:,} undated event{'s' if undated != 1 else ''}"
    return label


def snapshot_title(events: Sequence[EventRecord]) -> str:
    """ "Eventmap — 6 events from 5 articles": the articles the events cite, not the
    workspace's."""
    return titled(len(events), len({s.document_id for e in events for s in e.sources}))


def titled(events: int, articles: int) -> str:
    """The title of a snapshot of `events` events cited from `articles` articles."""
    return f"Eventmap — {plural(events, 'event')} from {plural(articles, 'article')}"


def _write_html(events: list[EventRecord], out: str | Path, title: str, label: str,
                view: dict | None = None) -> Path:
    out = Path(out)
    out.write_text(standalone_html(events, title=title, date_range=label, view=view),
                   encoding="utf-8")
    return out


def _save_png(image: QImage, out: Path) -> None:
    if image.isNull() or not image.save(str(out), "PNG"):
        raise SnapshotError(f"Could not write the PNG {out}.")
