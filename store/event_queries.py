"""Reading events: the EventRecords the map, the panels and the exports show.

An event whose every source comes from an article with a guessed publication date (its file's
time: no manifest, dateline or --published said when it appeared) has dates that rest on that
guess ("on Tuesday" is read against it). Such an event is kept off the dated timeline: a time
window treats it as undated until the analyst accepts the guess or sets the date
(store.guessed_dates).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from store.event_facets import EventFacets, facet_clauses
from store.models import EventActor, EventRecord, EventSource, SourceActor, event_record

T = TypeVar("T")
GUESSED = "file time"  # documents.published_source of a guessed publication date
_CHUNK = 500
FULL_SCAN = 2 / 3  # read the actors and outlets of all events for this share of them or more
FULL_SCAN_FROM = 1000  # ... and this many events or more

# Per event: sources, distinct articles and outlets, and whether every article's date is a
# guess, kept on the event's row (schema version 3, store.event_writer): a query costs what it
# returns, not what the events' sources hold (bench/queries.py).
DOCUMENTS = "e.document_count"


@dataclass(frozen=True)
class EventFilter:
    """Which events to read. Every field narrows the set; the defaults read every located one."""

    date_from: str | None = None
    date_to: str | None = None
    include_undated: bool = True  # with a window: keep events without dates (or guessed ones)
    located: bool | None = True  # True: on the map only; False: off it only; None: both
    document_id: int | None = None
    passage_ids: Iterable[int] | None = None
    event_ids: Iterable[int] | None = None
    facets: EventFacets | None = None  # kind, actor, status, outlet, articles (None: all)


# The columns of an event's row as event_rows reads them: EventRecord's fields but its sources,
# actors and outlets (read from their own tables), in its order.
ROW_FIELDS = (
    "id", "place_id", "place", "kind", "lat", "lon", "country", "precision_km", "approximate",
    "date_start", "date_end", "date_text", "date_precision", "reported", "source_count", "type",
    "status", "title", "trigger", "confidence", "location", "document_count", "guessed_dates",
    "outlet_count", "place_ref", "admin1",
)
ROW = {name: i for i, name in enumerate(ROW_FIELDS)}  # a row's field -> its index


def select_events(conn: sqlite3.Connection, wanted: EventFilter,
                  with_sources: bool = True) -> list[EventRecord]:
    return records_of_rows(conn, event_rows(conn, wanted), with_sources)


def event_rows(conn: sqlite3.Connection, wanted: EventFilter) -> list[tuple]:
    """The rows (ROW_FIELDS) of the events `wanted` selects, by date, then place, then id:
    what the map reads of them, without building a record each (desktop.map_payload).

    The events and their places are read apart and joined here: each place's values, and each
    distinct date, type or status, are one object shared by the rows that hold them (100,000
    events: 75 MB less than a joined row each, and no sort of wide rows in SQLite)."""
    where, args = _where(wanted)
    where_sql = " WHERE " + " AND ".join(where) if where else ""
    events = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events e{where_sql}", args).fetchall()
    places = _places_of(conn, {r[1] for r in events if r[1] is not None})
    shared: dict = {}
    one = shared.setdefault  # the first object of each value, for the others to share
    rows = []
    for (event_id, place_id, start, end, date_text, precision, reported, sources, kind_of,
         status, title, trigger, confidence, location, documents, guessed, outlets) in events:
        name, kind, lat, lon, country, km, approximate, ref, admin1 = places.get(
            place_id, _NO_PLACE)
        rows.append((
            event_id, place_id, name, kind, lat, lon, country, km, approximate,
            one(start, start), one(end, end), date_text, one(precision, precision),
            one(reported, reported), sources, one(kind_of, kind_of), one(status, status), title,
            one(trigger, trigger), confidence, one(location, location), documents, guessed,
            outlets, ref, admin1,
        ))
    # as SQLite would order them: undated last, no place (NULL) before any place's name
    rows.sort(key=lambda r: (r[9] is None, r[9] or "", r[1] is not None, r[2], r[0]))
    return rows


_EVENT_COLUMNS = (
    "e.id, e.place_id, e.date_start, e.date_end, e.date_text, e.date_precision, e.reported, "
    "e.source_count, e.type, e.status, e.title, e.trigger, e.confidence, e.location, "
    "e.document_count, e.guessed_dates, e.outlet_count"
)
_NO_PLACE = ("", "", 0, 0, None, 0, 0, "", None)  # a row's place columns without a place


def _places_of(conn: sqlite3.Connection, place_ids: set[int]) -> dict[int, tuple]:
    """Each place's columns of an event's row (name ... admin1 of ROW_FIELDS), by id."""
    return {r[0]: r[1:] for r in conn.execute(
        "SELECT id, name, kind, lat, lon, country, precision_km, approximate, "
        "source || ':' || source_id, admin1 FROM places "
        "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(place_ids))])}


def records_of_rows(conn: sqlite3.Connection, rows: list[tuple],
                    with_sources: bool = True) -> list[EventRecord]:
    """The EventRecords of event_rows' rows, with their actors and outlets (and sources)."""
    ids = [r[0] for r in rows]
    sources = sources_of(conn, ids) if with_sources else {}
    if _most_events(conn, len(ids)):
        # Most of the workspace's events (the window's first read): the two tables are read
        # whole (the other events' values are left unread in the dicts)
        actors = _actors_in(conn, "event_actors ea", [])
        outlets = _outlets_in(conn, "event_outlets eo ORDER BY eo.event_id, eo.outlet", [])
    else:
        # in one statement over the ids as one JSON array (not in chunks each)
        chosen = ("(SELECT value FROM json_each(?)) chosen CROSS JOIN {} "
                  "ON {}.event_id = chosen.value")
        listed = [json.dumps(ids)]
        actors = _actors_in(conn, chosen.format("event_actors ea", "ea"), listed)
        outlets = _outlets_in(conn, chosen.format("event_outlets eo", "eo"), listed)
    none: tuple = ()
    return [
        event_record((
            *r[:8], bool(r[8]), *r[9:15], tuple(sources.get(r[0], none)), *r[15:21],
            actors.get(r[0], none), r[21], bool(r[22]), *r[23:26], outlets.get(r[0], none),
        ))
        for r in rows
    ]


