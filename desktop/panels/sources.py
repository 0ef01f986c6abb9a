"""The source panel: the clicked event's card (title, kind, status, actors, place, dates) and
every passage that reports it, with its trigger, actors, place and date marked."""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.highlight import event_sources_html, legend_html
from store.models import EventRecord

NO_EVENT = (
    '<p style="color:#5f6b7a; margin:12px;">Click a marker on the map to read the passages '
    "that report it.<br><br>Each passage shows the words that report the event, its actors, "
    "the place mention and the date expression it was dated by. <i>Open article</i> shows the "
    "whole text with every place, date and actor it names and the events it reports.</p>"
)
NO_DOCUMENTS = (
    '<p style="color:#5f6b7a; margin:12px;">This workspace has no articles yet.<br><br>'
    "Import some with <b>File › Import articles</b> (Ctrl+O), drop files or a folder on the "
    "window, or load the sample corpus. Each marker on the map then lists here the passages "
    "that report it.</p>"
)


class SourcesPanel(QWidget):
    passageOpened = Signal(int, int)  # document id, passage id
    passageSelected = Signal(int)
    correctionRequested = Signal(int)  # mention id
    actorClicked = Signal(int)  # actor id: show only the events of this actor

    def sizeHint(self) -> QSize:  # noqa: N802 (the dock's first size)
        return QSize(390, 500)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.current_event: EventRecord | None = None
        self.selected_passage: int | None = None
        self.workspace_empty = False
        self.legend = QLabel(f"Highlights: {legend_html()}", self)
        self.legend.setWordWrap(True)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.browser.document().setDocumentMargin(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.legend)
        layout.addWidget(self.browser)
        self.show_event(None)

    def show_event(self, event: EventRecord | None) -> None:
        self.current_event = event
        self.selected_passage = None
        self._render()
        self.browser.verticalScrollBar().setValue(0)

    def set_workspace_empty(self, empty: bool) -> None:
        """An empty workspace gets a hint on how to fill it instead of "click a marker"."""
        self.workspace_empty = empty
        if self.current_event is None:
            self._render()

    def _render(self) -> None:
        self.legend.setVisible(self.current_event is not None)
        if self.current_event is None:
            self.browser.setHtml(NO_DOCUMENTS if self.workspace_empty else NO_EVENT)
            return
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(event_sources_html(self.current_event, self.selected_passage))
        self.browser.verticalScrollBar().setValue(scroll)

    def passage_texts(self) -> list[str]:
        return [s.passage for s in self.current_event.sources] if self.current_event else []

    def _anchor_clicked(self, url: QUrl) -> None:
        kind, _, rest = url.toString().partition(":")
        try:
            numbers = [int(x) for x in rest.split(":")]
        except ValueError:
            return
        if kind == "open" and len(numbers) == 2:
            self.passageOpened.emit(numbers[0], numbers[1])
        elif kind == "passage" and len(numbers) == 1:
            self.selected_passage = numbers[0]
            self._render()
            self.passageSelected.emit(numbers[0])
        elif kind == "correct" and len(numbers) == 1:
            self.correctionRequested.emit(numbers[0])
        elif kind == "actor" and len(numbers) == 1:
            self.actorClicked.emit(numbers[0])
