"""What the window shows: a workspace, the analyst's filter, and the events the filter selects.

No Qt here: the window reads a Session and pushes its results to the widgets, so every
filter the window offers can be exercised from a plain test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop.recent import Recent
from store.event_facets import (
    ActorCount,
    EventFacets,
    EventIndex,
    actor_counts,
    categories_of,
    category_counts,
    family_counts,
    outlet_counts,
    passing,
    status_counts,
)
from store.mention_queries import NamedPlace
from store.models import EventRecord
from store.workspace import Counts, DocumentSummary, PassageHit, Workspace

if TYPE_CHECKING:
    from desktop.workspace_data import WorkspaceData

FACET_LISTS_KEPT = 4
CHOICE_LISTS_KEPT = 2
T = TypeVar("T")


@dataclass(frozen=True)
class EventFilter:
    date_from: str | None = None  # ISO dates; None leaves that side open
    date_to: str | None = None
    include_undated: bool = True
    document_id: int | None = None
    search: str = ""
    facets: EventFacets = EventFacets()  # kind, actor, status, outlet, articles

    @property
    def has_window(self) -> bool:
        return bool(self.date_from or self.date_to)


def in_window(event: EventRecord, f: EventFilter) -> bool:
    """The overlap rule of Workspace.events, applied to events already loaded."""
    if not event.on_timeline:
        return f.include_undated
    if f.date_from and (event.date_end or event.date_start) < f.date_from:
        return False
    return not (f.date_to and event.date_start > f.date_to)


def in_window_all(events: list[EventRecord], f: EventFilter) -> list[EventRecord]:
    """The events of `events` in the filter's time window (``in_window`` over a list, with the
    rule worked out once: the window runs it over 100,000 events on every change)."""
    if not f.has_window:
        return list(events) if f.include_undated else [e for e in events if e.on_timeline]
    lo, hi, undated = f.date_from or "", f.date_to, f.include_undated
    out = []
    for e in events:
        start = e.date_start
        if start is None or e.guessed_dates:  # not on the timeline
            if undated:
                out.append(e)
        elif (e.date_end or start) >= lo and not (hi and start > hi):
            out.append(e)
    return out


def search_hits(ws: Workspace, query: str) -> list[PassageHit]:
    """Passages matching the words (full text) or naming a place that starts with them."""
    if not query.strip():
        return []
    hits = {h.passage_id: h for h in ws.search_passages(query)}
    for h in ws.search_places(query):
        hits.setdefault(h.passage_id, h)
    return list(hits.values())


def with_sources(ws: Workspace, event_ids: list[int]) -> list[EventRecord]:
    """These events (in this order) with their source passages, as the workspace holds them
    now; those no longer in it are left out."""
    by_id = {e.id: e for e in ws.events(event_ids=event_ids)}
    return [by_id[i] for i in event_ids if i in by_id]


class Session:
    def __init__(self, workspace: Workspace, *, read: bool = True):
        """`read=False`: start with no events, for `adopt` to fill from a read done elsewhere
        (a large workspace is read off the GUI thread, desktop.workspace_data)."""
        self.ws = workspace
        self.filter = EventFilter()
        self.hits: list[PassageHit] = []
        self._narrowed: list[EventRecord] = []  # under the document and the search
        self._base: list[EventRecord] = []  # ... and the facets
        # the lists of the last facets and narrowings: going back to a choice made a moment ago
        # (clearing a filter or a search) gives the same list, which the views recognise
        self._by_facets: Recent[list[EventRecord]] = Recent(FACET_LISTS_KEPT)
        self._counted: Recent[dict] = Recent(CHOICE_LISTS_KEPT)  # the choices' counts
        # where each event of a narrowed list is, by id and kind (an actor's or a type's events
        # are taken by index), made when a facet first needs it
        self._indexes: Recent[EventIndex] = Recent(CHOICE_LISTS_KEPT)
        self._counts: Counts | None = None  # the workspace's counts until the next reload
        self._documents: list[DocumentSummary] | None = None  # every document, likewise
        self._places: list[NamedPlace] | None = None  # places named where no event is
        self.all_events: list[EventRecord] = []
        if read:
            self.reload()

    @property
    def path(self) -> Path:
        return self.ws.path

    def reload(self) -> None:
        """Re-read the workspace (after an import) keeping the filter."""
        self._counts = None
        self._documents = None
        self._places = None
        self._counted.clear()
        self._by_facets.clear()
        self._indexes.clear()
        self.all_events = self.ws.events(with_sources=False)
        self.hits = search_hits(self.ws, self.filter.search)
        self._load_base()

    def adopt(self, data: WorkspaceData) -> None:
        """Take the events, documents and counts read elsewhere (as `reload` would read them),
        keeping the filter."""
        self._counts = data.counts
        self._documents = data.documents
        self._places = data.places
        self.all_events = data.events
        self._counted.clear()
        self._counted.put(data.events, dict(data.choices))
        self._by_facets.clear()
        self._indexes.clear()
        if data.index is not None:
            self._indexes.put(data.events, data.index)
        self.hits = search_hits(self.ws, self.filter.search)
        self._load_base()

    def _load_base(self) -> None:
        f = self.filter
        if f.document_id is None and not f.search.strip():
            self._narrowed = self.all_events
        else:
            passage_ids = [h.passage_id for h in self.hits] if f.search.strip() else None
            self._narrowed = self.ws.events(document_id=f.document_id, passage_ids=passage_ids,
                                            with_sources=False)
        self._apply_facets()

    def _apply_facets(self) -> None:
        facets, narrowed = self.filter.facets, self._narrowed

        def base() -> list[EventRecord]:
            if facets.actor_ids is None and categories_of(facets) is None:
                return passing(narrowed, facets)  # statuses, outlets: a pass over every event
            index = self._indexes.get(narrowed, lambda: EventIndex.of(narrowed))
            actor_events = (None if facets.actor_ids is None
                            else self.ws.event_ids_of_actors(facets.actor_ids))
            return passing(narrowed, facets, actor_events, index)
        self._base = self._by_facets.get(narrowed, base, facets)

    @property
    def narrowed(self) -> bool:
        """True when the map must be told which events to show: a document, a search or a
        facet beyond kind and status limits them (the page filters kind and status itself)."""
        f = self.filter
        return f.document_id is not None or bool(f.search.strip()) or f.facets.narrowing_ids

    def set_filter(self, **changes: object) -> None:
        old = self.filter
        self.filter = replace(old, **changes)
        if self.filter.search != old.search:
            self.hits = search_hits(self.ws, self.filter.search)
        if (self.filter.search, self.filter.document_id) != (old.search, old.document_id):
            self._load_base()
        elif self.filter.facets != old.facets:
            self._apply_facets()

    def set_facets(self, **changes: object) -> EventFacets:
        """Change some facets (families=..., actor_ids=..., ...); returns the new facets."""
        self.set_filter(facets=replace(self.filter.facets, **changes))
        return self.filter.facets

    def clear_filters(self) -> None:
        """Back to every event: no document, search, time window or facet."""
        self.set_filter(date_from=None, date_to=None, include_undated=True, document_id=None,
                        search="", facets=EventFacets())

    def filters_in_force(self) -> list[str]:
        """Every filter beyond the time window, as short phrases for a caption: the search,
        the document, the kinds, actors, statuses, outlets and minimum articles."""
        f = self.filter
        out = [f"search: “{f.search.strip()}”"] if f.search.strip() else []
        if f.document_id is not None:
            doc = self.ws.document(f.document_id)
            title = doc.title if doc else ""
            out.append(f"article: {title or f.document_id}")
        if f.facets.actor_ids is not None:
            names = {a.id: a.name for e in self.all_events for a in e.actors}
            out.append("actors: " + (", ".join(sorted(names.get(i, str(i))
                                                      for i in f.facets.actor_ids)) or "none"))
        return out + f.facets.describe()

    # -- the choices of the filters, with their counts ---------------------------------------

    def actor_choices(self) -> list[ActorCount]:
        """The actors of the events under the document and search, with their event counts."""
        return self._choices("actors", actor_counts)

    def outlet_choices(self) -> list[tuple[str, int]]:
        return self._choices("outlets", outlet_counts)

    def family_choices(self) -> dict[str, int]:
        return self._choices("families", family_counts)

    def category_choices(self) -> dict[str, int]:
        return self._choices("categories", category_counts)

    def status_choices(self) -> dict[str, int]:
        return self._choices("statuses", status_counts)

    def _choices(self, name: str, count: Callable[[list[EventRecord]], T]) -> T:
        """The counts of the events under the document and search, kept for the last few such
        lists (clearing a search gives back every event, whose counts are known)."""
        narrowed = self._narrowed
        counted = self._counted.get(narrowed, dict)
        if name not in counted:
            counted[name] = count(narrowed)
        return counted[name]

    # -- what the views show -----------------------------------------------------------------

    @property
    def base_events(self) -> list[EventRecord]:
        """Events under the document, search and facets, at any date (the timeline's data)."""
        return self._base

    @property
    def shown_events(self) -> list[EventRecord]:
        """Events under every filter (what the map shows)."""
        return in_window_all(self._base, self.filter)

    @property
    def total_events(self) -> int:
        return len(self.all_events)

    def counts(self) -> Counts:
        """The workspace's counts, read once per reload (imports and corrections reload)."""
        if self._counts is None:
            self._counts = self.ws.counts()
        return self._counts

    def documents(self) -> list[DocumentSummary]:
        """The documents list: every document (read once per reload), or those with a
        search hit (read by id)."""
        if self.filter.search.strip():
            return self.ws.documents_by_id({h.document_id for h in self.hits})
        if self._documents is None:
            self._documents = self.ws.documents()
        return self._documents

    def guessed_count(self) -> int:
        """How many articles' publication dates are still guesses (Edit › Accept file dates):
        counted in the documents list once it is read, else asked of the workspace (a scan of
        every article's row: 65 ms at 96,000 articles, on the GUI thread after each refresh)."""
        if self._documents is not None:
            return sum(1 for d in self._documents if d.guessed_date)
        return len(self.ws.guessed_documents())

    def places(self) -> list[NamedPlace]:
        """Places the articles name where no event is (read once per reload)."""
        if self._places is None:
            self._places = self.ws.places_without_events()
        return self._places

    def shown_with_sources(self) -> list[EventRecord]:
        """The shown events with their source passages (for exports)."""
        return with_sources(self.ws, [e.id for e in self.shown_events])

    def event(self, event_id: int) -> EventRecord | None:
        """One event with all its source passages."""
        found = self.ws.events(event_ids=[event_id])
        return found[0] if found else None

    def events_of_passage(self, passage_id: int) -> list[int]:
        return [e.id for e in self.ws.events(passage_ids=[passage_id], with_sources=False)]

    def events_of_document(self, document_id: int) -> list[int]:
        return [e.id for e in self.ws.events(document_id=document_id, with_sources=False)]
