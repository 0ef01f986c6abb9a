"""Opening a large workspace without waiting for it: the window shows at once, the map page
loads, and the workspace is read on a pool thread (desktop.workspace_data). The map's payload
comes first and is drawn while the records, counts and lists are read; the filters and the
timeline, which need the records, are greyed out until then."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.formatting import plural
from desktop.panels.timeline_widget import NO_DATED_EVENTS
from desktop.workers import WorkspaceReader

if TYPE_CHECKING:
    from desktop.main_window import MainWindow
    from desktop.workspace_data import WorkspaceData
    from store.workspace import Counts


class BackgroundRead:
    """The window's reads of a workspace off the GUI thread, one at a time: each has a token,
    and what a read no longer waited for brings (another workspace opened, an import
    reloaded) is ignored."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.reader = WorkspaceReader(window)
        self.reader.map_loaded.connect(self._map_read)
        self.reader.loaded.connect(self._read)
        self.reader.failed.connect(self._failed)
        self._waiting: int | None = None  # the token of the read the window waits for
        self._map_ahead: bytes | None = None  # the map's payload of that read, already sent
        self._tokens = 0
        # a re-read (after an import or a correction): the views keep what they show until it
        # is done; then the map is fitted if `_fit`, and `_then` runs
        self._reloading = False
        self._fit = False
        self._then: Callable[[], None] | None = None

    @property
    def loading(self) -> bool:
        return self._waiting is not None

    def start(self, counts: Counts) -> None:
        """The window is usable at once (the map page loads meanwhile); the views fill when
        the read is done."""
        w = self.window
        session = w._session()
        self._begin(reloading=False)
        w.empty_state.set_workspace_name(session.path.name)
        w.central.setCurrentWidget(w.map_view if counts.documents else w.empty_state)
        # nothing of the workspace before stays on show meanwhile
        w.documents.set_documents([], counts.documents)
        w.documents.summary.setText(f"Reading {plural(counts.documents, 'document')}…")
        w.timeline.set_events([])
        w.map_view.set_events([])
        w.map_view.prepare_clustering()
        w.map_view.set_places([])
        w._update_choices()
        self._launch(counts, "Reading")

    def reload(self, counts: Counts, fit: bool = False,
               then: Callable[[], None] | None = None) -> None:
        """Re-read the workspace after an import or a correction: the views keep what they
        show (the filters and the timeline greyed out) until the read is done, then take it
        as they take an opening's; the map is fitted to the events if `fit`, and `then` runs.
        Read on the GUI thread, 100,000 events held the window 6-7 s after each correction."""
        self._begin(reloading=True, fit=fit, then=then)
        self._launch(counts, "Updating", " again")

    def _launch(self, counts: Counts, doing: str, again: str = "") -> None:
        """Grey out what needs the events, say so, and start the read."""
        w = self.window
        path = w._session().path
        self._show_reading(True)
        w.counts_label.setText(f"{doing} {plural(counts.events, 'event')}…")
        w.statusBar().showMessage(f"Reading {counts.events:,} events of {path.name}{again}…")
        self.reader.start(path, self._waiting)

    def _begin(self, reloading: bool, fit: bool = False,
               then: Callable[[], None] | None = None) -> None:
        self._tokens += 1
        self._waiting = self._tokens
        self._map_ahead = None
        self._reloading, self._fit, self._then = reloading, fit, then

    def forget(self) -> None:
        """Wait for no read any longer (what it brings would be older than the window's)."""
        self._waiting = None
        self._map_ahead = None
        self._reloading, self._fit, self._then = False, False, None
        self._show_reading(False)

    def _map_read(self, token: int, payload: bytes) -> None:
        """The map's part of the read, ahead of the rest: the page draws the events while the
        records, counts and lists are read."""
        w = self.window
        if token != self._waiting or w.session is None or self._reloading:
            return  # (a re-read: the map keeps the events the other views show until the end)
        w.map_view.set_events([], payload=payload)
        w.map_view.fit_events()
        self._map_ahead = payload

    def _read(self, token: int, data: WorkspaceData) -> None:
        w = self.window
        session = w.session
        if token != self._waiting or session is None or data.path != session.path:
            return  # another workspace opened, or an import reloaded it meanwhile
        # the map already holds these events (and the analyst may have moved it since)
        fit = self._fit if self._reloading else self._map_ahead is not data.map_payload
        then = self._then
        self.forget()
        session.adopt(data)
        w.statusBar().clearMessage()
        w.refresh_all(fit=fit, reload=False, map_payload=data.map_payload)
        if then is not None:
            then()

    def _failed(self, token: int, message: str) -> None:
        if token != self._waiting:
            return
        self.forget()
        self.window.show_message("critical", "Cannot read the workspace", message)

    def _show_reading(self, reading: bool) -> None:
        """While a workspace is read (its map may already show), the filters and the timeline,
        which need its events, are greyed out and say so."""
        w = self.window
        w.filters.setEnabled(not reading)
        w.timeline.setEnabled(not reading)
        w.timeline.timeline.empty_text = "Reading events…" if reading else NO_DATED_EVENTS
        w.timeline.timeline.update()
