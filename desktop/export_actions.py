"""Running an export of the Export menu on what the window currently shows."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.exports import TARGETS, check_output
from store.errors import EventmapError

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

log = logging.getLogger(__name__)
IMAGE_KEYS = ("png", "png2x")  # exports of the map alone: its caption needs no passages
DATA_KEYS = ("geojson", "kml", "csv")  # the shown events' data, with their sources


def export(w: MainWindow, key: str, out: str | Path) -> Path | None:
    """Export the current view (png, png2x, pdf, html) or the shown events (geojson, kml, csv).

    Returns the file written, or None after telling the analyst why it failed. The shown
    events' data files are written off the GUI thread (desktop.data_export): None too, and the
    status bar says when the file is written (`MainWindow.data_export` tells as much).
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
            from desktop.snapshot import export_current_view, titled

            f = session.filter
            title = None
            if key in IMAGE_KEYS:  # the caption counts the articles: no need for the sources
                events = session.shown_events
                title = titled(len(events),
                               session.ws.cited_document_count(e.id for e in events))
            else:
                events = session.shown_with_sources()
            export_current_view(w.map_view, key, out, events, (f.date_from, f.date_to),
                                title=title, filters=session.filters_in_force())
    except (OSError, EventmapError) as e:
        log.warning("export to %s failed: %s", out, e)
        w.show_message("critical", "Export failed",
                       f"Could not write {TARGETS[key].label.rstrip('…').lower()} to {out}: {e}")
        return None
    w.statusBar().showMessage(f"Exported {len(events):,} events to {out}", 10000)
    return out
