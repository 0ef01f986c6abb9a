"""The import progress shown in the status bar, with its Cancel button, and the end-of-import
message."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.formatting import plural

MAX_LISTED = 15


class ImportStatus(QWidget):
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setToolTip("Stop after the current file; files already imported stay")
        self.cancel.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def start(self) -> None:
        self.label.setText("Importing…")
        self.bar.setRange(0, 0)  # busy until the first file count arrives
        self.cancel.setEnabled(True)
        self.cancel.setText("Cancel")
        self.show()

    def update_progress(self, done: int, total: int, current: str) -> None:
        if total <= 0:
            self.label.setText(current or "Importing…")
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} / {total}")
        name = Path(current).name if current else "finishing"
        self.label.setText(f"Importing {name}" if current else "Finishing…")

    def _cancel(self) -> None:
        self.cancel.setEnabled(False)
        self.cancel.setText("Cancelling…")
        self.cancelRequested.emit()


def report_summary(report) -> str:
    """One line for the status bar: what an IngestReport added, found stored, skipped."""
    if not (report.added or report.duplicates or report.skipped or report.cancelled):
        return "No article files found (Eventmap reads .txt, .md and .html files)"
    parts = [plural(len(report.added), "article") + " imported"]
    if report.duplicates:
        parts.append(f"{len(report.duplicates)} already in the workspace")
    if report.skipped:
        parts.append(f"{len(report.skipped)} could not be read")
    guessed = len(getattr(report, "guessed_dates", None) or [])
    if guessed:
        parts.append(f"{guessed:,} dated by their file's time, a guess (Edit › Accept file "
                     "dates puts them on the timeline)")
    text = ", ".join(parts)
    return text + (" — cancelled" if report.cancelled else "")


def skipped_html(skipped: list[tuple[str, str]]) -> str:
    """The files an import skipped, each with its reason (escaped: names come from disk)."""
    rows = "".join(
        f"<li><b>{escape(Path(path).name)}</b>: {escape(reason)}</li>"
        for path, reason in skipped[:MAX_LISTED]
    )
    more = f"<p>… and {len(skipped) - MAX_LISTED} more.</p>" if len(skipped) > MAX_LISTED else ""
    return f"<ul>{rows}</ul>{more}"
