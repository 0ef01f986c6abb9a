"""What an empty workspace shows instead of a blank map."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

TEXT_WIDTH = 560
TEXT_MIN_WIDTH = 280


class EmptyState(QWidget):
    loadSamples = Signal()
    importFiles = Signal()
    importFolder = Signal()

    def __init__(self, samples_available: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel("This workspace is empty", self)
        self.title.setObjectName("emptyTitle")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(TEXT_WIDTH)
        self.text.setMinimumWidth(TEXT_MIN_WIDTH)
        self.samples = QPushButton("Load the sample corpus", self)
        self.samples.setObjectName("primaryButton")
        self.samples.setToolTip("Five articles about the Kim–Putin meeting of September 2023")
        self.samples.setVisible(samples_available)
        self.samples.clicked.connect(self.loadSamples)
        files = QPushButton("Import articles…", self)
        files.clicked.connect(self.importFiles)
        folder = QPushButton("Import a folder…", self)
        folder.clicked.connect(self.importFolder)
        self.buttons = (self.samples, files, folder)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in self.buttons:
            b.setMinimumHeight(34)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        # Not addWidget(..., AlignHCenter): an aligned word-wrapped label gets the height of its
        # size hint, not of its width, and loses its last lines. Stretches centre it instead.
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.text, 100)
        text_row.addStretch(1)
        layout.addLayout(text_row)
        layout.addSpacing(18)
        layout.addLayout(buttons)
        layout.addStretch(3)
        self.set_workspace_name("")

    def set_workspace_name(self, name: str) -> None:
        where = f" <b>{escape(name)}</b>" if name else ""
        self.text.setText(
            f"Add news articles to the workspace{where} (.txt, .md or .html files, or a folder "
            "of them; you can also drop them on this window). Eventmap finds the places and dates "
            "they report and maps each event with the passages that report it.<br><br>"
            "New here? Load the sample corpus: five reports on the Kim–Putin meeting of "
            "September 2023."
        )

    def set_busy(self, busy: bool) -> None:
        """While an import runs the buttons would only say "an import is running"."""
        for button in self.buttons:
            button.setEnabled(not busy)
