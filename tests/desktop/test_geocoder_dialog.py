"""Edit › Online geocoder…: the setting is saved, read back, refused without a contact, and
used by the window's imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.geocoder_dialog import GeocoderDialog
from geo.nominatim import DEFAULT_URL, OnlineGeocoding, load_settings, save_settings, settings_path
from tests.geo.fake_nominatim import CONTACT, TOWN, Answer, running

pytestmark = pytest.mark.gui


def _ok(dialog: GeocoderDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_setting_saved_and_read_back(qtbot) -> None:
    dialog = GeocoderDialog()
    qtbot.addWidget(dialog)
    assert not dialog.enabled.isChecked() and dialog.url.text() == DEFAULT_URL
    assert not dialog.contact.isEnabled()  # off: nothing to fill in
    dialog.enabled.setChecked(True)
    assert dialog.contact.isEnabled()
    dialog.url.setText("http://127.0.0.1:8088")
    dialog.contact.setText(f"  {CONTACT} ")
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings() == OnlineGeocoding(True, "http://127.0.0.1:8088", CONTACT)
    again = GeocoderDialog()
    qtbot.addWidget(again)
    assert again.enabled.isChecked() and again.url.text() == "http://127.0.0.1:8088"
    assert again.contact.text() == CONTACT


def test_on_without_a_contact_is_refused(qtbot) -> None:
    dialog = GeocoderDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.enabled.setChecked(True)
    _ok(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.error.isVisible() and "contact" in dialog.error.text()
    assert not settings_path().exists()
    dialog.contact.setText("https://example.org/analysis-desk")
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings().contact == "https://example.org/analysis-desk"


def test_the_edit_menu_offers_it(qtbot, tmp_path: Path) -> None:
    from desktop.main_window import MainWindow

    window = MainWindow(tmp_path / "ws.sqlite", pipeline_factory=lambda: None)
    qtbot.addWidget(window)
    edit = next(m for m in window.menuBar().actions() if m.text() == "&Edit").menu()
    assert "Online &geocoder…" in [a.text() for a in edit.actions()]


@pytest.mark.model
@pytest.mark.slow
def test_window_imports_use_the_saved_setting(qtbot, pipeline, tmp_path: Path) -> None:
    from desktop.workers import IngestWorker

    article = tmp_path / "visit.txt"
    article.write_text("Kim toured a shipyard in Bolshoy Kamenovsk and then flew to Moscow.\n",
                       encoding="utf-8")
    worker = IngestWorker(lambda: pipeline)
    reports: list[object] = []
    worker.finished.connect(reports.append)
    try:
        with running() as server:
            server.script["Bolshoy Kamenovsk"] = [Answer(body=[dict(TOWN, name="Kamenovsk")])]
            worker.run(str(tmp_path / "offline.sqlite"), [str(article)])  # in this thread
            assert server.asked == []  # offline unless the analyst turns it on
            save_settings(OnlineGeocoding(True, server.url, CONTACT))
            article.write_text(article.read_text() + "He slept there.\n", encoding="utf-8")
            worker.run(str(tmp_path / "online.sqlite"), [str(article)])
        assert [a.query for a in server.asked] == ["Bolshoy Kamenovsk"]
        assert CONTACT in server.asked[0].agent and "Eventmap/" in server.asked[0].agent
        assert len(reports) == 2 and all(len(r.added) == 1 for r in reports)
    finally:
        pipeline.geocoder = None  # the session's pipeline: leave it offline
