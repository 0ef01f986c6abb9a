"""A whole article with every place mention highlighted, opened from a passage."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.formatting import format_day, plural
from desktop.highlight import STYLES, document_html
from store.workspace import DocumentSummary


class DocumentDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModal(False)
        self.resize(780, 680)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.document().setDocumentMargin(14)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.document_id: int | None = None

    def show_document(
        self,
        doc: DocumentSummary,
        text: str,
        mentions: list[tuple[int, int, str, str | None]],
        passage: tuple[int, int] | None = None,
    ) -> None:
        self.document_id = doc.id
        self.setWindowTitle(f"{doc.title or 'Untitled'} — Eventmap")
        resolved = sum(1 for m in mentions if m[3])
        unresolved = len(mentions) - resolved
        extra = f" · {plural(unresolved, 'unresolved name')}" if unresolved else ""
        meta = " · ".join(escape(x) for x in (doc.outlet or "", format_day(doc.published)) if x)
        self.header.setText(
            f'<span style="font-size:large; font-weight:600;">{escape(doc.title or "Untitled")}'
            f'</span><br><span style="color:#5f6b7a;">{meta} · '
            f'{plural(resolved, "place mention")}'
            f"{extra}"
            f"</span><br>"
            f'<span style="{STYLES["mention"]}">&nbsp;place&nbsp;</span>&nbsp; '
            f'<span style="{STYLES["unresolved"]}">not resolved</span>&nbsp; '
            f'<span style="{STYLES["passage"]}">&nbsp;the passage you opened&nbsp;</span>'
        )
        self.browser.setHtml(document_html(text, mentions, passage))
        if passage:
            self.browser.scrollToAnchor("passage")
        else:
            self.browser.verticalScrollBar().setValue(0)
