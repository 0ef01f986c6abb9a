"""Tables, indexes and migrations. The schema version lives in PRAGMA user_version.

Making or upgrading the schema is one BEGIN IMMEDIATE transaction that reads user_version again
once it holds the write lock: of several processes opening a new workspace at once, one makes the
schema and the others wait for it (the busy timeout) and then find it made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from store.errors import NotAWorkspaceError, WorkspaceError
from store.migration_v2 import V2
from store.migration_v3 import V3

SCHEMA_VERSION = 3

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

MIGRATIONS: dict[int, str] = {1: _V1, 2: V2, 3: V3}


def newer_schema_message(path: object, version: int) -> str:
    return (f"The workspace {path} was written by a newer Eventmap (schema {version}); "
            f"this version reads schema {SCHEMA_VERSION} and older.")


def migrate(conn: sqlite3.Connection, path: object = "") -> tuple[int, ...]:
    """Bring the database to SCHEMA_VERSION in one transaction; the versions applied.

    `conn` must be in autocommit mode (isolation_level=None) and have a busy timeout. Nothing is
    written when the schema is already current, nor when it is newer (NotAWorkspaceError).
    Foreign keys are off while the migrations run (a table rebuild must not cascade) and checked
    before the commit.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return ()  # the usual case: no write lock taken
    # Python's casefold, as store.event_writer folds triggers (SQL's lower() knows ASCII only)
    conn.create_function("eventmap_casefold", 1, lambda text: (text or "").casefold(),
                         deterministic=True)
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: set it before
    try:
        conn.execute("BEGIN IMMEDIATE")  # waits while another opener makes the schema
        try:
            applied = _apply(conn, path)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    return applied


def _apply(conn: sqlite3.Connection, path: object) -> tuple[int, ...]:
    """The migrations still to run, run inside the caller's write transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]  # again, now under the lock
    if current > SCHEMA_VERSION:
        raise NotAWorkspaceError(newer_schema_message(path, current))
    applied = tuple(range(current + 1, SCHEMA_VERSION + 1))
    for version in applied:
        for statement in _statements(MIGRATIONS[version]):
            conn.execute(statement)
    if applied:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise WorkspaceError(
                f"Cannot upgrade the workspace {path}: {len(broken)} rows would point at "
                f"missing rows (first in table {broken[0][0]}).")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return applied


def _statements(script: str) -> Iterator[str]:
    """The statements of a script, one by one (executescript would COMMIT the transaction)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"Incomplete statement in a migration: {pending.strip()[:60]}")
