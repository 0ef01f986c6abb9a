"""Guessed publication dates: the file's time stands in for a date the article never gave.

The events of such articles stay off the dated timeline (store.event_queries) until the analyst
accepts the guess. Accepting marks the documents' dates ACCEPTED (still told apart from dates
the text or a manifest gave) and is a correction like the others: Edit › Undo reverts it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from store.event_queries import GUESSED

ACCEPT_DATES = "accept dates"  # the corrections table's action
ACCEPTED = "file time, accepted"  # documents.published_source once the analyst accepts it


def guessed_documents(conn: sqlite3.Connection) -> list[int]:
    """The documents whose publication date is still a guess, by id."""
    rows = conn.execute("SELECT id FROM documents WHERE published_source = ? ORDER BY id",
                        [GUESSED]).fetchall()
    return [int(r[0]) for r in rows]


def accept(conn: sqlite3.Connection, document_ids: Iterable[int] | None = None) -> list[int]:
    """Accept the guessed dates of these documents (all, with None), inside the caller's
    transaction; the ids of those it changed."""
    wanted = guessed_documents(conn)
    if document_ids is not None:
        chosen = set(document_ids)
        wanted = [d for d in wanted if d in chosen]
    _set_source(conn, wanted, ACCEPTED)
    return wanted


def unaccept(conn: sqlite3.Connection, document_ids: Iterable[int]) -> None:
    """Undo `accept`: the dates are guesses again."""
    ids = list(document_ids)
    conn.executemany("UPDATE documents SET published_source = ? WHERE id = ? AND "
                     "published_source = ?", [(GUESSED, d, ACCEPTED) for d in ids])


def _set_source(conn: sqlite3.Connection, ids: list[int], source: str) -> None:
    conn.executemany("UPDATE documents SET published_source = ? WHERE id = ?",
                     [(source, d) for d in ids])
