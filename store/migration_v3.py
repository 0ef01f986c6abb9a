"""Schema version 3: what keeps an ingest's and a query's cost from growing with the workspace.

- Indexes of events by kind, status and dates: a new report is compared with the stored events
  of its own kind and status near its dates (store.event_matching), found by a range of
  dates, not by reading every event of that kind.
- Each event's counts (sources, distinct articles and outlets) and whether every article's
  date is a guess, kept on its row, and its outlets in `event_outlets`: the window's queries
  read them instead of aggregating every source of every event they return. store.event_writer
  keeps them as sources come and go; a trigger keeps `guessed_dates` when the analyst accepts
  a guessed publication date ('file time' is store.event_queries.GUESSED).
- Each event's tally of its sources' triggers (casefolded) in `event_triggers`: the event's
  trigger is its most common one, found without reading every source.
"""

from __future__ import annotations

V3 = """
CREATE INDEX events_kind_start ON events(type, status, date_start, reported);
CREATE INDEX events_kind_end ON events(type, status, date_end, date_start);

ALTER TABLE events ADD COLUMN source_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN document_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN outlet_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN guessed_dates INTEGER NOT NULL DEFAULT 0;
CREATE TABLE event_outlets (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    outlet TEXT NOT NULL,
    PRIMARY KEY (event_id, outlet)
);
CREATE INDEX event_outlets_outlet ON event_outlets(outlet);
INSERT INTO event_outlets (event_id, outlet)
    SELECT DISTINCT es.event_id, d.outlet FROM event_sources es
    JOIN passages p ON p.id = es.passage_id JOIN documents d ON d.id = p.document_id
    WHERE d.outlet IS NOT NULL;
UPDATE events SET
    source_count = (SELECT count(*) FROM event_sources es WHERE es.event_id = events.id),
    document_count = (SELECT count(DISTINCT p.document_id) FROM event_sources es
                      JOIN passages p ON p.id = es.passage_id WHERE es.event_id = events.id),
    outlet_count = (SELECT count(*) FROM event_outlets eo WHERE eo.event_id = events.id),
    guessed_dates = coalesce((SELECT min(d.published_source = 'file time')
                              FROM event_sources es JOIN passages p ON p.id = es.passage_id
                              JOIN documents d ON d.id = p.document_id
                              WHERE es.event_id = events.id), 0);
CREATE TABLE event_triggers (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    trigger TEXT NOT NULL,
    sources INTEGER NOT NULL,
    first_source INTEGER NOT NULL,
    PRIMARY KEY (event_id, trigger)
);
INSERT INTO event_triggers (event_id, trigger, sources, first_source)
    SELECT event_id, eventmap_casefold(trigger), count(*), min(id) FROM event_sources
    GROUP BY event_id, eventmap_casefold(trigger);
CREATE TRIGGER documents_guessed AFTER UPDATE OF published_source ON documents BEGIN
    UPDATE events SET guessed_dates = coalesce((
        SELECT min(d.published_source = 'file time') FROM event_sources es
        JOIN passages p ON p.id = es.passage_id JOIN documents d ON d.id = p.document_id
        WHERE es.event_id = events.id), 0)
    WHERE id IN (SELECT es.event_id FROM passages p JOIN event_sources es
                 ON es.passage_id = p.id WHERE p.document_id = new.id);
END;
"""
