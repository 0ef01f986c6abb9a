"""A whole article with what was read from it highlighted (places, dates, actors, the words
that report events) and the list of the events it reports, opened from a passage."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import format_day, format_range, plural
from desktop.highlight import STYLES, annotation_spans, document_html
from store.document_annotations import DocumentAnnotations, DocumentEvent
from store.event_families import family_of
from store.workspace import DocumentSummary

STATUS_COLOURS = {"planned": "#1f5fa8", "hypothetical": "#6b3fa0", "denied": "#b42318"}


def event_anchor(event_id: int) -> str:
    return f"event-{int(event_id)}"


def event_line(event: DocumentEvent) -> str:
    """"Kim Jong-un to visit Vladimir Putin in Russia — planned · 10–14 Sep 2023"."""
    when = format_range(event.date_start, event.date_end) if event.date_start else "undated"
    return f"{event.title or 'Untitled event'} — {event.status} · {when}"


class DocumentDialog(QDialog):
    eventSelected = Signal(int)  # event id: an event of the list was picked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModal(False)
        self.resize(780, 720)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.events_label = QLabel(self)
        self.events = QListWidget(self)
        self.events.setUniformItemSizes(True)
        self.events.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.events.currentItemChanged.connect(self._event_picked)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.document().setDocumentMargin(14)
        events_box = QWidget(self)
        box = QVBoxLayout(events_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.events_label)
        box.addWidget(self.events)
        self.events_box = events_box
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(events_box)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([150, 500])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.document_id: int | None = None
        self._anchored: set[int] = set()

    def show_document(
        self,
        doc: DocumentSummary,
        text: str,
        mentions: list[tuple[int, int, str, str | None]],
        passage: tuple[int, int] | None = None,
        annotations: DocumentAnnotations | None = None,
    ) -> None:
        """Show `doc`; with `annotations` (Workspace.document_annotations) its dates, actors and
        event words are marked too and its events listed."""
        notes = annotations or DocumentAnnotations()
        self.document_id = doc.id
        self.setWindowTitle(f"{doc.title or 'Untitled'} — Eventmap")
        self.header.setText(self._header_html(doc, mentions, notes, annotations is not None))
        anchors = [(e.first_trigger, event_anchor(e.id)) for e in notes.events
                   if e.first_trigger is not None]
        self._anchored = {e.id for e in notes.events if e.first_trigger is not None}
        self.browser.setHtml(document_html(text, mentions, passage, annotation_spans(notes),
                                           anchors))
        self._fill_events(notes.events)
        self.events_box.setVisible(annotations is not None)
        if passage:
            self.browser.scrollToAnchor("passage")
        else:
            self.browser.verticalScrollBar().setValue(0)

    def _header_html(self, doc: DocumentSummary, mentions: list, notes: DocumentAnnotations,
                     annotated: bool) -> str:
        resolved = sum(1 for m in mentions if m[3])
        unresolved = len(mentions) - resolved
        counts = [plural(resolved, "place mention")]
        if unresolved:
            counts.append(plural(unresolved, "unresolved name"))
        if annotated:
            counts.append(plural(len(notes.events), "event"))
        meta = [escape(x) for x in (doc.outlet or "", format_day(doc.published)) if x]
        keys = [("trigger", "event"), ("actor", "actor"), ("mention", "place")] if annotated \
            else [("mention", "place")]
        keys += [("unresolved", "not resolved")]
        if annotated:
            keys.append(("date", "date"))
        keys.append(("passage", "the passage you opened"))
        legend = "&nbsp; ".join(f'<span style="{STYLES[k]}">&nbsp;{label}&nbsp;</span>'
                                for k, label in keys)
        return (
            f'<span style="font-size:large; font-weight:600;">{escape(doc.title or "Untitled")}'
            f'</span><br><span style="color:#5f6b7a;">{" · ".join(meta + counts)}</span><br>'
            f"{legend}"
        )

    def _fill_events(self, events: tuple[DocumentEvent, ...]) -> None:
        self.events.blockSignals(True)
        self.events.clear()
        for event in events:
            item = QListWidgetItem(event_line(event), self.events)
            item.setData(Qt.ItemDataRole.UserRole, event.id)
            fam = family_of(event.type)
            item.setIcon(_chip(fam.colour))
            item.setToolTip(" · ".join(x for x in (fam.label, event.type or "", event.status,
                                                   event.place or "no place") if x))
            if event.status in STATUS_COLOURS:
                item.setForeground(QColor(STATUS_COLOURS[event.status]))
                font = item.font()
                font.setItalic(event.status != "denied")
                item.setFont(font)
        self.events.setCurrentRow(-1)
        self.events.blockSignals(False)
        self.events_label.setText(
            f"Events in this article ({len(events)})" if events
            else "No events were read from this article.")
        self.events.setVisible(bool(events))

    def _event_picked(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        event_id = int(item.data(Qt.ItemDataRole.UserRole))
        if event_id in self._anchored:
            self.browser.scrollToAnchor(event_anchor(event_id))
        self.eventSelected.emit(event_id)


def _chip(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)
