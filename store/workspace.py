"""The workspace: one SQLite file of documents, passages, places, mentions and events.

Every write of a document happens inside one transaction (several documents may share it, each
in a savepoint: store.document_group), so a killed process leaves either the whole document or
nothing of it. Queries return the dataclasses of store.models.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

import sqlite_utils

from store.document_annotations import DocumentAnnotations, document_annotations
from store.document_group import Stored, has_document, write_group
from store.document_writer import write_document
from store.errors import ReadOnlyWorkspaceError, WorkspaceError, write_error
from store.event_facets import EventFacets
from store.event_queries import (
    GUESSED,
    EventFilter,
    cited_document_count,
    event_rows,
    records_of_rows,
    select_events,
)
from store.guessed_dates import guessed_documents
from store.mention_queries import (
    NamedPlace,
    PlacedMention,
    placed_mentions,
    places_without_events,
)
from store.models import Document, EventRecord, Place
from store.opening import open_workspace
from store.places import place_id as stored_place_id

RANKED = 5000  # full-text hits ranked by relevance: the newest ones, when there are more


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    title: str
    outlet: str | None
    published: str | None
    published_source: str
    path: str
    place_count: int
    event_count: int = 0
    encoding: str = "utf-8"  # how the file's bytes were decoded
    replaced_bytes: int = 0  # bytes not valid in that encoding, replaced when read

    @property
    def guessed_date(self) -> bool:
        """The publication date is the file's time: a guess (store.event_queries)."""
        return self.published_source == GUESSED


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
    off_map: int = 0  # events whose text gives no place

    @property
    def on_map(self) -> int:
        """Events with a place: those the map can show."""
        return self.events - self.off_map


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
        return has_document(self.db.conn, sha256)

    def add_document(self, doc: Document) -> int | None:
        """Store a processed document with its passages, mentions and events.

        Returns the new document id, or None when the same text is already stored.
        """
        with self.transaction():
            if self.has_document(doc.sha256):
                return None
            return write_document(self.db.conn, doc)

    def add_documents(self, docs: Sequence[Document]) -> list[Stored]:
        """Store documents in one transaction, each whole or not at all (store.document_group):
        for each, its new id, None for a text already stored, or the error that kept it out.
        A WorkspaceWriteError (a full disk, a read-only file) stores none of them."""
        with self.transaction():
            return write_group(self.db.conn, docs, self.path)

    def place_id(self, place: Place) -> int:
        """The id of a place, inserting it on first use."""
        return stored_place_id(self.db.conn, place)

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
            off_map=one("SELECT count(*) FROM events WHERE place_id IS NULL"),
        )

    def documents(self, document_id: int | None = None) -> list[DocumentSummary]:
        """Every document (or the one asked for), with the number of places it reports."""
        return self._documents("? IS NULL OR d.id = ?", [document_id, document_id])

    def documents_by_id(self, document_ids: Iterable[int]) -> list[DocumentSummary]:
        """The documents with these ids (those that exist), in the order of ``documents``: the
        articles of a search's hits without reading the others."""
        ids = sorted(set(document_ids))
        return self._documents("d.id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])

    def _documents(self, where: str, args: list) -> list[DocumentSummary]:
        rows = self.db.execute(
            "SELECT d.id, d.title, d.outlet, d.published, d.published_source, d.path, "
            "(SELECT count(DISTINCT e.place_id) FROM event_sources es "
            " JOIN events e ON e.id = es.event_id JOIN passages p ON p.id = es.passage_id "
            " WHERE p.document_id = d.id), "
            "(SELECT count(DISTINCT es.event_id) FROM event_sources es "
            " JOIN passages p ON p.id = es.passage_id WHERE p.document_id = d.id), "
            "d.encoding, d.replaced_bytes "
            f"FROM documents d WHERE {where} ORDER BY d.published, d.id",
            args,
        ).fetchall()
        return [DocumentSummary(*r) for r in rows]

    def cited_document_count(self, event_ids: Iterable[int]) -> int:
        """The number of distinct articles the sources of these events come from (a
        snapshot's caption: "90,000 events from 86,000 articles")."""
        return cited_document_count(self.db.conn, event_ids)

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
        located: bool | None = True,
        document_id: int | None = None,
        passage_ids: Iterable[int] | None = None,
        event_ids: Iterable[int] | None = None,
        with_sources: bool = True,
        facets: EventFacets | None = None,
    ) -> list[EventRecord]:
        """Events, optionally limited to a date window, a document, a set of passages or ids.

        An event is in the window when its range overlaps it; undated events (and those whose
        dates rest on guessed publication dates) are kept or dropped as a whole. By default
        only events with a place (those on the map); located=False gives the others.
        """
        wanted = EventFilter(date_from, date_to, include_undated, located, document_id,
                             passage_ids, event_ids, facets)
        return select_events(self.db.conn, wanted, with_sources)

    def event_ids_of_actors(self, actor_ids: Iterable[int]) -> set[int]:
        """The ids of the events any of these actors takes part in."""
        ids = sorted(set(actor_ids))
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT event_id FROM event_actors "
            "WHERE actor_id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}

    def located_event_rows(self) -> list[tuple]:
        """The rows of every event on the map (store.event_queries.ROW_FIELDS), in the order
        of `events`: what the map needs, read before any record is built."""
        return event_rows(self.db.conn, EventFilter())

    def events_of_rows(self, rows: list[tuple]) -> list[EventRecord]:
        """The records (without sources) of `located_event_rows`' rows."""
        return records_of_rows(self.db.conn, rows, with_sources=False)

    def search_passages(self, query: str, limit: int = 1000) -> list[PassageHit]:
        """Full-text search over passages (FTS5 syntax; plain words are ANDed), best first.

        Ranking reads every hit (bm25), so a word in a hundred thousand passages would cost a
        tenth of a second or more: the newest RANKED hits are ranked, which is all of them but
        for the commonest words.
        """
        try:
            rows = self.db.execute(
                "WITH recent AS (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1 "
                "ORDER BY rowid DESC LIMIT ?3) "
                "SELECT p.id, p.document_id, d.title, p.text, "
                "snippet(passages_fts, 0, '[', ']', '…', 12) "
                "FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
                "JOIN documents d ON d.id = p.document_id "
                "WHERE passages_fts MATCH ?1 AND passages_fts.rowid >= "
                "(SELECT min(rowid) FROM recent) ORDER BY rank LIMIT ?2",
                [_fts_query(query), limit, RANKED],
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
        The snippet brackets the mention, like search_passages does. Where more than `limit`
        passages name such places, the newest are kept.
        """
        needle = " ".join(query.split()).lower()
        if not needle:
            return []
        pattern = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # The few places whose names match, then the newest `limit` of their mentions through
        # the index on mentions(place_id) alone (a port's name may be in tens of thousands of
        # passages), then only those passages and articles, listed by date.
        rows = self.db.execute(
            "WITH named AS (SELECT id FROM places WHERE lower(name) LIKE ? ESCAPE '\\' "
            "OR lower(name) LIKE ? ESCAPE '\\'), "
            'kept AS (SELECT m.passage_id AS pid, m.start AS ms, m."end" AS me '
            "FROM named CROSS JOIN mentions m ON m.place_id = named.id "
            "ORDER BY m.passage_id DESC, m.start LIMIT ?) "
            "SELECT p.id, p.document_id, d.title, p.text, kept.ms - p.start, kept.me - p.start "
            "FROM kept JOIN passages p ON p.id = kept.pid JOIN documents d ON d.id = p.document_id "
            "WHERE p.boilerplate = 0 ORDER BY d.published, d.id, p.start, kept.ms",
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

    def document_annotations(self, document_id: int) -> DocumentAnnotations:
        """Actors, dates, event triggers and events of one document, in document offsets
        (store.document_annotations)."""
        return document_annotations(self.db.conn, document_id)

    def guessed_documents(self) -> list[int]:
        """Documents whose publication date is still the file's time (store.guessed_dates)."""
        return guessed_documents(self.db.conn)

    def placed_mentions(self, document_id: int | None = None) -> list[PlacedMention]:
        """Resolved place mentions with their places (store.mention_queries)."""
        return placed_mentions(self.db, document_id)

    def places_without_events(self) -> list[NamedPlace]:
        """Places named in the articles where no event happens (the map's quieter layer)."""
        return places_without_events(self.db.conn)

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


def _fts_query(query: str) -> str:
    """Quote each word so that user text never reaches FTS5 as syntax."""
    words = [w.replace('"', '""') for w in query.split()]
    return " ".join(f'"{w}"' for w in words) or '""'
