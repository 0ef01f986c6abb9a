"""What the window shows: a workspace, the analyst's filter, and the events the filter selects.

No Qt here: the window reads a Session and pushes its results to the widgets, so every
filter the window offers can be exercised from a plain test.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from store.event_facets import (
    ActorCount,
    EventFacets,
    actor_counts,
    category_counts,
    family_counts,
    matches,
    outlet_counts,
    status_counts,
)
from store.models import EventRecord
from store.workspace import Counts, DocumentSummary, PassageHit, Workspace


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


def search_hits(ws: Workspace, query: str) -> list[PassageHit]:
    """Passages matching the words (full text) or naming a place that starts with them."""
    if not query.strip():
        return []
    hits = {h.passage_id: h for h in ws.search_passages(query)}
    for h in ws.search_places(query):
        hits.setdefault(h.passage_id, h)
    return list(hits.values())


class Session:
    def __init__(self, workspace: Workspace):
        self.ws = workspace
        self.filter = EventFilter()
        self.hits: list[PassageHit] = []
        self._narrowed: list[EventRecord] = []  # under the document and the search
        self._base: list[EventRecord] = []  # ... and the facets
        self.all_events: list[EventRecord] = []
        self.reload()

    @property
    def path(self) -> Path:
        return self.ws.path

    def reload(self) -> None:
        """Re-read the workspace (after an import) keeping the filter."""
        self.all_events = self.ws.events(with_sources=False)
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
        facets = self.filter.facets
        self._base = [e for e in self._narrowed if matches(e, facets)]

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
            title = next((d.title for d in self.ws.documents() if d.id == f.document_id), "")
            out.append(f"article: {title or f.document_id}")
        if f.facets.actor_ids is not None:
            names = {a.id: a.name for e in self.all_events for a in e.actors}
            out.append("actors: " + (", ".join(sorted(names.get(i, str(i))
                                                      for i in f.facets.actor_ids)) or "none"))
        return out + f.facets.describe()

    # -- the choices of the filters, with their counts ---------------------------------------

    def actor_choices(self) -> list[ActorCount]:
        """The actors of the events under the document and search, with their event counts."""
        return actor_counts(self._narrowed)

    def outlet_choices(self) -> list[tuple[str, int]]:
        return outlet_counts(self._narrowed)

    def family_choices(self) -> dict[str, int]:
        return family_counts(self._narrowed)

    def category_choices(self) -> dict[str, int]:
        return category_counts(self._narrowed)

    def status_choices(self) -> dict[str, int]:
        return status_counts(self._narrowed)

    # -- what the views show -----------------------------------------------------------------

    @property
    def base_events(self) -> list[EventRecord]:
        """Events under the document, search and facets, at any date (the timeline's data)."""
        return self._base

    @property
    def shown_events(self) -> list[EventRecord]:
        """Events under every filter (what the map shows)."""
        return [e for e in self._base if in_window(e, self.filter)]

    @property
    def total_events(self) -> int:
        return len(self.all_events)

    def counts(self) -> Counts:
        return self.ws.counts()

    def documents(self) -> list[DocumentSummary]:
        """The documents list: every document, or those with a search hit."""
        docs = self.ws.documents()
        if not self.filter.search.strip():
            return docs
        matching = {h.document_id for h in self.hits}
        return [d for d in docs if d.id in matching]

    def shown_with_sources(self) -> list[EventRecord]:
        """The shown events with their source passages (for exports)."""
        ids = [e.id for e in self.shown_events]
        by_id = {e.id: e for e in self.ws.events(event_ids=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def event(self, event_id: int) -> EventRecord | None:
        """One event with all its source passages."""
        found = self.ws.events(event_ids=[event_id])
        return found[0] if found else None

    def events_of_passage(self, passage_id: int) -> list[int]:
        return [e.id for e in self.ws.events(passage_ids=[passage_id], with_sources=False)]

    def events_of_document(self, document_id: int) -> list[int]:
        return [e.id for e in self.ws.events(document_id=document_id, with_sources=False)]
