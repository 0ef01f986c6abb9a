"""Storing several documents in one transaction, each in a savepoint of its own.

A transaction per document made the commit about a quarter of the storing's time on the
development corpora (706 articles: 0.5 of 1.9 CPU seconds; the full-text index is also written
out at each commit). An ingest stores the documents it has finished a group at a time instead,
and keeps the guarantees a transaction per document gave:
- a killed process leaves each document whole or absent: its rows are written inside the group's
  transaction, which commits whole or not at all;
- no document counts as stored before its group commits (the caller reports them after);
- a document whose writing fails takes none of the others with it: its savepoint is rolled back
  and the group goes on. Only what no later write can escape (a full disk, a read-only file) or
  an error that ended the transaction itself stops the group, whose documents are then all
  unstored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from store.document_writer import write_document
from store.errors import write_error
from store.models import Document


@dataclass(frozen=True)
class Stored:
    """What storing one document of a group came to: its new id, or None when the same text is
    already stored or when storing it raised `error` (then nothing of it is stored)."""

    document_id: int | None = None
    error: Exception | None = None


def has_document(conn: sqlite3.Connection, sha256: str) -> bool:
    return conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha256]).fetchone() is not None


def write_group(conn: sqlite3.Connection, documents: Iterable[Document], path: str | Path
                ) -> list[Stored]:
    """Write the documents, in order, inside the caller's transaction, each in its savepoint.

    A document whose writing raises is rolled back alone and its Stored carries the error. A
    write error (store.errors.write_error: the disk is full, the file read-only) or one after
    which SQLite has ended the transaction propagates: the caller rolls the group back.
    """
    out: list[Stored] = []
    for doc in documents:
        conn.execute("SAVEPOINT document")
        try:
            doc_id = None if has_document(conn, doc.sha256) else write_document(conn, doc)
        except Exception as e:
            if not conn.in_transaction or _stops_writing(e, path):
                raise
            conn.execute("ROLLBACK TO document")
            out.append(Stored(error=e))
        else:
            out.append(Stored(doc_id))
        conn.execute("RELEASE document")
    return out


def _stops_writing(error: Exception, path: str | Path) -> bool:
    """Whether no later write could succeed either (then the group stops)."""
    return isinstance(error, sqlite3.Error | OSError) and write_error(error, path) is not None
