"""A one-line label that elides its text to the room it gets and keeps the whole text in its
tooltip (a QLabel clips instead, mid-word)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None, *, sample: str = ""):
        """`sample` is the text the label should show whole when the layout allows it."""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._full = ""
        self._sample = sample

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str, bold: bool = False, tooltip: str = "") -> None:
        font = self.font()
        font.setBold(bold)
        self.setFont(font)
        self._full = text
        self.setToolTip(tooltip or text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        width = max(metrics.horizontalAdvance(self._full), metrics.horizontalAdvance(self._sample))
        return QSize(width + 4, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        metrics = QFontMetrics(self.font())
        width = metrics.horizontalAdvance(self._sample) if self._sample else 40
        return QSize(width + 4, super().minimumSizeHint().height())

    def resizeEvent(self, e: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(e)
        self._elide()

    def _elide(self) -> None:
        metrics = QFontMetrics(self.font())
        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, self.width()))
