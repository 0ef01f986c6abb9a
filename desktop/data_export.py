"""The Export menu's data files (GeoJSON, KML, CSV) written off the GUI thread.

A data file carries every shown event's source passages, read anew from the workspace: for the
90,026 shown events of a 100,000-event workspace that read took 9.6 s, and the window stood
still while it ran. Here it runs on a pool thread with a connection of its own, as the
workspace's reads do (desktop.workers), and the window hears when the file is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.exports import write_events
from desktop.session import with_sources
from desktop.workers import emit_to_window
from store.errors import EventmapError
from store.models import EventRecord
from store.workspace import Workspace

log = logging.getLogger(__name__)


class DataExport(QObject):
    """Writes data files, each call of `start` on a pool thread of its own: `written(path,
    events)` when a file is whole, `failed(message)` when it could not be. `read` reads the
    shown events' sources the same way for an export that the GUI thread writes (a PDF)."""

    written = Signal(object, int)
    failed = Signal(str)
    _read_done = Signal(int, object)  # a `read`'s token, the events with their sources

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: dict[int, Callable[[list[EventRecord]], None]] = {}
        self._tokens = 0
        self._read_done.connect(self._deliver)

    def start(self, db_path: Path, event_ids: list[int], fmt: str, out: Path) -> None:
        """Write these events (by id, in this order) with their sources as `fmt` to `out`."""
        ids = list(event_ids)
        QThreadPool.globalInstance().start(lambda: self._write(db_path, ids, fmt, out))

    def read(self, db_path: Path, event_ids: list[int], out: Path,
             done: Callable[[list[EventRecord]], None]) -> None:
        """Read these events with their sources, then call `done(events)` on this object's
        thread (or say `failed` about `out`)."""
        self._tokens += 1
        token, ids = self._tokens, list(event_ids)
        self._pending[token] = done
        QThreadPool.globalInstance().start(lambda: self._read(db_path, ids, out, token))

    def _read(self, db_path: Path, ids: list[int], out: Path, token: int) -> None:
        try:
            events: list[EventRecord] | None = _events_with_sources(db_path, ids)
        except Exception as e:
            self._fail(out, e)
            events = None
        emit_to_window(self._read_done, token, events)

    def _deliver(self, token: int, events: list[EventRecord] | None) -> None:
        done = self._pending.pop(token, None)
        if done is not None and events is not None:
            done(events)

    def _write(self, db_path: Path, ids: list[int], fmt: str, out: Path) -> None:
        try:
            events = _events_with_sources(db_path, ids)
            path = write_events(events, fmt, out)
        except Exception as e:
            self._fail(out, e)
            return
        emit_to_window(self.written, path, len(events))

    def _fail(self, out: Path, error: Exception) -> None:
        """Say why `out` was not written: in one line for a file or workspace that cannot be
        written or read, as an internal error (the log keeps the traceback) for anything else."""
        if isinstance(error, (OSError, EventmapError)):
            emit_to_window(self.failed, f"Could not write {out}: {error}")
            return
        log.error("Writing %s failed", out, exc_info=error)
        emit_to_window(self.failed, f"Writing {out} stopped on an internal error "
                                    f"({type(error).__name__}: {error}).")


def _events_with_sources(db_path: Path, ids: list[int]) -> list[EventRecord]:
    with Workspace.open_existing(db_path) as ws:
        return with_sources(ws, ids)
