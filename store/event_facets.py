"""What kind of events to show: by family and category, actor, status, outlet and the number of
distinct articles. One rule, two forms: ``matches`` for events already read (the window's
filters answer from memory) and ``facet_clauses`` for SQL (``Workspace.events``); tests check
that they agree. The counts beside each filter's choices (``actor_counts`` and friends) are
computed from the same events.

Statuses ``hypothetical`` and ``denied`` are hidden by default: "talks could take place" and
"no troops were sent" are no events on the map unless the analyst asks for them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from store.event_families import FAMILIES, family, family_of
from store.models import STATUSES, EventRecord

SHOWN_STATUSES: frozenset[str] = frozenset({"reported", "planned"})
UNTYPED = ""  # the category key of a happening PLOVER has no category for


@dataclass(frozen=True)
class EventFacets:
    """Every field narrows the set; None lets everything through."""

    families: frozenset[str] | None = None  # Family keys
    categories: frozenset[str] | None = None  # PLOVER categories; UNTYPED for none
    actor_ids: frozenset[int] | None = None  # events with any of these actors
    statuses: frozenset[str] | None = SHOWN_STATUSES
    outlets: frozenset[str] | None = None  # events with a source from any of these outlets
    min_documents: int = 1  # distinct articles reporting it

    @property
    def active(self) -> bool:
        """True when the facets hide something beyond the default hidden statuses."""
        return self.narrowing_ids or self.families is not None

    @property
    def narrowing_ids(self) -> bool:
        """True when the facets need more than an event's family and status to decide."""
        return (self.categories is not None or self.actor_ids is not None
                or self.outlets is not None or self.min_documents > 1)

    def describe(self) -> list[str]:
        """The facets in force, as short phrases for a snapshot's caption or a status bar."""
        out = []
        if self.families is not None:
            out.append(", ".join(f.label for f in FAMILIES if f.key in self.families)
                       or "no kind of event")
        if self.categories is not None:
            out.append(", ".join(sorted(c or "untyped" for c in self.categories)) or "no type")
        if self.statuses is not None and self.statuses != SHOWN_STATUSES:
            out.append("status: " + (", ".join(s for s in STATUSES if s in self.statuses)
                                     or "none"))
        if self.outlets is not None:
            out.append("outlets: " + (", ".join(sorted(self.outlets)) or "none"))
        if self.min_documents > 1:
            out.append(f"in {self.min_documents}+ articles")
        return out


def categories_of(facets: EventFacets) -> frozenset[str] | None:
    """The categories the family and category facets let through (None: all of them)."""
    allowed: set[str] | None = None
    if facets.families is not None:
        allowed = set()
        for key in facets.families:
            allowed.update(family(key).categories)
            if key == family_of(None).key:
                allowed.add(UNTYPED)
    if facets.categories is not None:
        allowed = set(facets.categories) if allowed is None else allowed & facets.categories
    return None if allowed is None else frozenset(allowed)


def matches(event: EventRecord, facets: EventFacets) -> bool:
    """Whether the event passes every facet (events read with their actors and outlets)."""
    return bool(passing((event,), facets))


@dataclass(frozen=True)
class EventIndex:
    """Where each event of a list is, by id and by category: the few events of an actor or of
    a type are taken by index (`passing`) rather than by a pass over all 100,000."""

    positions: dict[int, int]  # event id -> index in the list
    by_category: dict[str, list[int]]  # category (UNTYPED for none) -> indexes, ascending

    @classmethod
    def of(cls, events: Sequence[EventRecord]) -> EventIndex:
        by_category: dict[str, list[int]] = {}
        for k, e in enumerate(events):
            by_category.setdefault(e.type or UNTYPED, []).append(k)
        return cls({e.id: k for k, e in enumerate(events)}, by_category)


