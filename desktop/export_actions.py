"""Running an export of the Export menu on what the window currently shows."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.exports import TARGETS, check_output
from store.errors import EventmapError

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from desktop.snapshot import TakenView
    from store.models import EventRecord

log = logging.getLogger(__name__)
IMAGE_KEYS = ("png", "png2x")  # exports of the map alone: its caption needs no passages
DATA_KEYS = ("geojson", "kml", "csv")  # the shown events' data, with their sources


def export(w: MainWindow, key: str, out: str | Path) -> Path | None:
    """Export the current view (png, png2x, pdf, html) or the shown events (geojson, kml, csv).

    Returns the file written (a PNG), or None: after telling the analyst why it failed, or
    when the export goes on off the GUI thread. The data files, and the sources a PDF or an
    HTML map carries, are read there (desktop.data_export; at 100,000 events the sources took
    9.6 s); the status bar says when the file is written.
    """
    out = Path(out)
    session = w.session
    if session is None:
        return None
    try:
        if key in DATA_KEYS:
            check_output(out)  # a wrong path is said at once
            ids = [e.id for e in session.shown_events]
            w.data_export.start(session.path, ids, key, out)
            w.statusBar().showMessage(f"Exporting {len(ids):,} events to {out}…")
            return None
        else:
            from desktop.snapshot import export_current_view, range_label, take_view, titled

            f = session.filter
            events = session.shown_events
            # the caption counts the articles: no need for the sources
            title = titled(len(events), session.ws.cited_document_count(e.id for e in events))
            if key in IMAGE_KEYS:
                export_current_view(w.map_view, key, out, events, (f.date_from, f.date_to),
                                    title=title, filters=session.filters_in_force())
            else:  # the map is taken now; the sources are read off the GUI thread
                check_output(out)
                taken = take_view(w.map_view, key, out, title,
                                  range_label((f.date_from, f.date_to), events),
                                  session.filters_in_force())
                w.data_export.read(session.path, [e.id for e in events], out,
                                   lambda read: _finish(w, taken, read))
                w.statusBar().showMessage(
                    f"Exporting {len(events):,} events to {out}: reading their sources…")
                return None
    except (OSError, EventmapError) as e:
        _failed(w, key, out, e)
        return None
    w.exported(out, len(events))
    return out


def _finish(w: MainWindow, taken: TakenView, events: list[EventRecord]) -> None:
    """Write a PDF or an HTML export once the shown events' sources are read."""
    from desktop.snapshot import finish_view

    try:
        finish_view(taken, events)
    except (OSError, EventmapError) as e:
        _failed(w, taken.fmt, taken.out, e)
        return
    w.exported(taken.out, len(events))


def _failed(w: MainWindow, key: str, out: Path, error: Exception) -> None:
    log.warning("export to %s failed: %s", out, error)
    w.show_message("critical", "Export failed",
                   f"Could not write {TARGETS[key].label.rstrip('…').lower()} to {out}: {error}")
