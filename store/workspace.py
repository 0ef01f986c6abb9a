"""The workspace: one SQLite file of documents, passages, places, mentions and events.

Every write of a document happens in one transaction, so a killed process leaves either the whole
document or nothing of it. Queries return the dataclasses of store.models.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path

import sqlite_utils

from store.corrections import reapply_to_document
from store.errors import ReadOnlyWorkspaceError, WorkspaceError, write_error
from store.models import Document, EventRecord, EventSource, Place
from store.opening import open_workspace

# Events at one place merge when their date ranges overlap, unless one of them spans more than
# this many days and the ranges differ: "since 2015" must not swallow "September 10-13".
MERGE_MAX_SPAN_DAYS = 92


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    title: str
    outlet: str | None
    published: str | None
    published_source: str
    path: str
    place_count: int


@dataclass(frozen=True)
class PassageHit:
    passage_id: int
    document_id: int
    title: str
    text: str
    snippet: str


@dataclass(frozen=True)
class Counts:
    documents: int
    passages: int
    places: int
    mentions: int
    events: int
    dated_events: int


class Workspace:
    """A workspace file. Each thread opens its own Workspace (SQLite connections are per thread)."""

    def __init__(self, path: str | Path, *, create: bool = True):
        """Open (or, with create, make) the workspace at `path`.

        What the path holds is checked first, without writing (store.opening): another
        program's file, a newer workspace or a file that is not SQLite is refused and left as
        it was. A workspace this user cannot write opens read-only (`read_only`); its writes
        raise ReadOnlyWorkspaceError.
        """
        self.path = Path(path)
        opened = open_workspace(self.path, create=create)
        self.read_only = opened.read_only
        self.schema_applied = opened.applied  # the schema versions this open made or migrated
        self.db = sqlite_utils.Database(opened.conn)

    @classmethod
    def open_existing(cls, path: str | Path) -> Workspace:
        """Open a workspace that must already exist (NoWorkspaceError when there is none)."""
        return cls(path, create=False)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; a full disk or a read-only file raises a WorkspaceWriteError
        (StorageFullError, ReadOnlyWorkspaceError) after rolling back."""
        with self._writing():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn the errors of a write that no later write can escape into WorkspaceWriteErrors."""
        if self.read_only:
            raise ReadOnlyWorkspaceError(self.path)
        try:
            yield
        except (sqlite3.Error, OSError) as e:
            error = write_error(e, self.path)
            if error is None:
                raise
            raise error from e

    # -- writing ---------------------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        row = self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return row is not None

    def add_document(self, doc: Document) -> int | None:
        """Store a processed document with its passages, mentions and events.

        Returns the new document id, or None when the same text is already stored.
        """
        with self.transaction():
            if self.has_document(doc.sha256):
                return None
            doc_id = self._insert("documents", {
                "sha256": doc.sha256, "path": doc.path, "title": doc.title,
                "outlet": doc.outlet, "published": doc.published,
                "published_source": doc.published_source, "text": doc.text,
                "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            })
            for passage in doc.passages:
                self._add_passage(doc_id, doc, passage)
            reapply_to_document(self, doc_id)  # the analyst's "everywhere" corrections
        return doc_id

    def _insert(self, table: str, row: dict) -> int:
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        return int(cur.lastrowid)

    def _add_passage(self, doc_id: int, doc: Document, passage) -> None:
        passage_id = self._insert("passages", {
            "document_id": doc_id, "start": passage.start, "end": passage.end,
            "text": passage.text, "boilerplate": int(passage.boilerplate),
        })
        mention_ids: dict[int, int] = {}
        for mention in passage.mentions:
            place_id = self.place_id(mention.place) if mention.place else None
            mention_ids[id(mention)] = self._insert("mentions", {
                "passage_id": passage_id, "place_id": place_id, "start": mention.start,
                "end": mention.end, "surface": mention.text, "confidence": mention.confidence,
                "candidates": json.dumps(mention.candidates), "note": mention.note,
            })
        date_ids: dict[int, int] = {}
        for dm in passage.dates:
            date_ids[id(dm)] = self._insert("date_mentions", {
                "passage_id": passage_id, "start": dm.start, "end": dm.end, "surface": dm.text,
                "date_start": dm.range.start, "date_end": dm.range.end,
                "precision": dm.range.precision,
            })
        if passage.boilerplate:
            return
        seen_places: set[int] = set()
        for draft in passage.events:
            if draft.mention.place is None:
                continue
            place_id = self.place_id(draft.mention.place)
            if place_id in seen_places:
                continue
            seen_places.add(place_id)
            date_id = date_ids.get(id(draft.date)) if draft.date else None
            event_id = self._find_event(place_id, draft.date.range if draft.date else None)
            if event_id is None:
                event_id = self._insert("events", {"place_id": place_id})
            self.db.execute(
                "INSERT INTO event_sources (event_id, passage_id, mention_id, date_mention_id) "
                "VALUES (?, ?, ?, ?)",
                [event_id, passage_id, mention_ids[id(draft.mention)], date_id],
            )
            self._refresh_event(event_id)

    def place_id(self, place: Place) -> int:
        """The id of a place, inserting it on first use."""
        row = self.db.execute(
            "SELECT id FROM places WHERE source = ? AND source_id = ? AND approximate = ? "
            "AND name = ?",
            [place.source, place.source_id, int(place.approximate), place.name],
        ).fetchone()
        if row:
            return int(row[0])
        return self._insert("places", {
            "name": place.name, "kind": place.kind, "lat": place.lat, "lon": place.lon,
            "country": place.country, "admin1": place.admin1, "source": place.source,
            "source_id": place.source_id, "precision_km": place.precision_km,
            "population": place.population, "approximate": int(place.approximate),
        })

    def _find_event(self, place_id: int, rng) -> int | None:
        if rng is None:
            row = self.db.execute(
                "SELECT id FROM events WHERE place_id = ? AND date_start IS NULL LIMIT 1",
                [place_id],
            ).fetchone()
            return int(row[0]) if row else None
        rows = self.db.execute(
            "SELECT id, date_start, date_end FROM events WHERE place_id = ? "
            "AND date_start IS NOT NULL AND date_start <= ? AND date_end >= ? ORDER BY id",
            [place_id, rng.end, rng.start],
        ).fetchall()
        for event_id, start, end in rows:
            same = (start, end) == (rng.start, rng.end)
            if same or max(_span_days(start, end), _span_days(rng.start, rng.end)) <= (
                MERGE_MAX_SPAN_DAYS
            ):
                return int(event_id)
        return None

    def _refresh_event(self, event_id: int) -> None:
        """Recompute an event's dates from its sources.

        The event takes the most specific range that the most sources agree with: a source
        agrees with a range when its own range contains it ("in July" agrees with "from the
        25th to the 27th" of July; "September 10-14" agrees with "September 10-13").
        """
        rows = self.db.execute(
            "SELECT dm.date_start, dm.date_end, dm.surface, dm.precision, d.published "
            "FROM event_sources es JOIN passages p ON p.id = es.passage_id "
            "JOIN documents d ON d.id = p.document_id "
            "LEFT JOIN date_mentions dm ON dm.id = es.date_mention_id "
            "WHERE es.event_id = ? ORDER BY es.rowid",
            [event_id],
        ).fetchall()
        dated = [r for r in rows if r[0]]
        reported = min((r[4] for r in rows if r[4]), default=None)
        start = end = surface = precision = None
        if dated:
            ranges = list(dict.fromkeys((r[0], r[1]) for r in dated))
            support = {
                rng: sum(1 for r in dated if r[0] <= rng[0] and rng[1] <= r[1]) for rng in ranges
            }
            start, end = min(
                ranges, key=lambda rng: (-support[rng], _span_days(*rng), ranges.index(rng))
            )
            surface, precision = next((r[2], r[3]) for r in dated if (r[0], r[1]) == (start, end))
        self.db.execute(
            "UPDATE events SET date_start = ?, date_end = ?, date_text = ?, date_precision = ?, "
            "reported = ? WHERE id = ?",
            [start, end, surface, precision, reported, event_id],
        )

    # -- reading ---------------------------------------------------------------------------

    def counts(self) -> Counts:
        one = lambda sql: int(self.db.execute(sql).fetchone()[0])  # noqa: E731
        return Counts(
            documents=one("SELECT count(*) FROM documents"),
            passages=one("SELECT count(*) FROM passages"),
            places=one("SELECT count(DISTINCT place_id) FROM events"),
            mentions=one("SELECT count(*) FROM mentions WHERE place_id IS NOT NULL"),
            events=one("SELECT count(*) FROM events"),
            dated_events=one("SELECT count(*) FROM events WHERE date_start IS NOT NULL"),
        )

    def documents(self, document_id: int | None = None) -> list[DocumentSummary]:
        """Every document (or the one asked for), with the number of places it reports."""
        rows = self.db.execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.published_source, d.path, "
            "(SELECT count(DISTINCT e.place_id) FROM event_sources es "
            " JOIN events e ON e.id = es.event_id JOIN passages p ON p.id = es.passage_id "
            " WHERE p.document_id = d.id) "
            "FROM documents d WHERE ? IS NULL OR d.id = ? ORDER BY d.published, d.id",
            [document_id, document_id],
        ).fetchall()
        return [DocumentSummary(*r) for r in rows]

    def document_text(self, document_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            raise WorkspaceError(f"No document {document_id} in this workspace.")
        return str(row[0])

    def events(
        self,
        date_from: str | None = None,
        date_to: str | None = None,
        *,
        include_undated: bool = True,
        document_id: int | None = None,
        passage_ids: Iterable[int] | None = None,
        event_ids: Iterable[int] | None = None,
        with_sources: bool = True,
    ) -> list[EventRecord]:
        """Events, optionally limited to a date window, a document, a set of passages or ids.

        An event is in the window when its range overlaps it; undated events are kept or
        dropped as a whole (their reported date is not an event date).
        """
        where, args = [], []
        if date_from or date_to:
            dated = []
            if date_from:
                dated.append("e.date_end >= ?")
                args.append(date_from)
            if date_to:
                dated.append("e.date_start <= ?")
                args.append(date_to)
            clause = "(e.date_start IS NOT NULL AND " + " AND ".join(dated) + ")"
            if include_undated:
                clause = f"({clause} OR e.date_start IS NULL)"
            where.append(clause)
        elif not include_undated:
            where.append("e.date_start IS NOT NULL")
        if document_id is not None:
            where.append(
                "e.id IN (SELECT es.event_id FROM event_sources es JOIN passages p "
                "ON p.id = es.passage_id WHERE p.document_id = ?)"
            )
            args.append(document_id)
        if passage_ids is not None:
            ids = sorted(set(passage_ids))
            where.append(
                f"e.id IN (SELECT event_id FROM event_sources WHERE passage_id IN "
                f"({','.join('?' * len(ids)) or 'NULL'}))"
            )
            args.extend(ids)
        if event_ids is not None:
            ids = sorted(set(event_ids))
            where.append(f"e.id IN ({','.join('?' * len(ids)) or 'NULL'})")
            args.extend(ids)
        sql = (
            "SELECT e.id, e.place_id, pl.name, pl.kind, pl.lat, pl.lon, pl.country, "
            "pl.precision_km, pl.approximate, e.date_start, e.date_end, e.date_text, "
            "e.date_precision, e.reported, "
            "(SELECT count(*) FROM event_sources es WHERE es.event_id = e.id) "
            "FROM events e JOIN places pl ON pl.id = e.place_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date_start IS NULL, e.date_start, pl.name, e.id"
        rows = self.db.execute(sql, args).fetchall()
        sources = self._sources([r[0] for r in rows]) if with_sources else {}
        return [
            EventRecord(
                *r[:8], bool(r[8]), *r[9:14], r[14], tuple(sources.get(r[0], ()))
            )
            for r in rows
        ]

    def _sources(self, event_ids: list[int]) -> dict[int, list[EventSource]]:
        out: dict[int, list[EventSource]] = {}
        for chunk_start in range(0, len(event_ids), 500):
            chunk = event_ids[chunk_start:chunk_start + 500]
            rows = self.db.execute(
                "SELECT es.event_id, d.id, d.title, d.outlet, d.published, p.id, p.text, p.start, "
                'm.start, m."end", dm.start, dm."end", m.id, m.note '
                "FROM event_sources es JOIN passages p ON p.id = es.passage_id "
                "JOIN documents d ON d.id = p.document_id "
                "JOIN mentions m ON m.id = es.mention_id "
                "LEFT JOIN date_mentions dm ON dm.id = es.date_mention_id "
                f"WHERE es.event_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY d.published, d.id, p.start",
                chunk,
            ).fetchall()
            for r in rows:
                pstart = r[7]
                out.setdefault(r[0], []).append(EventSource(
                    document_id=r[1], title=r[2], outlet=r[3], published=r[4], passage_id=r[5],
                    passage=r[6], passage_start=pstart, mention_start=r[8] - pstart,
                    mention_end=r[9] - pstart,
                    date_start=None if r[10] is None else r[10] - pstart,
                    date_end=None if r[11] is None else r[11] - pstart, mention_id=r[12],
                    reason=r[13] or "",
                ))
        return out

    def search_passages(self, query: str, limit: int = 1000) -> list[PassageHit]:
        """Full-text search over passages (FTS5 syntax; plain words are ANDed)."""
        try:
            rows = self.db.execute(
                "SELECT p.id, p.document_id, d.title, p.text, "
                "snippet(passages_fts, 0, '[', ']', '…', 12) "
                "FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
                "JOIN documents d ON d.id = p.document_id "
                "WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?",
                [_fts_query(query), limit],
            ).fetchall()
        except sqlite3.OperationalError as e:
            raise WorkspaceError(f"Cannot search for {query!r}: {e}") from e
        return [PassageHit(*r) for r in rows]

    def passage_span(self, passage_id: int) -> tuple[int, int, int] | None:
        """(document id, start, end) of a passage, in document offsets."""
        row = self.db.execute(
            'SELECT document_id, start, "end" FROM passages WHERE id = ?', [passage_id]
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), int(row[2]))

    def document(self, document_id: int) -> DocumentSummary | None:
        return next(iter(self.documents(document_id)), None)

    def search_places(self, query: str, limit: int = 1000) -> list[PassageHit]:
        """Passages that mention a place whose name has a word starting with `query`.

        Finds the passages that name a place under another spelling ("Kremlin" for the Moscow
        Kremlin, "Vostochny spaceport" for Vostochny Cosmodrome), which full-text search misses.
        The snippet brackets the mention, like search_passages does.
        """
        needle = " ".join(query.split()).lower()
        if not needle:
            return []
        pattern = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.db.execute(
            "SELECT p.id, p.document_id, d.title, p.text, m.start - p.start, "
            'm."end" - p.start FROM mentions m JOIN places pl ON pl.id = m.place_id '
            "JOIN passages p ON p.id = m.passage_id JOIN documents d ON d.id = p.document_id "
            "WHERE p.boilerplate = 0 AND (lower(pl.name) LIKE ? ESCAPE '\\' "
            "OR lower(pl.name) LIKE ? ESCAPE '\\') "
            "ORDER BY d.published, d.id, p.start, m.start LIMIT ?",
            [f"{pattern}%", f"% {pattern}%", limit],
        ).fetchall()
        hits: dict[int, PassageHit] = {}
        for pid, doc_id, title, text, start, end in rows:
            if pid not in hits:
                head = text[max(0, start - 70):start]
                tail = text[end:end + 70]
                snippet = (("…" if start > 70 else "") + f"{head}[{text[start:end]}]{tail}"
                           + ("…" if end + 70 < len(text) else ""))
                hits[pid] = PassageHit(pid, doc_id, title, text, snippet)
        return list(hits.values())

    def outlet_names(self, recent: int = 300) -> Iterator[tuple[str, list[str]]]:
        """(outlet, the toponyms it names) for each outlet's `recent` latest documents that
        name any."""
        rows = self.db.execute(
            "WITH latest AS (SELECT id, outlet, ROW_NUMBER() OVER "
            "(PARTITION BY outlet ORDER BY id DESC) AS n FROM documents d "
            "WHERE outlet IS NOT NULL AND outlet != '' AND EXISTS (SELECT 1 FROM passages p "
            "JOIN mentions m ON m.passage_id = p.id WHERE p.document_id = d.id)) "
            "SELECT d.id, d.outlet, m.surface FROM latest d "
            "JOIN passages p ON p.document_id = d.id JOIN mentions m ON m.passage_id = p.id "
            "WHERE d.n <= ? ORDER BY d.id", [recent])
        for (_, outlet), group in groupby(rows, key=lambda r: (r[0], r[1])):
            yield outlet, [r[2] for r in group]

    def mentions_in_document(self, document_id: int) -> list[tuple[int, int, str, str | None]]:
        """(start, end, surface, place name) of every mention, in document offsets."""
        rows = self.db.execute(
            'SELECT m.start, m."end", m.surface, pl.name FROM mentions m '
            "JOIN passages p ON p.id = m.passage_id LEFT JOIN places pl ON pl.id = m.place_id "
            "WHERE p.document_id = ? ORDER BY m.start",
            [document_id],
        ).fetchall()
        return [tuple(r) for r in rows]

    # -- geocoder cache --------------------------------------------------------------------

    def cached_geocode(self, provider: str, query: str) -> str | None:
        row = self.db.execute(
            "SELECT result FROM geocode_cache WHERE provider = ? AND query = ?", [provider, query]
        ).fetchone()
        return None if row is None else str(row[0])

    def cache_geocode(self, provider: str, query: str, result: str) -> None:
        with self._writing():
            self.db.execute(
                "INSERT OR REPLACE INTO geocode_cache (provider, query, result, created) "
                "VALUES (?, ?, ?, ?)",
                [provider, query, result, datetime.now(UTC).isoformat(timespec="seconds")],
            )


def _span_days(start: str, end: str) -> int:
    return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1


def _fts_query(query: str) -> str:
    """Quote each word so that user text never reaches FTS5 as syntax."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words) or '""'
