"""Storing events: each extracted happening joins the stored event it is another report of, or
starts a new one; an event's fields are then recomputed from all its sources.

One event, many reports: store.event_matching decides which event a source is another report
of. An event is located at the most specific place its sources give ("Vladivostok" over
"Russia"), the text's own over an inferred one, so that a vaguer report can join it.

Both an ingest (Workspace.add_document) and the analyst's corrections (store.corrections) go
through `attach_source` and `refresh_event`, inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass

from store import event_matching as matching
from store.event_matching import span_days
from store.event_queries import GUESSED
from store.models import DateRange

SOURCE_COLUMNS = ("id", "event_id", "passage_id", "mention_id", "date_mention_id",
                  "trigger_start", "trigger_end", "trigger", "type", "status", "title",
                  "confidence", "location")
EVENT_COLUMNS = ("id", "place_id", "date_start", "date_end", "date_text", "date_precision",
                 "reported", "type", "status", "title", "trigger", "confidence", "location")
# What an event's row keeps of its sources for the queries (schema version 3); not part of an
# undo record's EVENT_COLUMNS: refresh_event recomputes them.
COUNT_COLUMNS = ("source_count", "document_count", "outlet_count", "guessed_dates")


@dataclass(frozen=True)
class SourceDraft:
    """What one passage reports of one happening, ready to store."""

    passage_id: int
    place_id: int | None
    mention_id: int | None  # the place mention that locates it
    date_mention_id: int | None
    date: DateRange | None
    trigger_start: int | None
    trigger_end: int | None
    trigger: str
    type: str | None
    status: str
    title: str
    confidence: float
    location: str  # given, inferred, none
    actors: tuple[tuple[int, str, int, int, str], ...] = ()  # actor id, role, start, end, text
    reported: str | None = None  # the document's publication date


def attach_source(conn: sqlite3.Connection, draft: SourceDraft) -> tuple[int, int, bool]:
    """Store a source under the event it reports; (event id, source id, event created)."""
    event_id = find_event(conn, draft)
    created = event_id is None
    if event_id is None:
        cur = conn.execute("INSERT INTO events (place_id) VALUES (?)", [draft.place_id])
        event_id = int(cur.lastrowid)
    source_id = insert_source(conn, event_id, draft)
    if created or not _add_to_event(conn, event_id, source_id, draft):
        refresh_event(conn, event_id)
    return event_id, source_id, created


def _add_to_event(conn: sqlite3.Connection, event_id: int, source_id: int,
                  draft: SourceDraft) -> bool:
    """Update an event for one more source without reading all its sources: what
    refresh_event would store, from the event's row and the new source. False (nothing
    written) when the event's kind, status, place or dates may change: refresh it then."""
    row = conn.execute(
        "SELECT e.place_id, e.date_start, e.date_end, e.reported, e.type, e.status, e.trigger, "
        "e.confidence, e.location, pl.precision_km FROM events e "
        "LEFT JOIN places pl ON pl.id = e.place_id WHERE e.id = ?", [event_id]).fetchone()
    place_id, start, end, reported, kind, status, trigger, confidence, location, km = row
    if draft.type != kind or draft.status != status:
        return False
    mention = conn.execute(
        "SELECT m.place_id, pl.precision_km FROM mentions m "
        "LEFT JOIN places pl ON pl.id = m.place_id WHERE m.id = ?",
        [draft.mention_id]).fetchone() if draft.mention_id is not None else None
    mention_place = mention[0] if mention else None
    if mention and mention[1] is not None and draft.location != "none" and (
            location == "none"
            or (draft.location != "given", mention[1]) < (location != "given", km)):
        return False  # a finer place (_located)
    if draft.date_mention_id is not None:
        rng = conn.execute("SELECT date_start, date_end FROM date_mentions WHERE id = ?",
                           [draft.date_mention_id]).fetchone()
        if rng and not (start is not None and rng[0] <= start and end <= rng[1]):
            return False  # it may move the agreed range (_agreed_dates)
    if draft.reported and (reported is None or draft.reported < reported):
        reported = draft.reported
    # The title: the new source's only when no earlier one ranks as high (refresh_event).
    if mention_place == place_id:
        rival = "m.place_id IS ? AND es.confidence >= ?"
    else:
        rival = "(m.place_id IS ? OR es.confidence >= ?)"
    beaten = conn.execute(
        "SELECT 1 FROM event_sources es LEFT JOIN mentions m ON m.id = es.mention_id "
        f"WHERE es.event_id = ? AND es.id != ? AND es.type IS ? AND es.status = ? AND {rival} "
        "LIMIT 1", [event_id, source_id, kind, status, place_id, draft.confidence]).fetchone()
    title = () if beaten else (draft.title,)
    key = (draft.trigger or "").casefold()
    conn.execute(
        "INSERT INTO event_triggers (event_id, trigger, sources, first_source) "
        "VALUES (?, ?, 1, ?) ON CONFLICT (event_id, trigger) DO UPDATE SET sources = sources + 1",
        [event_id, key, source_id])
    if key != trigger:
        trigger = _top_trigger(conn, event_id)
    new_document, new_outlet, guessed = _counted(conn, event_id, source_id, draft.passage_id)
    conn.execute(
        "UPDATE events SET reported = ?, trigger = ?, confidence = ?, "
        "source_count = source_count + 1, document_count = document_count + ?, "
        "outlet_count = outlet_count + ?, guessed_dates = min(guessed_dates, ?)"
        f"{', title = ?' if title else ''} WHERE id = ?",
        [reported, trigger, max(confidence, draft.confidence), new_document, new_outlet,
         guessed, *title, event_id])
    conn.executemany(
        "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) VALUES (?, ?, ?)",
        [(event_id, actor[0], actor[1]) for actor in draft.actors])
    return True


