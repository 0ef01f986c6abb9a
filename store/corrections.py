"""Analyst corrections: "not a place", "it means this other place", "it is here".

Each correction is one row of the `corrections` table. Its payload holds what re-applies it
(the surface text, the chosen place) and, as a list of steps, exactly what it changed (mention
place ids, event sources with their rowids, the events it created or deleted), so that
`undo_last` can put every row back. A correction with scope "workspace" also applies to
documents ingested later (`reapply_to_document`, called by Workspace.add_document); each such
application appends a step, so undoing the correction undoes those too.

No Qt here: the desktop calls these functions and re-reads the workspace.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from store.errors import WorkspaceError
from store.models import DateRange, Place

if TYPE_CHECKING:
    from store.workspace import Workspace

SCOPES = ("mention", "document", "workspace")
SCOPE_LABELS = {"mention": "this mention", "document": "this article",
                "workspace": "everywhere"}
REJECT, CHOOSE, MOVE = "reject", "choose", "move"
ANALYST_NOTE = "corrected by the analyst"
_EVENT_COLUMNS = ("id", "place_id", "date_start", "date_end", "date_text", "date_precision",
                  "reported")


@dataclass(frozen=True)
class Correction:
    """A correction as the corrections list shows it."""

    id: int
    created: str
    action: str  # reject, choose, move
    scope: str  # mention, document, workspace
    surface: str  # the mention's text ("Moscow"); the place name for a move
    place: str | None  # the place chosen or moved; None for "not a place"
    mentions: int  # how many mentions it changed so far

    @property
    def description(self) -> str:
        if self.action == REJECT:
            what = f"“{self.surface}” is not a place"
        elif self.action == CHOOSE:
            what = f"“{self.surface}” means {self.place}"
        else:
            return f"Move {self.place}"
        return f"{what} ({SCOPE_LABELS.get(self.scope, self.scope)})"


@dataclass(frozen=True)
class MentionInfo:
    """One stored mention with what the correction dialog needs to show."""

    id: int
    surface: str
    document_id: int
    passage: str
    place: Place | None
    candidates: tuple[str, ...]  # candidate keys ("geonames:524901"), as the resolver saw them


@dataclass
class _Step:
    """What one application of a correction changed (the undo record)."""

    mentions: list[list] = field(default_factory=list)  # [mention id, old place id, old note]
    removed: list[list] = field(default_factory=list)  # [rowid, event, passage, mention, date]
    added: list[list] = field(default_factory=list)  # [event id, mention id]
    events: list[list] = field(default_factory=list)  # event rows before the change
    created: list[int] = field(default_factory=list)  # events this step inserted
    places: list[int] = field(default_factory=list)  # places this step inserted

    def __bool__(self) -> bool:
        return bool(self.mentions or self.removed or self.added or self.places)


# -- public API ------------------------------------------------------------------------------


def reject_mention(ws: Workspace, mention_id: int, scope: str = "mention") -> Correction:
    """The mention names no place: its events lose it (and go when left without sources)."""
    return _record(ws, REJECT, mention_id, scope, None)


def choose_candidate(ws: Workspace, mention_id: int, place: Place,
                     scope: str = "mention") -> Correction:
    """The mention means `place`: its event source moves to (or merges into) an event there."""
    return _record(ws, CHOOSE, mention_id, scope, place)


def move_place(ws: Workspace, place_id: int, lat: float, lon: float) -> Correction:
    """The analyst puts a place elsewhere. The place row keeps its identity (source and id), so
    later ingests that resolve to it reuse the moved row: the move applies to them too."""
    with ws.transaction():
        row = ws.db.execute("SELECT name, lat, lon FROM places WHERE id = ?",
                            [place_id]).fetchone()
        if row is None:
            raise WorkspaceError(f"No place {place_id} in this workspace.")
        ws.db.execute("UPDATE places SET lat = ?, lon = ? WHERE id = ?", [lat, lon, place_id])
        payload = {"place_id": place_id, "surface": row[0], "place_name": row[0],
                   "old": [row[1], row[2]], "new": [lat, lon]}
        return _insert(ws, MOVE, "workspace", payload)


def undo_last(ws: Workspace) -> str | None:
    """Revert the most recent correction and forget it; its description, or None if none."""
    with ws.transaction():
        row = ws.db.execute(
            "SELECT id, created, action, scope, payload FROM corrections ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        correction = _correction(row)
        payload = json.loads(row[4])
        if row[2] == MOVE:
            lat, lon = payload["old"]
            ws.db.execute("UPDATE places SET lat = ?, lon = ? WHERE id = ?",
                          [lat, lon, payload["place_id"]])
        else:
            for step in reversed(payload["steps"]):
                _undo_step(ws, _Step(**step))
        ws.db.execute("DELETE FROM corrections WHERE id = ?", [row[0]])
    return correction.description


def last_correction(ws: Workspace) -> Correction | None:
    """The correction `undo_last` would revert."""
    found = corrections(ws, limit=1)
    return found[0] if found else None


def corrections(ws: Workspace, limit: int | None = None) -> list[Correction]:
    """Every correction, newest first."""
    sql = "SELECT id, created, action, scope, payload FROM corrections ORDER BY id DESC"
    rows = ws.db.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
    return [_correction(r) for r in rows]


def apply_to_new_document(ws: Workspace, document_id: int) -> int:
    """Re-apply the "workspace" corrections to a document (in one transaction); the number of
    mentions changed. Workspace.add_document does this by itself for every new document."""
    with ws.transaction():
        return reapply_to_document(ws, document_id)


def reapply_to_document(ws: Workspace, document_id: int) -> int:
    """apply_to_new_document inside the caller's transaction."""
    rows = ws.db.execute(
        "SELECT id, payload FROM corrections WHERE scope = 'workspace' AND action IN (?, ?) "
        "ORDER BY id", [REJECT, CHOOSE],
    ).fetchall()
    changed = 0
    for correction_id, text in rows:
        payload = json.loads(text)
        done = set(payload["mentions"])
        targets = [m for m in _same_surface(ws, payload["surface"], document_id)
                   if m not in done]
        if not targets:
            continue
        step = _Step()
        step = _apply(ws, _target_place(ws, payload, step), targets, step)
        if step:
            payload["steps"].append(asdict(step))
            payload["mentions"].extend(targets)
            changed += len(step.mentions)
            ws.db.execute("UPDATE corrections SET payload = ? WHERE id = ?",
                          [json.dumps(payload), correction_id])
    return changed


