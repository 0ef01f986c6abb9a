"""The documents list: title, outlet, published date, number of places."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import GUESS_COLOUR, format_day, plural
from store.workspace import DocumentSummary

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Title", "Outlet", "Date", "Places")
COLUMN_TIPS = ("The article's title (hover a row for all of it)", "Who published it",
               "Publication date", "Number of places the article names")
OUTLET_MAX_PX = 110  # longer outlet names wrap, then elide (the tooltip has them whole)
TITLE_LINES = 3
FIT_ROWS = 100


class DocumentsModel(QAbstractTableModel):
    """The documents, kept sorted by the column the view sorts by: one key per row sorted in
    C, where a sorting proxy would call back into Python for every comparison (100,000 rows
    took 11 s)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._docs: list[DocumentSummary] = []
        self._order: tuple[int, Qt.SortOrder] = (2, Qt.SortOrder.AscendingOrder)
        self._sorted_of: list[tuple[list[DocumentSummary], tuple, list[DocumentSummary]]] = []

    def forget_lists(self) -> None:
        """Drop the sorted lists kept for the lists shown before (the workspace was read
        again: they will not come back, and each holds its documents)."""
        self._sorted_of = []

    def set_documents(self, docs: list[DocumentSummary]) -> None:
        self.beginResetModel()
        # the same list in the same order as a moment ago (a search cleared): sorted already
        known = next((d for seen, order, d in self._sorted_of
                      if seen is docs and order == self._order), None)
        self._docs = known if known is not None else _sorted(docs, *self._order)
        self._sorted_of = [(docs, self._order, self._docs), *self._sorted_of[:1]]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = {id(d): row for row, d in enumerate(self._docs)}
        self._docs = _sorted(self._docs, column, order)
        rows = {old[id(d)]: row for row, d in enumerate(self._docs)}
        for index in self.persistentIndexList():
            self.changePersistentIndex(
                index, self.index(rows[index.row()], index.column()) if index.isValid() else index)
        self.layoutChanged.emit()

    def document(self, row: int) -> DocumentSummary:
        return self._docs[row]

    def row_of(self, document_id: int) -> int | None:
        return next((i for i, d in enumerate(self._docs) if d.id == document_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._docs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        doc, col = self._docs[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc.title or "Untitled", doc.outlet or "—", date_cell(doc),
                    doc.place_count)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and doc.guessed_date:
            return QColor(GUESS_COLOUR)
        if role == Qt.ItemDataRole.EditRole:  # sort keys
            return sort_key(doc, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return document_tooltip(doc)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def sort_key(doc: DocumentSummary, column: int) -> object:
    return (doc.title.lower(), (doc.outlet or "").lower(), doc.published or "",
            doc.place_count)[column]


def _sorted(docs: list[DocumentSummary], column: int,
            order: Qt.SortOrder) -> list[DocumentSummary]:
    return sorted(docs, key=lambda d: sort_key(d, column),
                  reverse=order == Qt.SortOrder.DescendingOrder)


class _SourceSortingProxy(QSortFilterProxyModel):
    """Sorting is the source model's own (DocumentsModel.sort): the proxy maps rows 1:1."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


def documents_summary(shown: int, total: int) -> str:
    if total == 0:
        return "No documents yet: import articles (Ctrl+O) or drop files on the window"
    if shown == total:
        return plural(total, "document")
    return f"{shown:,} of {plural(total, 'document')} match the search"


def date_cell(doc: DocumentSummary) -> str:
    """The date column: "≈ 3 Dec 2026" marks a file's time standing in for the date."""
    if not doc.published:
        return "—"
    return f"≈ {format_day(doc.published)}" if doc.guessed_date else format_day(doc.published)


def document_tooltip(doc: DocumentSummary) -> str:
    """The whole title (the cell elides it), where the date came from, and the file."""
    source = f" (date from {doc.published_source})" if doc.published else ""
    if doc.guessed_date:
        source = (" <span style='color:" + GUESS_COLOUR + "'>(the file's time: a guess, kept "
                  "off the dated timeline until you accept it)</span>")
    when = format_day(doc.published) if doc.published else "no publication date"
    return (f"<p style='white-space:normal'><b>{escape(doc.title or 'Untitled')}</b></p>"
            f"{escape(doc.outlet or 'Unknown outlet')} · {when}{source}<br>"
            f"{plural(doc.place_count, 'place')} named<br>{_encoding_line(doc)}"
            f"<span style='color:#5f6b7a'>{escape(doc.path)}</span>")


class DocumentsPanel(QWidget):
    """Selecting a row emits its document id; "Show all" emits None."""

    documentSelected = Signal(object)  # int | None
    documentOpened = Signal(int)

    def sizeHint(self) -> QSize:  # noqa: N802 (the dock's first size)
        return QSize(430, 500)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = DocumentsModel(self)
        self._proxy = _SourceSortingProxy(self)
        self._proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self._proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * TITLE_LINES + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        # fitting a column reads this many rows (Qt's default, 1,000, took 0.5 s a search)
        header.setResizeContentsPrecision(FIT_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        self._fitted = False  # to some documents (a list of none fits nothing)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)

        self.summary = QLabel(self)
        self.summary.setObjectName("panelSummary")
        self.summary.setWordWrap(True)
        self.show_all = QPushButton("Show all", self)
        self.show_all.setToolTip("Clear the document filter")
        self.show_all.setEnabled(False)
        self.show_all.clicked.connect(self.clear_selection)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def forget_lists(self) -> None:
        """The workspace was read again: the lists shown before are history."""
        self.model.forget_lists()

    def set_documents(self, docs: list[DocumentSummary], total: int,
                      selected: int | None = None) -> None:
        self.table.selectionModel().blockSignals(True)
        self.model.set_documents(docs)
        self.table.selectionModel().blockSignals(False)
        if len(docs) == total or not self._fitted:
            # fitted to every document; a search's documents (a part of them) keep the widths
            # (fitting took a third of a search's time at 100,000 documents)
            self._fit_columns()
            self._fitted = bool(docs)
        self.summary.setText(documents_summary(len(docs), total))
        if selected is not None:
            self.select(selected, emit=False)
        self.show_all.setEnabled(selected is not None)

    def _fit_columns(self) -> None:
        """Outlet, date and count take what their contents need (the outlet at most
        OUTLET_MAX_PX) so that the title, the column an analyst reads, gets the rest."""
        header = self.table.horizontalHeader()
        for col in (1, 2, 3):
            width = max(header.sectionSizeHint(col), self.table.sizeHintForColumn(col))
            header.resizeSection(col, min(width, OUTLET_MAX_PX) if col == 1 else width)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.document(self._proxy.mapToSource(rows[0]).row()).id

    def select(self, document_id: int, emit: bool = True) -> None:
        row = self.model.row_of(document_id)
        if row is None:
            return
        index = self._proxy.mapFromSource(self.model.index(row, 0))
        selection = self.table.selectionModel()
        selection.blockSignals(not emit)
        self.table.selectRow(index.row())
        selection.blockSignals(False)
        self.table.scrollTo(index)
        self.show_all.setEnabled(True)

    def clear_selection(self) -> None:
        self.table.clearSelection()

    def _selection_changed(self) -> None:
        selected = self.selected_id()
        self.show_all.setEnabled(selected is not None)
        self.documentSelected.emit(selected)

    def _double_clicked(self, index: QModelIndex) -> None:
        self.documentOpened.emit(self.model.document(self._proxy.mapToSource(index).row()).id)


def _encoding_line(doc: DocumentSummary) -> str:
    """How the file was decoded, when that is worth knowing: a legacy code page, or bytes
    that could not be decoded and were replaced."""
    encoding = doc.encoding or "utf-8"
    replaced = doc.replaced_bytes
    if encoding.lower().replace("_", "-") in ("utf-8", "ascii") and not replaced:
        return ""
    note = f"Read as {escape(encoding)}"
    if replaced:
        note += f", {plural(replaced, 'byte')} not decodable replaced by �"
    return f"<span style='color:{GUESS_COLOUR}'>{note}</span><br>"
