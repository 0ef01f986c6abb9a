"""Place mentions with their resolved places: the map's quieter layer of every place named,
beside the events (which keep only the place where each happened)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class PlacedMention:
    """A place named in a passage and resolved, with its document's outlet and date."""

    mention_id: int
    document_id: int
    passage_id: int
    start: int  # character offsets into the document text
    end: int
    surface: str
    place_id: int
    name: str
    kind: str
    lat: float
    lon: float
    country: str | None
    outlet: str | None
    published: str | None


_SELECT = (
    'SELECT m.id, p.document_id, m.passage_id, m.start, m."end", m.surface, pl.id, pl.name, '
    "pl.kind, pl.lat, pl.lon, pl.country, d.outlet, d.published FROM mentions m "
    "JOIN passages p ON p.id = m.passage_id JOIN documents d ON d.id = p.document_id "
    "JOIN places pl ON pl.id = m.place_id"
)


def placed_mentions(db: sqlite3.Connection, document_id: int | None = None
                    ) -> list[PlacedMention]:
    """Every resolved mention (of one document, or of all), in document and text order."""
    where, args = ("WHERE p.document_id = ? ", [document_id]) if document_id is not None \
        else ("", [])
    rows = db.execute(f"{_SELECT} {where}ORDER BY p.document_id, m.start", args).fetchall()
    return [PlacedMention(*row) for row in rows]


@dataclass(frozen=True)
class NamedPlace:
    """A place the articles name where no event of the workspace happens."""

    place_id: int
    name: str
    lat: float
    lon: float
    mentions: int


def places_without_events(conn: sqlite3.Connection) -> list[NamedPlace]:
    """Every resolved place that is no event's location, with how often it is named."""
    rows = conn.execute(
        "SELECT pl.id, pl.name, pl.lat, pl.lon, count(*) FROM mentions m "
        "JOIN places pl ON pl.id = m.place_id "
        "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.place_id = pl.id) "
        "GROUP BY pl.id ORDER BY count(*) DESC, pl.name"
    ).fetchall()
    return [NamedPlace(*r) for r in rows]