def event_of_mention(ws: Workspace, mention_id: int) -> int | None:
    """The event a mention places (None when it places none)."""
    row = ws.db.execute("SELECT event_id FROM event_sources WHERE mention_id = ? LIMIT 1",
                        [mention_id]).fetchone()
    return None if row is None else int(row[0])


def mention_info(ws: Workspace, mention_id: int) -> MentionInfo:
    row = ws.db.execute(
        "SELECT m.id, m.surface, p.document_id, p.text, m.candidates, pl.name, pl.kind, pl.lat, "
        "pl.lon, pl.country, pl.admin1, pl.source, pl.source_id, pl.precision_km, "
        "pl.population, pl.approximate FROM mentions m JOIN passages p ON p.id = m.passage_id "
        "LEFT JOIN places pl ON pl.id = m.place_id WHERE m.id = ?",
        [mention_id],
    ).fetchone()
    if row is None:
        raise WorkspaceError(f"No mention {mention_id} in this workspace.")
    place = None
    if row[5] is not None:
        place = Place(*row[5:15], approximate=bool(row[15]))
    return MentionInfo(row[0], row[1], row[2], row[3], place, tuple(json.loads(row[4])))


# -- applying --------------------------------------------------------------------------------


def _record(ws: Workspace, action: str, mention_id: int, scope: str,
            place: Place | None) -> Correction:
    if scope not in SCOPES:
        raise WorkspaceError(f"Unknown correction scope {scope!r}; use one of {SCOPES}.")
    with ws.transaction():
        row = ws.db.execute(
            "SELECT m.surface, p.document_id FROM mentions m JOIN passages p "
            "ON p.id = m.passage_id WHERE m.id = ?", [mention_id],
        ).fetchone()
        if row is None:
            raise WorkspaceError(f"No mention {mention_id} in this workspace.")
        surface, document_id = row
        if scope == "mention":
            targets = [mention_id]
        else:
            targets = _same_surface(ws, surface, document_id if scope == "document" else None)
        payload = {"mention_id": mention_id, "document_id": document_id, "surface": surface,
                   "place": asdict(place) if place else None,
                   "place_name": _place_name(place), "mentions": targets}
        step = _Step()
        place_id = _target_place(ws, payload, step)
        step = _apply(ws, place_id, targets, step)
        payload["steps"] = [asdict(step)]
        return _insert(ws, action, scope, payload)


