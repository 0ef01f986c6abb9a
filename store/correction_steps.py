"""Applying a correction to mentions, and undoing it, on a connection inside a transaction.

A step records exactly what one application changed: the mentions' old places and notes, the
event sources it removed (whole rows, with their actors), the sources it added, the event rows as
they were before, and the events and places it created. `undo_step` puts every row back.

Kept apart from store.corrections (the public API, which takes a Workspace) so that
Workspace.add_document can re-apply the analyst's "everywhere" corrections to a new document
without the two modules importing each other.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field, replace

from store.event_writer import (
    EVENT_COLUMNS,
    SOURCE_COLUMNS,
    SourceDraft,
    find_event,
    insert_source,
    refresh_event,
    remove_source,
)
from store.models import DateRange, Place
from store.places import place_id as stored_place_id

REJECT, CHOOSE, MOVE = "reject", "choose", "move"
ANALYST_NOTE = "corrected by the analyst"
_V1_EVENT_COLUMNS = EVENT_COLUMNS[:7]


@dataclass
class Step:
    """What one application of a correction changed (the undo record)."""

    mentions: list[list] = field(default_factory=list)  # [mention id, old place id, old note]
    removed: list = field(default_factory=list)  # {"row": source row, "actors": [...]}
    added: list = field(default_factory=list)  # source ids this step inserted
    events: list[list] = field(default_factory=list)  # event rows before the change
    created: list[int] = field(default_factory=list)  # events this step inserted
    places: list[int] = field(default_factory=list)  # places this step inserted
    # events this step left without sources; None in a step recorded before 2026-12, whose
    # reused event ids are told by their place (see `from_payload`)
    deleted: list[int] | None = field(default_factory=list)

    @classmethod
    def from_payload(cls, step: dict) -> Step:
        return cls(**{"deleted": None, **step})

    def __bool__(self) -> bool:
        return bool(self.mentions or self.removed or self.added or self.places)


def target_place(conn: sqlite3.Connection, payload: dict, step: Step) -> int | None:
    """The place id a correction points mentions at (inserting the place on first use)."""
    if payload.get("place") is None:
        return None
    place = Place(**payload["place"])
    before = conn.execute("SELECT max(id) FROM places").fetchone()[0] or 0
    pid = stored_place_id(conn, place)
    if pid > before:
        step.places.append(pid)
    return pid


def apply_to_mentions(conn: sqlite3.Connection, place_id: int | None, mention_ids: list[int],
                      step: Step | None = None) -> Step:
    """Point each mention at `place_id` (None: no place); the events it locates move with it
    (to an event at the new place, or, without a place, off the map)."""
    step = step if step is not None else Step()
    for mention_id in mention_ids:
        old = conn.execute("SELECT place_id, note FROM mentions WHERE id = ?",
                           [mention_id]).fetchone()
        if old is None or old[0] == place_id:
            continue
        step.mentions.append([mention_id, old[0], old[1]])
        conn.execute("UPDATE mentions SET place_id = ?, note = ? WHERE id = ?",
                     [place_id, ANALYST_NOTE, mention_id])
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM event_sources WHERE mention_id = ? ORDER BY id", [mention_id])]
        for source_id in ids:
            draft = _take_source(conn, source_id, step)
            located = "given" if place_id is not None else "none"
            _put_source(conn, _moved(draft, place_id, located), step)
    return step


def _take_source(conn: sqlite3.Connection, source_id: int, step: Step) -> SourceDraft:
    row = conn.execute(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM event_sources WHERE id = ?",
                       [source_id]).fetchone()
    actors = conn.execute(
        'SELECT actor_id, role, start, "end", surface FROM source_actors WHERE source_id = ? '
        "ORDER BY rowid", [source_id]).fetchall()
    snapshot(conn, int(row[1]), step)
    step.removed.append({"row": list(row), "actors": [list(a) for a in actors]})
    gone = remove_source(conn, source_id)
    if gone is not None:
        step.deleted = [*(step.deleted or []), gone]
    return _draft(conn, dict(zip(SOURCE_COLUMNS, row, strict=True)), actors)


def _draft(conn: sqlite3.Connection, src: dict, actors) -> SourceDraft:
    rng = None
    if src["date_mention_id"] is not None:
        found = conn.execute("SELECT date_start, date_end, precision FROM date_mentions "
                             "WHERE id = ?", [src["date_mention_id"]]).fetchone()
        rng = DateRange(*found) if found else None
    reported = conn.execute(
        "SELECT d.published FROM passages p JOIN documents d ON d.id = p.document_id "
        "WHERE p.id = ?", [src["passage_id"]]).fetchone()
    return SourceDraft(
        passage_id=src["passage_id"], place_id=None, mention_id=src["mention_id"],
        date_mention_id=src["date_mention_id"], date=rng, trigger_start=src["trigger_start"],
        trigger_end=src["trigger_end"], trigger=src["trigger"], type=src["type"],
        status=src["status"], title=src["title"], confidence=src["confidence"],
        location=src["location"], actors=tuple(tuple(a) for a in actors),
        reported=reported[0] if reported else None,
    )


def _moved(draft: SourceDraft, place_id: int | None, location: str) -> SourceDraft:
    return replace(draft, place_id=place_id, location=location)


def _put_source(conn: sqlite3.Connection, draft: SourceDraft, step: Step) -> None:
    event_id = find_event(conn, draft, exact_place=True)  # the analyst said where it is
    if event_id is None:
        cur = conn.execute("INSERT INTO events (place_id) VALUES (?)", [draft.place_id])
        event_id = int(cur.lastrowid)
        step.created.append(event_id)
    else:
        snapshot(conn, event_id, step)
    step.added.append(insert_source(conn, event_id, draft))
    refresh_event(conn, event_id)


def snapshot(conn: sqlite3.Connection, event_id: int, step: Step) -> None:
    if event_id in step.created or any(row[0] == event_id for row in step.events):
        return
    row = conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE id = ?",
                       [event_id]).fetchone()
    step.events.append(list(row))


# -- undoing ---------------------------------------------------------------------------------


def undo_step(conn: sqlite3.Connection, step: Step) -> None:
    """Put back what one step changed, in the reverse order of how it was changed."""
    touched: list[int] = []
    for added in step.added:
        if isinstance(added, list):  # a version 1 step: [event id, mention id]
            conn.execute("DELETE FROM event_sources WHERE event_id = ? AND mention_id = ?",
                         added)
            continue
        row = conn.execute("SELECT event_id FROM event_sources WHERE id = ?",
                           [added]).fetchone()
        conn.execute("DELETE FROM event_sources WHERE id = ?", [added])
        if row:
            touched.append(int(row[0]))
    for mention_id, place_id, *note in step.mentions:  # steps recorded before 2026-11 lack the note
        conn.execute("UPDATE mentions SET place_id = ? WHERE id = ?", [place_id, mention_id])
        if note:
            conn.execute("UPDATE mentions SET note = ? WHERE id = ?", [note[0], mention_id])
    for event_id in reversed(step.created):
        if _source_count(conn, event_id):
            touched.append(event_id)  # a later ingest added to it: keep it
        else:
            conn.execute("DELETE FROM events WHERE id = ?", [event_id])
    new_ids = _restore_events(conn, step.events, touched, step.deleted)
    for removed in step.removed:
        _restore_source(conn, removed, new_ids)
    for event_id in dict.fromkeys(touched):
        if _source_count(conn, event_id):
            refresh_event(conn, event_id)
        else:
            conn.execute("DELETE FROM events WHERE id = ?", [event_id])
    for pid in step.places:
        conn.execute(
            "DELETE FROM places WHERE id = ? AND id NOT IN (SELECT place_id FROM events "
            "WHERE place_id IS NOT NULL) "
            "AND id NOT IN (SELECT place_id FROM mentions WHERE place_id IS NOT NULL)",
            [pid],
        )


def _restore_events(conn: sqlite3.Connection, rows: list[list], touched: list[int],
                    deleted: list[int] | None) -> dict[int, int]:
    new_ids: dict[int, int] = {}
    for row in rows:
        columns = EVENT_COLUMNS if len(row) == len(EVENT_COLUMNS) else _V1_EVENT_COLUMNS
        exists = conn.execute("SELECT place_id FROM events WHERE id = ?", [row[0]]).fetchone()
        reused = exists is not None and (
            row[0] in deleted if deleted is not None else exists[0] != row[1])
        if exists is None:
            conn.execute(f"INSERT INTO events ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(row))})", row)
        elif reused:  # the id was given to a new event meanwhile: restore under a new id
            cur = conn.execute(f"INSERT INTO events ({', '.join(columns[1:])}) "
                               f"VALUES ({', '.join('?' * (len(row) - 1))})", row[1:])
            new_ids[row[0]] = int(cur.lastrowid)
        touched.append(new_ids.get(row[0], row[0]))
    return new_ids


def _restore_source(conn: sqlite3.Connection, removed, new_ids: dict[int, int]) -> None:
    if isinstance(removed, list):  # a version 1 step: [rowid, event, passage, mention, date]
        row, actors = dict(zip(SOURCE_COLUMNS[:5], removed, strict=True)), []
    else:
        row, actors = dict(zip(SOURCE_COLUMNS, removed["row"], strict=True)), removed["actors"]
    row["event_id"] = new_ids.get(row["event_id"], row["event_id"])
    if conn.execute("SELECT 1 FROM event_sources WHERE id = ?", [row["id"]]).fetchone():
        row["id"] = None
    cols = ", ".join(row)
    cur = conn.execute(f"INSERT INTO event_sources ({cols}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
    conn.executemany(
        'INSERT INTO source_actors (source_id, actor_id, role, start, "end", surface) '
        "VALUES (?, ?, ?, ?, ?, ?)", [(int(cur.lastrowid), *a) for a in actors])


def _source_count(conn: sqlite3.Connection, event_id: int) -> int:
    return int(conn.execute("SELECT count(*) FROM event_sources WHERE event_id = ?",
                            [event_id]).fetchone()[0])


# -- re-applying to new documents ------------------------------------------------------------


def surface_key(surface: str) -> str:
    return " ".join(surface.split()).casefold()


def same_surface(conn: sqlite3.Connection, surface: str, document_id: int | None) -> list[int]:
    """Mentions with the same text (case and spacing aside), in one document or everywhere."""
    sql = "SELECT m.id, m.surface FROM mentions m"
    args: list = []
    if document_id is not None:
        sql += " JOIN passages p ON p.id = m.passage_id WHERE p.document_id = ?"
        args.append(document_id)
    key = surface_key(surface)
    return [mid for mid, text in conn.execute(sql + " ORDER BY m.id", args).fetchall()
            if surface_key(text) == key]


def reapply_to_document(conn: sqlite3.Connection, document_id: int) -> int:
    """Re-apply the "workspace" corrections to a document inside the caller's transaction;
    the number of mentions changed."""
    rows = conn.execute(
        "SELECT id, payload FROM corrections WHERE scope = 'workspace' AND action IN (?, ?) "
        "ORDER BY id", [REJECT, CHOOSE],
    ).fetchall()
    changed = 0
    for correction_id, text in rows:
        payload = json.loads(text)
        done = set(payload["mentions"])
        targets = [m for m in same_surface(conn, payload["surface"], document_id)
                   if m not in done]
        if not targets:
            continue
        step = Step()
        step = apply_to_mentions(conn, target_place(conn, payload, step), targets, step)
        if step:
            payload["steps"].append(asdict(step))
            payload["mentions"].extend(targets)
            changed += len(step.mentions)
            conn.execute("UPDATE corrections SET payload = ? WHERE id = ?",
                         [json.dumps(payload), correction_id])
    return changed
