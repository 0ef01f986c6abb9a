"""Schema version 2: events with a type, status, title and actors; sources with their trigger.

Version 1 made one "event" per place named in a story sentence. Version 2 records happenings:
each event has a PLOVER type (or none), a status, a title, a confidence, and a location that the
text gave, one inferred from context, or none (then it stays off the map). Each source passage
keeps the trigger that reports the event and the actors as written there; actors are normalised
to one row per person, organisation or state of the workspace.

The migration rebuilds `events` (its place may now be null) and `event_sources` (a source may
have no place mention), keeping every id, so that the corrections' undo records still point at
the right rows. Version 1 events become untyped "reported" events titled by their place.
It also rewrites the full-text index declaration with double quotes (content="passages"), which
sqlite-utils and Datasette recognise.

The script runs with foreign keys off (SQLite's twelve-step table rebuild): dropping the old
`events` table with them on would delete every source through ON DELETE CASCADE.
"""

from __future__ import annotations

V2 = """
CREATE TABLE events_v2 (
    id INTEGER PRIMARY KEY,
    place_id INTEGER REFERENCES places(id),
    date_start TEXT,
    date_end TEXT,
    date_text TEXT,
    date_precision TEXT,
    reported TEXT,
    type TEXT,
    status TEXT NOT NULL DEFAULT 'reported',
    title TEXT NOT NULL DEFAULT '',
    trigger TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    location TEXT NOT NULL DEFAULT 'given'
);
INSERT INTO events_v2 (id, place_id, date_start, date_end, date_text, date_precision, reported,
                       title)
    SELECT e.id, e.place_id, e.date_start, e.date_end, e.date_text, e.date_precision, e.reported,
           coalesce((SELECT name FROM places WHERE id = e.place_id), '')
    FROM events e;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_place ON events(place_id);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE INDEX events_type ON events(type);

CREATE TABLE event_sources_v2 (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    mention_id INTEGER REFERENCES mentions(id) ON DELETE CASCADE,
    date_mention_id INTEGER REFERENCES date_mentions(id),
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger TEXT NOT NULL DEFAULT '',
    type TEXT,
    status TEXT NOT NULL DEFAULT 'reported',
    title TEXT NOT NULL DEFAULT '',
    confidence REAL NOT NULL DEFAULT 0,
    location TEXT NOT NULL DEFAULT 'given'
);
INSERT INTO event_sources_v2 (id, event_id, passage_id, mention_id, date_mention_id)
    SELECT rowid, event_id, passage_id, mention_id, date_mention_id FROM event_sources;
DROP TABLE event_sources;
ALTER TABLE event_sources_v2 RENAME TO event_sources;
CREATE INDEX event_sources_event ON event_sources(event_id);
CREATE INDEX event_sources_passage ON event_sources(passage_id);
CREATE INDEX event_sources_mention ON event_sources(mention_id);

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'person',
    country TEXT
);
CREATE TABLE actor_names (
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (actor_id, name)
);
CREATE TABLE source_actors (
    source_id INTEGER NOT NULL REFERENCES event_sources(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    role TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL DEFAULT ''
);
CREATE INDEX source_actors_source ON source_actors(source_id);
CREATE INDEX source_actors_actor ON source_actors(actor_id);
CREATE TABLE event_actors (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    role TEXT NOT NULL,
    PRIMARY KEY (event_id, actor_id, role)
);
CREATE INDEX event_actors_actor ON event_actors(actor_id);

ALTER TABLE documents ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8';
ALTER TABLE documents ADD COLUMN replaced_bytes INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER passages_ai;
DROP TRIGGER passages_ad;
DROP TABLE passages_fts;
CREATE VIRTUAL TABLE passages_fts USING fts5(text, content="passages", content_rowid="id");
INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""