def passing(events: Sequence[EventRecord], facets: EventFacets,
            actor_events: Collection[int] | None = None,
            index: EventIndex | None = None) -> list[EventRecord]:
    """The events that pass every facet, as ``matches`` says, in their order, one
    comprehension per facet in force: no call per event (the window filters 100,000 events in
    memory on every change). The most selective facets go first, statuses (which keep most
    events) last. `actor_events`: the ids of the events of the facets' actors, when the caller
    has them from the workspace (Workspace.event_ids_of_actors), instead of looking through
    every event's actors. With the list's `index`, an actor's or a kind's events are taken by
    their indexes rather than by a pass over every event."""
    allowed = categories_of(facets)
    picked: list[int] | None = None  # indexes into events, ascending
    if index is not None:
        if facets.actor_ids is not None and actor_events is not None:
            where = index.positions
            picked = sorted(where[i] for i in actor_events if i in where)
        if allowed is not None:
            of_kind = sorted(k for c in allowed for k in index.by_category.get(c, ()))
            picked = of_kind if picked is None else sorted(set(picked).intersection(of_kind))
            allowed = None
    out = list(events) if picked is None else [events[k] for k in picked]
    if facets.actor_ids is not None and (index is None or actor_events is None):
        if actor_events is not None:
            out = [e for e in out if e.id in actor_events]
        else:
            ids = facets.actor_ids
            out = [e for e in out if [a for a in e.actors if a.id in ids]]
    if allowed is not None:
        out = [e for e in out if (e.type or UNTYPED) in allowed]
    if facets.outlets is not None:
        outlets = facets.outlets
        out = [e for e in out if not outlets.isdisjoint(e.outlets)]
    if facets.min_documents > 0:
        least = facets.min_documents
        out = [e for e in out if e.document_count >= least]
    if facets.statuses is not None:
        statuses = facets.statuses
        out = [e for e in out if e.status in statuses]
    return out


def facet_clauses(facets: EventFacets, documents_column: str) -> tuple[list[str], list]:
    """SQL conditions on ``events e`` for these facets; ``documents_column`` is the expression
    holding the event's count of distinct articles."""
    where: list[str] = []
    args: list = []
    if facets.statuses is not None:
        statuses = sorted(facets.statuses)
        where.append(f"e.status IN ({_marks(statuses)})")
        args.extend(statuses)
    allowed = categories_of(facets)
    if allowed is not None:
        typed = sorted(c for c in allowed if c != UNTYPED)
        either = [f"e.type IN ({_marks(typed)})"] if typed else []
        if UNTYPED in allowed:
            either.append("e.type IS NULL OR e.type = ''")
        where.append("(" + " OR ".join(either) + ")" if either else "0")
        args.extend(typed)
    if facets.min_documents > 1:
        where.append(f"{documents_column} >= ?")
        args.append(facets.min_documents)
    if facets.actor_ids is not None:
        ids = sorted(facets.actor_ids)
        where.append(f"e.id IN (SELECT event_id FROM event_actors WHERE actor_id IN "
                     f"({_marks(ids)}))")
        args.extend(ids)
    if facets.outlets is not None:
        outlets = sorted(facets.outlets)
        where.append(f"e.id IN (SELECT event_id FROM event_outlets WHERE outlet IN "
                     f"({_marks(outlets)}))")
        args.extend(outlets)
    return where, args


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"


# -- the counts beside the choices ---------------------------------------------------------


@dataclass(frozen=True)
class ActorCount:
    id: int
    name: str
    kind: str
    events: int


def actor_counts(events: Iterable[EventRecord]) -> list[ActorCount]:
    """Every actor of these events with the number of events it takes part in, most first."""
    counts: Counter[int] = Counter()
    named: dict[int, tuple[str, str]] = {}
    for e in events:
        for actor_id in {a.id for a in e.actors}:
            counts[actor_id] += 1
        for a in e.actors:
            named.setdefault(a.id, (a.name, a.kind))
    rows = [ActorCount(i, *named[i], n) for i, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.events, r.name.casefold(), r.id))


def outlet_counts(events: Iterable[EventRecord]) -> list[tuple[str, int]]:
    """Every outlet among these events' sources with its number of events, most first."""
    counts: Counter[str] = Counter(o for e in events for o in set(e.outlets))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def family_counts(events: Iterable[EventRecord]) -> dict[str, int]:
    """Events per family key (every family listed, zeros included)."""
    counts = Counter(family_of(e.type).key for e in events)
    return {f.key: counts.get(f.key, 0) for f in FAMILIES}


def category_counts(events: Iterable[EventRecord]) -> dict[str, int]:
    """Events per PLOVER category (UNTYPED for none)."""
    return dict(Counter(e.type or UNTYPED for e in events))


def status_counts(events: Iterable[EventRecord]) -> dict[str, int]:
    """Events per status (every status listed, zeros included)."""
    counts = Counter(e.status for e in events)
    return {s: counts.get(s, 0) for s in STATUSES}


def kind_facets(checked: Iterable[str]) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(families, categories) for the categories an analyst left checked (UNTYPED included):
    whole families when the choice is made of whole families (the map filters those itself),
    else the categories; (None, None) when everything is checked."""
    checked = frozenset(checked)
    every = {c for f in FAMILIES for c in f.categories} | {UNTYPED}
    if checked >= every:
        return None, None
    whole = set()
    for f in FAMILIES:
        members = set(f.categories) | ({UNTYPED} if f is family_of(None) else set())
        if members <= checked:
            whole.add(f.key)
        elif members & checked:
            return None, checked
    return frozenset(whole), None