def _most_events(conn: sqlite3.Connection, wanted: int) -> bool:
    """Whether `wanted` events are most of the workspace's (at least FULL_SCAN of them; the
    largest id stands for their number, which would cost a scan to count). The actors and
    outlets of 100,000 events (all of bench/map_workspace.py's) took 0.71 s looked up by id,
    0.43 s read whole (best of six, alternated); for fewer than about half the events the
    lookups cost less."""
    if wanted < FULL_SCAN_FROM:
        return False
    largest = conn.execute("SELECT max(id) FROM events").fetchone()[0] or 0
    return wanted >= FULL_SCAN * largest


def cited_document_count(conn: sqlite3.Connection, event_ids: Iterable[int]) -> int:
    """Distinct articles among the sources of these events, in one statement over the ids as
    one JSON array."""
    ids = sorted(set(event_ids))
    row = conn.execute(
        "SELECT count(DISTINCT p.document_id) FROM json_each(?) chosen "
        "CROSS JOIN event_sources es ON es.event_id = chosen.value "
        "JOIN passages p ON p.id = es.passage_id", [json.dumps(ids)]).fetchone()
    return int(row[0])


def _where(wanted: EventFilter) -> tuple[list[str], list]:
    where: list[str] = []
    args: list = []
    dated = "(e.date_start IS NOT NULL AND e.guessed_dates = 0)"
    if wanted.date_from or wanted.date_to:
        window = [dated]
        if wanted.date_from:
            window.append("e.date_end >= ?")
            args.append(wanted.date_from)
        if wanted.date_to:
            window.append("e.date_start <= ?")
            args.append(wanted.date_to)
        clause = "(" + " AND ".join(window) + ")"
        if wanted.include_undated:
            clause = f"({clause} OR NOT {dated})"
        where.append(clause)
    elif not wanted.include_undated:
        where.append(dated)
    if wanted.located is not None:
        where.append("e.place_id IS NOT NULL" if wanted.located else "e.place_id IS NULL")
    if wanted.document_id is not None:
        where.append(
            "e.id IN (SELECT es.event_id FROM event_sources es JOIN passages p "
            "ON p.id = es.passage_id WHERE p.document_id = ?)"
        )
        args.append(wanted.document_id)
    if wanted.passage_ids is not None:
        ids = sorted(set(wanted.passage_ids))
        where.append(f"e.id IN (SELECT event_id FROM event_sources WHERE passage_id IN "
                     f"({','.join('?' * len(ids)) or 'NULL'}))")
        args.extend(ids)
    if wanted.event_ids is not None:
        ids = sorted(set(wanted.event_ids))
        where.append(f"e.id IN ({','.join('?' * len(ids)) or 'NULL'})")
        args.extend(ids)
    if wanted.facets is not None:
        clauses, values = facet_clauses(wanted.facets, DOCUMENTS)
        where.extend(clauses)
        args.extend(values)
    return where, args


