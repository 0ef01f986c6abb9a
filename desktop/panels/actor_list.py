"""The Filters panel's list of actors: a model over the ActorCount records and the view that
shows it, one checkable row per actor.

A workspace of 100,000 events has some 5,000 actors and the list is replaced on every search or
filter change. A QListWidget built one QListWidgetItem per actor each time (~35 ms of calls
into Qt); here a new list is one model reset, rows are drawn only when on screen, the checked
actors are a set of ids and the "Find an actor…" box filters a list of row numbers in Python.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from store.event_facets import ActorCount

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole


def row_text(actor: ActorCount) -> str:
    return f"{actor.name}  ({actor.events:,})"


def row_tooltip(actor: ActorCount) -> str:
    return f"{actor.name}: {actor.kind}, in {actor.events:,} events"


class ActorListModel(QAbstractListModel):
    """The actors in the order given (most events first), those matching the find box only.

    Rows are not user-checkable: the view toggles a row on a click anywhere on it, so the
    delegate must not also toggle it when the click lands on the check box.
    """

    checkedChanged = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._actors: list[ActorCount] = []
        self._folded: list[str] | None = None  # row texts casefolded, made on first search
        self._visible: list[int] = []  # the index in _actors of each row shown
        self._words: list[str] = []
        self._checked: set[int] = set()

    # -- what is listed ----------------------------------------------------------------------

    def set_actors(self, actors: list[ActorCount]) -> None:
        """Show these actors; an actor checked before stays checked if it is still listed."""
        self.beginResetModel()
        self._actors = list(actors)
        self._folded = None
        self._visible = self._matching()
        kept = self._checked & {a.id for a in self._actors} if self._checked else set()
        dropped = kept != self._checked
        self._checked = kept
        self.endResetModel()
        if dropped:
            self.checkedChanged.emit()

    def set_filter(self, text: str) -> None:
        """Show only the rows whose text holds every word of `text` (case-insensitive)."""
        self.beginResetModel()
        self._words = text.casefold().split()
        self._visible = self._matching()
        self.endResetModel()

    def _matching(self) -> list[int]:
        if not self._words:
            return list(range(len(self._actors)))
        if self._folded is None:
            self._folded = [row_text(a).casefold() for a in self._actors]
        words = self._words
        return [i for i, text in enumerate(self._folded) if all(w in text for w in words)]

    def actor(self, row: int) -> ActorCount:
        return self._actors[self._visible[row]]

    def row_of(self, actor_id: int) -> int | None:
        """The row showing this actor, None if it is not listed or hidden by the find box."""
        return next((row for row, i in enumerate(self._visible)
                     if self._actors[i].id == actor_id), None)

    # -- checks ------------------------------------------------------------------------------

    def checked_ids(self) -> set[int]:
        """The checked actors, shown or hidden by the find box."""
        return set(self._checked)

    def set_checked(self, actor_ids: Iterable[int]) -> None:
        """Check exactly these actors (those not listed are ignored, as a list has no row for
        them to keep a check)."""
        listed = {a.id for a in self._actors}
        checked = {i for i in actor_ids if i in listed}
        if checked == self._checked:
            return
        self._checked = checked
        self._rows_changed(0, len(self._visible) - 1)
        self.checkedChanged.emit()

    def toggle(self, row: int) -> None:
        actor_id = self.actor(row).id
        if actor_id in self._checked:
            self._checked.discard(actor_id)
        else:
            self._checked.add(actor_id)
        self._rows_changed(row, row)
        self.checkedChanged.emit()

    def _rows_changed(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first), self.index(last),
                                  [Qt.ItemDataRole.CheckStateRole])

    # -- the model's interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        actor = self._actors[self._visible[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return row_text(actor)
        if role == Qt.ItemDataRole.CheckStateRole:
            return (Qt.CheckState.Checked if actor.id in self._checked
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row_tooltip(actor)
        if role == ID_ROLE:
            return actor.id
        return None


class ActorList(QListView):
    """The actors with a check box each: a click anywhere on a row, Enter or Space toggles it."""

    checkedChanged = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.actor_model = ActorListModel(self)
        self.setModel(self.actor_model)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.actor_model.checkedChanged.connect(self.checkedChanged)
        self.clicked.connect(self._toggle)
        self.activated.connect(self._toggle)

    def set_actors(self, actors: list[ActorCount]) -> None:
        self.actor_model.set_actors(actors)

    def set_filter(self, text: str) -> None:
        self.actor_model.set_filter(text)

    def checked_ids(self) -> set[int]:
        return self.actor_model.checked_ids()

    def set_checked(self, actor_ids: Iterable[int]) -> None:
        self.actor_model.set_checked(actor_ids)

    def scroll_to_actor(self, actor_id: int) -> None:
        row = self.actor_model.row_of(actor_id)
        if row is not None:
            self.scrollTo(self.actor_model.index(row))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Space toggles the current row, as the delegate does for user-checkable rows (ours
        # are not, see ActorListModel); with a modifier it keeps QListView's meaning.
        current = self.currentIndex()
        if (event.key() == Qt.Key.Key_Space and current.isValid()
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self._toggle(current)
            event.accept()
            return
        super().keyPressEvent(event)

    def _toggle(self, index: QModelIndex) -> None:
        if index.isValid():
            self.actor_model.toggle(index.row())
