"""Tables, indexes and migrations. The schema version lives in PRAGMA user_version."""

from __future__ import annotations

import sqlite_utils

from store.errors import WorkspaceError

SCHEMA_VERSION = 1

_V1 = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    outlet TEXT,
    published TEXT,
    published_source TEXT NOT NULL DEFAULT 'unknown',
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE passages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX passages_document ON passages(document_id);
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    country TEXT,
    admin1 TEXT,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    precision_km REAL NOT NULL DEFAULT 1,
    population INTEGER NOT NULL DEFAULT 0,
    approximate INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, source_id, approximate, name)
);
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    place_id INTEGER REFERENCES places(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    confidence REAL NOT NULL DEFAULT 0,
    candidates TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mentions_passage ON mentions(passage_id);
CREATE INDEX mentions_place ON mentions(place_id);
CREATE TABLE date_mentions (
    id INTEGER PRIMARY KEY,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    precision TEXT NOT NULL
);
CREATE INDEX date_mentions_passage ON date_mentions(passage_id);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    place_id INTEGER NOT NULL REFERENCES places(id),
    date_start TEXT,
    date_end TEXT,
    date_text TEXT,
    date_precision TEXT,
    reported TEXT
);
CREATE INDEX events_place ON events(place_id);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE TABLE event_sources (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    date_mention_id INTEGER REFERENCES date_mentions(id),
    PRIMARY KEY (event_id, mention_id)
);
CREATE INDEX event_sources_passage ON event_sources(passage_id);
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    action TEXT NOT NULL,
    scope TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE geocode_cache (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    result TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (provider, query)
);
CREATE VIRTUAL TABLE passages_fts USING fts5(text, content='passages', content_rowid='id');
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""

MIGRATIONS: dict[int, str] = {1: _V1}


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the database to SCHEMA_VERSION, one migration per transaction."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise WorkspaceError(
            f"This workspace was written by a newer Eventmap (schema {current}); "
            f"this version reads schema {SCHEMA_VERSION} and older."
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[version] + f"PRAGMA user_version={version};"
        db.conn.executescript("BEGIN;" + script + "COMMIT;")