def _actors_in(conn: sqlite3.Connection, chosen: str, args: list
               ) -> dict[int, tuple[EventActor, ...]]:
    """The actors of the events `chosen` (a FROM clause naming event_actors ea) selects, by role
    (descending, as they always were listed: targets, then sources), then by name; one record
    per actor and role, shared by its events."""
    made: dict[tuple[int, str], EventActor] = {}
    grouped: dict[int, list[EventActor]] = {}
    rows = conn.execute(
        f"SELECT ea.event_id, a.id, a.name, a.kind, ea.role FROM {chosen} "
        "JOIN actors a ON a.id = ea.actor_id ORDER BY ea.event_id, ea.role DESC, a.name, a.id",
        args)
    # _grouped's loop, inline: a call per row to make or find the record cost a tenth more
    # over the 150,000 actors of 100,000 events
    for event_id, actor_id, name, kind, role in rows:
        record = made.get((actor_id, role))
        if record is None:
            record = made[actor_id, role] = EventActor(actor_id, name, kind, role)
        listed = grouped.get(event_id)
        if listed is None:
            grouped[event_id] = [record]
        else:
            listed.append(record)
    return {event_id: tuple(listed) for event_id, listed in grouped.items()}


def _outlets_in(conn: sqlite3.Connection, chosen: str, args: list
                ) -> dict[int, tuple[str, ...]]:
    """The distinct outlets of the sources of the events `chosen` (the statement's rest after
    FROM, naming event_outlets eo) selects, by name (the order of the event_outlets key)."""
    return _grouped(conn.execute(f"SELECT eo.event_id, eo.outlet FROM {chosen}", args))


def _grouped(pairs: Iterable[tuple[int, T]]) -> dict[int, tuple[T, ...]]:
    """Each event's values, in the order the (event id, value) pairs come, as one tuple."""
    grouped: dict[int, list[T]] = {}
    for event_id, value in pairs:
        listed = grouped.get(event_id)
        if listed is None:
            grouped[event_id] = [value]
        else:
            listed.append(value)
    return {event_id: tuple(listed) for event_id, listed in grouped.items()}


def sources_of(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[EventSource]]:
    out: dict[int, list[EventSource]] = {}
    for chunk in _chunks(event_ids):
        rows = conn.execute(
            "SELECT es.event_id, d.id, d.title, d.outlet, d.published, p.id, p.text, p.start, "
            'm.start, m."end", dm.start, dm."end", m.id, m.note, d.published_source, '
            "es.trigger_start, es.trigger_end, es.trigger, es.status, es.id, d.path, d.sha256 "
            "FROM event_sources es JOIN passages p ON p.id = es.passage_id "
            "JOIN documents d ON d.id = p.document_id "
            "LEFT JOIN mentions m ON m.id = es.mention_id "
            "LEFT JOIN date_mentions dm ON dm.id = es.date_mention_id "
            f"WHERE es.event_id IN ({_marks(chunk)}) ORDER BY d.published, d.id, p.start",
            chunk,
        ).fetchall()
        actors = _source_actors(conn, [r[19] for r in rows])
        for r in rows:
            at = r[7]
            out.setdefault(r[0], []).append(EventSource(
                document_id=r[1], title=r[2], outlet=r[3], published=r[4], passage_id=r[5],
                passage=r[6], passage_start=at, mention_start=_local(r[8], at),
                mention_end=_local(r[9], at), date_start=_local(r[10], at),
                date_end=_local(r[11], at), mention_id=r[12], reason=r[13] or "",
                published_source=r[14], trigger_start=_local(r[15], at),
                trigger_end=_local(r[16], at), trigger=r[17], status=r[18],
                actors=tuple(SourceActor(a[0], a[1], a[2] - at, a[3] - at, a[4])
                             for a in actors.get(r[19], ())),
                path=r[20], sha256=r[21],
            ))
    return out


def _source_actors(conn: sqlite3.Connection, source_ids: list[int]) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    for chunk in _chunks(source_ids):
        rows = conn.execute(
            'SELECT source_id, actor_id, role, start, "end", surface FROM source_actors '
            f"WHERE source_id IN ({_marks(chunk)}) ORDER BY source_id, start", chunk,
        ).fetchall()
        for source_id, *actor in rows:
            out.setdefault(source_id, []).append(tuple(actor))
    return out


def _local(offset: int | None, passage_start: int) -> int | None:
    return None if offset is None else offset - passage_start


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for first in range(0, len(ids), _CHUNK):
        yield ids[first:first + _CHUNK]


def _marks(chunk: list[int]) -> str:
    return ",".join("?" * len(chunk))
