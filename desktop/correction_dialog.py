"""The "Correct place…" dialog: which place a mention means (or none), and how widely.

The rows are computed by `candidate_rows` without Qt; the dialog only shows them and reports the
analyst's choice. Every name shown comes from article text or place data, so the header escapes
it and the list shows plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from geo.gazetteer import haversine_km
from store.corrections import MentionInfo
from store.models import Place

SCOPE_CHOICES = (
    ("mention", "This mention only"),
    ("document", "Every “{surface}” in this article"),
    ("workspace", "Every “{surface}” everywhere, now and in articles imported later"),
)
NOT_A_PLACE = "Not a place"


@dataclass(frozen=True)
class CandidateRow:
    place: Place | None  # None: "not a place"
    current: bool
    distance_km: float | None  # from the place the mention resolves to now
    address: str = ""  # "Moscow, Idaho, United States" when the gazetteer can say

    @property
    def label(self) -> str:
        if self.place is None:
            return NOT_A_PLACE + ("   (current)" if self.current else "")
        p = self.place
        if self.address:
            return self._with_tail(f"{self.address} — {p.kind}")
        where = ", ".join(x for x in (p.kind, p.admin1 and f"{p.country}-{p.admin1}"
                                      or p.country) if x)
        return self._with_tail(f"{p.name} — {where}")

    def _with_tail(self, text: str) -> str:
        if self.current:
            tail = "current"
        elif self.distance_km is not None:
            tail = f"{self.distance_km:,.0f} km away"
        else:
            tail = ""
        return text + (f"   ({tail})" if tail else "")


@dataclass(frozen=True)
class CorrectionChoice:
    mention_id: int
    place: Place | None  # None: not a place
    scope: str


def candidate_rows(info: MentionInfo, places: list[Place],
                   addresses: dict[str, str] | None = None) -> list[CandidateRow]:
    """The current place first, then the other candidates, then "not a place"."""
    current = info.place
    addresses = addresses or {}
    rows: list[CandidateRow] = []
    if current is not None:
        rows.append(CandidateRow(current, True, 0.0, addresses.get(current.key, "")))
    for place in places:
        if current is not None and place.key == current.key:
            continue
        distance = (haversine_km(current.lat, current.lon, place.lat, place.lon)
                    if current is not None else None)
        rows.append(CandidateRow(place, False, distance, addresses.get(place.key, "")))
    rows.append(CandidateRow(None, current is None, None))
    return rows


class CorrectionDialog(QDialog):
    def __init__(self, info: MentionInfo, places: list[Place], parent: QWidget | None = None,
                 addresses: dict[str, str] | None = None):
        super().__init__(parent)
        self.info = info
        self.rows = candidate_rows(info, places, addresses)
        self.setWindowTitle("Correct place — Eventmap")
        self.resize(520, 420)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setText(
            f"Which place does <b>{escape(info.surface)}</b> mean here?<br>"
            f'<span style="color:#5f6b7a;">{escape(_clip(info.passage, 240))}</span>'
        )
        self.list = QListWidget(self)
        for row in self.rows:
            item = QListWidgetItem(row.label)  # plain text: never interpreted as markup
            if row.current:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
        # The current place is selected: Enter alone must not move an event across the world.
        self.list.setCurrentRow(next((i for i, r in enumerate(self.rows) if r.current), 0))
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_if_chosen())
        self.scopes = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Apply to:", self))
        for i, (key, text) in enumerate(SCOPE_CHOICES):
            button = QRadioButton(text.format(surface=info.surface), self)
            button.setObjectName(f"scope_{key}")
            button.setChecked(i == 0)
            self.scopes.addButton(button, i)
            layout.addWidget(button)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._accept_if_chosen)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.currentRowChanged.connect(self._update_ok)
        self.scopes.idToggled.connect(self._update_ok)
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        """OK only once the analyst picked something that changes a place."""
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.choice() is not None)

    def _accept_if_chosen(self) -> None:
        if self.choice() is not None:
            self.accept()

    def select_not_a_place(self) -> None:
        self.list.setCurrentRow(len(self.rows) - 1)

    def select_scope(self, scope: str) -> None:
        keys = [k for k, _ in SCOPE_CHOICES]
        self.scopes.button(keys.index(scope)).setChecked(True)

    def choice(self) -> CorrectionChoice | None:
        """What the analyst picked; None when it changes nothing (the current place, for this
        mention only). The current place with a wider scope applies it to the other mentions."""
        row = self.rows[self.list.currentRow()] if self.list.currentRow() >= 0 else None
        scope = SCOPE_CHOICES[max(self.scopes.checkedId(), 0)][0]
        if row is None or (row.current and scope == "mention"):
            return None
        return CorrectionChoice(self.info.id, row.place, scope)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