def _counted(conn: sqlite3.Connection, event_id: int, source_id: int, passage_id: int
             ) -> tuple[bool, bool, bool]:
    """Whether a new source brings the event another article and another outlet (which it
    records in event_outlets), and whether its article's date is a guess. Read from the
    source's own article, whatever the number of sources the event already has."""
    document_id, outlet, published_source = conn.execute(
        "SELECT p.document_id, d.outlet, d.published_source FROM passages p "
        "JOIN documents d ON d.id = p.document_id WHERE p.id = ?", [passage_id]).fetchone()
    seen = conn.execute(
        "SELECT 1 FROM passages p CROSS JOIN event_sources es ON es.passage_id = p.id "
        "WHERE p.document_id = ? AND es.event_id = ? AND es.id != ? LIMIT 1",
        [document_id, event_id, source_id]).fetchone()
    new_outlet = outlet is not None and conn.execute(
        "INSERT OR IGNORE INTO event_outlets (event_id, outlet) VALUES (?, ?)",
        [event_id, outlet]).rowcount == 1
    return seen is None, new_outlet, published_source == GUESSED


def _top_trigger(conn: sqlite3.Connection, event_id: int) -> str:
    """The most common trigger of an event's sources, casefolded; the first one on a tie."""
    return conn.execute("SELECT trigger FROM event_triggers WHERE event_id = ? "
                        "ORDER BY sources DESC, first_source LIMIT 1", [event_id]).fetchone()[0]


def insert_source(conn: sqlite3.Connection, event_id: int, draft: SourceDraft) -> int:
    cur = conn.execute(
        "INSERT INTO event_sources (event_id, passage_id, mention_id, date_mention_id, "
        'trigger_start, trigger_end, trigger, type, status, title, confidence, location) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [event_id, draft.passage_id, draft.mention_id, draft.date_mention_id,
         draft.trigger_start, draft.trigger_end, draft.trigger, draft.type, draft.status,
         draft.title, draft.confidence, draft.location],
    )
    source_id = int(cur.lastrowid)
    conn.executemany(
        'INSERT INTO source_actors (source_id, actor_id, role, start, "end", surface) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(source_id, *actor) for actor in draft.actors],
    )
    return source_id


def find_event(conn: sqlite3.Connection, draft: SourceDraft, *, exact_place: bool = False
               ) -> int | None:
    """The stored event this draft is another report of, or None (store.event_matching)."""
    return matching.find_event(conn, matching.Report(
        place_id=draft.place_id, type=draft.type, trigger=draft.trigger, status=draft.status,
        date=draft.date, reported=draft.reported,
        actor_ids=frozenset(actor[0] for actor in draft.actors)), exact_place=exact_place)


