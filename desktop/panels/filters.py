"""The Filters panel: what kind of events, by whom, how sure, from which outlets, how widely
reported. It only builds a store.event_facets.EventFacets from its widgets and says when it
changed; the window hands it to the Session, which filters (store.event_facets.matches).

Choices carry the number of events they hold (under the document and search in force), so an
analyst sees at once that Sergei Shoigu takes part in four events and UNIAN reports 24.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.panels.actor_list import ActorList
from store.event_facets import (
    SHOWN_STATUSES,
    UNTYPED,
    ActorCount,
    EventFacets,
    categories_of,
    kind_facets,
)
from store.event_families import FAMILIES, family_of
from store.models import STATUSES

STATUS_LABELS = {
    "reported": "Happened (reported)",
    "planned": "Planned, expected",
    "hypothetical": "Hypothetical (could, would)",
    "denied": "Denied",
}
ROLE = Qt.ItemDataRole.UserRole
CHANGE_MS = 120  # coalesces a burst of clicks (a family's categories) into one filter


class FiltersPanel(QWidget):
    facetsChanged = Signal(object)  # noqa: N815 (an EventFacets)
    clearRequested = Signal()  # noqa: N815

    def sizeHint(self) -> QSize:  # noqa: N802 (the dock's first size)
        return QSize(300, 600)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._updating = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHANGE_MS)
        self._timer.timeout.connect(self._emit)

        self.kinds = QTreeWidget(self)
        self.kinds.setHeaderHidden(True)
        self.kinds.setRootIsDecorated(True)
        self.kinds.setUniformRowHeights(True)
        for f in FAMILIES:
            parent_item = QTreeWidgetItem(self.kinds, [f.label])
            parent_item.setData(0, ROLE, f"family:{f.key}")
            parent_item.setFlags(parent_item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                                 | Qt.ItemFlag.ItemIsAutoTristate)
            members = list(f.categories) + ([UNTYPED] if f is family_of(None) else [])
            for category in members:
                child = QTreeWidgetItem(parent_item, [category.title() or "Untyped"])
                child.setData(0, ROLE, category)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked)
        self.kinds.itemChanged.connect(self._changed)

        self.status_boxes: dict[str, QCheckBox] = {}
        status_box = QGroupBox("Status", self)
        status_layout = QVBoxLayout(status_box)
        status_layout.setContentsMargins(6, 4, 6, 4)
        for status in STATUSES:
            box = QCheckBox(STATUS_LABELS[status], status_box)
            box.setChecked(status in SHOWN_STATUSES)
            box.toggled.connect(self._changed)
            self.status_boxes[status] = box
            status_layout.addWidget(box)

        self.actor_search = QLineEdit(self)
        self.actor_search.setPlaceholderText("Find an actor…")
        self.actor_search.setClearButtonEnabled(True)
        self.actor_search.textChanged.connect(self._filter_actor_list)
        self.actors = ActorList(self)
        self.actors.checkedChanged.connect(self._changed)

        self.outlets = QListWidget(self)
        self.outlets.setUniformItemSizes(True)
        self.outlets.itemChanged.connect(self._changed)
        self.outlets.itemClicked.connect(_toggle)
        self.outlets.itemActivated.connect(_toggle)

        self.min_documents = QSpinBox(self)
        self.min_documents.setRange(1, 999)
        self.min_documents.setSuffix(" article(s) or more")
        self.min_documents.valueChanged.connect(self._changed)

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("filtersSummary")
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.clicked.connect(self.clearRequested)

        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 4, 4, 4)
        row = 0
        for label, widget, stretch in (
            ("Kind of event", self.kinds, 1), (None, status_box, 0),
            ("Actors", self.actor_search, 0), (None, self.actors, 3),
            ("Outlets", self.outlets, 1), ("Reported by at least", self.min_documents, 0),
        ):
            if label:
                title = QLabel(f"<b>{label}</b>", body)
                grid.addWidget(title, row, 0)
                row += 1
            grid.addWidget(widget, row, 0)
            grid.setRowStretch(row, stretch)
            row += 1
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.clear_button)
        grid.addLayout(footer, row, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.kinds.setMinimumHeight(150)
        self.actors.setMinimumHeight(120)
        self.outlets.setMinimumHeight(60)

    # -- choices -------------------------------------------------------------------------------

    def set_choices(self, families: dict[str, int], categories: dict[str, int],
                    statuses: dict[str, int], actors: list[ActorCount],
                    outlets: list[tuple[str, int]]) -> None:
        """The counts beside every choice (checked states are kept by key)."""
        self._updating = True
        try:
            for i in range(self.kinds.topLevelItemCount()):
                item = self.kinds.topLevelItem(i)
                key = item.data(0, ROLE).split(":", 1)[1]
                label = next(f.label for f in FAMILIES if f.key == key)
                item.setText(0, f"{label}  ({families.get(key, 0):,})")
                for j in range(item.childCount()):
                    child = item.child(j)
                    category = child.data(0, ROLE)
                    n = categories.get(category, 0)
                    child.setText(0, f"{category.title() or 'Untyped'}  ({n:,})")
                    child.setHidden(n == 0 and child.checkState(0) == Qt.CheckState.Checked)
            for status, box in self.status_boxes.items():
                box.setText(f"{STATUS_LABELS[status]}  ({statuses.get(status, 0):,})")
            self.actors.set_actors(actors)  # keeps the find box's filter and listed checks
            checked_outlets = self.checked_outlets()
            self.outlets.clear()
            for name, n in outlets:
                item = QListWidgetItem(f"{name}  ({n:,})")
                # not user-checkable: _toggle checks it on a click anywhere on the row, and the
                # delegate must not undo that when the click lands on the box
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setData(ROLE, name)
                item.setCheckState(Qt.CheckState.Checked if name in checked_outlets
                                   else Qt.CheckState.Unchecked)
                self.outlets.addItem(item)
        finally:
            self._updating = False

    # -- reading the widgets -------------------------------------------------------------------

    def checked_categories(self) -> set[str]:
        out = set()
        for i in range(self.kinds.topLevelItemCount()):
            item = self.kinds.topLevelItem(i)
            for j in range(item.childCount()):
                child = item.child(j)
                if child.checkState(0) == Qt.CheckState.Checked:
                    out.add(child.data(0, ROLE))
        return out

    def checked_actor_ids(self) -> set[int]:
        return self.actors.checked_ids()

    def checked_outlets(self) -> set[str]:
        return {str(item.data(ROLE)) for item in _items(self.outlets)
                if item.checkState() == Qt.CheckState.Checked}

    def facets(self) -> EventFacets:
        families, categories = kind_facets(self.checked_categories())
        statuses = frozenset(s for s, box in self.status_boxes.items() if box.isChecked())
        actors = self.checked_actor_ids()
        outlets = self.checked_outlets()
        return EventFacets(
            families=families, categories=categories,
            actor_ids=frozenset(actors) if actors else None,
            statuses=None if statuses == frozenset(STATUSES) else statuses,
            outlets=frozenset(outlets) if outlets else None,
            min_documents=self.min_documents.value(),
        )

    # -- setting the widgets -------------------------------------------------------------------

    def set_facets(self, facets: EventFacets, emit: bool = True) -> None:
        """Show these facets in the widgets (Clear filters, an actor link)."""
        self._updating = True
        try:
            allowed = categories_of(facets)
            for i in range(self.kinds.topLevelItemCount()):
                item = self.kinds.topLevelItem(i)
                for j in range(item.childCount()):
                    child = item.child(j)
                    on = allowed is None or child.data(0, ROLE) in allowed
                    child.setCheckState(0, Qt.CheckState.Checked if on
                                        else Qt.CheckState.Unchecked)
            statuses = facets.statuses if facets.statuses is not None else frozenset(STATUSES)
            for status, box in self.status_boxes.items():
                box.setChecked(status in statuses)
            self.actors.set_checked(facets.actor_ids or ())
            for item in _items(self.outlets):
                on = facets.outlets is not None and str(item.data(ROLE)) in facets.outlets
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.min_documents.setValue(facets.min_documents)
        finally:
            self._updating = False
        if emit:
            self._timer.stop()
            self._emit()

    def only_actor(self, actor_id: int) -> None:
        """Filter to one actor's events (the Sources panel's actor links)."""
        self.actor_search.clear()
        current = self.facets()
        self.set_facets(EventFacets(
            families=current.families, categories=current.categories,
            actor_ids=frozenset({actor_id}), statuses=current.statuses,
            outlets=current.outlets, min_documents=current.min_documents,
        ))
        self.actors.scroll_to_actor(actor_id)

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    # -- internals -----------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if not self._updating:
            self._timer.start()

    def _emit(self) -> None:
        self.facetsChanged.emit(self.facets())

    def _filter_actor_list(self, text: str) -> None:
        """Show only the actors whose row text holds every word typed (checks are kept)."""
        self.actors.set_filter(text)


def _items(widget: QListWidget) -> list[QListWidgetItem]:
    return [widget.item(i) for i in range(widget.count())]


def _toggle(item: QListWidgetItem) -> None:
    """One click anywhere on an outlet's row (or Enter) checks or unchecks it: the rows show a
    check box but are not user-checkable, so a click on the box itself toggles once."""
    item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                       else Qt.CheckState.Checked)
