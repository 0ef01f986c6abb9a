"""Long jobs off the GUI thread. The worker calls the library and reports through signals; it
never touches a widget. It opens its own Workspace for each job (SQLite connections belong to
one thread) and keeps the loaded pipeline between jobs, since loading spaCy takes seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QThreadPool, Signal, Slot

from store.errors import EventmapError

log = logging.getLogger(__name__)

PipelineFactory = Callable[[], Any]


def default_pipeline() -> Any:
    from extraction.pipeline import Pipeline

    return Pipeline()


class IngestWorker(QObject):
    """Lives in the ingest thread; `run` is invoked there through a queued signal."""

    progress = Signal(int, int, str)  # done, total, current file
    finished = Signal(object)  # extraction.ingest.IngestReport
    failed = Signal(str)

    def __init__(self, pipeline_factory: PipelineFactory = default_pipeline):
        super().__init__()
        self._pipeline_factory = pipeline_factory
        self._pipeline: Any = None
        self.cancel_requested = threading.Event()

    @Slot(str, object)
    def run(self, db_path: str, paths: Sequence[str]) -> None:
        from extraction.ingest import ingest_paths
        from extraction.parallel import default_workers
        from geo.nominatim import configured_geocoder
        from store.workspace import Workspace

        try:
            if self._pipeline is None:
                self.progress.emit(0, 0, "Loading the language model…")
                self._pipeline = self._pipeline_factory()
            with Workspace(db_path) as ws:
                self._pipeline.geocoder = configured_geocoder(ws)  # the setting, read per job
                report = ingest_paths(
                    paths, ws, self._pipeline,
                    progress=lambda done, total, current: self.progress.emit(done, total, current),
                    cancelled=self.cancel_requested.is_set, workers=default_workers(),
                )
        except EventmapError as e:
            self.failed.emit(str(e))
            return
        except Exception as e:  # the GUI shows a message; the log keeps the traceback
            log.exception("Import failed")
            self.failed.emit(f"The import stopped on an internal error ({type(e).__name__}: {e}).")
            return
        if report.stopped:  # a full disk or a read-only workspace: what was stored stays
            self.failed.emit(report.stopped)
            return
        self.finished.emit(report)


class IngestRunner(QObject):
    """The GUI side: owns the ingest thread, starts jobs, relays their signals."""

    started = Signal()
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    _request = Signal(str, object)

    def __init__(self, pipeline_factory: PipelineFactory = default_pipeline,
                 parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("eventmap-ingest")
        self._worker = IngestWorker(pipeline_factory)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._request.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._failed)
        self._busy = False
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, db_path: str | Path, paths: Sequence[str | Path]) -> bool:
        """Queue an import; False when one is already running."""
        if self._busy:
            return False
        self._busy = True
        self._worker.cancel_requested.clear()
        self.started.emit()
        self._request.emit(str(db_path), [str(p) for p in paths])
        return True

    def cancel(self) -> None:
        self._worker.cancel_requested.set()

    def _done(self, report: object) -> None:
        self._busy = False
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Cancel any job and stop the thread (the current file finishes first)."""
        self.cancel()
        self._thread.quit()
        self._thread.wait()


class WorkspaceReader(QObject):
    """Reads a workspace for the window on a pool thread (desktop.workspace_data), its own
    connections opened there. `map_loaded(token, payload)` first (the map's part), then
    `loaded(token, WorkspaceData)` or `failed(token, message)`: the
    token says which request answers, so that the window can ignore one it no longer waits
    for (another workspace opened, an import reloaded)."""

    map_loaded = Signal(int, object)  # the map's payload, ahead of the rest
    loaded = Signal(int, object)
    failed = Signal(int, str)

    def start(self, db_path: str | Path, token: int) -> None:
        QThreadPool.globalInstance().start(lambda: self._read(Path(db_path), token))

    def _read(self, db_path: Path, token: int) -> None:
        from desktop.workspace_data import read_workspace

        try:
            data = read_workspace(
                db_path, on_map=lambda payload: self._emit(self.map_loaded, token, payload))
        except EventmapError as e:
            self._emit(self.failed, token, str(e))
            return
        except Exception as e:  # the window shows a message; the log keeps the traceback
            log.exception("Reading the workspace failed")
            self._emit(self.failed, token, f"Reading the workspace stopped on an internal error "
                                           f"({type(e).__name__}: {e}).")
            return
        self._emit(self.loaded, token, data)

    @staticmethod
    def _emit(signal: Any, *args: object) -> None:
        emit_to_window(signal, *args)


def emit_to_window(signal: Any, *args: object) -> None:
    """Emit from a pool thread to the window's objects, which may have closed meanwhile (then
    nobody waits for the answer)."""
    try:
        signal.emit(*args)
    except RuntimeError:  # the window closed meanwhile
        log.debug("work finished after its window closed")
