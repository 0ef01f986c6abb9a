"""Place rows: one per gazetteer entry, curated facility, analyst's or online place."""

from __future__ import annotations

import sqlite3

from store.models import Place


def place_id(conn: sqlite3.Connection, place: Place) -> int:
    """The id of a place, inserting it on first use."""
    row = conn.execute(
        "SELECT id FROM places WHERE source = ? AND source_id = ? AND approximate = ? "
        "AND name = ?",
        [place.source, place.source_id, int(place.approximate), place.name],
    ).fetchone()
    if row:
        return int(row[0])
    cur = conn.execute(
        "INSERT INTO places (name, kind, lat, lon, country, admin1, source, source_id, "
        "precision_km, population, approximate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [place.name, place.kind, place.lat, place.lon, place.country, place.admin1,
         place.source, place.source_id, place.precision_km, place.population,
         int(place.approximate)],
    )
    return int(cur.lastrowid)
