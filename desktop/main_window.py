"""The main window: the map in the centre, docks around it. It composes the panels, reads a
Session and pushes what the Session selects to the views; menus live in desktop.actions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedLayout,
    QStackedWidget,
    QWidget,
)

from desktop.actions import Actions, build_actions
from desktop.background_read import BackgroundRead
from desktop.corrections_controller import CorrectionController
from desktop.document_view import DocumentDialog
from desktop.formatting import plural
from desktop.import_status import ImportStatus, report_summary, skipped_html
from desktop.panels.documents import DocumentsPanel
from desktop.panels.empty_state import EmptyState
from desktop.panels.filters import FiltersPanel
from desktop.panels.search import SearchBox, SearchPanel
from desktop.panels.sources import SourcesPanel
from desktop.panels.timeline import TimelinePanel
from desktop.session import Session
from desktop.window_settings import (
    remember_workspace,
    restore_layout,
    save_layout,
    window_settings,
)
from desktop.workers import IngestRunner, PipelineFactory, default_pipeline
from store.errors import EventmapError
from store.event_facets import EventFacets
from store.held import without_workspace_files
from store.models import EventRecord
from store.settings import default_db, seeds_dir
from store.workspace import Workspace

if TYPE_CHECKING:
    from desktop.data_export import DataExport

log = logging.getLogger(__name__)

READ_IN_BACKGROUND_FROM = 20_000  # events
MAP_PUSH_MS = 16  # coalesces the map updates of a timeline drag to one per frame
SIDE_DOCK_MIN_WIDTH = 200  # px: a document title, an event title stay readable
SIDE_DOCK_SHARE = 0.24  # at most this share of the window for each side dock on first start
NOT_A_WORKSPACE = ("An Eventmap workspace is an SQLite file that Eventmap created. Open another "
                   "one (File › Open workspace) or start a new one (File › New workspace).")


def default_map_factory(parent: QWidget) -> QWidget:
    from desktop.map_view import MapView

    return MapView(parent)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db_path: str | Path,
        *,
        settings: QSettings | None = None,
        pipeline_factory: PipelineFactory = default_pipeline,
        map_factory: Callable[[QWidget], QWidget] = default_map_factory,
        read_in_background_from: int = READ_IN_BACKGROUND_FROM,
    ):
        super().__init__()
        self.setObjectName("EventmapMainWindow")
        self.settings = settings or window_settings()
        self.session: Session | None = None
        self.shown_events: list[EventRecord] = []
        self.messages: list[QMessageBox] = []  # open message boxes (non-blocking)
        self.document_dialog: DocumentDialog | None = None
        self._last_import: Sequence[str] = ()

        self.map_view = map_factory(self)
        self.map_view.setObjectName("mapView")
        self.empty_state = EmptyState(samples_available=seeds_dir().is_dir(), parent=self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.empty_state)
        self.central.addWidget(self.map_view)
        # The map keeps its real size under the empty state: a page laid out while hidden would
        # fit the first imported events into a 0-pixel box and open far from them.
        cast(QStackedLayout, self.central.layout()).setStackingMode(
            QStackedLayout.StackingMode.StackAll)
        self.empty_state.setAutoFillBackground(True)
        self.setCentralWidget(self.central)

        self.documents = DocumentsPanel(self)
        self.filters = FiltersPanel(self)
        self.sources = SourcesPanel(self)
        self.search_panel = SearchPanel(self)
        self.timeline = TimelinePanel(self)
        self.search_box = SearchBox(self)
        self.documents_dock = self._dock("Documents", "documentsDock", self.documents,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.filters_dock = self._dock("Filters", "filtersDock", self.filters,
                                       Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.documents_dock, self.filters_dock)
        self.filters_dock.raise_()
        self.sources_dock = self._dock("Sources", "sourcesDock", self.sources,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.search_dock = self._dock("Search results", "searchDock", self.search_panel,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.sources_dock, self.search_dock)
        self.sources_dock.raise_()
        self.timeline_dock = self._dock("Timeline", "timelineDock", self.timeline,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("countsLabel")
        self.import_status = ImportStatus(self)
        self.statusBar().addPermanentWidget(self.import_status)
        self.statusBar().addPermanentWidget(self.counts_label)

        self.runner = IngestRunner(pipeline_factory, self)
        # a workspace of this many events or more is read off the GUI thread while the map
        # page loads; smaller ones are read at once
        self.read_in_background_from = read_in_background_from
        self.background = BackgroundRead(self)
        self._data_export: DataExport | None = None  # made at the first data export
        self.corrections = CorrectionController(self)
        self._map_timer = QTimer(self)
        self._map_timer.setSingleShot(True)
        self._map_timer.setInterval(MAP_PUSH_MS)
        self._map_timer.timeout.connect(self._push_map)
        self.ui_actions: Actions = build_actions(self)
        self._fit_pending = False
        self._connect()
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._size_docks = not restore_layout(self, self.settings)
        if not self.open_workspace(db_path):
            self._open_default_instead(Path(db_path))

    def _dock(self, title: str, name: str, widget: QWidget,
              area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        if area != Qt.DockWidgetArea.BottomDockWidgetArea:
            # A remembered layout cannot squeeze a side panel until its titles read "itl…".
            widget.setMinimumWidth(SIDE_DOCK_MIN_WIDTH)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        self.map_view.eventClicked.connect(self.show_event_sources)
        self.documents.documentSelected.connect(self.filter_document)
        self.documents.documentOpened.connect(lambda doc_id: self.open_passage(doc_id, None))
        self.sources.passageOpened.connect(self.open_passage)
        self.sources.passageSelected.connect(self.highlight_passage)
        self.sources.correctionRequested.connect(self.corrections.open_dialog)
        if hasattr(self.sources, "actorClicked"):
            self.sources.actorClicked.connect(self.filter_actor)
        self.filters.facetsChanged.connect(self.set_facets)
        self.filters.clearRequested.connect(lambda: self.ui_actions.clear_filters.trigger())
        self.search_panel.passageOpened.connect(self.open_passage)
        self.search_panel.passageSelected.connect(self.highlight_passage)
        self.search_box.searchChanged.connect(self.set_search)
        self.timeline.windowChanged.connect(self.set_time_window)
        self.timeline.undatedToggled.connect(self.set_include_undated)
        self.empty_state.loadSamples.connect(self.load_samples)
        self.empty_state.importFiles.connect(self.ui_actions.import_files.trigger)
        self.empty_state.importFolder.connect(self.ui_actions.import_folder.trigger)
        self.runner.started.connect(self.import_status.start)
        self.runner.started.connect(lambda: self.empty_state.set_busy(True))
        self.runner.progress.connect(self.import_status.update_progress)
        self.runner.finished.connect(self._import_finished)
        self.runner.failed.connect(self._import_failed)
        self.import_status.cancelRequested.connect(self.runner.cancel)

    # -- workspace -----------------------------------------------------------------------------

    @property
    def db_path(self) -> Path | None:
        return self.session.path if self.session else None

    def open_workspace(self, path: str | Path) -> bool:
        if self.runner.busy:
            self.show_message("warning", "An import is running",
                              "Wait for the import to finish (or cancel it) before switching "
                              "workspaces.")
            return False
        try:
            workspace = Workspace(path)
        except EventmapError as e:
            self.show_message("critical", "Cannot open the workspace", f"{e}\n\n{NOT_A_WORKSPACE}")
            return False
        if self.session:
            self.session.ws.close()
        self.background.forget()
        counts = workspace.counts()
        large = counts.events >= self.read_in_background_from
        self.session = Session(workspace, read=not large)
        remember_workspace(self.settings, workspace.path)
        self.setWindowTitle(f"{workspace.path.name} — Eventmap")
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.timeline.timeline.set_selection(None, None, emit=False)
        self.timeline.undated.setChecked(True)
        self.sources.show_event(None)
        # Ids are the workspace's own: nothing selected, highlighted or filtered by id stays.
        self.map_view.highlight([])
        self._select_on_map(None)
        self.filters.set_facets(EventFacets(), emit=False)
        if large:
            self.background.start(counts)
        else:
            self.refresh_all(fit=True, reload=False)  # the new Session has just read it all
        return True

    @property
    def data_export(self) -> DataExport:
        """Writes the Export menu's data files off the GUI thread (desktop.data_export; made,
        and its module imported, at the first data export)."""
        if self._data_export is None:
            from desktop.data_export import DataExport

            made = DataExport(self)
            made.written.connect(self.exported)
            made.failed.connect(
                lambda message: self.show_message("critical", "Export failed", message))
            self._data_export = made
        return self._data_export

    def exported(self, path: Path, events: int) -> None:
        """Say in the status bar that an export wrote `path`."""
        self.statusBar().showMessage(f"Exported {plural(events, 'event')} to {path}", 10000)

    @property
    def loading(self) -> bool:
        """True while the workspace is read off the GUI thread."""
        return self.background.loading

    def _open_default_instead(self, failed: Path) -> None:
        """A window on no workspace can do nothing: after a failed start, open the default."""
        fallback = default_db()
        if failed.resolve() != fallback.resolve() and self.open_workspace(fallback):
            self.statusBar().showMessage(
                f"Could not open {failed.name}; opened the default workspace {fallback.name}.",
                30000)

    def refresh_all(self, fit: bool = False, reload: bool = True,
                    map_payload: bytes | None = None,
                    then: Callable[[], None] | None = None) -> None:
        """Re-read everything the views show (after opening a workspace, an import or a
        correction), then run `then`. A large workspace is re-read off the GUI thread: the
        views are refreshed, and `then` runs, when that read is done."""
        session = self._session()
        if reload:
            self.background.forget()  # what a background read would bring is older
            counts = session.ws.counts()
            if counts.events >= self.read_in_background_from:
                self.background.reload(counts, fit=fit, then=then)
                return
            session.reload()
        counts = session.counts()
        self.empty_state.set_workspace_name(session.path.name)
        self.central.setCurrentWidget(self.map_view if counts.documents else self.empty_state)
        self.sources.set_workspace_empty(counts.documents == 0)
        # the documents and events read before are gone for good: the lists kept for them too
        self.documents.forget_lists()
        self.timeline.forget_lists()
        self.documents.set_documents(session.documents(), counts.documents,
                                     session.filter.document_id)
        self.search_panel.show_hits(session.hits, session.filter.search)
        self.timeline.set_events(session.base_events)
        self.map_view.set_events(session.all_events, payload=map_payload)
        self.map_view.set_places([(p.name, p.lat, p.lon, p.mentions)
                                  for p in session.places()])
        self._update_choices()
        self._narrowing_sent: tuple | None = ("reload",)
        self.refresh_events(fit=fit)
        self.corrections.update_undo()
        if then is not None:
            then()

    def refresh_events(self, fit: bool = False) -> None:
        session = self._session()
        self.shown_events = session.shown_events
        self._update_counts()
        self._map_timer.start()
        if fit:
            self._fit_pending = True

    def _push_map(self) -> None:
        """The map holds every event (stable colours); filters only show or hide them."""
        session = self.session
        if session is None:
            return
        f = session.filter
        narrowing = (f.document_id, f.search, f.facets) if session.narrowed else None
        self.map_view.set_kinds(f.facets.families, f.facets.statuses)
        if narrowing != self._narrowing_sent:
            self._narrowing_sent = narrowing
            self.map_view.set_visible([e.id for e in session.base_events] if narrowing
                                      else None)
        self.map_view.set_date_filter(f.date_from, f.date_to, f.include_undated)
        if self._fit_pending:
            self._fit_pending = False
            self.map_view.fit_events()

    def _update_counts(self) -> None:
        session = self._session()
        counts = session.counts()
        places = len({e.place_id for e in self.shown_events})
        off_map = f"  ·  {counts.off_map:,} without a place" if counts.off_map else ""
        facets = session.filter.facets.describe()
        self.filters.set_summary(
            f"{len(self.shown_events):,} of {plural(session.total_events, 'event')} shown"
            + (f"<br><span style='color:#5f6b7a;'>{escape('; '.join(facets))}</span>"
               if facets else ""))
        self.counts_label.setText(
            f"{plural(counts.documents, 'document')}  ·  {len(self.shown_events):,} of "
            f"{plural(session.total_events, 'event')} shown{off_map}  ·  "
            f"{plural(places, 'place')}"
        )

    def _session(self) -> Session:
        if self.session is None:
            raise EventmapError("No workspace is open.")
        return self.session

    # -- filters -------------------------------------------------------------------------------

    def filter_document(self, document_id: int | None) -> None:
        session = self._session()
        session.set_filter(document_id=document_id)
        self._update_choices()
        self.timeline.set_events(session.base_events)
        self.refresh_events(fit=document_id is not None)
        self.map_view.highlight(session.events_of_document(document_id) if document_id else [])

    def set_facets(self, facets: EventFacets) -> None:
        """Kind, actor, status, outlet and articles (the Filters panel)."""
        session = self._session()
        session.set_filter(facets=facets)
        self.timeline.set_events(session.base_events)
        self.refresh_events()

    def filter_actor(self, actor_id: int) -> None:
        """Show only this actor's events (an actor link in the Sources panel)."""
        self.filters_dock.show()
        self.filters_dock.raise_()
        self.filters.only_actor(actor_id)

    def _update_choices(self) -> None:
        session = self._session()
        self.filters.set_choices(session.family_choices(), session.category_choices(),
                                 session.status_choices(), session.actor_choices(),
                                 session.outlet_choices())

    def set_time_window(self, date_from: str | None, date_to: str | None) -> None:
        self._session().set_filter(date_from=date_from, date_to=date_to)
        self.refresh_events()

    def set_include_undated(self, include: bool) -> None:
        if self.timeline.undated.isChecked() != include:
            self.timeline.undated.setChecked(include)  # re-enters through the signal
            return
        self._session().set_filter(include_undated=include)
        self.refresh_events()

    def set_search(self, query: str) -> None:
        session = self._session()
        query = " ".join(query.split())
        if self.search_box.text().strip() != query:
            self.search_box.setText(query)
        try:
            session.set_filter(search=query)
        except EventmapError as e:
            self.statusBar().showMessage(str(e), 8000)
            return
        # the map first: its page filters (in its own process) while the panels below fill
        self.refresh_events()
        self._map_timer.stop()
        self._push_map()
        counts = session.counts()
        self.documents.set_documents(session.documents(), counts.documents,
                                     session.filter.document_id)
        self.search_panel.show_hits(session.hits, query)
        self._update_choices()
        if query:
            self.search_dock.show()
            self.search_dock.raise_()
        self.timeline.set_events(session.base_events)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    # -- selection -----------------------------------------------------------------------------

    def show_event_sources(self, event_id: int) -> None:
        event = self._session().event(event_id)
        self.sources.show_event(event)
        self.sources_dock.show()
        self.sources_dock.raise_()
        self.map_view.highlight([event_id] if event else [])
        self._select_on_map(event_id if event else None)

    def _select_on_map(self, event_id: int | None) -> None:
        self.map_view.select(event_id)

    def highlight_passage(self, passage_id: int) -> None:
        self.map_view.highlight(self._session().events_of_passage(passage_id))

    def highlight_events(self, event_ids: Iterable[int]) -> None:
        self.map_view.highlight(list(event_ids))

    def open_passage(self, document_id: int, passage_id: int | None) -> None:
        ws = self._session().ws
        doc = ws.document(document_id)
        if doc is None:
            return
        span = ws.passage_span(passage_id) if passage_id is not None else None
        if self.document_dialog is None:
            self.document_dialog = DocumentDialog(self)
        self.document_dialog.show_document(
            doc, ws.document_text(document_id), ws.mentions_in_document(document_id),
            (span[1], span[2]) if span else None,
        )
        self.document_dialog.show()
        self.document_dialog.raise_()
        if passage_id is not None:
            self.highlight_passage(passage_id)

    # -- import --------------------------------------------------------------------------------

    def import_paths(self, paths: Sequence[str | Path]) -> bool:
        if not paths:
            return False
        if self.session is None:
            self.show_message("information", "No workspace is open",
                              "Open a workspace or start a new one before importing.")
            return False
        paths, own = without_workspace_files(paths, self.session.path)  # never opened
        if own:
            self.show_message("information", "Not imported",
                              f"{Path(own[0]).name} is a file of this workspace, not an article.")
        if not paths:
            return False
        if not self.runner.start(self.session.path, paths):
            self.show_message("information", "An import is running",
                              "Wait for the current import to finish, or cancel it.")
            return False
        self._last_import = [str(p) for p in paths]
        self.statusBar().showMessage(f"Importing {plural(len(paths), 'item')}…")
        return True

    def load_samples(self) -> bool:
        return self.import_paths([seeds_dir()])

    def cancel_import(self) -> None:
        self.runner.cancel()

    def _import_finished(self, report) -> None:
        self.import_status.hide()
        self.empty_state.set_busy(False)
        summary = report_summary(report)
        self.statusBar().showMessage(summary, 15000)
        # (said again once a large workspace is read again: the read's own words replace it)
        self.refresh_all(fit=bool(report.added),
                         then=lambda: self.statusBar().showMessage(summary, 15000))
        if report.skipped:
            self.show_message(
                "warning", "Some files were not imported",
                f"{escape(report_summary(report))}.<br><br>These files were skipped:"
                f"{skipped_html(report.skipped)}", rich=True,
            )

    def _import_failed(self, message: str) -> None:
        self.import_status.hide()
        self.empty_state.set_busy(False)
        self.refresh_all()
        self.show_message("critical", "The import stopped", message)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- messages, layout, closing -------------------------------------------------------------

    def show_message(self, kind: str, title: str, text: str, rich: bool = False) -> QMessageBox:
        """A message box that does not block the event loop (nor the tests)."""
        icon = {"warning": QMessageBox.Icon.Warning, "critical": QMessageBox.Icon.Critical,
                "information": QMessageBox.Icon.Information}[kind]
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, b=box: self.messages.remove(b))
        self.messages.append(box)
        box.open()
        return box

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """On a first start the side docks get their preferred widths (QMainWindow would share
        the room equally), which is only possible once the window has its size."""
        super().showEvent(event)
        if self._size_docks:
            self._size_docks = False
            # a small window keeps most of its width for the map
            most = max(SIDE_DOCK_MIN_WIDTH, int(self.width() * SIDE_DOCK_SHARE))
            self.resizeDocks([self.documents_dock, self.sources_dock],
                             [min(most, self.documents.sizeHint().width()),
                              min(most, self.sources.sizeHint().width())],
                             Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        save_layout(self, self.settings)
        self.timeline.play(False)
        self.runner.shutdown()
        self.corrections.close()
        if self.document_dialog:
            self.document_dialog.close()
        if self.session:
            self.session.ws.close()
            self.session = None
        super().closeEvent(event)