def refresh_event(conn: sqlite3.Connection, event_id: int) -> None:
    """Recompute an event's dates, kind, status, title, confidence and actors from its sources.

    The event takes the most specific range that the most sources agree with: a source
    agrees with a range when its own range contains it ("in July" agrees with "from the
    25th to the 27th" of July; "September 10-14" agrees with "September 10-13").
    """
    rows = conn.execute(
        "SELECT dm.date_start, dm.date_end, dm.surface, dm.precision, d.published, es.type, "
        "es.status, es.title, es.trigger, es.confidence, es.location, m.place_id, "
        "p.document_id, d.outlet, d.published_source, es.id "
        "FROM event_sources es JOIN passages p ON p.id = es.passage_id "
        "JOIN documents d ON d.id = p.document_id "
        "LEFT JOIN date_mentions dm ON dm.id = es.date_mention_id "
        "LEFT JOIN mentions m ON m.id = es.mention_id "
        "WHERE es.event_id = ? ORDER BY es.id",
        [event_id],
    ).fetchall()
    if not rows:
        return
    start, end, surface, precision = _agreed_dates([r for r in rows if r[0]])
    reported = min((r[4] for r in rows if r[4]), default=None)
    kind = _most_common([r[5] for r in rows if r[5]])
    status = _most_common([r[6] for r in rows])
    trigger = _tally_triggers(conn, event_id, [((r[8] or "").casefold(), r[15]) for r in rows])
    place_id, location = _located(conn, event_id)
    # The title of a source that agrees on kind and status, and names the event's own place
    # ("... in Vladivostok", not "... in Russia" when the event is at Vladivostok).
    best = max(rows, key=lambda r: (r[5] == kind, r[6] == status, r[11] == place_id, r[9]))
    outlets = sorted({r[13] for r in rows if r[13] is not None})
    conn.execute(
        "UPDATE events SET place_id = ?, date_start = ?, date_end = ?, date_text = ?, "
        "date_precision = ?, reported = ?, type = ?, status = ?, title = ?, trigger = ?, "
        "confidence = ?, location = ?, source_count = ?, document_count = ?, "
        "outlet_count = ?, guessed_dates = ? WHERE id = ?",
        [place_id, start, end, surface, precision, reported, kind, status, best[7], trigger,
         max(r[9] for r in rows), location, len(rows), len({r[12] for r in rows}),
         len(outlets), all(r[14] == GUESSED for r in rows), event_id],
    )
    conn.execute("DELETE FROM event_outlets WHERE event_id = ?", [event_id])
    conn.executemany("INSERT INTO event_outlets (event_id, outlet) VALUES (?, ?)",
                     [(event_id, o) for o in outlets])
    conn.execute("DELETE FROM event_actors WHERE event_id = ?", [event_id])
    conn.execute(
        "INSERT OR IGNORE INTO event_actors (event_id, actor_id, role) "
        "SELECT DISTINCT es.event_id, sa.actor_id, sa.role FROM source_actors sa "
        "JOIN event_sources es ON es.id = sa.source_id WHERE es.event_id = ?",
        [event_id],
    )


def _tally_triggers(conn: sqlite3.Connection, event_id: int,
                   triggers: list[tuple[str, int]]) -> str:
    """Write an event's event_triggers anew from its sources' (casefolded trigger, id); the
    most common trigger, the first one on a tie (as _top_trigger reads it back)."""
    tally: dict[str, list[int]] = {}
    for key, source_id in triggers:
        counted = tally.setdefault(key, [0, source_id])
        counted[0] += 1
        counted[1] = min(counted[1], source_id)
    conn.execute("DELETE FROM event_triggers WHERE event_id = ?", [event_id])
    conn.executemany("INSERT INTO event_triggers (event_id, trigger, sources, first_source) "
                     "VALUES (?, ?, ?, ?)", [(event_id, k, n, f) for k, (n, f) in tally.items()])
    return max(tally, key=lambda k: (tally[k][0], -tally[k][1]))


def _located(conn: sqlite3.Connection, event_id: int) -> tuple[int | None, str]:
    """The event's place and how it was found: the finest place a source's mention gives, the
    text's own ("given") before one inferred from context."""
    found = conn.execute(
        "SELECT m.place_id, es.location FROM event_sources es "
        "JOIN mentions m ON m.id = es.mention_id JOIN places pl ON pl.id = m.place_id "
        "WHERE es.event_id = ? AND es.location != 'none' "
        "ORDER BY es.location = 'given' DESC, pl.precision_km, es.id LIMIT 1",
        [event_id]).fetchone()
    return (int(found[0]), found[1]) if found else (None, "none")


def _agreed_dates(dated: list[tuple]) -> tuple[str | None, str | None, str | None, str | None]:
    if not dated:
        return None, None, None, None
    ranges = list(dict.fromkeys((r[0], r[1]) for r in dated))
    support = {rng: sum(1 for r in dated if r[0] <= rng[0] and rng[1] <= r[1]) for rng in ranges}
    start, end = min(ranges, key=lambda rng: (-support[rng], span_days(*rng), ranges.index(rng)))
    surface, precision = next((r[2], r[3]) for r in dated if (r[0], r[1]) == (start, end))
    return start, end, surface, precision


def _most_common(values: list):
    if not values:
        return None
    counts = Counter(values)
    return max(values, key=lambda v: (counts[v], -values.index(v)))


def remove_source(conn: sqlite3.Connection, source_id: int) -> int | None:
    """Delete a source; its event is refreshed, or deleted when left without sources.
    Returns the event id when the event was deleted."""
    row = conn.execute("SELECT event_id FROM event_sources WHERE id = ?", [source_id]).fetchone()
    if row is None:
        return None
    event_id = int(row[0])
    conn.execute("DELETE FROM event_sources WHERE id = ?", [source_id])
    left = conn.execute("SELECT count(*) FROM event_sources WHERE event_id = ?",
                        [event_id]).fetchone()[0]
    if left:
        refresh_event(conn, event_id)
        return None
    conn.execute("DELETE FROM events WHERE id = ?", [event_id])
    return event_id
