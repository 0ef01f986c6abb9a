"""Writing one processed document: its row, passages, place and date mentions, and events.

Called by Workspace.add_document inside its transaction, so a killed process leaves the whole
document or nothing of it. Events join the stored events they are other reports of
(store.event_writer); actors are joined across the workspace (store.actors); the analyst's
"everywhere" corrections are re-applied last (store.correction_steps).
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


def write_document(conn: sqlite3.Connection, doc: Document) -> int:
    cur = conn.execute(
        "INSERT INTO documents (sha256, path, title, outlet, published, published_source, text, "
        "ingested_at, encoding, replaced_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc.sha256, doc.path, doc.title, doc.outlet, doc.published, doc.published_source,
         doc.text, datetime.now(UTC).isoformat(timespec="seconds"), doc.encoding,
         doc.replaced_bytes],
    )
    doc_id = int(cur.lastrowid)
    for passage in doc.passages:
        _write_passage(conn, doc_id, doc, passage)
    reapply_to_document(conn, doc_id)  # the analyst's "everywhere" corrections
    return doc_id


def _write_passage(conn: sqlite3.Connection, doc_id: int, doc: Document,
                   passage: Passage) -> None:
    cur = conn.execute(
        'INSERT INTO passages (document_id, start, "end", text, boilerplate) '
        "VALUES (?, ?, ?, ?, ?)",
        [doc_id, passage.start, passage.end, passage.text, int(passage.boilerplate)],
    )
    passage_id = int(cur.lastrowid)
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
