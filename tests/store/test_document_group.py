"""Documents stored a group at a time (store.document_group): the same workspace as one
transaction each, a failing document alone left out, a write error storing none of the group."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from store import document_writer
from store.errors import StorageFullError
from store.models import Document, Passage
from store.workspace import Workspace
from tests.store.test_workspace import PYONGYANG, VLADIVOSTOK, make_doc


def documents() -> list[Document]:
    """Documents whose events join across documents, one with boilerplate and several
    passages, one a repeat of an earlier text."""
    docs = [
        make_doc("Kim arrived in Vladivostok on September 12.", VLADIVOSTOK,
                 ("September 12", "2023-09-12", "2023-09-12")),
        make_doc("Talks held in Pyongyang on Monday.", PYONGYANG, None, type="MEET"),
        make_doc("Kim reached Vladivostok on September 12.", VLADIVOSTOK,
                 ("September 12", "2023-09-12", "2023-09-12"), published="2023-09-13"),
    ]
    long = make_doc("Troops gathered near Pyongyang.", PYONGYANG, None, type="MOBILIZE")
    text = long.text
    extra = [Passage(len(text) + 1 + 20 * i, len(text) + 20 * (i + 1), f"Line {i} of the wire.",
                     boilerplate=i % 2 == 0) for i in range(7)]
    docs.append(replace(long, passages=long.passages + extra, sha256="long"))
    docs.append(replace(docs[1], title="the same text again"))
    return docs


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table but the ingest time, and what full-text searches find."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'passages_fts%'"):
            columns = [f'"{c[1]}"' for c in conn.execute(f'PRAGMA table_info("{table}")')
                       if c[1] != "ingested_at"]
            out[table] = conn.execute(
                f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid').fetchall()
        conn.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 1)")
        for word in ("Kim", "Pyongyang", "wire", "Line", "troops"):
            out[f"search {word}"] = conn.execute(
                "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid",
                [word]).fetchall()
        return out
    finally:
        conn.close()


def test_a_group_stores_what_one_transaction_each_stores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Workspace(tmp_path / "each.sqlite") as ws:
        each = [ws.add_document(d) for d in documents()]
    monkeypatch.setattr(document_writer, "PASSAGE_ROWS", 3)  # a document's passages: 3 INSERTs
    with Workspace(tmp_path / "group.sqlite") as ws:
        group = ws.add_documents(documents())
    assert [s.document_id for s in group] == each == [1, 2, 3, 4, None]
    assert all(s.error is None for s in group)
    one, other = rows(tmp_path / "each.sqlite"), rows(tmp_path / "group.sqlite")
    assert len(one["passages"]) == 11 and one["search wire"] and one["search Kim"]
    assert one == other


def test_a_document_that_fails_leaves_out_only_itself(tmp_path: Path) -> None:
    docs = documents()
    bad = make_doc("Pyongyang again.", PYONGYANG, None)
    bad.passages[0].mentions[0].candidates = [object()]  # not JSON: fails mid-write
    with Workspace(tmp_path / "w.sqlite") as ws:
        stored = ws.add_documents([docs[0], bad, docs[1]])
        assert [s.document_id for s in stored] == [1, None, 2]
        assert stored[0].error is None and stored[2].error is None
        assert isinstance(stored[1].error, TypeError)
        assert not ws.db.conn.in_transaction
        counts = ws.counts()
        hits = ws.search_passages("again")
    assert (counts.documents, counts.passages, counts.mentions, counts.events) == (2, 2, 2, 2)
    assert hits == []
    with Workspace(tmp_path / "each.sqlite") as ws:  # the same as without the failing one
        ws.add_document(docs[0])
        ws.add_document(docs[1])
    assert rows(tmp_path / "w.sqlite") == rows(tmp_path / "each.sqlite")


def test_a_full_disk_stores_none_of_the_group_and_keeps_what_was_committed(
        tmp_path: Path) -> None:
    """SQLITE_FULL for real, through SQLite's limit on the database size."""
    big = [make_doc(f"Meeting {n} in Vladivostok. " + "word " * 800, VLADIVOSTOK, None)
           for n in range(40)]
    with Workspace(tmp_path / "w.sqlite") as ws:
        assert ws.add_documents(big[:2])[1].document_id == 2
        pages = ws.db.execute("PRAGMA page_count").fetchone()[0]
        ws.db.execute(f"PRAGMA max_page_count = {pages + 10}")
        with pytest.raises(StorageFullError):
            ws.add_documents(big[2:])
        assert not ws.db.conn.in_transaction
        assert ws.counts().documents == 2
        assert ws.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ws.db.execute("PRAGMA max_page_count = 1073741823")
        assert [s.document_id for s in ws.add_documents(big[2:4])] == [3, 4]
