"""Edit › Online geocoder…: turn the opt-in online geocoder on or off, with its server and the
contact its User-Agent carries. The setting is geo.nominatim's JSON file, which the command
line reads too; imports read it when they start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from geo.nominatim import DEFAULT_URL, OnlineGeocoding, load_settings, save_settings
from store.errors import SettingsError

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

EXPLANATION = (
    "Eventmap works offline. With this on, names its gazetteer does not know are sent to a "
    "server speaking Nominatim's API, at most one request per second, each name once per "
    "workspace. Nominatim's usage policy asks every application to say who runs it: your "
    "contact goes into the User-Agent of every request."
)


class GeocoderDialog(QDialog):
    """Shows the saved setting; OK saves it, or says what is wrong and stays open."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Online geocoder")
        current = load_settings()
        self.enabled = QCheckBox("Look up unknown places on an online geocoder", self)
        self.enabled.setChecked(current.enabled)
        self.url = QLineEdit(current.url, self)
        self.url.setPlaceholderText(DEFAULT_URL)
        self.contact = QLineEdit(current.contact, self)
        self.contact.setPlaceholderText("you@example.org or https://your.page")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        about = QLabel(EXPLANATION, self)
        about.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server:", self.url)
        form.addRow("Your contact:", self.contact)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        for widget in (about, self.enabled):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.enabled.toggled.connect(self._enable_fields)
        self._enable_fields(current.enabled)

    def setting(self) -> OnlineGeocoding:
        return OnlineGeocoding(enabled=self.enabled.isChecked(),
                               url=self.url.text().strip() or DEFAULT_URL,
                               contact=self.contact.text().strip())

    def accept(self) -> None:
        try:
            save_settings(self.setting())
        except SettingsError as e:
            self.error.setText(str(e))
            self.error.show()
            return
        super().accept()

    def _enable_fields(self, on: bool) -> None:
        self.url.setEnabled(on)
        self.contact.setEnabled(on)


def ask_online_geocoder(w: MainWindow) -> None:
    dialog = GeocoderDialog(w)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        on = dialog.setting().enabled
        w.statusBar().showMessage(
            "Online geocoder on: used from the next import." if on
            else "Online geocoder off: places are found offline only.", 8000)
