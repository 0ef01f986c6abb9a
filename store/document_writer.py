"""Writing one processed document: its row, passages, place and date mentions, and events.

Called by Workspace.add_documents inside its transaction, so a killed process leaves the whole
document or nothing of it. Events join the stored events they are other reports of
(store.event_writer); actors are joined across the workspace (store.actors); the analyst's
"everywhere" corrections are re-applied last (store.correction_steps).

A document's passages go in with one INSERT per PASSAGE_ROWS of them, not one each: the
full-text index's trigger (store.schema) then runs inside that statement, and FTS5 writes its
pending terms out at every statement that may need undoing on its own, so one row a statement
wrote a tiny index segment per passage, to be merged later. On the development corpora (706
articles, 11,749 passages) that took a quarter of the storing's CPU time, one statement a
document a tenth. The index holds the same rows either way.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from store.actors import find_or_add_actor
from store.correction_steps import reapply_to_document
from store.event_writer import SourceDraft, attach_source
from store.models import Document, ExtractedEvent, Passage
from store.places import place_id

# passages in one INSERT: 5 values each, within SQLite's oldest limit of 999 bound values
PASSAGE_ROWS = 150


def write_document(conn: sqlite3.Connection, doc: Document) -> int:
    cur = conn.execute(
        "INSERT INTO documents (sha256, path, title, outlet, published, published_source, text, "
        "ingested_at, encoding, replaced_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc.sha256, doc.path, doc.title, doc.outlet, doc.published, doc.published_source,
         doc.text, datetime.now(UTC).isoformat(timespec="seconds"), doc.encoding,
         doc.replaced_bytes],
    )
    doc_id = int(cur.lastrowid)
    for passage, passage_id in zip(doc.passages, _insert_passages(conn, doc_id, doc.passages),
                                   strict=True):
        _write_passage(conn, passage_id, doc, passage)
    reapply_to_document(conn, doc_id)  # the analyst's "everywhere" corrections
    return doc_id


def _insert_passages(conn: sqlite3.Connection, doc_id: int, passages: list[Passage]
                     ) -> list[int]:
    """Insert a new document's passages, in order, PASSAGE_ROWS to a statement; their ids.

    SQLite numbers the rows of one INSERT as it inserts them, each one more than the largest id
    so far, so a statement's rows get consecutive ids ending with its last one; that is checked,
    as the numbering differs only once ids reach 2**63.
    """
    ids: list[int] = []
    for first in range(0, len(passages), PASSAGE_ROWS):
        rows = passages[first:first + PASSAGE_ROWS]
        values: list[object] = []
        for p in rows:
            values += [doc_id, p.start, p.end, p.text, int(p.boilerplate)]
        cur = conn.execute('INSERT INTO passages (document_id, start, "end", text, boilerplate) '
                           "VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * len(rows)), values)
        last = int(cur.lastrowid)
        ids.extend(range(last - len(rows) + 1, last + 1))
    if passages:
        stored = conn.execute("SELECT count(*), min(id), max(id) FROM passages "
                              "WHERE document_id = ?", [doc_id]).fetchone()
        if tuple(stored) != (len(ids), ids[0], ids[-1]) or ids[-1] - ids[0] + 1 != len(ids):
            raise RuntimeError(f"passage ids of document {doc_id} are not consecutive")
    return ids


def _write_passage(conn: sqlite3.Connection, passage_id: int, doc: Document,
                   passage: Passage) -> None:
    """A stored passage's place and date mentions and events."""
    mention_ids: dict[int, int] = {}
    for m in passage.mentions:
        pid = place_id(conn, m.place) if m.place else None
        mention_ids[id(m)] = int(conn.execute(
            'INSERT INTO mentions (passage_id, place_id, start, "end", surface, confidence, '
            "candidates, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [passage_id, pid, m.start, m.end, m.text, m.confidence, json.dumps(m.candidates),
             m.note],
        ).lastrowid)
    date_ids: dict[int, int] = {}
    for dm in passage.dates:
        date_ids[id(dm)] = int(conn.execute(
            'INSERT INTO date_mentions (passage_id, start, "end", surface, date_start, date_end, '
            "precision) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [passage_id, dm.start, dm.end, dm.text, dm.range.start, dm.range.end,
             dm.range.precision],
        ).lastrowid)
    if passage.boilerplate:
        return
    for event in passage.events:
        attach_source(conn, _draft(conn, event, passage_id, mention_ids, date_ids,
                                   doc.published))


def _draft(conn: sqlite3.Connection, event: ExtractedEvent, passage_id: int,
           mention_ids: dict[int, int], date_ids: dict[int, int],
           published: str | None) -> SourceDraft:
    mention = event.place
    located = mention is not None and mention.place is not None
    actors = tuple(
        (find_or_add_actor(conn, ref.name or ref.text, ref.kind, key=ref.actor,
                           written=ref.text), role, ref.start, ref.end, ref.text)
        for ref, role in event.actors
    )
    return SourceDraft(
        passage_id=passage_id,
        place_id=place_id(conn, mention.place) if located else None,
        mention_id=mention_ids.get(id(mention)) if located else None,
        date_mention_id=date_ids.get(id(event.date)) if event.date else None,
        date=event.date.range if event.date else None,
        trigger_start=event.start, trigger_end=event.end, trigger=event.trigger,
        type=event.type, status=event.status, title=event.title,
        confidence=event.confidence,
        location=("inferred" if event.location_inferred else "given") if located else "none",
        actors=actors, reported=published,
    )
