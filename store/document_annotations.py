"""What the article view marks in one document: the actors and date expressions it names, the
words that report each event, and the events it reports, all in document offsets.

Actors are stored per event source (source_actors) and the same words can name an actor of two
events read from one sentence: each span is returned once per actor. Trigger offsets of
event_sources are document offsets too (store.event_queries makes them passage-local).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorMention:
    """An actor as the article writes it ("Russian Defense Minister Sergei Shoigu")."""

    start: int  # character offsets into the document text
    end: int
    text: str
    actor_id: int
    name: str  # the normalised actor's name ("Sergei Shoigu")
    kind: str  # person, state, organisation, group


@dataclass(frozen=True)
class DateSpan:
    """A date expression of the article with the range it was read as."""

    start: int  # character offsets into the document text
    end: int
    text: str
    date_start: str  # ISO
    date_end: str


@dataclass(frozen=True)
class EventTrigger:
    """The words of one passage that report an event ("trip", "will meet")."""

    start: int  # character offsets into the document text
    end: int
    text: str
    event_id: int
    status: str  # what this passage says of the event


@dataclass(frozen=True)
class DocumentEvent:
    """An event the article reports (it may have sources in other articles too)."""

    id: int
    title: str
    type: str | None  # a PLOVER category, or None
    status: str
    date_start: str | None
    date_end: str | None
    reported: str | None
    place: str  # "" when the event has no place
    place_kind: str
    first_trigger: int | None  # document offset of its first trigger here, None when unknown


@dataclass(frozen=True)
class DocumentAnnotations:
    actors: tuple[ActorMention, ...] = ()
    dates: tuple[DateSpan, ...] = ()
    triggers: tuple[EventTrigger, ...] = ()
    events: tuple[DocumentEvent, ...] = ()  # in the order the article first reports them


def document_annotations(conn: sqlite3.Connection, document_id: int) -> DocumentAnnotations:
    """The actor mentions, date expressions, event triggers and events of one document."""
    triggers = _triggers(conn, document_id)
    return DocumentAnnotations(
        actors=_actors(conn, document_id), dates=_dates(conn, document_id),
        triggers=triggers, events=_events(conn, document_id, triggers),
    )


def _actors(conn: sqlite3.Connection, document_id: int) -> tuple[ActorMention, ...]:
    rows = conn.execute(
        'SELECT DISTINCT sa.start, sa."end", sa.surface, a.id, a.name, a.kind '
        "FROM source_actors sa JOIN event_sources es ON es.id = sa.source_id "
        "JOIN passages p ON p.id = es.passage_id JOIN actors a ON a.id = sa.actor_id "
        'WHERE p.document_id = ? ORDER BY sa.start, sa."end", a.id',
        [document_id],
    ).fetchall()
    return tuple(ActorMention(*r) for r in rows)


def _dates(conn: sqlite3.Connection, document_id: int) -> tuple[DateSpan, ...]:
    rows = conn.execute(
        'SELECT dm.start, dm."end", dm.surface, dm.date_start, dm.date_end FROM date_mentions dm '
        'JOIN passages p ON p.id = dm.passage_id WHERE p.document_id = ? ORDER BY dm.start, dm.id',
        [document_id],
    ).fetchall()
    return tuple(DateSpan(*r) for r in rows)


def _triggers(conn: sqlite3.Connection, document_id: int) -> tuple[EventTrigger, ...]:
    rows = conn.execute(
        "SELECT DISTINCT es.trigger_start, es.trigger_end, es.trigger, es.event_id, es.status "
        "FROM event_sources es JOIN passages p ON p.id = es.passage_id "
        "WHERE p.document_id = ? AND es.trigger_start IS NOT NULL "
        "AND es.trigger_end IS NOT NULL ORDER BY es.trigger_start, es.event_id",
        [document_id],
    ).fetchall()
    return tuple(EventTrigger(*r) for r in rows)


def _events(conn: sqlite3.Connection, document_id: int,
            triggers: tuple[EventTrigger, ...]) -> tuple[DocumentEvent, ...]:
    first: dict[int, int] = {}
    for t in triggers:  # in text order
        first.setdefault(t.event_id, t.start)
    rows = conn.execute(
        "SELECT e.id, e.title, e.type, e.status, e.date_start, e.date_end, e.reported, "
        "coalesce(pl.name, ''), coalesce(pl.kind, ''), min(p.start) FROM events e "
        "JOIN event_sources es ON es.event_id = e.id JOIN passages p ON p.id = es.passage_id "
        "LEFT JOIN places pl ON pl.id = e.place_id WHERE p.document_id = ? GROUP BY e.id",
        [document_id],
    ).fetchall()
    events = [DocumentEvent(*r[:9], first.get(r[0])) for r in rows]
    passage_at = {r[0]: r[9] for r in rows}
    events.sort(key=lambda e: (e.first_trigger if e.first_trigger is not None
                               else passage_at[e.id], e.id))
    return tuple(events)
