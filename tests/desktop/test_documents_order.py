"""The documents list sorts in its model (fast at 100,000 documents) and keeps selections."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.panels.documents import DocumentsPanel
from store.workspace import DocumentSummary

pytestmark = pytest.mark.gui


def doc(id_: int, title: str, published: str, places: int) -> DocumentSummary:
    return DocumentSummary(id=id_, title=title, outlet=f"Outlet {id_}", published=published,
                           published_source="manifest", path=f"{id_}.txt", place_count=places,
                           event_count=0, encoding="utf-8", replaced_bytes=0)


def titles(panel: DocumentsPanel) -> list[str]:
    table = panel.table
    return [table.model().index(r, 0).data() for r in range(table.model().rowCount())]


def test_rows_sort_by_the_clicked_column_and_selection_follows(qtbot) -> None:
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.set_documents([doc(1, "Bravo", "2023-09-03", 5), doc(2, "alpha", "2023-09-01", 9),
                         doc(3, "Charlie", "2023-09-02", 1)], 3)
    assert titles(panel) == ["alpha", "Charlie", "Bravo"]  # by date, the default
    panel.select(3, emit=False)
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert titles(panel) == ["alpha", "Bravo", "Charlie"]
    assert panel.selected_id() == 3
    panel.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert titles(panel) == ["alpha", "Bravo", "Charlie"]
    panel.set_documents([doc(4, "Delta", "2023-09-09", 3), doc(5, "Echo", "2023-09-08", 7)], 2)
    assert titles(panel) == ["Echo", "Delta"]  # new rows come in the order chosen
    with qtbot.waitSignal(panel.documentSelected) as selected:
        panel.select(4)
    assert selected.args == [4]
