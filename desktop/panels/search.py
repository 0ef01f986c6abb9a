"""The search box of the toolbar and the list of matching passages."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from desktop.formatting import plural
from desktop.highlight import Span, marked_html
from store.workspace import PassageHit

MAX_SHOWN = 300


class SearchBox(QLineEdit):
    """Emits `searchChanged` a moment after typing stops, at once on Enter; Esc clears."""

    searchChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("Search passages or places  (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(280)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self._emit)
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._emit)
        self._last = ""

    def _emit(self) -> None:
        self._timer.stop()
        query = " ".join(self.text().split())
        if query != self._last:
            self._last = query
            self.searchChanged.emit(query)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            self._emit()
            return
        super().keyPressEvent(event)


def word_spans(text: str, query: str) -> list[Span]:
    """Where the query's words (or words starting with them) occur in the text."""
    words = [w for w in re.findall(r"\w+", query) if w]
    if not words:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\w*", re.I)
    return [Span(m.start(), m.end(), "mention") for m in pattern.finditer(text)]


def hits_html(hits: list[PassageHit], query: str) -> str:
    documents = len({h.document_id for h in hits})
    head = (
        f'<p style="margin:0 0 8px 0;"><b>{plural(len(hits), "passage")}</b> in '
        f'{plural(documents, "document")} match “{escape(query)}”</p>'
    )
    if not hits:
        return head + (
            '<p style="color:#5f6b7a;">Nothing matches. Search looks for whole words and words '
            "that start with what you type, and for places whose name starts with it.</p>"
        )
    cards = []
    for h in hits[:MAX_SHOWN]:
        passage = marked_html(h.text, word_spans(h.text, query))
        cards.append(
            f'<table width="100%" cellpadding="6" cellspacing="0" bgcolor="#ffffff" '
            f'style="border:1px solid #d5dbe3; margin-bottom:4px;"><tr><td>'
            f'<b>{escape(h.title or "Untitled")}</b><br>{passage}<br>'
            f'<a href="passage:{h.passage_id}">Markers of this passage</a>&nbsp;&nbsp;·&nbsp;&nbsp;'
            f'<a href="open:{h.document_id}:{h.passage_id}">Open article</a></td></tr></table>'
        )
    more = (f'<p style="color:#5f6b7a;">… and {len(hits) - MAX_SHOWN:,} more.</p>'
            if len(hits) > MAX_SHOWN else "")
    return head + "".join(cards) + more


class SearchPanel(QWidget):
    passageOpened = Signal(int, int)
    passageSelected = Signal(int)

    def sizeHint(self) -> QSize:  # noqa: N802 (the dock's first size)
        return QSize(390, 500)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.hits: list[PassageHit] = []
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._anchor_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser)
        self.show_hits([], "")

    def show_hits(self, hits: list[PassageHit], query: str) -> None:
        self.hits = hits
        if not query:
            self.browser.setHtml(
                '<p style="color:#5f6b7a; margin:12px;">Type in the search box (Ctrl+F) to '
                "find passages by their words or by the places they name. The map, the "
                "documents and the timeline then show only what matches; Esc clears.</p>"
            )
            return
        self.browser.setHtml(hits_html(hits, query))

    def _anchor_clicked(self, url: QUrl) -> None:
        kind, _, rest = url.toString().partition(":")
        parts = rest.split(":")
        if not all(p.isdigit() for p in parts):
            return
        if kind == "open" and len(parts) == 2:
            self.passageOpened.emit(int(parts[0]), int(parts[1]))
        elif kind == "passage" and len(parts) == 1:
            self.passageSelected.emit(int(parts[0]))