def _insert(ws: Workspace, action: str, scope: str, payload: dict) -> Correction:
    created = datetime.now(UTC).isoformat(timespec="seconds")
    text = json.dumps(payload)
    cur = ws.db.execute(
        "INSERT INTO corrections (created, action, scope, payload) VALUES (?, ?, ?, ?)",
        [created, action, scope, text],
    )
    return _correction((int(cur.lastrowid), created, action, scope, text))


def _target_place(ws: Workspace, payload: dict, step: _Step) -> int | None:
    """The place id a correction points mentions at (inserting the place on first use)."""
    if payload.get("place") is None:
        return None
    place = Place(**payload["place"])
    before = ws.db.execute("SELECT max(id) FROM places").fetchone()[0] or 0
    place_id = ws.place_id(place)
    if place_id > before:
        step.places.append(place_id)
    return place_id


def _apply(ws: Workspace, place_id: int | None, mention_ids: list[int],
           step: _Step | None = None) -> _Step:
    """Point each mention at `place_id` (None: no place), moving its event sources."""
    step = step if step is not None else _Step()
    for mention_id in mention_ids:
        old = ws.db.execute("SELECT place_id, note FROM mentions WHERE id = ?",
                            [mention_id]).fetchone()
        if old is None or old[0] == place_id:
            continue
        step.mentions.append([mention_id, old[0], old[1]])
        ws.db.execute("UPDATE mentions SET place_id = ?, note = ? WHERE id = ?",
                      [place_id, ANALYST_NOTE, mention_id])
        sources = ws.db.execute(
            "SELECT rowid, event_id, passage_id, mention_id, date_mention_id FROM event_sources "
            "WHERE mention_id = ? ORDER BY rowid", [mention_id],
        ).fetchall()
        for source in sources:
            _remove_source(ws, list(source), step)
            if place_id is not None:
                _add_source(ws, place_id, source[2], mention_id, source[4], step)
    return step


def _remove_source(ws: Workspace, source: list, step: _Step) -> None:
    rowid, event_id = source[0], source[1]
    _snapshot(ws, event_id, step)
    step.removed.append(source)
    ws.db.execute("DELETE FROM event_sources WHERE rowid = ?", [rowid])
    left = ws.db.execute("SELECT count(*) FROM event_sources WHERE event_id = ?",
                         [event_id]).fetchone()[0]
    if left:
        ws._refresh_event(event_id)
    else:
        ws.db.execute("DELETE FROM events WHERE id = ?", [event_id])


def _add_source(ws: Workspace, place_id: int, passage_id: int, mention_id: int,
                date_id: int | None, step: _Step) -> None:
    """As ingest does: one event per place and passage, merged with an overlapping event."""
    taken = ws.db.execute(
        "SELECT 1 FROM event_sources es JOIN events e ON e.id = es.event_id "
        "WHERE es.passage_id = ? AND e.place_id = ?", [passage_id, place_id],
    ).fetchone()
    if taken:
        return
    rng = None
    if date_id is not None:
        start, end, precision = ws.db.execute(
            "SELECT date_start, date_end, precision FROM date_mentions WHERE id = ?", [date_id]
        ).fetchone()
        rng = DateRange(start, end, precision)
    event_id = ws._find_event(place_id, rng)
    if event_id is None:
        event_id = ws._insert("events", {"place_id": place_id})
        step.created.append(event_id)
    else:
        _snapshot(ws, event_id, step)
    ws.db.execute(
        "INSERT INTO event_sources (event_id, passage_id, mention_id, date_mention_id) "
        "VALUES (?, ?, ?, ?)", [event_id, passage_id, mention_id, date_id],
    )
    step.added.append([event_id, mention_id])
    ws._refresh_event(event_id)


