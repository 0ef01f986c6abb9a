"""Panels at the sizes the window gives them: nothing an analyst needs is cut off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.panels.documents import DocumentsPanel
from desktop.panels.empty_state import EmptyState
from desktop.panels.timeline import TimelinePanel
from store.workspace import DocumentSummary

pytestmark = pytest.mark.gui

LONG_TITLE = ("North Korean leader Kim Jong-un is preparing for a meeting with Russian President "
              "Vladimir Putin in Vladivostok.")


def test_empty_state_shows_its_whole_text(qtbot) -> None:
    page = EmptyState()
    qtbot.addWidget(page)
    page.set_workspace_name("a-rather-long-workspace-name.sqlite")
    page.resize(580, 600)
    page.show()
    qtbot.waitExposed(page)
    label = page.text
    assert label.height() >= label.heightForWidth(label.width())
    assert "September 2023" in label.text()


def test_documents_give_the_title_the_room(qtbot) -> None:
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    docs = [
        DocumentSummary(1, LONG_TITLE, "Correspondent.net (republished)", "2023-09-05",
                        "manifest", "/data/001.txt", 13),
        DocumentSummary(2, "Kim Jong Un to Visit Vladimir Putin", None, None, "unknown",
                        "/data/002.txt", 8),
    ]
    panel.resize(panel.sizeHint())
    panel.show()
    panel.set_documents(docs, total=2)
    header = panel.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(4)]
    assert widths[0] > max(widths[1:]) and widths[0] >= 140
    model = panel.model
    row = next(r for r in range(2) if model.document(r).id == 1)
    tooltip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Vladimir Putin in Vladivostok." in tooltip and "Correspondent.net" in tooltip
    assert panel.summary.text() == "2 documents"
    # a search's documents (a part of them) keep the columns fitted to every document
    panel.set_documents([docs[1]], total=2)
    assert [header.sectionSize(c) for c in (1, 2, 3)] == widths[1:]
    panel.set_documents(docs[1:], total=1)  # every document again (another workspace): refit
    assert header.sectionSize(1) < widths[1]  # no outlet name left to show
    panel.set_documents([], total=0)
    assert panel.summary.text().startswith("No documents yet")


def test_timeline_range_label_elides_and_keeps_the_whole_range(qtbot) -> None:
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(panel.minimumSizeHint().width(), 200)
    panel.show()
    label = panel.range_label
    assert label.full_text().startswith("All dates")
    assert not panel.all_button.isEnabled()
    panel.set_window("2023-08-01", "2023-09-30")
    assert label.text() == label.full_text() == "Aug–Sep 2023"  # the whole range fits
    panel.set_window("2022-12-25", "2023-09-13")
    assert label.full_text() == "25 Dec 2022 – 13 Sep 2023"
    assert label.toolTip() == "Showing events from 2022-12-25 to 2023-09-13"
    assert panel.all_button.isEnabled()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()


def test_import_summary_says_what_happened(tmp_path) -> None:
    from desktop.import_status import report_summary, skipped_html
    from extraction.ingest import IngestReport

    assert report_summary(IngestReport()).startswith("No article files found")
    report = IngestReport(added=[("a.txt", 1)], duplicates=["b.txt"],
                          skipped=[(f"/in/<bad{i}>.txt", "empty file") for i in range(20)],
                          cancelled=True)
    assert report_summary(report) == ("1 article imported, 1 already in the workspace, "
                                      "20 could not be read — cancelled")
    listed = skipped_html(report.skipped)
    assert "<b>&lt;bad0&gt;.txt</b>: empty file" in listed and "… and 5 more." in listed
