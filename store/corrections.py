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
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from store.correction_steps import (
    ANALYST_NOTE,
    CHOOSE,
    MOVE,
    REJECT,
    Step,
    apply_to_mentions,
    reapply_to_document,
    same_surface,
    target_place,
    undo_step,
)
from store.errors import WorkspaceError
from store.guessed_dates import ACCEPT_DATES, accept, unaccept
from store.models import Place
from store.workspace import Workspace

__all__ = ["ACCEPT_DATES", "ANALYST_NOTE", "CHOOSE", "MOVE", "REJECT", "Correction",
           "MentionInfo"]

SCOPES = ("mention", "document", "workspace")
SCOPE_LABELS = {"mention": "this mention", "document": "this article",
                "workspace": "everywhere"}


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
        if self.action == ACCEPT_DATES:
            return f"Accept the file dates of {self.mentions:,} article" + (
                "s" if self.mentions != 1 else "")
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


def accept_guessed_dates(ws: Workspace, document_ids: list[int] | None = None
                         ) -> Correction | None:
    """The analyst accepts the file times standing in for the publication dates of these
    documents (all, with None): their events join the dated timeline. None when no document
    had a guessed date."""
    with ws.transaction():
        changed = accept(ws.db.conn, document_ids)
        if not changed:
            return None
        return _insert(ws, ACCEPT_DATES, "document", {"documents": changed})


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
        if row[2] == ACCEPT_DATES:
            unaccept(ws.db.conn, payload["documents"])
        elif row[2] == MOVE:
            lat, lon = payload["old"]
            ws.db.execute("UPDATE places SET lat = ?, lon = ? WHERE id = ?",
                          [lat, lon, payload["place_id"]])
        else:
            for step in reversed(payload["steps"]):
                undo_step(ws.db.conn, Step.from_payload(step))
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
        return reapply_to_document(ws.db.conn, document_id)


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
            targets = same_surface(ws.db.conn, surface,
                                   document_id if scope == "document" else None)
        payload = {"mention_id": mention_id, "document_id": document_id, "surface": surface,
                   "place": asdict(place) if place else None,
                   "place_name": _place_name(place), "mentions": targets}
        step = Step()
        step = apply_to_mentions(ws.db.conn, target_place(ws.db.conn, payload, step), targets,
                                 step)
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


# -- helpers ---------------------------------------------------------------------------------


def _place_name(place: Place | None) -> str | None:
    """"Moscow (US)": the country tells apart the places a name may mean."""
    if place is None:
        return None
    return f"{place.name} ({place.country})" if place.country else place.name


def _correction(row: tuple) -> Correction:
    payload = json.loads(row[4])
    if row[2] == ACCEPT_DATES:
        count = len(payload["documents"])
    else:
        count = len(payload.get("mentions", [])) if row[2] != MOVE else 0
    return Correction(id=row[0], created=row[1], action=row[2], scope=row[3],
                      surface=payload.get("surface", ""), place=payload.get("place_name"),
                      mentions=count)