def _snapshot(ws: Workspace, event_id: int, step: _Step) -> None:
    if event_id in step.created or any(row[0] == event_id for row in step.events):
        return
    row = ws.db.execute(f"SELECT {', '.join(_EVENT_COLUMNS)} FROM events WHERE id = ?",
                        [event_id]).fetchone()
    step.events.append(list(row))


# -- undoing ---------------------------------------------------------------------------------


def _undo_step(ws: Workspace, step: _Step) -> None:
    """Put back what one step changed, in the reverse order of how it was changed."""
    for event_id, mention_id in step.added:
        ws.db.execute("DELETE FROM event_sources WHERE event_id = ? AND mention_id = ?",
                      [event_id, mention_id])
    for mention_id, place_id, *note in step.mentions:  # steps recorded before 2026-11 lack the note
        ws.db.execute("UPDATE mentions SET place_id = ? WHERE id = ?", [place_id, mention_id])
        if note:
            ws.db.execute("UPDATE mentions SET note = ? WHERE id = ?", [note[0], mention_id])
    touched: list[int] = []
    for event_id in reversed(step.created):
        if _source_count(ws, event_id):
            touched.append(event_id)  # a later ingest added to it: keep it
        else:
            ws.db.execute("DELETE FROM events WHERE id = ?", [event_id])
    new_ids: dict[int, int] = {}
    for row in step.events:
        exists = ws.db.execute("SELECT place_id FROM events WHERE id = ?", [row[0]]).fetchone()
        if exists is None:
            cols = ", ".join(_EVENT_COLUMNS)
            ws.db.execute(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})",
                          row)
        elif exists[0] != row[1]:  # the id was reused meanwhile: restore under a new id
            new_ids[row[0]] = ws._insert("events", dict(zip(_EVENT_COLUMNS[1:], row[1:],
                                                            strict=True)))
        touched.append(new_ids.get(row[0], row[0]))
    for rowid, event_id, passage_id, mention_id, date_id in step.removed:
        event_id = new_ids.get(event_id, event_id)
        taken = ws.db.execute("SELECT 1 FROM event_sources WHERE rowid = ?",
                              [rowid]).fetchone()
        ws.db.execute(
            "INSERT OR IGNORE INTO event_sources "
            "(rowid, event_id, passage_id, mention_id, date_mention_id) VALUES (?, ?, ?, ?, ?)",
            [None if taken else rowid, event_id, passage_id, mention_id, date_id],
        )
    for event_id in dict.fromkeys(touched):
        ws._refresh_event(event_id)
    for place_id in step.places:
        ws.db.execute(
            "DELETE FROM places WHERE id = ? AND id NOT IN (SELECT place_id FROM events) "
            "AND id NOT IN (SELECT place_id FROM mentions WHERE place_id IS NOT NULL)",
            [place_id],
        )


def _source_count(ws: Workspace, event_id: int) -> int:
    return int(ws.db.execute("SELECT count(*) FROM event_sources WHERE event_id = ?",
                             [event_id]).fetchone()[0])


# -- helpers ---------------------------------------------------------------------------------


def _place_name(place: Place | None) -> str | None:
    """"Moscow (US)": the country tells apart the places a name may mean."""
    if place is None:
        return None
    return f"{place.name} ({place.country})" if place.country else place.name


def _surface_key(surface: str) -> str:
    return " ".join(surface.split()).casefold()


def _same_surface(ws: Workspace, surface: str, document_id: int | None) -> list[int]:
    """Mentions with the same text (case and spacing aside), in one document or everywhere."""
    sql = "SELECT m.id, m.surface FROM mentions m"
    args: list = []
    if document_id is not None:
        sql += " JOIN passages p ON p.id = m.passage_id WHERE p.document_id = ?"
        args.append(document_id)
    key = _surface_key(surface)
    return [mid for mid, text in ws.db.execute(sql + " ORDER BY m.id", args).fetchall()
            if _surface_key(text) == key]


def _correction(row: tuple) -> Correction:
    payload = json.loads(row[4])
    count = len(payload.get("mentions", [])) if row[2] != MOVE else 0
    return Correction(id=row[0], created=row[1], action=row[2], scope=row[3],
                      surface=payload.get("surface", ""), place=payload.get("place_name"),
                      mentions=count)
